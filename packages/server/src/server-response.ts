/**
 * `ServerResponse`: the response half of a server exchange. The server creates
 * one per request; framing, header serialisation and output queueing live in
 * OutgoingMessage, this class decides the status line and the server-side
 * flags (HEAD/204/304 have no body, HTTP/1.0 peers get no chunked encoding,
 * an unanswered `Expect: 100-continue` closes the connection).
 */
import type { Duplex } from 'node:stream';
import {
  checkInvalidHeaderChar,
  defineConstructor,
  ERR_HTTP_HEADERS_SENT,
  ERR_HTTP_INVALID_STATUS_CODE,
  ERR_HTTP_SOCKET_ASSIGNED,
  ERR_INVALID_ARG_VALUE,
  ERR_INVALID_CHAR,
  STATUS_CODES,
} from '@strata-http/headers';
import {
  emitterEmit,
  eventsOf,
  kOutHeaders,
  OutgoingMessage,
  type OutgoingMessageOptions,
} from '@strata-http/outgoing-message';
import { kClosing, kConnection } from './symbols';
import { validateObject } from './validators';

type Socket = Duplex & Record<string | symbol, any>;
type Request = any;

/** `chunked` as a token of an HTTP/1.0 request's TE field. */
const chunkExpression = /(?:^|\W)chunked(?:$|\W)/i;

/**
 * A `Link` field value Early Hints accepts: one or more `<uri-reference>; params`
 * (RFC 8288), comma separated — what Node's validateLinkHeaderValue enforces.
 */
const linkValueExpression =
  /^(?:<[^>]*>)(?:\s*;\s*[^;"\s]+(?:=(")?[^;"\s]*\1)?)*(?:\s*,\s*(?:<[^>]*>)(?:\s*;\s*[^;"\s]+(?:=(")?[^;"\s]*\2)?)*)*$/;

/** Status lines with the standard reason phrase, built once: "HTTP/1.1 200 OK\r\n". */
const statusLines: string[] = [];
for (const code of Object.keys(STATUS_CODES)) {
  statusLines[Number(code)] = `HTTP/1.1 ${code} ${STATUS_CODES[Number(code)]}\r\n`;
}

/** 'close' on a response once (after 'finish', or when its socket or connection dies). */
export function emitCloseNT(res: ServerResponse): void {
  if (res._closed) return;
  res.destroyed = true;
  res._closed = true;
  if (res.emit !== emitterEmit || eventsOf(res).close !== undefined) res.emit('close');
}

function onResponseSocketClose(this: Socket): void {
  const res = this._httpMessage as ServerResponse | null;
  if (res) emitCloseNT(res);
}

/**
 * The methods of `ServerResponse` (its instances are built by the
 * `ServerResponse` function below, callable as Node's is).
 */
class ServerResponseBase extends OutgoingMessage {
  declare statusCode: number;
  declare statusMessage: string | undefined;
  declare req: Request;
  /** A `100 Continue` went out (writeContinue). */
  declare _sent100: boolean;
  /** The request carried `Expect: 100-continue`. */
  declare _expect_continue: boolean;
  declare [kConnection]: any;
  /** Node's undocumented alias of writeHead(), kept for old code. */
  declare writeHeader: ServerResponseBase['writeHead'];

  /** Makes `socket` this response's output; throws ERR_HTTP_SOCKET_ASSIGNED if it has one. */
  assignSocket(socket: Socket): void {
    if (socket._httpMessage) throw new ERR_HTTP_SOCKET_ASSIGNED();
    socket._httpMessage = this;
    // A server-owned socket reports its close through its connection instead.
    if (this[kConnection] === null) socket.on('close', onResponseSocketClose);
    this.socket = socket as never;
    if (this.emit !== emitterEmit || eventsOf(this).socket !== undefined)
      this.emit('socket', socket);
    this._flush();
  }

  /** Releases the socket (after 'finish', or before handing it to another owner). */
  detachSocket(socket: Socket): void {
    if (this[kConnection] === null) socket.removeListener('close', onResponseSocketClose);
    socket._httpMessage = null;
    this.socket = null;
  }

  /** Sends `HTTP/1.1 100 Continue` ahead of the response. */
  writeContinue(callback?: () => void): void {
    this._writeRaw('HTTP/1.1 100 Continue\r\n\r\n', 'latin1', callback);
    this._sent100 = true;
  }

  /** Sends `HTTP/1.1 102 Processing` ahead of the response. */
  writeProcessing(callback?: () => void): void {
    this._writeRaw('HTTP/1.1 102 Processing\r\n\r\n', 'latin1', callback);
  }

  /**
   * Sends `103 Early Hints` with a `Link` field (a string or a list, joined
   * with `, `) and any other given fields. Nothing is sent without a link.
   */
  writeEarlyHints(hints: Record<string, unknown>, callback?: () => void): void {
    validateObject(hints, 'hints');
    const link = hints.link;
    if (link === null || link === undefined) return;
    const value = linkHeaderValue(link);
    if (value.length === 0) return;
    let head = `HTTP/1.1 103 Early Hints\r\nLink: ${value}\r\n`;
    for (const key of Object.keys(hints)) {
      if (key !== 'link') head += `${key}: ${hints[key]}\r\n`;
    }
    head += '\r\n';
    this._writeRaw(head, 'latin1', callback);
  }

  /** Node's hook: headers were not written explicitly, so write them now. */
  override _implicitHeader(): void {
    this.writeHead(this.statusCode);
  }

  /**
   * Decides the status line and the header block. `headers` (an object, a flat
   * `[name, value, …]` list or a list of pairs) take precedence over fields
   * stored with setHeader(); without stored fields they are written as given.
   */
  writeHead(
    statusCode: number,
    reason?: string | Record<string, unknown> | unknown[],
    headers?: Record<string, unknown> | unknown[],
  ): this {
    if (this._header) throw new ERR_HTTP_HEADERS_SENT('write');
    const originalStatusCode = statusCode;
    statusCode |= 0;
    if (statusCode < 100 || statusCode > 999) {
      throw new ERR_HTTP_INVALID_STATUS_CODE(originalStatusCode);
    }
    if (typeof reason === 'string') {
      this.statusMessage = reason;
    } else {
      this.statusMessage ||= STATUS_CODES[statusCode] || 'unknown';
      headers ??= reason as Record<string, unknown> | unknown[] | undefined;
    }
    this.statusCode = statusCode;

    let block: any;
    if (this[kOutHeaders] !== null) {
      // Merge: the fields given here replace stored ones of the same name.
      if (Array.isArray(headers)) {
        // A flat [name, value, …] list, "in the same format as request.rawHeaders"
        // (v23.8 docs), so a name may repeat: every name given is removed from
        // the stored headers first (removeHeader(), its checks and flags
        // included), then each pair is appended in order. Repeated names keep
        // all their values and the list's fields follow the stored ones, as
        // node:http v23.8 does; Node 20's setHeader() per pair kept only the
        // last value of a repeated name.
        if (headers.length % 2 !== 0) throw new ERR_INVALID_ARG_VALUE('headers', headers);
        for (let i = 0; i < headers.length; i += 2) {
          const name = headers[i] as string;
          if (name) this.removeHeader(name);
        }
        for (let i = 0; i < headers.length; i += 2) {
          const name = headers[i] as string;
          if (name) this.appendHeader(name, headers[i + 1] as never);
        }
      } else if (headers) {
        for (const name of Object.keys(headers)) {
          if (name) this.setHeader(name, headers[name] as never);
        }
      }
      block = this[kOutHeaders];
    } else {
      if (Array.isArray(headers) && headers.length % 2 !== 0 && !Array.isArray(headers[0])) {
        throw new ERR_INVALID_ARG_VALUE('headers', headers);
      }
      block = headers;
    }

    const message = this.statusMessage;
    const standard = statusLines[statusCode];
    let statusLine: string;
    if (standard !== undefined && message === STATUS_CODES[statusCode]) {
      // The standard reason phrase (known to be valid): its prebuilt line.
      statusLine = standard;
    } else {
      if (checkInvalidHeaderChar(message)) throw new ERR_INVALID_CHAR('statusMessage');
      statusLine = `HTTP/1.1 ${statusCode} ${message}\r\n`;
    }

    if (statusCode === 204 || statusCode === 304 || (statusCode >= 100 && statusCode <= 199)) {
      this._hasBody = false;
    }
    // The client waited for 100 Continue and never got it: its body may still
    // be coming, so this connection cannot carry another request.
    if (this._expect_continue && !this._sent100) this.shouldKeepAlive = false;
    // A closing server says so on the responses it still sends.
    const connection = this[kConnection];
    if (connection?.server[kClosing]) this.shouldKeepAlive = false;

    this._storeHeader(statusLine, block);
    return this;
  }
}

export type ServerResponse = ServerResponseBase;

/** `http.ServerResponse` as a constructor: with `new`, or `ServerResponse.call(this, req)` as Node's. */
export interface ServerResponseConstructor {
  new (req: Request, options?: OutgoingMessageOptions): ServerResponse;
  (this: ServerResponse, req: Request, options?: OutgoingMessageOptions): void;
  readonly prototype: ServerResponse;
}

/**
 * A plain function, like Node's: test clients build responses with
 * `http.ServerResponse.call(this, req)` (light-my-request, behind Fastify's
 * `inject()`), and the server constructs it with `new`.
 */
const ServerResponseFunction = function ServerResponse(
  this: ServerResponse,
  req: Request,
  options?: OutgoingMessageOptions,
): void {
  OutgoingMessage.call(this, options);
  this.req = req;
  this.sendDate = true;
  this._sent100 = false;
  this._expect_continue = false;
  this[kConnection] = null;
  if (req.method === 'HEAD') this._hasBody = false;
  // Node's rule: a major or a minor version below 1 (HTTP/1.0, and the
  // "HTTP/2.0" the parser accepts in a request line).
  if (req.httpVersionMajor < 1 || req.httpVersionMinor < 1) {
    // An HTTP/1.0 client cannot read chunked framing unless it asked for it (TE).
    const te = req.headers?.te;
    this.useChunkedEncodingByDefault = typeof te === 'string' && chunkExpression.test(te);
    this.shouldKeepAlive = false;
  }
};
// The same function object as writeHead, an enumerable data property (as Node's).
ServerResponseBase.prototype.writeHeader = ServerResponseBase.prototype.writeHead;
// The defaults live on the prototype, as Node's: a response has its own
// `statusCode` / `statusMessage` only once set (writeHead(), or by the caller).
ServerResponseBase.prototype.statusCode = 200;
ServerResponseBase.prototype.statusMessage = undefined;
defineConstructor(ServerResponseFunction, ServerResponseBase.prototype, OutgoingMessage);

export const ServerResponse = ServerResponseFunction as unknown as ServerResponseConstructor;

/** The Link value of Early Hints: a string or a list of strings, each a valid link. */
function linkHeaderValue(link: unknown): string {
  if (typeof link === 'string') {
    if (!linkValueExpression.test(link)) throw invalidLink(link);
    return link;
  }
  if (Array.isArray(link)) {
    for (const item of link) {
      if (typeof item !== 'string' || !linkValueExpression.test(item)) throw invalidLink(link);
    }
    return link.join(', ');
  }
  throw invalidLink(link);
}

function invalidLink(value: unknown): Error {
  return new ERR_INVALID_ARG_VALUE(
    'hints',
    value,
    'must be an array or string of format "</styles.css>; rel=preload; as=style"',
  );
}
