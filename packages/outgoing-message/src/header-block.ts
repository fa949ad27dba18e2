/**
 * The header block of an outgoing message: the first line, the caller's
 * fields in their order and casing, then the automatic ones Node adds
 * (`Date`, `Connection`, `Keep-Alive`, `Content-Length` / `Transfer-Encoding`),
 * and the framing decision (RFC 9112 §6: Content-Length, chunked, or
 * delimited by closing the connection).
 */
import { ERR_HTTP_TRAILER_INVALID, HeaderBlockState, serializeHeaders } from '@strata-http/headers';
import { utcDate } from './date.js';
import { keepLast } from './keep-last.js';
import { kOutHeaders, kUniqueHeaders } from './symbols.js';

/** The message fields the header block reads and decides. */
interface HeaderState {
  _last: boolean;
  chunkedEncoding: boolean;
  shouldKeepAlive: boolean;
  maxRequestsOnConnectionReached: boolean;
  _defaultKeepAlive: boolean;
  useChunkedEncodingByDefault: boolean;
  sendDate: boolean;
  _removedConnection: boolean;
  _removedContLen: boolean;
  _removedTE: boolean;
  _contentLength: number | null;
  _hasBody: boolean;
  _header: string | null;
  _keepAliveTimeout: number;
  _maxRequestsPerSocket?: number;
  statusCode?: number;
  agent?: unknown;
  [kOutHeaders]: unknown;
  [kUniqueHeaders]: Set<string> | null;
}

/**
 * `Connection: keep-alive` and `Keep-Alive: timeout=…[, max=…]`: the same two
 * lines for every response of a server, so the last ones built are kept
 * (formatting the numbers would allocate on every response).
 */
let keepAliveTimeoutOf = -1;
let keepAliveMaxOf = -1;
let keepAliveText = '';
function keepAliveLines(timeout: number, max: number): string {
  if (timeout !== keepAliveTimeoutOf || max !== keepAliveMaxOf) {
    keepAliveTimeoutOf = timeout;
    keepAliveMaxOf = max;
    keepAliveText =
      `Connection: keep-alive\r\nKeep-Alive: timeout=${Math.floor(timeout / 1000)}` +
      (max > 0 ? `, max=${max}\r\n` : '\r\n');
  }
  return keepAliveText;
}

/** `Content-Length: n` (responses of one size repeat it). */
const contentLengthLine = keepLast((length: number) => `Content-Length: ${length}\r\n`);
/** The `Date` line for the cached date string (one per second). */
const dateLineOf = keepLast((date: string) => `Date: ${date}\r\n`);

/**
 * The automatic lines after the caller's fields, and the blank line: nearly
 * always the same three pieces for a busy server (this second's Date, the
 * keep-alive lines, the framing line), so the joined text of the last pieces
 * is kept, flattened, and the block is two concatenations instead of six
 * (and one flat piece for the socket write to copy).
 */
let tailDate = '';
let tailConnection = '';
let tailFraming = '';
let tailText = '\r\n';
function tailOf(date: string, connection: string, framing: string): string {
  if (date !== tailDate || connection !== tailConnection || framing !== tailFraming) {
    tailDate = date;
    tailConnection = connection;
    tailFraming = framing;
    tailText = `${date}${connection}${framing}\r\n`;
    // Reading a character flattens the concatenation once, here, instead of in every write.
    tailText.charCodeAt(0);
  }
  return tailText;
}

// Reused for every block: building is synchronous and not re-entrant.
const state = new HeaderBlockState();

/**
 * Sets `msg._header` and the framing flags. Returns true when the caller sent
 * `Expect` (the header block must then be flushed at once).
 */
export function buildHeaderBlock(msg: HeaderState, firstLine: string, headers: unknown): boolean {
  state.reset(msg._contentLength);
  const block = firstLine + serializeHeaders(headers as never, msg[kUniqueHeaders], state);
  // What the caller's fields decide (Node's matchHeader).
  if (state.connection) {
    msg._removedConnection = false;
    if (state.connectionClose) msg._last = true;
    if (state.connectionKeepAlive) msg.shouldKeepAlive = true;
  }
  if (state.te) {
    msg._removedTE = false;
    if (state.chunked) msg.chunkedEncoding = true;
  }
  if (state.contLen) {
    msg._contentLength = state.contentLength;
    msg._removedContLen = false;
  }
  if (state.keepAlive) msg._defaultKeepAlive = false;

  const date = !state.date && msg.sendDate ? dateLineOf(utcDate()) : '';
  let connection = '';
  let framing = '';

  // A 204/304 has no body, so a caller's "Transfer-Encoding: chunked" cannot be
  // honoured: no zero chunk is sent and the connection closes (a proxy could
  // otherwise read the next response as this one's body).
  if (msg.chunkedEncoding && (msg.statusCode === 204 || msg.statusCode === 304)) {
    msg.chunkedEncoding = false;
    msg.shouldKeepAlive = false;
  }

  if (msg._removedConnection) {
    // The caller removed Connection: no field, the connection's fate is shouldKeepAlive's.
    msg._last = !msg.shouldKeepAlive;
  } else if (!state.connection) {
    // Keep-alive needs a length: an explicit Content-Length or chunked framing.
    const keepAlive =
      msg.shouldKeepAlive && (state.contLen || msg.useChunkedEncodingByDefault || !!msg.agent);
    if (keepAlive && msg.maxRequestsOnConnectionReached) {
      connection = 'Connection: close\r\n';
    } else if (keepAlive) {
      connection =
        msg._keepAliveTimeout && msg._defaultKeepAlive
          ? keepAliveLines(msg._keepAliveTimeout, ~~(msg._maxRequestsPerSocket as number))
          : 'Connection: keep-alive\r\n';
    } else {
      msg._last = true;
      connection = 'Connection: close\r\n';
    }
  }

  if (!state.contLen && !state.te) {
    if (!msg._hasBody) {
      // HEAD / 204 / 304: no body, so no terminating chunk either.
      msg.chunkedEncoding = false;
    } else if (!msg.useChunkedEncodingByDefault) {
      // HTTP/1.0 peer: the body ends when the connection closes.
      msg._last = true;
    } else if (!state.trailer && !msg._removedContLen && typeof msg._contentLength === 'number') {
      // end(data) before any write: the whole body is known.
      framing = contentLengthLine(msg._contentLength);
    } else if (!msg._removedTE) {
      framing = 'Transfer-Encoding: chunked\r\n';
      msg.chunkedEncoding = true;
    } else {
      // Both removed by the caller: only closing the connection can delimit the body.
      msg._last = true;
    }
  }

  // Trailers need chunked framing (RFC 9112 §7.1.2).
  if (msg.chunkedEncoding !== true && state.trailer) throw new ERR_HTTP_TRAILER_INVALID();

  msg._header = block + tailOf(date, connection, framing);
  return state.expect;
}
