/**
 * Protocol constants of RFC 6455 and the WHATWG WebSocket interface.
 */
import { Buffer } from 'node:buffer';

/** RFC 6455 §1.3: appended to Sec-WebSocket-Key before hashing into Sec-WebSocket-Accept. */
export const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

/** RFC 6455 §5.2 opcodes. */
export const OPCODE_CONTINUATION = 0x0;
export const OPCODE_TEXT = 0x1;
export const OPCODE_BINARY = 0x2;
export const OPCODE_CLOSE = 0x8;
export const OPCODE_PING = 0x9;
export const OPCODE_PONG = 0xa;

/** WHATWG readyState values. */
export const CONNECTING = 0;
export const OPEN = 1;
export const CLOSING = 2;
export const CLOSED = 3;

/** RFC 6455 §7.4.1 status codes this client sends or reports. */
export const CLOSE_NORMAL = 1000;
export const CLOSE_PROTOCOL_ERROR = 1002;
export const CLOSE_NO_STATUS = 1005;
export const CLOSE_ABNORMAL = 1006;
export const CLOSE_INVALID_PAYLOAD = 1007;
export const CLOSE_MESSAGE_TOO_BIG = 1009;

/** Default limit on one message's size (after decompression), as the `ws` package: 100 MiB. */
export const DEFAULT_MAX_PAYLOAD = 100 * 1024 * 1024;

/** How long to wait for the server to close TCP after the closing handshake (RFC 6455 §7.1.1). */
export const CLOSE_TIMEOUT_MS = 30_000;

/** RFC 7692 §7.2.1: the four bytes a sync flush leaves at the end of every compressed message. */
export const DEFLATE_TRAILER = Buffer.from([0x00, 0x00, 0xff, 0xff]);

export const EMPTY_BUFFER = Buffer.alloc(0);
