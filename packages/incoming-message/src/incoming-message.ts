/**
 * `http.IncomingMessage`: the readable side of an HTTP message — a request on
 * a server, a response on a client.
 *
 * The connection owner (server or client) fills in the start line, the raw
 * header list and the version, pushes body chunks with `push(chunk)` (pausing
 * the socket when it returns false; `_read()` resumes it), and ends it with
 * `rawTrailers = …; complete = true; push(null)`. On a premature close it
 * calls `abortIncoming(msg)`. Header objects are built from the raw lists
 * only when read.
 */
import type { Socket } from 'node:net';
import process from 'node:process';
import { finished, Readable } from 'node:stream';
import {
  addHeaderLine,
  addHeaderLineDistinct,
  buildHeaders,
  buildHeadersDistinct,
  connResetException,
  defineConstructor,
  emitterEmit,
  eventsOf,
  type IncomingHeaders,
  type IncomingHeadersDistinct,
  initReadable,
  streamDefaultHighWaterMark,
} from '@strata-http/headers';
import {
  kHeaders,
  kHeadersCount,
  kHeadersDistinct,
  kTrailers,
  kTrailersCount,
  kTrailersDistinct,
} from './symbols.js';

/** Bound once, as Node's own modules do (the global `process` is an accessor). */
const { nextTick } = process;

/**
 * `readingMore` stops Readable from calling _read() on its own to fill the
 * buffer: the owner pushes what the parser produces, and _read() only matters
 * once a consumer asks.
 */
function setReadingMore(stream: Readable, value: boolean): void {
  (stream as unknown as { _readableState: { readingMore: boolean } })._readableState.readingMore =
    value;
}

/**
 * The Readable options for a body buffer of `highWaterMark` bytes. Readable's
 * own default needs none: given no options object, its constructor reads no
 * option at all (each of those reads is megamorphic, the code being shared by
 * every stream class). Otherwise Readable only reads the options, so messages
 * of sockets with the same buffer size share one object.
 */
let sharedOptions = { highWaterMark: -1 };
function readableOptions(highWaterMark: number | undefined): { highWaterMark: number } | undefined {
  if (highWaterMark === undefined) return undefined;
  // (A runtime that does not report Readable's default always gets options.)
  if (highWaterMark === streamDefaultHighWaterMark()) return undefined;
  if (sharedOptions.highWaterMark !== highWaterMark) sharedOptions = { highWaterMark };
  return sharedOptions;
}

type DestroyCallback = (error?: Error | null) => void;

/**
 * The methods of `IncomingMessage` (its instances are built by the
 * `IncomingMessage` function below, callable as Node's is).
 */
class IncomingMessageBase extends Readable {
  /** The connection (any Duplex); undefined when constructed without one, as in Node. */
  declare socket: Socket | null;
  declare httpVersionMajor: number | null;
  declare httpVersionMinor: number | null;
  declare httpVersion: string | null;
  /** True once the whole message (body and trailers) was received. */
  declare complete: boolean;
  /** `[name, value, name, value, …]` as received. */
  declare rawHeaders: string[];
  /** Trailer fields as received; filled in before 'end'. */
  declare rawTrailers: string[];
  /** Join repeated single-valued fields with `, ` instead of dropping them. */
  declare joinDuplicateHeaders: boolean | null | undefined;
  /** Deprecated: true when the message was destroyed before it was complete. */
  declare aborted: boolean;
  declare upgrade: boolean | null;
  /** Request target (server side). */
  declare url: string;
  /** Request method (server side). */
  declare method: string | null;
  /** Response status (client side). */
  declare statusCode: number | null;
  declare statusMessage: string | null;
  /** Deprecated alias of `socket` kept by Node. */
  declare client: Socket | null;
  /** True once someone started reading the body (set by the first _read()). */
  declare _consuming: boolean;
  /** True once _dump() discarded the body. */
  declare _dumped: boolean;

  declare [kHeaders]: IncomingHeaders | null;
  declare [kHeadersDistinct]: IncomingHeadersDistinct | null;
  declare [kTrailers]: IncomingHeaders | null;
  declare [kTrailersDistinct]: IncomingHeadersDistinct | null;
  /** Raw entries the header objects are built from (`_addHeaderLines`' n); -1: all. */
  declare [kHeadersCount]: number;
  declare [kTrailersCount]: number;

  /** Deprecated alias of `socket`. */
  get connection(): Socket | null {
    return this.socket;
  }

  set connection(socket: Socket | null) {
    this.socket = socket;
  }

  /** Header fields, lower-cased, duplicates merged per Node's rules. Built on first read. */
  get headers(): IncomingHeaders {
    let headers = this[kHeaders];
    if (headers === null) {
      headers = this[kHeaders] = buildHeaders(
        this.rawHeaders,
        !!this.joinDuplicateHeaders,
        this[kHeadersCount],
      );
    }
    return headers;
  }

  set headers(value: IncomingHeaders) {
    this[kHeaders] = value;
  }

  /** Header fields, lower-cased, every value an array. Built on first read. */
  get headersDistinct(): IncomingHeadersDistinct {
    let headers = this[kHeadersDistinct];
    if (headers === null) {
      headers = this[kHeadersDistinct] = buildHeadersDistinct(this.rawHeaders, this[kHeadersCount]);
    }
    return headers;
  }

  set headersDistinct(value: IncomingHeadersDistinct) {
    this[kHeadersDistinct] = value;
  }

  /** Trailer fields (populated at 'end'), merged like `headers`. */
  get trailers(): IncomingHeaders {
    let trailers = this[kTrailers];
    if (trailers === null) {
      trailers = this[kTrailers] = buildHeaders(
        this.rawTrailers,
        !!this.joinDuplicateHeaders,
        this[kTrailersCount],
      );
    }
    return trailers;
  }

  set trailers(value: IncomingHeaders) {
    this[kTrailers] = value;
  }

  /** Trailer fields (populated at 'end'), every value an array. */
  get trailersDistinct(): IncomingHeadersDistinct {
    let trailers = this[kTrailersDistinct];
    if (trailers === null) {
      trailers = this[kTrailersDistinct] = buildHeadersDistinct(
        this.rawTrailers,
        this[kTrailersCount],
      );
    }
    return trailers;
  }

  set trailersDistinct(value: IncomingHeadersDistinct) {
    this[kTrailersDistinct] = value;
  }

  /** `socket.setTimeout(msecs)`; `callback` listens to this message's 'timeout'. */
  setTimeout(msecs: number, callback?: () => void): this {
    if (callback) this.on('timeout', callback);
    const socket = this.socket;
    if (socket && typeof socket.setTimeout === 'function') socket.setTimeout(msecs);
    return this;
  }

  /**
   * The consumer wants data: the owner pushes from its parser, so all there is
   * to do is let the socket flow again (the owner paused it when push() said so).
   */
  override _read(_size: number): void {
    if (!this._consuming) {
      setReadingMore(this, false);
      this._consuming = true;
    }
    if (this.socket?.readable) readStart(this.socket);
  }

  /**
   * Destroying a message that was not fully received aborts it: 'aborted',
   * then the socket is destroyed (the body can't be skipped otherwise), and
   * 'error' is emitted only if someone listens — Node's compatibility rule.
   */
  override _destroy(err: Error | null, cb: DestroyCallback): void {
    // A destroyed message (autoDestroy runs right after the 'end' listeners) is over.
    releaseParser(this);
    if (!this.readableEnded || !this.complete) {
      this.aborted = true;
      this.emit('aborted');
    }
    const socket = this.socket;
    if (socket && !socket.destroyed && this.aborted) {
      socket.destroy(err ?? undefined);
      const cleanup = finished(socket, (e?: NodeJS.ErrnoException | null) => {
        if (e?.code === 'ERR_STREAM_PREMATURE_CLOSE') e = null;
        cleanup();
        nextTick(onDestroyed, this, e || err, cb);
      });
    } else {
      nextTick(onDestroyed, this, err, cb);
    }
  }

  /**
   * Node's entry point for owners that hand over a raw list: sets
   * `rawTrailers` (once `complete`) or `rawHeaders` to all of it, while the
   * header objects hold only its first `n` entries (maxHeadersCount), as
   * Node's do; an object already built is extended. Without a limit, assigning
   * `rawHeaders` / `rawTrailers` is the same.
   */
  _addHeaderLines(headers: string[], n: number = headers.length): void {
    if (!headers?.length) return;
    const dest = this.complete ? this[kTrailers] : this[kHeaders];
    if (this.complete) {
      this.rawTrailers = headers;
      this[kTrailersCount] = n;
    } else {
      this.rawHeaders = headers;
      this[kHeadersCount] = n;
    }
    if (dest !== null) {
      for (let i = 0; i < n; i += 2) this._addHeaderLine(headers[i], headers[i + 1], dest);
    }
  }

  /** Adds one field to a `headers`-style object with Node's duplicate rules. */
  _addHeaderLine(field: string, value: string, dest: IncomingHeaders): void {
    addHeaderLine(dest, field, value, !!this.joinDuplicateHeaders);
  }

  /** Adds one field to a `headersDistinct`-style object. */
  _addHeaderLineDistinct(field: string, value: string, dest: IncomingHeadersDistinct): void {
    addHeaderLineDistinct(dest, field, value);
  }

  /**
   * Discards a body nobody reads, so a keep-alive connection can move on.
   * A message received whole that nobody ever touched (see dumpUnread) is
   * ended by reading its end on the next tick, where resume() would have
   * started flowing: 'end', then 'close', come on the same ticks as after
   * resume(), which takes four ticks to get there; the 'resume' event it
   * emits has no listener then.
   */
  _dump(): void {
    if (!this._dumped) {
      if (dumpUnread(this)) {
        nextTick(readEnd, this);
        return;
      }
      this._dumped = true;
      // Buffered chunks would otherwise reach 'data' listeners while dumping.
      this.removeAllListeners('data');
      this.resume();
    }
  }
}

export type IncomingMessage = IncomingMessageBase;

/** `http.IncomingMessage` as a constructor: with `new`, or `IncomingMessage.call(this, socket)` as Node's. */
export interface IncomingMessageConstructor {
  new (socket?: Socket | null): IncomingMessage;
  (this: IncomingMessage, socket?: Socket | null): void;
  readonly prototype: IncomingMessage;
}

/**
 * A plain function, like Node's, so that old-style subclasses can call
 * `IncomingMessage.call(this, socket)`. The socket is stored as given:
 * `new IncomingMessage()` leaves `socket` and `client` undefined, as in Node.
 */
const IncomingMessageFunction = function IncomingMessage(
  this: IncomingMessage,
  socket?: Socket | null,
): void {
  // The body buffers up to what one socket buffers (docs: "mirrors that of the socket").
  const options = socket ? readableOptions(socket.readableHighWaterMark) : undefined;
  // Readable.call(this) at Readable's default size, with stores of this
  // constructor's own (see initReadable).
  if (options === undefined) initReadable(this);
  else
    (Readable as unknown as (this: unknown, o: { highWaterMark: number }) => void).call(
      this,
      options,
    );
  // No _read() call until someone consumes: the owner pushes what it parses.
  setReadingMore(this, true);
  this.socket = socket as Socket | null;
  this.httpVersionMajor = null;
  this.httpVersionMinor = null;
  this.httpVersion = null;
  this.complete = false;
  this.rawHeaders = [];
  this.rawTrailers = [];
  this.joinDuplicateHeaders = false;
  this.aborted = false;
  this.upgrade = null;
  this.url = '';
  this.method = null;
  this.statusCode = null;
  this.statusMessage = null;
  this.client = socket as Socket | null;
  this._consuming = false;
  this._dumped = false;
  this[kHeaders] = null;
  this[kHeadersDistinct] = null;
  this[kTrailers] = null;
  this[kTrailersDistinct] = null;
  this[kHeadersCount] = -1;
  this[kTrailersCount] = -1;
};
defineConstructor(IncomingMessageFunction, IncomingMessageBase.prototype, Readable);

export const IncomingMessage = IncomingMessageFunction as unknown as IncomingMessageConstructor;

function readEnd(msg: IncomingMessage): void {
  msg.read();
}

/**
 * For connection owners, `_dump()` in two halves. When `msg` was ended
 * (`push(null)`) with nothing buffered, was never flowing or paused (so it
 * has no 'data' or 'readable' listener either: adding one sets the mode) and
 * has no 'resume' listener (and emit() is not wrapped), nothing can tell
 * reading its end from resume(): this marks it dumped and flowing, as
 * _dump() leaves it, and returns true; the owner then calls `msg.read()` on
 * the next tick (where resume() would have started flowing), for example in
 * a tick it already has. Otherwise it does nothing and returns false (call
 * `_dump()`).
 */
export function dumpUnread(msg: IncomingMessage): boolean {
  if (
    msg._dumped ||
    msg.readableFlowing !== null ||
    msg.readableLength !== 0 ||
    msg.readableEnded ||
    !(msg as unknown as { _readableState: { ended: boolean } })._readableState.ended ||
    // listenerCount('resume') !== 0, read where it sees one event name (the
    // lookup in EventEmitter's listenerCount() sees every name: megamorphic).
    eventsOf(msg).resume !== undefined ||
    // A wrapped emit() (instrumentation) would see _dump()'s 'resume'.
    msg.emit !== emitterEmit
  ) {
    return false;
  }
  msg._dumped = true;
  // Flowing, as resume() leaves it (readableFlowing is true after a dump).
  (msg as unknown as { _readableState: { flowing: boolean } })._readableState.flowing = true;
  return true;
}

const ownDestroy = IncomingMessage.prototype._destroy;

/** The Readable state closeUnread() moves along (Node's ReadableState, as Node 20–23 keep it). */
interface EndState {
  ended: boolean;
  endEmitted: boolean;
  destroyed: boolean;
  closed: boolean;
  closeEmitted: boolean;
  length: number;
}

/**
 * For connection owners, in the tick where `msg.read()` would follow
 * dumpUnread(): when nothing at all listens to `msg` (and neither emit() nor
 * _destroy() is replaced), ends and closes it at once and returns true.
 * Reading its end would take Readable three more ticks ('end'; autoDestroy's
 * destroy callback, which _destroy() defers as Node's does; 'close') to emit
 * two events nobody can receive; this leaves the state those ticks leave
 * (`readableEnded`, `destroyed`, `closed`) and lets the parser go
 * (releaseParser), as _destroy() would. Returns false, doing nothing, if
 * anything listens (or the runtime keeps Readable's state in another shape):
 * then call `msg.read()` and the events come on their usual ticks.
 */
export function closeUnread(msg: IncomingMessage): boolean {
  const events = (msg as unknown as { _eventsCount?: number })._eventsCount;
  const state = (msg as unknown as { _readableState: EndState })._readableState;
  if (
    events !== 0 ||
    // Code that wraps emit() (instrumentation) or overrides _destroy() (a
    // subclass) would notice: they get the usual ticks.
    msg.emit !== emitterEmit ||
    msg._destroy !== ownDestroy ||
    !msg._dumped ||
    !msg.complete ||
    state.ended !== true ||
    state.endEmitted !== false ||
    state.destroyed !== false ||
    state.closed !== false ||
    state.closeEmitted !== false ||
    state.length !== 0
  ) {
    return false;
  }
  state.endEmitted = true;
  state.destroyed = true;
  state.closed = true;
  state.closeEmitted = true;
  releaseParser(msg);
  return true;
}

/**
 * A server's parser points at the request it is serving (Node's
 * `socket.parser.incoming`) until the exchange is over: lets go of `msg`.
 */
function releaseParser(msg: IncomingMessage): void {
  const parser = (msg.socket as { parser?: { incoming?: unknown } } | null)?.parser;
  if (parser && parser.incoming === msg) parser.incoming = null;
}

/**
 * For connection owners (Node's `_http_incoming` readStart): let the socket
 * flow again — unless the owner holds it back with `socket._paused = true`
 * (a server pausing a pipelined connection).
 */
export function readStart(socket: Socket | null | undefined): void {
  if (socket && !(socket as Socket & { _paused?: boolean })._paused && socket.readable) {
    socket.resume();
  }
}

/** For connection owners (Node's `_http_incoming` readStop): stop reading the socket. */
export function readStop(socket: Socket | null | undefined): void {
  if (socket) socket.pause();
}

function onDestroyed(msg: IncomingMessage, error: Error | null, cb: DestroyCallback): void {
  // Backward compatibility: the error surfaces only when an 'error' listener exists.
  if (msg.listenerCount('error') === 0) cb();
  else cb(error);
}

/**
 * For connection owners: the message is complete, `push(null)`. When nothing
 * consumes it yet (never flowing or paused, nothing buffered),
 * Readable's "sync" flag is still set from construction, which would make
 * the end-of-stream 'readable' a nextTick of its own (one tick object per
 * message, for an event nobody listens to). Clearing it first lets Readable
 * emit it at once, as it does for any stream that was read from: with no
 * listener and nothing flowing, no code runs and no event order changes.
 */
export function pushEnd(msg: IncomingMessage): void {
  // Never flowing or paused: no 'data' or 'readable' listener either (adding one sets the mode).
  if (msg.readableFlowing === null && msg.readableLength === 0) {
    const state = (msg as unknown as { _readableState: EofState })._readableState;
    state.sync = false;
    if (endQuietly(msg, state)) return;
  }
  msg.push(null);
}

const readablePush = Readable.prototype.push;

/** The Readable state endQuietly() moves along (Node's ReadableState, as Node 20–24 keep it). */
interface EofState {
  sync: boolean;
  reading: boolean;
  ended: boolean;
  needReadable: boolean;
  emittedReadable: boolean;
  objectMode: boolean;
  destroyed: boolean;
  errored: unknown;
  decoder: unknown;
}

/**
 * pushEnd() for a message nothing reads (not flowing, nothing buffered, no
 * 'readable' listener, neither push() nor emit() replaced): leaves the state
 * `push(null)` leaves (reading over, ended, no 'readable' owed) without
 * Readable's path to an end-of-stream 'readable' that nobody hears. Returns
 * false, doing nothing, otherwise (or when the runtime's state differs).
 */
function endQuietly(msg: IncomingMessage, state: EofState): boolean {
  if (
    msg.push !== readablePush ||
    msg.emit !== emitterEmit ||
    eventsOf(msg).readable !== undefined ||
    state.ended !== false ||
    state.objectMode !== false ||
    state.destroyed !== false ||
    state.errored !== null ||
    state.decoder !== null
  ) {
    return false;
  }
  state.reading = false;
  state.ended = true;
  state.needReadable = false;
  state.emittedReadable = false;
  return true;
}

/**
 * For connection owners: the connection closed before `msg` was complete.
 * Destroys it with an `ECONNRESET` error whose message is `aborted`: the
 * message emits 'aborted', then 'error' (only when listened to), then 'close'.
 */
export function abortIncoming(msg: IncomingMessage): void {
  if (!msg.destroyed) msg.destroy(connResetException('aborted'));
}
