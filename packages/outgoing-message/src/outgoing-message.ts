/**
 * `http.OutgoingMessage`: the writable half of an HTTP exchange, base class of
 * `ServerResponse` and `ClientRequest`.
 *
 * Like Node's, it extends the legacy `Stream` (not `Writable`) and keeps the
 * underscore protocol that Node's test suite, Express, `compression` and
 * `on-headers` rely on: `_header`, `_headerSent`, `_implicitHeader()`,
 * `_storeHeader()`, `_send()`, `_writeRaw()`, `_finish()`, `_flush()`,
 * `_flushOutput()`, `outputData`, `outputSize`, `finished` ...
 *
 * The socket is owned by the connection owner (server or client). It marks
 * the message as the one currently allowed to write with
 * `socket._httpMessage = msg`, sets `msg.socket`, emits `'socket'` and calls
 * `msg._flush()`. Until then every byte is queued in `outputData`, in order.
 */

import { Buffer } from 'node:buffer';
import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import process from 'node:process';
import { Stream } from 'node:stream';
import { deprecate } from 'node:util';
import {
  defineConstructor,
  ERR_HTTP_BODY_NOT_ALLOWED,
  ERR_HTTP_CONTENT_LENGTH_MISMATCH,
  ERR_HTTP_HEADERS_SENT,
  ERR_INVALID_ARG_TYPE,
  ERR_METHOD_NOT_IMPLEMENTED,
  ERR_STREAM_ALREADY_FINISHED,
  ERR_STREAM_CANNOT_PIPE,
  ERR_STREAM_DESTROYED,
  ERR_STREAM_NULL_VALUES,
  ERR_STREAM_WRITE_AFTER_END,
  emitterEmit,
  eventsOf,
  initStream,
  lowerCaseHeaderName,
  OutgoingHeaders,
  parseUniqueHeaders,
  serializeTrailers,
  streamDefaultHighWaterMark,
} from '@strata-http/headers';
import { buildHeaderBlock } from './header-block.js';
import { joinHeadAndBody } from './joined-head.js';
import { keepLast } from './keep-last.js';
import {
  kBytesWritten,
  kCorked,
  kErrored,
  kHighWaterMark,
  kNeedDrain,
  kOnFinish,
  kOutHeaders,
  kRejectNonStandardBodyWrites,
  kUniqueHeaders,
} from './symbols.js';

/** Bound once, as Node's own modules do (the global `process` is an accessor). */
const { nextTick } = process;

/** A header value as accepted by setHeader(): a number, a string, or a list of strings. */
export type OutgoingHttpHeader = number | string | readonly string[];

/** One queued write, kept until a socket is attached (Node's `outputData` entries). */
export interface OutputChunk {
  data: string | Uint8Array;
  encoding: BufferEncoding | null | undefined;
  callback: ((err?: Error | null) => void) | null | undefined;
}

export interface OutgoingMessageOptions {
  /** Buffer level (bytes) at which write() starts returning false while no socket is attached. */
  highWaterMark?: number;
  /** Throw ERR_HTTP_BODY_NOT_ALLOWED for body writes to HEAD / 204 / 304 messages. */
  rejectNonStandardBodyWrites?: boolean;
  /** Header names sent once, values joined with `; ` (see `uniqueHeaders`). */
  uniqueHeaders?: readonly string[] | null;
}

type WriteCallback = (err?: Error | null) => void;

/**
 * Strings up to this length are framed by concatenation (size line + data +
 * CRLF as one write). Longer ones are written beside their framing: joining
 * would make V8 flatten (copy) the whole string before it is encoded.
 */
const CONCAT_LIMIT = 16 * 1024;
type AnySocket = Socket & { _httpMessage?: unknown; _hadError?: boolean };

const CRLF = Buffer.from('\r\n', 'latin1');

function nop(): void {}

/** Chunk sizes in hex up to 4 KiB, made once each: most chunks are small and repeat. */
const hexSizes: (string | undefined)[] = new Array(4097);
function hexSize(len: number): string {
  if (len > 4096) return len.toString(16);
  return (hexSizes[len] ??= len.toString(16));
}

/**
 * The framing around Buffer chunks of a chunked body, as Buffers: a batch of
 * writes that holds only Buffers reaches the socket's writev as it is, while
 * one string entry makes Node read an encoding and copy the strings, entry by
 * entry (for a 64 KiB response in 16 chunks, a third of the server's user
 * time). Shared and never written to, as Node shares its CRLF buffer.
 */
const LAST_CHUNK_AFTER_CRLF = Buffer.from('\r\n0\r\n\r\n', 'latin1');

/** `size CRLF` of a chunk (the last one made is kept: chunk sizes mostly repeat). */
const sizeLine = keepLast((size: string) => Buffer.from(`${size}\r\n`, 'latin1'));
/** `CRLF size CRLF`: the same, closing the previous chunk first. */
const owedSizeLine = keepLast((size: string) => Buffer.from(`\r\n${size}\r\n`, 'latin1'));

/**
 * The terminating chunk with the trailers: after a Buffer chunk whose CRLF
 * is owed, a Buffer that carries that CRLF first (the batch stays all
 * Buffers); otherwise a latin1 string.
 */
function lastChunkOf(msg: OutgoingMessage): string | Buffer {
  if (!msg[kOwedCRLF]) return `0\r\n${msg._trailer}\r\n`;
  msg[kOwedCRLF] = false;
  const trailer = msg._trailer;
  return trailer === '' ? LAST_CHUNK_AFTER_CRLF : Buffer.from(`\r\n0\r\n${trailer}\r\n`, 'latin1');
}

function defaultHighWaterMark(): number {
  return streamDefaultHighWaterMark() ?? 16 * 1024;
}

function validateName(name: unknown): asserts name is string {
  if (typeof name !== 'string') throw new ERR_INVALID_ARG_TYPE('name', 'string', name);
}

function byteLengthOf(chunk: string | Uint8Array, encoding: BufferEncoding | null | undefined) {
  return typeof chunk === 'string'
    ? Buffer.byteLength(chunk, encoding || 'utf8')
    : chunk.byteLength;
}

/** True while a body write's cork is held until the next tick (uncorkTick). */
const kTickCorked = Symbol('kTickCorked');
/**
 * A chunk written beside its framing (a Buffer, or a long string) owes the
 * CRLF that closes it when something is sure to follow before the socket is
 * uncorked: end()'s terminating chunk, or uncorkTick(). The next write of
 * this message starts with it (joined to a string: the next size line or
 * the terminating chunk), one socket.write() fewer per chunk; the bytes and
 * their order on the wire are the same.
 */
const kOwedCRLF = Symbol('kOwedCRLF');

/**
 * The next tick after a body write took the socket's cork: the chunk CRLF
 * this message still owes (see kOwedCRLF) goes in first, so it leaves in the
 * same socket write as the chunk it closes.
 */
function uncorkTick(msg: OutgoingMessage, socket: AnySocket): void {
  msg[kTickCorked] = false;
  if (msg[kOwedCRLF]) {
    msg[kOwedCRLF] = false;
    msg._writeRaw(CRLF, null, null);
  }
  socket.uncork();
}

function emitErrorNT(msg: OutgoingMessage, err: Error, callback: WriteCallback): void {
  callback(err);
  if (!msg.destroyed) msg.emit('error', err);
}

/** Reports a write/end misuse as Node does: callback(err) then 'error', on the next tick. */
function onWriteError(msg: OutgoingMessage, err: Error, callback: WriteCallback): void {
  if (msg.destroyed) return;
  nextTick(emitErrorNT, msg, err, callback);
}

/** The callback of the last write of a message: 'finish', unless the socket failed. */
function onFinish(msg: OutgoingMessage): void {
  const socket = msg.socket as AnySocket | null;
  if (socket?._hadError) return;
  const hook = msg[kOnFinish];
  if (msg.emit !== emitterEmit) {
    // A wrapped emit() sees 'finish' before what the owner's hook does, as
    // with node:http, whose own 'finish' listener comes first of all.
    if (hook !== null) msg.prependOnceListener('finish', hook.bind(undefined, msg));
    msg.emit('finish');
    return;
  }
  if (hook !== null) hook(msg);
  if (eventsOf(msg).finish !== undefined) msg.emit('finish');
}

/**
 * The methods of `OutgoingMessage` (its instances are built by the
 * `OutgoingMessage` function below, callable as Node's is).
 */
class OutgoingMessageBase extends Stream {
  /** Writes queued until a socket is attached and owned by this message. */
  declare outputData: OutputChunk[];
  /** Bytes (string length for strings) queued in outputData. */
  declare outputSize: number;
  declare writable: boolean;
  declare destroyed: boolean;
  /** True when the connection must close after this message. */
  declare _last: boolean;
  declare chunkedEncoding: boolean;
  declare shouldKeepAlive: boolean;
  declare maxRequestsOnConnectionReached: boolean;
  /** False once the caller set its own Keep-Alive header. */
  declare _defaultKeepAlive: boolean;
  declare useChunkedEncodingByDefault: boolean;
  declare sendDate: boolean;
  declare _removedConnection: boolean;
  declare _removedContLen: boolean;
  declare _removedTE: boolean;
  declare strictContentLength: boolean;
  declare _contentLength: number | null;
  declare _hasBody: boolean;
  /** The serialised trailer section (without the final CRLF). */
  declare _trailer: string;
  declare finished: boolean;
  declare _headerSent: boolean;
  declare _closed: boolean;
  declare socket: Socket | null;
  /** The serialised header block (status/request line + fields + CRLF), once decided. */
  declare _header: string | null;
  /** Server keep-alive timeout in ms; non-zero adds `Keep-Alive: timeout=…`. */
  declare _keepAliveTimeout: number;
  /** Called with the change in queued bytes (the server tracks pipelined output). */
  declare _onPendingData: (delta: number) => void;
  /** Server's maxRequestsPerSocket, echoed as `max=` in Keep-Alive. */
  declare _maxRequestsPerSocket?: number;
  /** Set by ServerResponse. */
  declare statusCode?: number;
  /** Set by ClientRequest. */
  declare agent?: unknown;

  declare [kBytesWritten]: number;
  declare [kNeedDrain]: boolean;
  declare [kOnFinish]: ((msg: OutgoingMessage) => void) | null;
  declare [kCorked]: number;
  declare [kTickCorked]: boolean;
  declare [kOwedCRLF]: boolean;
  /**
   * Deprecated (DEP0066): `lower-cased name -> name as given` (null prototype),
   * or null before any header was stored. Assigning an object renames the
   * stored headers it lists. Defined on the prototype below.
   */
  declare _headerNames: Record<string, unknown> | null;
  /**
   * Deprecated (DEP0066): the stored headers as getHeaders() returns them.
   * Assigning an object replaces them; null removes them. Defined on the
   * prototype below.
   */
  declare _headers: Record<string, OutgoingHttpHeader>;

  /** The header store, created on the first setHeader()/appendHeader(). */
  declare [kOutHeaders]: OutgoingHeaders | null;
  /** The error given to destroy() (undefined for a plain destroy()), null before. */
  declare [kErrored]: Error | null | undefined;
  declare [kHighWaterMark]: number;
  declare [kRejectNonStandardBodyWrites]: boolean;
  declare [kUniqueHeaders]: Set<string> | null;

  // -------------------------------------------------------------------------
  // Writable-like state

  get errored(): Error | null | undefined {
    return this[kErrored];
  }

  get closed(): boolean {
    return this._closed;
  }

  /** True when end() was called and every byte reached the socket and left its buffer. */
  get writableFinished(): boolean {
    return (
      this.finished && this.outputSize === 0 && (!this.socket || this.socket.writableLength === 0)
    );
  }

  get writableObjectMode(): boolean {
    return false;
  }

  get writableLength(): number {
    return this.outputSize + (this.socket ? this.socket.writableLength : 0);
  }

  get writableHighWaterMark(): number {
    return this.socket ? this.socket.writableHighWaterMark : this[kHighWaterMark];
  }

  get writableCorked(): number {
    return this.socket ? this.socket.writableCorked : this[kCorked];
  }

  get writableEnded(): boolean {
    return this.finished;
  }

  get writableNeedDrain(): boolean {
    return !this.destroyed && !this.finished && this[kNeedDrain];
  }

  get headersSent(): boolean {
    return !!this._header;
  }

  /** Deprecated alias of `socket`. */
  get connection(): Socket | null {
    return this.socket;
  }

  set connection(socket: Socket | null) {
    this.socket = socket;
  }

  cork(): void {
    if (this.socket) this.socket.cork();
    else this[kCorked]++;
  }

  uncork(): void {
    if (this.socket) this.socket.uncork();
    else if (this[kCorked]) this[kCorked]--;
  }

  /** Calls socket.setTimeout(msecs) now or once a socket is assigned; callback listens to 'timeout'. */
  setTimeout(msecs: number, callback?: () => void): this {
    if (callback) this.on('timeout', callback);
    const socket = this.socket;
    if (!socket) this.once('socket', socketSetTimeout.bind(undefined, msecs));
    else if (typeof socket.setTimeout === 'function') socket.setTimeout(msecs);
    return this;
  }

  /** Destroys the message and, now or once assigned, its socket. */
  destroy(error?: Error): this {
    if (this.destroyed) return this;
    this.destroyed = true;
    this[kErrored] = error;
    if (this.socket) this.socket.destroy(error);
    else this.once('socket', socketDestroy.bind(undefined, error));
    return this;
  }

  /**
   * `events.captureRejections`: a rejected async listener destroys the message
   * (and so its socket) with the rejection reason, as Node's does.
   */
  override [EventEmitter.captureRejectionSymbol](err: Error, _event: string | symbol): void {
    this.destroy(err);
  }

  // -------------------------------------------------------------------------
  // Headers

  setHeader(name: string, value: OutgoingHttpHeader): this {
    if (this._header) throw new ERR_HTTP_HEADERS_SENT('set');
    (this[kOutHeaders] ??= new OutgoingHeaders()).set(name, value);
    return this;
  }

  /** Sets every entry of a `Headers` or `Map`; `set-cookie` values are kept as a list. */
  setHeaders(headers: Headers | Map<string, OutgoingHttpHeader>): this {
    if (this._header) throw new ERR_HTTP_HEADERS_SENT('set');
    // Validate before creating the store, so a bad argument leaves no trace.
    if (
      !headers ||
      Array.isArray(headers) ||
      typeof (headers as Map<string, unknown>).keys !== 'function' ||
      typeof (headers as Map<string, unknown>).get !== 'function'
    ) {
      throw new ERR_INVALID_ARG_TYPE('headers', ['Headers', 'Map'], headers);
    }
    (this[kOutHeaders] ??= new OutgoingHeaders()).setHeaders(headers);
    return this;
  }

  /** Adds a value (or values) to a header, keeping the earlier ones. */
  appendHeader(name: string, value: OutgoingHttpHeader): this {
    if (this._header) throw new ERR_HTTP_HEADERS_SENT('append');
    (this[kOutHeaders] ??= new OutgoingHeaders()).append(name, value);
    return this;
  }

  getHeader(name: string): OutgoingHttpHeader | undefined {
    validateName(name);
    const headers = this[kOutHeaders];
    return headers === null ? undefined : headers.get(name);
  }

  getHeaderNames(): string[] {
    const headers = this[kOutHeaders];
    return headers === null ? [] : headers.names();
  }

  getRawHeaderNames(): string[] {
    const headers = this[kOutHeaders];
    return headers === null ? [] : headers.rawNames();
  }

  /** A shallow copy, keyed by lowercased name, with a null prototype. */
  getHeaders(): Record<string, OutgoingHttpHeader> {
    const headers = this[kOutHeaders];
    return headers === null ? Object.create(null) : headers.toObject();
  }

  hasHeader(name: string): boolean {
    validateName(name);
    const headers = this[kOutHeaders];
    return headers === null ? false : headers.has(name);
  }

  /**
   * Removes a stored header. Removing `Connection`, `Content-Length`,
   * `Transfer-Encoding` or `Date` also stops the automatic one from being added.
   */
  removeHeader(name: string): void {
    validateName(name);
    if (this._header) throw new ERR_HTTP_HEADERS_SENT('remove');
    const key = name.toLowerCase();
    switch (key) {
      case 'connection':
        this._removedConnection = true;
        break;
      case 'content-length':
        this._removedContLen = true;
        break;
      case 'transfer-encoding':
        this._removedTE = true;
        break;
      case 'date':
        this.sendDate = false;
        break;
    }
    const headers = this[kOutHeaders];
    if (headers !== null) headers.remove(key);
  }

  /** The stored headers keyed by their original names (Node's `_renderHeaders`). */
  _renderHeaders(): Record<string, OutgoingHttpHeader> {
    if (this._header) throw new ERR_HTTP_HEADERS_SENT('render');
    const headers = this[kOutHeaders];
    return headers === null ? {} : headers.toRawObject();
  }

  /**
   * Trailer fields, sent after the last chunk. Only chunked messages carry
   * them; otherwise they are dropped. An array of `[name, value]` pairs works too.
   */
  addTrailers(
    headers:
      | Record<string, OutgoingHttpHeader>
      | readonly (readonly [string, OutgoingHttpHeader])[],
  ): void {
    this._trailer = serializeTrailers(headers as Record<string, unknown>, this[kUniqueHeaders]);
  }

  /** Implemented by ServerResponse (`writeHead(statusCode)`) and ClientRequest. */
  _implicitHeader(): void {
    throw new ERR_METHOD_NOT_IMPLEMENTED('_implicitHeader()');
  }

  /**
   * Builds `_header` from `firstLine` (status or request line, with its CRLF)
   * and `headers`: the stored map (`this[kOutHeaders]`, not re-validated), a
   * plain object, a flat `[name, value, …]` list or a list of pairs (all
   * validated); decides framing and adds the automatic fields.
   */
  _storeHeader(
    firstLine: string,
    headers:
      | OutgoingHeaders
      | Record<string, OutgoingHttpHeader>
      | readonly unknown[]
      | null
      | undefined,
  ): void {
    const expect = buildHeaderBlock(this, firstLine, headers);
    this._headerSent = false;
    // With `Expect: 100-continue` the header goes out now, so the peer can answer it.
    if (expect) this._send('');
  }

  // -------------------------------------------------------------------------
  // Output

  /**
   * Writes `data`, preceded by the header block if it has not gone out yet:
   * prepended to a utf8/latin1 string, else queued just before it (the cork
   * around body writes makes both one socket write).
   */
  _send(
    data: string | Uint8Array,
    encoding?: BufferEncoding | null | WriteCallback,
    callback?: WriteCallback | null,
    byteLength?: number,
  ): boolean {
    if (!this._headerSent && this._header !== null) {
      const header = this._header;
      if (typeof encoding === 'function') {
        callback = encoding;
        encoding = null;
      }
      if (joinsHeader(this, data, encoding)) {
        if (typeof data === 'string') {
          data = header + data;
        } else {
          // A small buffer is copied behind the block (latin1: one byte per
          // character): one plain write costs fewer instructions than a writev
          // of a string and a buffer (measured: 4 KiB body, 19.5k vs 23.0k per
          // response over loopback).
          data = joinHeadAndBody(header, data);
        }
      } else {
        // Large or queued buffers (and other encodings) are not copied: the
        // block is written just before them — after anything already queued, such as
        // a 100 Continue — and under the cork both leave in one writev.
        this._writeRaw(header, 'latin1', null);
      }
      this._headerSent = true;
    }
    return this._writeRaw(data, encoding, callback, byteLength);
  }

  /** Writes to the socket if it is attached, owned by this message and writable; else queues. */
  _writeRaw(
    data: string | Uint8Array,
    encoding?: BufferEncoding | null | WriteCallback,
    callback?: WriteCallback | null,
    _size?: number,
  ): boolean {
    const conn = this.socket as AnySocket | null;
    if (conn?.destroyed) return false;
    if (typeof encoding === 'function') {
      callback = encoding;
      encoding = null;
    }
    if (this[kOwedCRLF]) {
      this[kOwedCRLF] = false;
      if (isConcatenable(data, encoding)) data = `\r\n${data}`;
      else this._writeRaw(CRLF, null, null);
    }
    if (conn && conn._httpMessage === this && conn.writable) {
      if (this.outputData.length) this._flushOutput(conn);
      return conn.write(data, encoding as BufferEncoding, callback ?? undefined);
    }
    this.outputData.push({ data, encoding, callback });
    this.outputSize += data.length;
    this._onPendingData(data.length);
    return this.outputSize < this[kHighWaterMark];
  }

  /** Moves queued output (and corks taken before the socket existed) to `socket`, in order. */
  _flushOutput(socket: Socket): boolean | undefined {
    while (this[kCorked]) {
      this[kCorked]--;
      socket.cork();
    }
    const outputData = this.outputData;
    const n = outputData.length;
    if (n <= 0) return undefined;
    socket.cork();
    let ret = true;
    for (let i = 0; i < n; i++) {
      const item = outputData[i];
      ret = socket.write(item.data, item.encoding as BufferEncoding, item.callback ?? undefined);
    }
    socket.uncork();
    this.outputData = [];
    this._onPendingData(-this.outputSize);
    this.outputSize = 0;
    return ret;
  }

  /** Called by the owner once the socket is attached: flushes the queue, then prefinish/drain. */
  _flush(): void {
    const socket = this.socket;
    if (socket?.writable) {
      const ret = this._flushOutput(socket);
      if (this.finished) {
        this._finish();
      } else if (ret && this[kNeedDrain]) {
        this[kNeedDrain] = false;
        this.emit('drain');
      }
    }
  }

  /** All output handed to the socket: 'prefinish'. ServerResponse/ClientRequest extend it. */
  _finish(): void {
    if (this.emit !== emitterEmit || eventsOf(this).prefinish !== undefined) this.emit('prefinish');
  }

  /** Sends the header block now instead of with the first body chunk. */
  flushHeaders(): void {
    if (!this._header) this._implicitHeader();
    this._send('');
  }

  /** An OutgoingMessage is write-only: emits ERR_STREAM_CANNOT_PIPE. */
  override pipe<T extends NodeJS.WritableStream>(_destination?: T): T {
    this.emit('error', new ERR_STREAM_CANNOT_PIPE());
    return _destination as T;
  }

  write(chunk: string | Uint8Array, callback?: WriteCallback): boolean;
  write(
    chunk: string | Uint8Array,
    encoding?: BufferEncoding | null,
    callback?: WriteCallback,
  ): boolean;
  write(
    chunk: string | Uint8Array,
    encoding?: BufferEncoding | null | WriteCallback,
    callback?: WriteCallback,
  ): boolean {
    if (typeof encoding === 'function') {
      callback = encoding;
      encoding = null;
    }
    const ret = writeBody(this, chunk, encoding, callback, false);
    this[kNeedDrain] = !ret;
    return ret;
  }

  end(callback?: () => void): this;
  end(chunk: string | Uint8Array, callback?: () => void): this;
  end(chunk: string | Uint8Array, encoding?: BufferEncoding | null, callback?: () => void): this;
  end(
    chunk?: string | Uint8Array | (() => void) | null,
    encoding?: BufferEncoding | null | (() => void),
    callback?: (err?: Error | null) => void,
  ): this {
    if (typeof chunk === 'function') {
      callback = chunk;
      chunk = null;
      encoding = null;
    } else if (typeof encoding === 'function') {
      callback = encoding;
      encoding = null;
    }
    const socket = this.socket;
    const finish = onFinish.bind(undefined, this);
    let finishSent = false;

    if (chunk) {
      if (this.finished) {
        onWriteError(this, new ERR_STREAM_WRITE_AFTER_END(), callback ?? nop);
        return this;
      }
      // With a writev-capable socket the chunk itself carries 'finish' (one
      // plain write; writeBody corks if it takes more). A socket without
      // _writev gets Node's sequence: the data, then an empty write carrying
      // 'finish' (test-http-outgoing-message-inheritance).
      const viaData = socket !== null && typeof (socket as AnySocket)._writev === 'function';
      if (socket && !viaData) socket.cork();
      finishSent = writeBody(this, chunk, encoding, viaData ? finish : null, true);
    } else if (this.finished) {
      if (typeof callback === 'function') {
        if (!this.writableFinished) this.on('finish', callback);
        else callback(new ERR_STREAM_ALREADY_FINISHED('end'));
      }
      return this;
    } else if (!this._header) {
      if (socket) socket.cork();
      this._contentLength = 0;
      this._implicitHeader();
    }

    if (typeof callback === 'function') this.once('finish', callback);

    if (usesStrictContentLength(this) && this[kBytesWritten] !== this._contentLength) {
      throw new ERR_HTTP_CONTENT_LENGTH_MISMATCH(this[kBytesWritten], this._contentLength);
    }

    // 'finish' rides on the last write: the body chunk given to end() (when
    // nothing follows it), the terminating chunk, or an empty write queued
    // behind what is buffered (under the cork, still one socket write).
    if (finishSent) {
      // writeBody() sent the chunk with `finish`.
    } else if (this._hasBody && this.chunkedEncoding) {
      this._send(lastChunkOf(this), 'latin1', finish);
    } else if (!this._headerSent || this.writableLength || chunk) {
      this._send('', 'latin1', finish);
    } else {
      nextTick(finish);
    }

    // end() releases every cork, the caller's included, so the last bytes leave now.
    if (socket) while (socket.writableCorked) socket.uncork();
    this[kCorked] = 0;

    this.finished = true;

    // Everything is on the socket already (nothing queued): the message is done.
    if (this.outputData.length === 0 && socket && (socket as AnySocket)._httpMessage === this) {
      this._finish();
    }
    return this;
  }
}

export type OutgoingMessage = OutgoingMessageBase;

/** `http.OutgoingMessage` as a constructor: with `new`, or `OutgoingMessage.call(this)` as Node's. */
export interface OutgoingMessageConstructor {
  new (options?: OutgoingMessageOptions): OutgoingMessage;
  (this: OutgoingMessage, options?: OutgoingMessageOptions): void;
  readonly prototype: OutgoingMessage;
}

/**
 * A plain function, like Node's, so that old-style subclasses can call
 * `OutgoingMessage.call(this)` (`util.inherits` code, light-my-request's
 * `ServerResponse.call(this, req)`). Fields are set in one fixed order, so
 * every message shares one hidden class.
 */
const OutgoingMessageFunction = function OutgoingMessage(
  this: OutgoingMessage,
  options?: OutgoingMessageOptions,
): void {
  // Stream.call(this), with stores of this constructor's own (see initStream).
  initStream(this);
  this.outputData = [];
  this.outputSize = 0;
  this.writable = true;
  this.destroyed = false;
  this._last = false;
  this.chunkedEncoding = false;
  this.shouldKeepAlive = true;
  this.maxRequestsOnConnectionReached = false;
  this._defaultKeepAlive = true;
  this.useChunkedEncodingByDefault = true;
  this.sendDate = false;
  this._removedConnection = false;
  this._removedContLen = false;
  this._removedTE = false;
  this.strictContentLength = false;
  this._contentLength = null;
  this._hasBody = true;
  this._trailer = '';
  this.finished = false;
  this._headerSent = false;
  this._closed = false;
  this.socket = null;
  this._header = null;
  this._keepAliveTimeout = 0;
  this._onPendingData = nop;
  this[kBytesWritten] = 0;
  this[kNeedDrain] = false;
  this[kOnFinish] = null;
  this[kCorked] = 0;
  this[kTickCorked] = false;
  this[kOwedCRLF] = false;
  this[kOutHeaders] = null;
  this[kErrored] = null;
  this[kHighWaterMark] = options?.highWaterMark ?? defaultHighWaterMark();
  this[kRejectNonStandardBodyWrites] = options?.rejectNonStandardBodyWrites ?? false;
  this[kUniqueHeaders] = parseUniqueHeaders(options?.uniqueHeaders);
};
defineConstructor(OutgoingMessageFunction, OutgoingMessageBase.prototype, Stream);

export const OutgoingMessage = OutgoingMessageFunction as unknown as OutgoingMessageConstructor;

const HEADERS_DEPRECATED = 'OutgoingMessage.prototype._headers is deprecated';
const HEADER_NAMES_DEPRECATED = 'OutgoingMessage.prototype._headerNames is deprecated';

/** `_headers` (DEP0066): what getHeaders() returns. */
function getHeadersObject(this: OutgoingMessage): Record<string, OutgoingHttpHeader> {
  return this.getHeaders();
}

/**
 * Assigning `_headers` replaces every stored header with the object's fields,
 * names kept as given and values unvalidated (as Node); null removes them all;
 * anything else is ignored.
 */
function setHeadersObject(this: OutgoingMessage, value: unknown): void {
  if (value === null || value === undefined) {
    this[kOutHeaders] = null;
    return;
  }
  if (typeof value !== 'object') return;
  const headers = new OutgoingHeaders();
  const fields = value as Record<string, OutgoingHttpHeader>;
  for (const name of Object.keys(fields)) {
    headers.map[lowerCaseHeaderName(name)] = [name, fields[name]];
  }
  this[kOutHeaders] = headers;
}

function getHeaderNames(this: OutgoingMessage): Record<string, unknown> | null {
  const headers = this[kOutHeaders];
  if (headers === null) return null;
  const out: Record<string, unknown> = Object.create(null);
  const map = headers.map;
  for (const key in map) out[key] = map[key][0];
  return out;
}

function setHeaderNames(this: OutgoingMessage, value: unknown): void {
  if (typeof value !== 'object' || value === null) return;
  const headers = this[kOutHeaders];
  if (headers === null) return;
  const map = headers.map;
  const names = value as Record<string, unknown>;
  // Only fields already stored are renamed; unknown keys are ignored (as in Node).
  for (const key of Object.keys(names)) {
    const entry = map[key];
    if (entry !== undefined) (entry as unknown as unknown[])[0] = names[key];
  }
}

// Like node:http: non-enumerable, non-configurable, and one DEP0066 warning per
// process (util.deprecate shares the once-per-code bookkeeping with Node's own).
Object.defineProperty(OutgoingMessage.prototype, '_headers', {
  get: deprecate(getHeadersObject, HEADERS_DEPRECATED, 'DEP0066'),
  set: deprecate(setHeadersObject, HEADERS_DEPRECATED, 'DEP0066'),
  enumerable: false,
  configurable: false,
});
Object.defineProperty(OutgoingMessage.prototype, '_headerNames', {
  get: deprecate(getHeaderNames, HEADER_NAMES_DEPRECATED, 'DEP0066'),
  set: deprecate(setHeaderNames, HEADER_NAMES_DEPRECATED, 'DEP0066'),
  enumerable: false,
  configurable: false,
});

function socketSetTimeout(msecs: number, socket: Socket): void {
  if (typeof socket.setTimeout === 'function') socket.setTimeout(msecs);
}

function socketDestroy(error: Error | undefined, socket: Socket): void {
  socket.destroy(error);
}

/** strictContentLength applies only to an explicit Content-Length with a body. */
function usesStrictContentLength(msg: OutgoingMessage): boolean {
  return (
    msg.strictContentLength &&
    msg._contentLength != null &&
    msg._hasBody &&
    !msg._removedContLen &&
    !msg.chunkedEncoding &&
    !msg.hasHeader('transfer-encoding')
  );
}

/**
 * The body write shared by write() and end(chunk): validation, strict
 * Content-Length accounting, the implicit header (with `fromEnd`, the chunk
 * is the whole body: Content-Length is known), framing. For write(), returns
 * false when the caller should wait for 'drain'. For end(chunk) (`fromEnd`),
 * `callback` is end()'s finish callback and is used only if this chunk is the
 * message's last write (no chunked terminator follows, the body is not
 * dropped): the return value tells whether it was, so end() needs no extra
 * empty write to learn that the bytes left.
 */
function writeBody(
  msg: OutgoingMessage,
  chunk: string | Uint8Array,
  encoding: BufferEncoding | null | undefined,
  callback: WriteCallback | null | undefined,
  fromEnd: boolean,
): boolean {
  // end()'s finish callback goes only on the final write (see below).
  const last = fromEnd ? callback : null;
  if (fromEnd || typeof callback !== 'function') callback = nop;
  if (chunk === null) throw new ERR_STREAM_NULL_VALUES();
  if (typeof chunk !== 'string' && !(chunk instanceof Uint8Array)) {
    throw new ERR_INVALID_ARG_TYPE('chunk', ['string', 'Buffer', 'Uint8Array'], chunk);
  }

  let err: Error | null = null;
  if (msg.finished) err = new ERR_STREAM_WRITE_AFTER_END();
  else if (msg.destroyed) err = new ERR_STREAM_DESTROYED('write');
  if (err !== null) {
    if (!msg.destroyed) onWriteError(msg, err, callback);
    else nextTick(callback, err);
    return false;
  }

  let len: number | undefined;
  if (msg.strictContentLength) {
    len = byteLengthOf(chunk, encoding);
    if (usesStrictContentLength(msg)) {
      const total = msg[kBytesWritten] + len;
      const expected = msg._contentLength as number;
      if (fromEnd ? total !== expected : total > expected) {
        throw new ERR_HTTP_CONTENT_LENGTH_MISMATCH(total, expected);
      }
    }
    msg[kBytesWritten] += len;
  }

  if (!msg._header) {
    if (fromEnd) msg._contentLength = len ??= byteLengthOf(chunk, encoding);
    msg._implicitHeader();
  }

  if (!msg._hasBody) {
    if (msg[kRejectNonStandardBodyWrites]) throw new ERR_HTTP_BODY_NOT_ALLOWED();
    // HEAD, 204, 304: the body is dropped, the callback still runs.
    if (fromEnd) return false;
    nextTick(callback);
    return true;
  }

  // end(small string) on a chunked message: size line, data, CRLF and the
  // terminating chunk (with trailers) as one latin1 string carrying 'finish'.
  let joinedEnd = false;
  if (last && msg.chunkedEncoding) {
    len ??= byteLengthOf(chunk, encoding);
    joinedEnd = isConcatenable(chunk, encoding) && isLatin1Safe(chunk, encoding, len);
  }

  const socket = msg.socket;
  if (socket && !socket.writableCorked) {
    if (!fromEnd) {
      // Gather this tick's writes (header block included) into one socket write.
      socket.cork();
      msg[kTickCorked] = true;
      nextTick(uncorkTick, msg, socket);
    } else if (last === null || !endsInOneWrite(msg, chunk, encoding, joinedEnd)) {
      // end()'s pieces leave together: end() uncorks once the last is queued.
      socket.cork();
    }
  }

  if (msg.chunkedEncoding) {
    if (joinedEnd) {
      msg._send(
        `${hexSize(len as number)}\r\n${chunk}\r\n0\r\n${msg._trailer}\r\n`,
        'latin1',
        last,
      );
      return true;
    }
    // Otherwise end(chunk) is followed by the terminating chunk, which carries 'finish'.
    const ret = chunkedWrite(msg, chunk, encoding, callback, len, fromEnd);
    return fromEnd ? false : ret;
  }

  if (last) {
    msg._send(chunk, encoding, last, len);
    return true;
  }
  const ret = msg._send(chunk, encoding, callback, len);
  return fromEnd ? false : ret;
}

/**
 * Will end(chunk) be one socket write (so a cork would only cost)? True when
 * nothing is queued before it and the chunk goes out joined with whatever
 * header block and framing it needs (what joinsHeader() says _send() joins,
 * and the chunked end() when `joinedEnd`).
 */
function endsInOneWrite(
  msg: OutgoingMessage,
  chunk: string | Uint8Array,
  encoding: BufferEncoding | null | undefined,
  joinedEnd: boolean,
): boolean {
  // strictContentLength: a mismatch found after the write throws with the
  // bytes still corked, never sent (as Node).
  if (msg.outputData.length !== 0 || msg.strictContentLength) return false;
  if (msg.chunkedEncoding) return joinedEnd;
  return msg._headerSent || joinsHeader(msg, chunk, encoding);
}

/**
 * Strings in these encodings can be joined with latin1/ASCII text into one
 * string (the header block is ASCII-compatible in both).
 */
function joinableEncoding(encoding: BufferEncoding | null | undefined): boolean {
  return !encoding || encoding === 'utf8' || encoding === 'latin1';
}

/**
 * Does _send() put `data` in one write with a header block still to send: a
 * string in a joinable encoding (concatenated), or a buffer of at most
 * CONCAT_LIMIT bytes written straight to the socket (copied behind the block)?
 */
function joinsHeader(
  msg: OutgoingMessage,
  data: string | Uint8Array,
  encoding: BufferEncoding | null | undefined,
): boolean {
  if (typeof data === 'string') return joinableEncoding(encoding);
  // A buffer is copied behind the block only on its way to the socket. While
  // the message is queued (no socket yet, or not its turn), the block stays
  // its own latin1 string entry in outputData, as Node queues it: proxy agents
  // (agent-base's http-proxy-agent) rewrite `outputData[0].data` as a string.
  if (data.byteLength > CONCAT_LIMIT) return false;
  const conn = msg.socket as AnySocket | null;
  return conn !== null && conn._httpMessage === msg && conn.writable === true;
}

/** A string chunk short enough to be copied into one string with its framing. */
function isConcatenable(
  chunk: string | Uint8Array,
  encoding: BufferEncoding | null | undefined,
): chunk is string {
  return typeof chunk === 'string' && chunk.length <= CONCAT_LIMIT && joinableEncoding(encoding);
}

/**
 * A concatenable chunk whose bytes are the same written as latin1 (it is
 * latin1-encoded, or pure ASCII: its UTF-8 length `len` equals its length),
 * so it can share one latin1 string with the header block.
 */
function isLatin1Safe(chunk: string, encoding: BufferEncoding | null | undefined, len: number) {
  return encoding === 'latin1' || len === chunk.length;
}

/** One body chunk in chunked framing: size line, data, CRLF (in as few writes as possible). */
function chunkedWrite(
  msg: OutgoingMessage,
  chunk: string | Uint8Array,
  encoding: BufferEncoding | null | undefined,
  callback: WriteCallback,
  len: number | undefined,
  fromEnd: boolean,
): boolean {
  if (chunk.length === 0) return msg._send(chunk, encoding, callback);
  len ??= byteLengthOf(chunk, encoding);
  const size = hexSize(len);
  if (isConcatenable(chunk, encoding)) {
    if (msg._headerSent || msg._header === null) {
      // One string: size line, data and CRLF leave in one write.
      return msg._send(`${size}\r\n${chunk}\r\n`, encoding, callback);
    }
    if (isLatin1Safe(chunk, encoding, len)) {
      // Latin-1 or ASCII data encodes the same either way: the header block,
      // size line, data and CRLF leave as one latin1 string.
      return msg._send(`${size}\r\n${chunk}\r\n`, 'latin1', callback);
    }
    // The header block (latin1: field values may hold bytes 0x80-0xFF) goes
    // out with the size line; the data keeps its own encoding.
    msg._send(`${size}\r\n`, 'latin1', null);
    return msg._send(`${chunk}\r\n`, encoding, callback);
  }
  // Buffer data: its size line (with the CRLF the previous chunk owes) is a
  // Buffer too, so a batch of such chunks stays all Buffers.
  const owed = msg[kOwedCRLF];
  msg[kOwedCRLF] = false;
  msg._send((owed ? owedSizeLine : sizeLine)(size), null, null);
  if (fromEnd || msg[kTickCorked]) {
    // A write follows before the socket is uncorked: the CRLF joins it.
    const ret = msg._send(chunk, encoding, callback, len);
    msg[kOwedCRLF] = true;
    return ret;
  }
  msg._send(chunk, encoding, null, len);
  return msg._send(CRLF, null, callback);
}

/**
 * For connection owners: the socket drained. Emits 'drain' on the message
 * attached to it if a write() returned false since the last one.
 */
export function drainOutgoing(msg: OutgoingMessage | null | undefined): void {
  if (msg && !msg.finished && msg[kNeedDrain]) {
    msg[kNeedDrain] = false;
    msg.emit('drain');
  }
}
