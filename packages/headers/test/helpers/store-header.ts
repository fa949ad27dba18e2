// A re-statement of Node's OutgoingMessage._storeHeader on top of our
// serialiser and HeaderBlockState: the reference for how outgoing-message
// applies the state, and the thing the tests compare with Node's real one.
import {
  ERR_HTTP_TRAILER_INVALID,
  HeaderBlockState,
  type OutgoingHeaders,
  serializeHeaders,
} from '../../src/index.ts';

export interface MessageFlags {
  sendDate: boolean;
  shouldKeepAlive: boolean;
  useChunkedEncodingByDefault: boolean;
  chunkedEncoding: boolean;
  maxRequestsOnConnectionReached: boolean;
  _last: boolean;
  _hasBody: boolean;
  _removedConnection: boolean;
  _removedContLen: boolean;
  _removedTE: boolean;
  _contentLength: number | null;
  _defaultKeepAlive: boolean;
  _keepAliveTimeout: number;
  _maxRequestsPerSocket: number;
  statusCode?: number;
  agent?: unknown;
  _header?: string | null;
}

const state = new HeaderBlockState();

export function storeHeader(
  msg: MessageFlags,
  firstLine: string,
  headers: OutgoingHeaders | Record<string, unknown> | unknown[] | null,
  unique: Set<string> | null,
  date: string,
): void {
  state.reset(msg._contentLength);
  let header = firstLine + serializeHeaders(headers, unique, state);
  // What Node's matchHeader() sets on the message while writing.
  if (state.connection) msg._removedConnection = false;
  if (state.connectionClose) msg._last = true;
  if (state.connectionKeepAlive) msg.shouldKeepAlive = true;
  if (state.te) msg._removedTE = false;
  if (state.chunked) msg.chunkedEncoding = true;
  if (state.contLen) {
    msg._contentLength = state.contentLength;
    msg._removedContLen = false;
  }
  if (state.keepAlive) msg._defaultKeepAlive = false;

  if (msg.sendDate && !state.date) header += `Date: ${date}\r\n`;
  if (msg.chunkedEncoding && (msg.statusCode === 204 || msg.statusCode === 304)) {
    msg.chunkedEncoding = false;
    msg.shouldKeepAlive = false;
  }
  if (msg._removedConnection) {
    msg._last = !msg.shouldKeepAlive;
  } else if (!state.connection) {
    const shouldSendKeepAlive =
      msg.shouldKeepAlive && (state.contLen || msg.useChunkedEncodingByDefault || msg.agent);
    if (shouldSendKeepAlive && msg.maxRequestsOnConnectionReached) {
      header += 'Connection: close\r\n';
    } else if (shouldSendKeepAlive) {
      header += 'Connection: keep-alive\r\n';
      if (msg._keepAliveTimeout && msg._defaultKeepAlive) {
        const timeoutSeconds = Math.floor(msg._keepAliveTimeout / 1000);
        let max = '';
        if (~~msg._maxRequestsPerSocket > 0) max = `, max=${msg._maxRequestsPerSocket}`;
        header += `Keep-Alive: timeout=${timeoutSeconds}${max}\r\n`;
      }
    } else {
      msg._last = true;
      header += 'Connection: close\r\n';
    }
  }
  if (!state.contLen && !state.te) {
    if (!msg._hasBody) {
      msg.chunkedEncoding = false;
    } else if (!msg.useChunkedEncodingByDefault) {
      msg._last = true;
    } else if (!state.trailer && !msg._removedContLen && typeof msg._contentLength === 'number') {
      header += `Content-Length: ${msg._contentLength}\r\n`;
    } else if (!msg._removedTE) {
      header += 'Transfer-Encoding: chunked\r\n';
      msg.chunkedEncoding = true;
    } else {
      msg._last = true;
    }
  }
  if (msg.chunkedEncoding !== true && state.trailer) throw new ERR_HTTP_TRAILER_INVALID();
  msg._header = `${header}\r\n`;
}
