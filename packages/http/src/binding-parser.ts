// Node's HTTP parser binding — the object `require('_http_common').HTTPParser` hands out — on
// top of @strata-http/parser. Libraries that parse HTTP themselves reach for it: nock 14 and
// msw (through @mswjs/interceptors) parse every request they intercept, and every mocked
// response, with `new HTTPParser()`, `initialize()`, callbacks in numbered slots
// (`parser[HTTPParser.kOnHeadersComplete] = fn`) and `execute(buffer)`.
//
// The binding's observable behaviour, which this class reproduces (checked side by side with
// Node's in test/binding-parser.test.ts):
// - Callbacks are read from the slots when they fire and called with `this` = the parser;
//   an empty or non-function slot is skipped.
// - Header fields are handed over 31 pairs at a time: once a 32nd field starts, the pending
//   pairs (and the request-target, the first time) go to kOnHeaders(fields, url), and from then
//   on every message of this parser delivers its head through kOnHeaders, kOnHeadersComplete
//   getting `undefined` for headers and url. Trailers always go through kOnHeaders, right before
//   kOnMessageComplete, with the request-target again when the head was not split.
// - kOnHeadersComplete(versionMajor, versionMinor, headers, method, url, statusCode,
//   statusMessage, upgrade, shouldKeepAlive): `method` is llhttp's method number and `url` the
//   request-target (requests only), `statusCode`/`statusMessage` responses only; the others are
//   undefined. It returns 0 (body as framed), 1 (no body: a response to HEAD), 2 (no body, the
//   rest is another protocol); anything else is the error HPE_CB_HEADERS_COMPLETE.
// - kOnBody(chunk) gets a copy of each piece of the body, never a view of the input.
// - execute() returns the bytes parsed (fewer at an upgrade; the next execute() parses HTTP
//   again) or an Error 'Parse Error' with own `bytesParsed`, `code` and `reason` (prepareError()
//   adds `rawPacket` and the reason to the message). An exception thrown by a callback leaves
//   execute() and leaves the parser failed.
// - pause() from a callback takes effect when execute() returns; execute() on a paused parser
//   is the error HPE_PAUSED.

import { Buffer } from 'node:buffer';
import process from 'node:process';
import {
  ERR_INVALID_ARG_TYPE,
  ERR_INVALID_ARG_VALUE,
  ERR_INVALID_STATE,
} from '@strata-http/headers';
import {
  bindingError,
  HTTPParser as Engine,
  LenientFlags,
  LLHTTP_METHODS,
} from '@strata-http/parser';
import { readMaxHeaderSize } from './max-header-size.js';

/**
 * A monotonic clock in milliseconds for duration(): process.hrtime, where performance.now()
 * would load node:perf_hooks with the umbrella.
 */
function nowMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

const REQUEST = 1;
const RESPONSE = 2;

// The callback slots, by the binding's numbers.
const kOnMessageBegin = 0;
const kOnHeaders = 1;
const kOnHeadersComplete = 2;
const kOnBody = 3;
const kOnMessageComplete = 4;

/** The binding passes on this many header pairs at most per call (its kMaxHeaderFieldsCount - 1). */
const FIELDS_PER_FLUSH = 31;

/** llhttp's number for each method name (the `method` argument of kOnHeadersComplete). */
const methodNumbers = new Map(LLHTTP_METHODS.map((name, index) => [name, index]));

/** The error a parse stops with: llhttp's name and text. */
interface Failure {
  code: string;
  reason: string;
}

// What the binding reports once a callback threw (or returned nonsense), per callback.
const jsException: Failure = { code: 'HPE_JS_EXCEPTION', reason: 'JS Exception' };
const headersCompleteError: Failure = {
  code: 'HPE_CB_HEADERS_COMPLETE',
  reason: 'User callback error',
};
const messageCompleteError: Failure = {
  code: 'HPE_CB_MESSAGE_COMPLETE',
  reason: '`on_message_complete` callback error',
};
const paused: Failure = { code: 'HPE_PAUSED', reason: 'Paused' };
/** llhttp's HPE_PAUSED: a kOnHeadersComplete returning it pauses the parser right there. */
const HPE_PAUSED = 21;
const pausedByHeadersComplete: Failure = {
  code: 'HPE_PAUSED',
  reason: 'Paused by on_headers_complete',
};

type Callback = (this: HTTPParser, ...args: any[]) => unknown;

/** The binding's parse error for `failure`, stopped at `bytesParsed`. */
function parseError(failure: Failure, bytesParsed: number): Error {
  return bindingError(failure.code, failure.reason, bytesParsed);
}

/** A copy of `bytes` in memory of its own, as the binding's Buffer::Copy makes. */
function copyOf(bytes: Buffer): Buffer {
  const copy = Buffer.allocUnsafeSlow(bytes.length);
  bytes.copy(copy);
  return copy;
}

/** The bytes of any ArrayBufferView as a Buffer (a view, no copy). */
function asBuffer(data: unknown): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  throw new ERR_INVALID_ARG_TYPE('buffer', ['Buffer', 'TypedArray', 'DataView'], data);
}

/** V8's IntegerValue, as the binding reads kOnHeadersComplete's return value (NaN → 0). */
function integerValue(value: unknown): number {
  const n = Math.trunc(Number(value));
  return Number.isNaN(n) ? 0 : n;
}

/**
 * Node's HTTP parser binding (`process.binding('http_parser').HTTPParser`) over
 * @strata-http/parser: `new HTTPParser()`, `initialize(type, resource)`, callbacks in the
 * numbered slots, `execute(buffer)` and `finish()`.
 */
export class HTTPParser {
  static REQUEST = REQUEST;
  static RESPONSE = RESPONSE;
  static kOnMessageBegin = kOnMessageBegin;
  static kOnHeaders = kOnHeaders;
  static kOnHeadersComplete = kOnHeadersComplete;
  static kOnBody = kOnBody;
  static kOnMessageComplete = kOnMessageComplete;
  /** Called by Node's binding only for a stream it consumes itself; never called here. */
  static kOnExecute = 5;
  /** Called by Node's binding only for a server's headers timeout; never called here. */
  static kOnTimeout = 6;
  static kLenientNone = LenientFlags.NONE;
  static kLenientHeaders = LenientFlags.HEADERS;
  static kLenientChunkedLength = LenientFlags.CHUNKED_LENGTH;
  static kLenientKeepAlive = LenientFlags.KEEP_ALIVE;
  static kLenientTransferEncoding = LenientFlags.TRANSFER_ENCODING;
  static kLenientVersion = LenientFlags.VERSION;
  static kLenientDataAfterClose = LenientFlags.DATA_AFTER_CLOSE;
  static kLenientOptionalLFAfterCR = LenientFlags.OPTIONAL_LF_AFTER_CR;
  static kLenientOptionalCRLFAfterChunk = LenientFlags.OPTIONAL_CRLF_AFTER_CHUNK;
  static kLenientOptionalCRBeforeLF = LenientFlags.OPTIONAL_CR_BEFORE_LF;
  static kLenientSpacesAfterChunkSize = LenientFlags.SPACES_AFTER_CHUNK_SIZE;
  static kLenientAll = LenientFlags.INSECURE;

  /** The callback slots, assigned by the owner: `parser[HTTPParser.kOnBody] = fn`. */
  [slot: number]: Callback | null | undefined;

  #engine: Engine | null = null;
  #type = 0;

  // The binding's field buffer: pairs not handed to JavaScript yet, the request-target not
  // handed over yet, and whether kOnHeaders has ever been used (then every head goes that way).
  #fields: string[] = [];
  #url = '';
  #flushed = false;

  #headersCompleted = false;
  #messageStart = 0; // nowMs() at the message's first byte, 0 when none is open

  #buffer: Buffer | null = null; // the input of the running execute()
  #executing = 0;
  #pauseAfterExecute = false;
  #paused: Failure | null = null;
  /** Set once parsing failed (a parse error, a callback that threw): every execute() reports it. */
  #failed: Failure | null = null;
  /** A kOnHeadersComplete return value stopped the engine: how execute() reports it. */
  #stoppedBy: Failure | null = null;
  /** What an exception thrown by the callback running now leaves the parser failed with. */
  #running: Failure | null = null;

  /**
   * Makes the parser new for a connection: `type` is HTTPParser.REQUEST or RESPONSE,
   * `resource` the async resource (unused here), `maxHeaderSize` 0 for the process default
   * (`--max-http-header-size`), `lenient` a kLenient* bitmask. A connections list (the fifth
   * argument of Node's server) is not supported and ignored.
   */
  initialize(type: number, resource: object, maxHeaderSize?: number, lenient?: number): void {
    if (type !== REQUEST && type !== RESPONSE) {
      throw new ERR_INVALID_ARG_VALUE(
        'type',
        type,
        'must be HTTPParser.REQUEST or HTTPParser.RESPONSE',
      );
    }
    if (resource === null || (typeof resource !== 'object' && typeof resource !== 'function')) {
      throw new ERR_INVALID_ARG_TYPE('resource', 'object', resource);
    }
    if (maxHeaderSize !== undefined && typeof maxHeaderSize !== 'number') {
      throw new ERR_INVALID_ARG_TYPE('maxHeaderSize', 'number', maxHeaderSize);
    }
    if (lenient !== undefined && !Number.isInteger(lenient)) {
      throw new ERR_INVALID_ARG_TYPE('lenient', 'number', lenient);
    }
    const options = {
      maxHeaderSize: maxHeaderSize && maxHeaderSize > 0 ? maxHeaderSize : readMaxHeaderSize(),
      maxHeadersCount: 0, // the binding keeps every field; its owner applies maxHeadersCount
      lenient: lenient ?? 0,
    };
    const kind = type === REQUEST ? 'request' : 'response';
    if (this.#engine === null) this.#engine = this.#createEngine(kind, options);
    else this.#engine.reset(kind, options);
    this.#type = type;
    this.#fields = [];
    this.#url = '';
    this.#flushed = false;
    this.#headersCompleted = false;
    this.#messageStart = 0;
    this.#pauseAfterExecute = false;
    this.#paused = null;
    this.#failed = null;
    this.#stoppedBy = null;
  }

  /**
   * Parses `data` (any ArrayBufferView). Returns the bytes parsed — all of them, or up to the
   * end of a message whose connection becomes another protocol — or a parse error (see
   * prepareError). Throws what a callback threw.
   */
  execute(data: ArrayBufferView): number | Error {
    const engine = this.#initialized();
    const buffer = asBuffer(data);
    // Node's value for bytesParsed here is a distance between unrelated buffers; 0 is ours.
    if (this.#failed !== null) return parseError(this.#failed, 0);
    if (this.#paused !== null) return parseError(this.#paused, 0);
    this.#buffer = buffer;
    const result = this.#run(() => engine.execute(buffer));
    this.#buffer = null;
    if (typeof result !== 'number') {
      this.#failed = { code: result.code, reason: result.reason };
      return parseError(this.#failed, result.bytesParsed);
    }
    const stoppedBy = this.#stoppedBy;
    if (stoppedBy !== null) {
      this.#stoppedBy = null;
      if (stoppedBy === pausedByHeadersComplete) this.#paused = stoppedBy;
      else this.#failed = stoppedBy;
      return parseError(stoppedBy, result);
    }
    return result;
  }

  /**
   * End of input: completes a body that runs to the end of the connection (kOnMessageComplete)
   * and returns undefined, or returns the error HPE_INVALID_EOF_STATE for a message cut short.
   */
  finish(): Error | undefined {
    const engine = this.#initialized();
    if (this.#failed !== null || this.#paused !== null) return undefined;
    const result = this.#run(() => engine.finish());
    if (result === undefined) return undefined;
    this.#failed = { code: result.code, reason: result.reason };
    return parseError(this.#failed, result.bytesParsed);
  }

  /** Stops parsing: at once, or, from a callback, when the running execute() returns. */
  pause(): void {
    if (this.#executing > 0) this.#pauseAfterExecute = true;
    else this.#paused = paused;
  }

  /** Allows execute() again after pause(). */
  resume(): void {
    if (this.#executing > 0) {
      this.#pauseAfterExecute = false;
      return;
    }
    this.#paused = null;
    this.#engine?.resume();
  }

  /**
   * Node's binding ends its async resource here and keeps the parse state (a freed parser goes
   * back to Node's pool and is initialized again before use); nothing to end here.
   */
  free(): void {}

  /** The parser will not be used again: lets go of its state. Only initialize() revives it. */
  close(): void {
    this.#engine = null;
    this.#fields = [];
    this.#buffer = null;
  }

  /** Node's binding leaves its server's connections list here; there is no such list here. */
  remove(): void {}

  /**
   * Node's binding reads a native stream itself after consume(handle). A JavaScript parser
   * cannot, so the stream's data keeps flowing to its 'data' listeners, where Node's own
   * server (and code modelled on it) also feeds execute(): a no-op, as unconsume().
   */
  consume(_stream?: unknown): void {}

  unconsume(): void {}

  /** A copy of the buffer the running execute() parses; an empty Buffer outside execute(). */
  getCurrentBuffer(): Buffer {
    return this.#buffer === null ? Buffer.alloc(0) : copyOf(this.#buffer);
  }

  /** Milliseconds since the current message began; 0 when no message is open. */
  duration(): number {
    return this.#messageStart === 0 ? 0 : nowMs() - this.#messageStart;
  }

  /** Whether the current (or last) message's head is complete. */
  headersCompleted(): boolean {
    return this.#headersCompleted;
  }

  // -------------------------------------------------------------------------

  #initialized(): Engine {
    if (this.#engine === null) {
      throw new ERR_INVALID_STATE('HTTPParser is not initialized: call initialize() first');
    }
    return this.#engine;
  }

  /** Runs the engine as execute()/finish() do: pause() deferred, a throwing callback fails the parser. */
  #run<T>(step: () => T): T {
    this.#executing++;
    try {
      return step();
    } catch (err) {
      if (this.#running !== null) this.#failed = this.#running;
      throw err;
    } finally {
      this.#executing--;
      this.#running = null;
      if (this.#pauseAfterExecute) {
        this.#pauseAfterExecute = false;
        this.#paused = paused;
      }
    }
  }

  #createEngine(kind: 'request' | 'response', options: object): Engine {
    const engine = new Engine(kind, options);
    // The engine's callbacks, bound to this parser (the engine calls them with itself as `this`).
    engine.onMessageBegin = this.#onMessageBegin.bind(this);
    engine.onHeadersComplete = this.#onHeadersComplete.bind(this);
    engine.onBody = this.#onBody.bind(this);
    engine.onMessageComplete = this.#onMessageComplete.bind(this);
    return engine;
  }

  #onMessageBegin(): void {
    this.#fields = [];
    this.#url = '';
    this.#headersCompleted = false;
    this.#messageStart = nowMs();
    const callback = this[kOnMessageBegin];
    if (typeof callback !== 'function') return;
    this.#running = jsException;
    callback.call(this);
    this.#running = null;
  }

  #onHeadersComplete(
    versionMajor: number,
    versionMinor: number,
    rawHeaders: string[],
    method: string | undefined,
    url: string | undefined,
    statusCode: number,
    statusMessage: string,
    upgrade: boolean,
    shouldKeepAlive: boolean,
  ): number {
    const request = this.#type === REQUEST;
    if (request) this.#url = url ?? '';
    this.#addFields(rawHeaders);
    this.#headersCompleted = true;
    const callback = this[kOnHeadersComplete];
    // Without a callback the binding keeps the fields: they go out with the trailers.
    if (typeof callback !== 'function') return 0;
    let headers: string[] | undefined;
    let target: string | undefined;
    if (this.#flushed) {
      this.#flush();
    } else {
      headers = this.#fields;
      if (request) target = this.#url;
    }
    this.#fields = [];
    this.#running = headersCompleteError;
    const value = integerValue(
      callback.call(
        this,
        versionMajor,
        versionMinor,
        headers,
        request ? methodNumbers.get(method as string) : undefined,
        target,
        request ? undefined : statusCode,
        request ? undefined : statusMessage,
        upgrade,
        shouldKeepAlive,
      ),
    );
    this.#running = null;
    if (value === 0 || value === 1 || value === 2) return value;
    // Anything else stops the parse right after the head (the engine stops at a pause).
    this.#stoppedBy = value === HPE_PAUSED ? pausedByHeadersComplete : headersCompleteError;
    this.#engine?.pause();
    return 0;
  }

  #onBody(chunk: Buffer): void {
    const callback = this[kOnBody];
    if (typeof callback !== 'function' || chunk.length === 0) return;
    this.#running = jsException;
    callback.call(this, copyOf(chunk));
    this.#running = null;
  }

  #onMessageComplete(rawTrailers: string[]): void {
    if (rawTrailers.length > 0) this.#addFields(rawTrailers);
    if (this.#fields.length > 0) this.#flush();
    this.#messageStart = 0;
    const callback = this[kOnMessageComplete];
    if (typeof callback !== 'function') return;
    this.#running = messageCompleteError;
    callback.call(this);
    this.#running = null;
  }

  /** Adds fields to the buffer, handing it to kOnHeaders each time a 32nd field would start. */
  #addFields(pairs: string[]): void {
    // The engine gives each message fresh arrays: a short head is passed on as it is.
    if (this.#fields.length === 0 && pairs.length <= 2 * FIELDS_PER_FLUSH) {
      this.#fields = pairs;
      return;
    }
    for (let i = 0; i < pairs.length; i += 2) {
      if (this.#fields.length === 2 * FIELDS_PER_FLUSH) this.#flush();
      this.#fields.push(pairs[i], pairs[i + 1]);
    }
  }

  /**
   * kOnHeaders(fields, url): the buffered fields and the request-target not handed over yet.
   * Without a kOnHeaders callback the fields are dropped and the target kept, as in Node.
   */
  #flush(): void {
    const fields = this.#fields;
    this.#fields = [];
    const callback = this[kOnHeaders];
    if (typeof callback !== 'function') return;
    this.#running = jsException;
    callback.call(this, fields, this.#url);
    this.#running = null;
    this.#url = '';
    this.#flushed = true;
  }
}

// ---------------------------------------------------------------------------
// The rest of `_http_common` that concerns parsers.

/** `--insecure-http-parser` on the command line or in NODE_OPTIONS, as the process started. */
const insecureHTTPParser =
  process.execArgv.includes('--insecure-http-parser') ||
  (process.env.NODE_OPTIONS ?? '').split(/\s+/).includes('--insecure-http-parser');
let warnedLenient = false;

/**
 * `_http_common.isLenient()`: whether the process parses leniently by default
 * (`--insecure-http-parser`); the first true answer emits Node's warning.
 */
export function isLenient(): boolean {
  if (insecureHTTPParser && !warnedLenient) {
    warnedLenient = true;
    process.emitWarning('Using insecure HTTP parsing');
  }
  return insecureHTTPParser;
}

/**
 * `_http_common.prepareError(err, parser, rawPacket)`: completes a parse error from
 * execute() for 'clientError' and friends: `rawPacket` (the given bytes, else the parser's
 * current buffer) and the reason in the message.
 */
export function prepareError(
  err: Error & { rawPacket?: unknown; reason?: unknown },
  parser: { getCurrentBuffer(): Buffer },
  rawPacket?: Buffer,
): void {
  err.rawPacket = rawPacket || parser.getCurrentBuffer();
  if (typeof err.reason === 'string') err.message = `Parse Error: ${err.reason}`;
}

/** The per-connection properties Node's http code hangs on a parser, reset on free. */
type OwnedParser = HTTPParser & Record<string, unknown>;

/** Node's `cleanParser`: what a parser holds for its connection, let go. */
function cleanParser(parser: OwnedParser): void {
  parser._headers = [];
  parser._url = '';
  parser.socket = null;
  parser.incoming = null;
  parser.outgoing = null;
  parser.maxHeaderPairs = 2000;
  parser[kOnMessageBegin] = null;
  parser[HTTPParser.kOnExecute] = null;
  parser[HTTPParser.kOnTimeout] = null;
  parser._consumed = false;
  parser.onIncoming = null;
  parser.joinDuplicateHeaders = null;
}

/**
 * `_http_common.freeParser(parser, req, socket)`: cleans the parser as Node does and
 * detaches it from `req` and `socket`. Node puts it back in its pool (`parsers`); that pool
 * holds strata-http's own parsers here, so this one is freed and left to the caller.
 */
export function freeParser(
  parser: OwnedParser | null | undefined,
  req?: { parser?: unknown } | null,
  socket?: { parser?: unknown } | null,
): void {
  if (parser) {
    if (parser._consumed) parser.unconsume();
    cleanParser(parser);
    parser.remove();
    parser.free();
  }
  if (req) req.parser = null;
  if (socket) socket.parser = null;
}
