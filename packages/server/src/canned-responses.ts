/**
 * What the default `'clientError'` handler writes before destroying the socket.
 * Fixed bytes, like Node's: no Date, no body, `Connection: close`.
 */
import { Buffer } from 'node:buffer';

const badRequest = Buffer.from('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n', 'latin1');
const requestTimeout = Buffer.from(
  'HTTP/1.1 408 Request Timeout\r\nConnection: close\r\n\r\n',
  'latin1',
);
const payloadTooLarge = Buffer.from(
  'HTTP/1.1 413 Payload Too Large\r\nConnection: close\r\n\r\n',
  'latin1',
);
const headerFieldsTooLarge = Buffer.from(
  'HTTP/1.1 431 Request Header Fields Too Large\r\nConnection: close\r\n\r\n',
  'latin1',
);

/** The response for a client error code: 431 header overflow, 413 chunk extensions, 408 timeout, else 400. */
export function cannedResponseFor(code: unknown): Buffer {
  switch (code) {
    case 'HPE_HEADER_OVERFLOW':
      return headerFieldsTooLarge;
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return payloadTooLarge;
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return requestTimeout;
    default:
      return badRequest;
  }
}
