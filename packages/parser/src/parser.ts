/**
 * A streaming HTTP/1.x parser: an explicit state machine over the grammar of
 * RFC 9112, deciding every edge case the way llhttp (Node's parser) decides
 * it, down to the error code, the reason and the byte offset.
 *
 * The machine reads a Buffer with an index. Each `case` of `run`'s switch is
 * one state, named after the grammar rule it reads (S_FIELD_NAME,
 * S_CHUNK_SIZE, S_CHUNK_EXT_QUOTED_VALUE, ...); a state either consumes the
 * byte (`i++`) or hands it, unconsumed, to the next state. Strings (URL,
 * header names and values, reason phrase) are cut from the input once their
 * end is seen; when one straddles two `execute()` calls its first part is kept
 * and joined to the rest.
 *
 * `execute` is the same machine for the shapes nearly every message has — a
 * known method, an origin-form target, "HTTP/1.1", ordinary field lines, plain
 * Content-Length / chunked framing — read a whole line at a time, with one
 * latin1 decode per message head. Anything else (and every error) goes to
 * `run`, which hands control back at the next field line, chunk or message.
 * A message's start, a Content-Length body and chunk data have one reading
 * only, in `execute`: `run` hands those states back before reading a byte.
 * Both give the same result for every input; the differential fuzzer checks it.
 */

import type { Buffer } from 'node:buffer';
import { equalsLower, latin1, sameBytes, scanFieldValue, trimTrailingOWS } from './bytes.js';
import {
  DEFAULT_MAX_HEADER_SIZE,
  type ErrorCode,
  HTTP_METHODS,
  LenientFlags,
  MAX_CHUNK_EXTENSIONS_SIZE,
  RTSP_METHODS,
} from './constants.js';
import {
  fastMethodSlot,
  fastMethods,
  METHOD_NAMES,
  METHOD_PREFIXES,
  methodCharTable,
  methodHash,
} from './methods.js';
import { ParseError } from './parse-error.js';
import {
  alphaTable,
  fieldValueTable,
  hexValueTable,
  listTokenTable,
  qdtextTable,
  quotedPairTable,
  relaxedValueTable,
  serverCharTable,
  tokenTable,
  urlCharTable,
} from './tables.js';

export type ParserType = 'request' | 'response' | 'both';

export interface ParserOptions {
  /** Bytes of request-target / reason phrase / header names and values; default 16384. */
  maxHeaderSize?: number;
  /** Header (and trailer) fields kept per message; 0 = all. Extra fields are dropped. */
  maxHeadersCount?: number;
  /** Bitmask of `LenientFlags`; default 0 (strict). */
  lenient?: number;
}

// ---------------------------------------------------------------------------
// Bytes
const HTAB = 0x09;
const LF = 0x0a;
const FF = 0x0c;
const CR = 0x0d;
const SP = 0x20;
const DQUOTE = 0x22;
const HASH = 0x23;
const STAR = 0x2a;
const COMMA = 0x2c;
const DOT = 0x2e;
const SLASH = 0x2f;
const COLON = 0x3a;
const SEMI = 0x3b;
const EQUALS = 0x3d;
const QUESTION = 0x3f;
const AT = 0x40;
const BACKSLASH = 0x5c;

// Message types (llhttp's numbering)
const BOTH = 0;
const REQUEST = 1;
const RESPONSE = 2;

// llhttp's message flags
const F_CONNECTION_KEEP_ALIVE = 0x1;
const F_CONNECTION_CLOSE = 0x2;
const F_CONNECTION_UPGRADE = 0x4;
const F_CHUNKED = 0x8;
const F_UPGRADE = 0x10;
const F_CONTENT_LENGTH = 0x20;
const F_SKIPBODY = 0x40;
const F_TRAILING = 0x80;
const F_TRANSFER_ENCODING = 0x200;

// What the field being read means to the parser (llhttp's header_state)
const H_GENERAL = 0;
const H_CONNECTION = 1;
const H_CONTENT_LENGTH = 2;
const H_TRANSFER_ENCODING = 3;
const H_UPGRADE = 4;
const H_CONNECTION_KEEP_ALIVE = 5;
const H_CONNECTION_CLOSE = 6;
const H_CONNECTION_UPGRADE = 7;
const H_TRANSFER_ENCODING_CHUNKED = 8;

// What a call to finish() means at this point (llhttp's `finish`)
const FINISH_SAFE = 0;
const FINISH_SAFE_WITH_CB = 1;
const FINISH_UNSAFE = 2;

// Open spans: text being collected, and which byte budget it counts against
const SPAN_NONE = 0;
const SPAN_URL = 1;
const SPAN_STATUS = 2;
const SPAN_FIELD = 3;
const SPAN_VALUE = 4;
const SPAN_CHUNK_EXT = 5;

// ---------------------------------------------------------------------------
// States, named after what they read.
let n = 0;
// message framing
const S_START = n++; // *( CRLF ) before a message
const S_DEAD = n++; // after an error
const S_CLOSED = n++; // after a message that closes the connection
const S_UPGRADED = n++; // stopped: the rest belongs to another protocol
const S_DEAD_UPGRADED = n++; // an error after upgrade headers: stopped for good
const S_HEADERS_DONE = n++; // onHeadersComplete called, body framing not yet decided
const S_MESSAGE_DONE = n++; // body read, onMessageComplete not yet called
// start-line detection in 'both' mode: "HEAD" (request) or "HTTP/" (response)
const S_REQ_OR_RES = n++;
// request-line = method SP request-target SP HTTP-version CRLF
const S_REQ_METHOD_START = n++;
const S_REQ_METHOD = n++;
const S_REQ_FIRST_SPACE = n++;
const S_REQ_SPACES_BEFORE_URL = n++;
const S_URL_START = n++; // origin-form "/", asterisk-form "*", or a scheme
const S_URL_SCHEMA = n++;
const S_URL_SCHEMA_DELIM = n++; // "//"
const S_URL_SERVER = n++; // authority (and all of authority-form for CONNECT)
const S_URL_SERVER_WITH_AT = n++;
const S_URL_PATH = n++;
const S_URL_QUERY = n++;
const S_URL_FRAGMENT = n++;
const S_URL_LF = n++; // HTTP/0.9: request-target CR LF
const S_URL_TO_HTTP = n++; // the byte after the SP ending the request-target
const S_URL_TO_HTTP09 = n++; // the byte after the CRLF ending an HTTP/0.9 request-line
const S_REQ_HTTP_START = n++;
const S_REQ_PROTOCOL = n++;
const S_REQ_AFTER_PROTOCOL = n++;
const S_REQ_HTTP_MAJOR = n++;
const S_REQ_HTTP_DOT = n++;
const S_REQ_HTTP_MINOR = n++;
const S_REQ_HTTP_COMPLETE = n++;
const S_REQ_HTTP_COMPLETE_LF = n++;
const S_REQ_PRI_UPGRADE = n++; // HTTP/2 connection preface after "PRI * HTTP/2.0"
// status-line = HTTP-version SP status-code SP [ reason-phrase ] CRLF
const S_RES_PROTOCOL = n++;
const S_RES_AFTER_PROTOCOL = n++;
const S_RES_HTTP_MAJOR = n++;
const S_RES_HTTP_DOT = n++;
const S_RES_HTTP_MINOR = n++;
const S_RES_AFTER_VERSION = n++;
const S_RES_STATUS_CODE = n++;
const S_RES_STATUS_CODE_END = n++;
const S_RES_REASON_PHRASE = n++;
const S_RES_LINE_LF = n++;
// field-line = field-name ":" OWS field-value OWS CRLF
const S_HEADERS_START = n++;
const S_FIELD_LINE_START = n++;
const S_FIELD_NAME = n++;
const S_FIELD_NAME_SPACES = n++; // lenient: "Content-Length :" (special names only)
const S_FIELD_VALUE_OWS = n++;
const S_FIELD_VALUE_OWS_LF = n++;
const S_FIELD_VALUE_OWS_AFTER_LF = n++;
const S_FIELD_VALUE = n++;
const S_FIELD_VALUE_LENIENT = n++;
const S_FIELD_VALUE_LF = n++;
const S_FIELD_VALUE_AFTER_LF = n++; // obs-fold or the next field-line
const S_TE_CHUNKED = n++; // Transfer-Encoding: transfer-coding list
const S_TE_CHUNKED_LAST = n++;
const S_TE_TOKEN = n++;
const S_TE_TOKEN_OWS = n++;
const S_CONTENT_LENGTH = n++; // Content-Length = 1*DIGIT
const S_CONTENT_LENGTH_OWS = n++;
const S_CONNECTION = n++; // Connection = #connection-option
const S_CONNECTION_OWS = n++;
const S_CONNECTION_TOKEN = n++;
const S_HEADERS_LF = n++; // the CRLF ending the field section
// message-body
const S_BODY_IDENTITY = n++;
const S_BODY_IDENTITY_EOF = n++;
// chunked-body = *chunk last-chunk trailer-section CRLF
const S_CHUNK_SIZE_START = n++;
const S_CHUNK_SIZE = n++;
const S_CHUNK_SIZE_OWS = n++;
const S_CHUNK_EXTENSIONS = n++; // chunk-ext = *( BWS ";" BWS chunk-ext-name [ BWS "=" BWS chunk-ext-val ] )
const S_CHUNK_EXT_NAME = n++;
const S_CHUNK_EXT_VALUE = n++;
const S_CHUNK_EXT_QUOTED_VALUE = n++;
const S_CHUNK_EXT_QUOTED_PAIR = n++;
const S_CHUNK_EXT_QUOTED_VALUE_DONE = n++;
const S_CHUNK_SIZE_LF = n++;
const S_CHUNK_DATA = n++;
const S_CHUNK_DATA_CRLF = n++;

/**
 * States where `run` hands control back to `execute`'s loop (no span is open
 * there). HANDBACK_READ: once `run` has read a byte (execute's loop has a
 * shortcut for the common shape and leaves the rest to `run`). HANDBACK_ALWAYS:
 * at once, even before reading anything (only execute's loop reads them).
 */
const HANDBACK_READ = 1;
const HANDBACK_ALWAYS = 2;
const HANDBACK = new Uint8Array(n);
for (const st of [S_FIELD_LINE_START, S_CHUNK_SIZE_START, S_CHUNK_DATA_CRLF]) {
  HANDBACK[st] = HANDBACK_READ;
}
for (const st of [S_START, S_BODY_IDENTITY, S_CHUNK_DATA]) HANDBACK[st] = HANDBACK_ALWAYS;

/**
 * The fields of a parser between messages: empty, shared, and frozen, so a
 * push that came before beginMessage() would throw instead of landing in it.
 */
const NO_FIELDS: string[] = Object.freeze([]) as unknown as string[];

const PROTOCOLS = ['HTTP', 'RTSP', 'ICE'];
const HTTP2_PREFACE_REST = '\r\n\r\nSM\r\n\r\n';
const CHUNKED = 'chunked';
const CONNECTION_TOKENS = ['close', 'upgrade', 'keep-alive'];
const CONNECTION_TOKEN_STATES = [H_CONNECTION_CLOSE, H_CONNECTION_UPGRADE, H_CONNECTION_KEEP_ALIVE];
const BOTH_WORDS = ['HEAD', 'HTTP/'];

/** Content-Length and chunk-size are 64-bit unsigned in llhttp. */
const UINT64_MAX = 0xffffffffffffffffn;

/** Field values up to this many bytes are scanned byte by byte (no word view). */
const SHORT_VALUE = 32;

/** The field names llhttp gives meaning to, lowercase, by the header_state they select. */
function specialFieldState(name: string): number {
  switch (name.length) {
    case 7:
      return name.toLowerCase() === 'upgrade' ? H_UPGRADE : H_GENERAL;
    case 10:
      return name.toLowerCase() === 'connection' ? H_CONNECTION : H_GENERAL;
    case 14:
      return name.toLowerCase() === 'content-length' ? H_CONTENT_LENGTH : H_GENERAL;
    case 16:
      return name.toLowerCase() === 'proxy-connection' ? H_CONNECTION : H_GENERAL;
    case 17:
      return name.toLowerCase() === 'transfer-encoding' ? H_TRANSFER_ENCODING : H_GENERAL;
    default:
      return H_GENERAL;
  }
}

/**
 * Same as specialFieldState, comparing the input bytes without decoding them.
 * data[start, end) holds token characters only: among those, `| 0x20` folds
 * exactly the uppercase letters onto the lowercase ones and leaves '-' as is.
 */
function specialFieldStateBytes(data: Buffer, start: number, end: number): number {
  switch (end - start) {
    case 7:
      return foldedEquals(data, start, NAME_UPGRADE) ? H_UPGRADE : H_GENERAL;
    case 10:
      return foldedEquals(data, start, NAME_CONNECTION) ? H_CONNECTION : H_GENERAL;
    case 14:
      return foldedEquals(data, start, NAME_CONTENT_LENGTH) ? H_CONTENT_LENGTH : H_GENERAL;
    case 16:
      return foldedEquals(data, start, NAME_PROXY_CONNECTION) ? H_CONNECTION : H_GENERAL;
    case 17:
      return foldedEquals(data, start, NAME_TRANSFER_ENCODING) ? H_TRANSFER_ENCODING : H_GENERAL;
    default:
      return H_GENERAL;
  }
}

const NAME_UPGRADE = latin1Bytes('upgrade');
const NAME_CONNECTION = latin1Bytes('connection');
const NAME_CONTENT_LENGTH = latin1Bytes('content-length');
const NAME_PROXY_CONNECTION = latin1Bytes('proxy-connection');
const NAME_TRANSFER_ENCODING = latin1Bytes('transfer-encoding');

function latin1Bytes(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let k = 0; k < s.length; k++) out[k] = s.charCodeAt(k);
  return out;
}

/** data[start, start + lit.length) | 0x20, byte by byte, equals `lit` (lowercase). */
function foldedEquals(data: Buffer, start: number, lit: Uint8Array): boolean {
  for (let k = 0; k < lit.length; k++) if ((data[start + k] | 0x20) !== lit[k]) return false;
  return true;
}

const typeNumber = (t: ParserType): number =>
  t === 'request' ? REQUEST : t === 'response' ? RESPONSE : BOTH;

/**
 * One parser per connection. Assign the callbacks once, then feed every
 * chunk read from the socket to `execute()`; call `finish()` at EOF.
 */
export class HTTPParser {
  /** Set when parsing stopped because the rest of the stream is another protocol (Upgrade, CONNECT, 101). */
  upgrade = false;
  /** True between `pause()` and `resume()`. */
  paused = false;
  maxHeaderSize: number;
  maxHeadersCount: number;
  lenient: number;

  // configured and detected message type
  private initialType: number;
  private type: number;

  // machine
  private state = S_START;
  private error: ParseError | null = null;
  private finishState = FINISH_SAFE;
  private flags = 0;
  private headerState = H_GENERAL;
  private matchIndex = 0; // position inside a literal being matched
  private matchWord = ''; // the literal being matched
  private fieldGeneral = false; // the field name left the special names
  private contentLength = 0; // Content-Length, then bytes of body / chunk left
  private bigLength: bigint | null = null; // exact value once past 2^50
  private lengthDigits = 0; // significant hex digits of a chunk size
  private statusDigits = 0;
  private upgradeHeader = false; // llhttp's `upgrade`: Upgrade + Connection: upgrade, or CONNECT
  /**
   * Test hook: behave like llhttp 9.3.1 (Node 20) where current llhttp
   * changed, so the differential fuzzer can demand exact agreement. Differences:
   * HTAB after a Content-Length value or a Connection option is not OWS; a
   * request-line ended by a bare LF is an HTTP/0.9 request; a second CR after
   * the CR of a status-line is taken as its LF; an empty Transfer-Encoding is allowed.
   */
  llhttp931 = false;

  // message
  private httpMajor = 0;
  private httpMinor = 0;
  private method = '';
  private statusCode = 0;
  private url = '';
  private statusMessage = '';
  private headers: string[] = [];
  private trailers: string[] | null = null;
  private fieldCount = 0; // fields seen in the current section
  private keepField = true; // the current field is under maxHeadersCount
  private fieldName = '';
  private fieldValue = '';

  // spans
  private spanKind = SPAN_NONE;
  private spanStart = 0;
  private spanText = '';
  private headerBytes = 0; // Node's header_nread
  private chunkExtBytes = 0; // Node's chunk_extensions_nread

  constructor(type: ParserType = 'request', options?: ParserOptions) {
    this.initialType = this.type = typeNumber(type);
    this.maxHeaderSize = options?.maxHeaderSize || DEFAULT_MAX_HEADER_SIZE;
    this.maxHeadersCount = options?.maxHeadersCount ?? 0;
    this.lenient = options?.lenient ?? 0;
  }

  // -------------------------------------------------------------------------
  // Callbacks: plain properties, replaced by the owner; called with this = parser.

  /** A message starts (its first byte after any leading CRLF). */
  onMessageBegin(): void {}

  /**
   * The field section is complete. Return 1 when the message has no body even
   * though its headers announce one (a response to HEAD), 2 for no body and
   * the rest of the stream is another protocol (a 2xx response to CONNECT).
   * For responses `method` and `url` are undefined; for requests `statusCode`
   * is 0 and `statusMessage` ''.
   */
  onHeadersComplete(
    _versionMajor: number,
    _versionMinor: number,
    _rawHeaders: string[],
    _method: string | undefined,
    _url: string | undefined,
    _statusCode: number,
    _statusMessage: string,
    _upgrade: boolean,
    _shouldKeepAlive: boolean,
    // biome-ignore lint/suspicious/noConfusingVoidType: owners may return nothing
  ): number | void {}

  /** A piece of the body (chunk framing removed): a view of the input buffer, valid during the call. */
  onBody(_chunk: Buffer): void {}

  /** The message is complete; `rawTrailers` is `[name, value, ...]` ([] when none). */
  onMessageComplete(_rawTrailers: string[]): void {}

  // -------------------------------------------------------------------------
  // Control

  /** Stop after the current callback; `execute` returns the bytes consumed so far. */
  pause(): void {
    this.paused = true;
  }

  /** Allow `execute` again after `pause()`; feed it the bytes it did not consume. */
  resume(): void {
    this.paused = false;
  }

  /**
   * Forget everything about the connection so the parser can serve another
   * one (or the same one as another type); callbacks are kept.
   */
  reset(type?: ParserType, options?: ParserOptions): void {
    if (type !== undefined) this.initialType = typeNumber(type);
    this.type = this.initialType;
    if (options !== undefined) {
      this.maxHeaderSize = options.maxHeaderSize || DEFAULT_MAX_HEADER_SIZE;
      this.maxHeadersCount = options.maxHeadersCount ?? 0;
      this.lenient = options.lenient ?? 0;
    }
    this.upgrade = false;
    this.paused = false;
    this.state = S_START;
    this.error = null;
    this.finishState = FINISH_SAFE;
    this.flags = 0;
    this.headerState = H_GENERAL;
    this.contentLength = 0;
    this.bigLength = null;
    this.spanKind = SPAN_NONE;
    this.spanText = '';
    this.headers = [];
    this.trailers = null;
    this.upgradeHeader = false;
    this.headerBytes = 0;
    this.chunkExtBytes = 0;
    this.matchIndex = 0;
    // let go of the last connection's memory while pooled
    this.wordsOf = null;
    this.words = null;
    this.blockStr = '';
    this.blockEnd = -1;
  }

  /**
   * Node compatibility (the binding's `free()`): the owner puts the parser in
   * a pool. Lets go of the last connection's state and buffers now, keeping
   * callbacks, type and options. Owners may replace it to observe pooling.
   */
  free(): void {
    this.reset();
  }

  /** Node compatibility (the binding's `close()`): the parser will not be used again. */
  close(): void {
    this.reset();
  }

  /**
   * End of input. Completes a body delimited by the end of the connection;
   * returns a ParseError (HPE_INVALID_EOF_STATE) when a message is cut short.
   */
  finish(): ParseError | undefined {
    if (this.error !== null) return undefined;
    switch (this.finishState) {
      case FINISH_SAFE_WITH_CB:
        this.finishState = FINISH_SAFE;
        this.onMessageComplete(this.takeTrailers());
        return undefined;
      case FINISH_UNSAFE:
        // Not reported once the headers asked for an upgrade (Node's binding).
        if (this.upgradeHeader) return undefined;
        return new ParseError('HPE_INVALID_EOF_STATE', 'Invalid EOF state', 0);
      default:
        return undefined;
    }
  }

  // -------------------------------------------------------------------------
  // Helpers shared by states

  private fail(
    code: ErrorCode,
    reason: string,
    pos: number,
    data: Buffer,
    at: number,
  ): ParseError | number {
    // llhttp hands an open header value over (so counts it) before raising an
    // error in it: a header overflow there wins, at the error's position. (An
    // error in a name or request-target comes first: those spans are dropped.)
    if (this.spanKind === SPAN_VALUE && at > this.spanStart) {
      const overflow = this.countSpan(at - this.spanStart, at, data, pos);
      if (overflow !== null) return overflow;
    }
    return this.overflow(code, reason, pos, data);
  }

  /**
   * Adds `len` span bytes ending at `end` to the budget they count against.
   * A header overflow is reported, as Node's binding does, where the span is
   * handed over: at `at` (see closeSpan), or at the end of the input for a
   * span still open there, so `bytesParsed` depends on how the input is split.
   */
  private countSpan(
    len: number,
    end: number,
    data: Buffer,
    at: number = end,
  ): ParseError | number | null {
    if (this.spanKind === SPAN_CHUNK_EXT) {
      const total = (this.chunkExtBytes += len);
      if (total > MAX_CHUNK_EXTENSIONS_SIZE) {
        return this.overflow(
          'HPE_CHUNK_EXTENSIONS_OVERFLOW',
          'Chunk extensions overflow',
          end - (total - MAX_CHUNK_EXTENSIONS_SIZE - 1),
          data,
        );
      }
      return null;
    }
    if ((this.headerBytes += len) >= this.maxHeaderSize) {
      return this.overflow('HPE_HEADER_OVERFLOW', 'Header overflow', at, data);
    }
    return null;
  }

  private overflow(
    code: ErrorCode,
    reason: string,
    pos: number,
    data: Buffer,
  ): ParseError | number {
    if (this.upgradeHeader) {
      // Node's binding reports no error once the headers asked for an
      // upgrade: parsing stops there and the rest goes to the new protocol.
      this.upgrade = true;
      this.stopPos = pos;
      this.state = S_DEAD_UPGRADED;
      this.spanKind = SPAN_NONE;
      return pos;
    }
    const err = new ParseError(code, reason, pos, data);
    this.error = err;
    this.state = S_DEAD;
    this.spanKind = SPAN_NONE;
    return err;
  }

  /**
   * Closes the open span at `end`; its text is in this.spanText. Null = fine.
   * llhttp hands a request-target, or a value ended by a bare LF, over at the
   * byte that ends it; a name, a reason phrase, or a value ended by CR, once
   * that byte is consumed (one further).
   */
  private closeSpan(data: Buffer, end: number): ParseError | number | null {
    const start = this.spanStart;
    const kind = this.spanKind;
    kind === SPAN_CHUNK_EXT || this.appendSpan(data, start, end);
    const err =
      end > start
        ? this.countSpan(
            end - start,
            end,
            data,
            kind === SPAN_URL || (kind === SPAN_VALUE && data[end] === LF) ? end : end + 1,
          )
        : null;
    this.spanKind = SPAN_NONE;
    return err;
  }

  private appendSpan(data: Buffer, start: number, end: number): boolean {
    if (end > start) {
      const s = latin1(data, start, end);
      this.spanText = this.spanText === '' ? s : this.spanText + s;
    }
    return true;
  }

  private openSpan(kind: number, at: number): void {
    this.spanKind = kind;
    this.spanStart = at;
    this.spanText = '';
  }

  private takeTrailers(): string[] {
    const t = this.trailers;
    this.trailers = null;
    return t === null ? [] : t;
  }

  /** Field names and values go to the headers, or the trailers after the last chunk. */
  private addField(name: string): void {
    const max = this.maxHeadersCount;
    this.keepField = max <= 0 || this.fieldCount < max;
    this.fieldCount++;
    this.fieldName = name;
    this.fieldValue = '';
  }

  private addValue(value: string): void {
    if (!this.keepField) return;
    const v = trimTrailingOWS(value);
    if (this.flags & F_TRAILING) {
      if (this.trailers === null) this.trailers = [];
      this.trailers.push(this.fieldName, v);
    } else {
      this.headers.push(this.fieldName, v);
    }
  }

  /** llhttp_message_needs_eof: is the body delimited by the end of the connection? */
  private needsEof(): boolean {
    if (this.type === REQUEST) return false;
    const status = this.statusCode;
    if (
      (status >= 100 && status < 200) ||
      status === 204 ||
      status === 304 ||
      this.flags & F_SKIPBODY
    ) {
      return false;
    }
    if (this.flags & F_TRANSFER_ENCODING && (this.flags & F_CHUNKED) === 0) return true;
    if (this.flags & (F_CHUNKED | F_CONTENT_LENGTH)) return false;
    return true;
  }

  /** llhttp_should_keep_alive. */
  private shouldKeepAlive(): boolean {
    if (this.httpMajor > 0 && this.httpMinor > 0) {
      if (this.flags & F_CONNECTION_CLOSE) return false;
    } else if ((this.flags & F_CONNECTION_KEEP_ALIVE) === 0) {
      return false;
    }
    return !this.needsEof();
  }

  /** Applies what a Connection / Transfer-Encoding value said once the value ends. */
  private setHeaderFlags(): void {
    switch (this.headerState) {
      case H_CONNECTION_KEEP_ALIVE:
        this.flags |= F_CONNECTION_KEEP_ALIVE;
        this.headerState = H_CONNECTION;
        break;
      case H_CONNECTION_CLOSE:
        this.flags |= F_CONNECTION_CLOSE;
        this.headerState = H_CONNECTION;
        break;
      case H_CONNECTION_UPGRADE:
        this.flags |= F_CONNECTION_UPGRADE;
        this.headerState = H_CONNECTION;
        break;
      case H_TRANSFER_ENCODING_CHUNKED:
        this.flags |= F_CHUNKED;
        break;
    }
  }

  private beginMessage(): void {
    this.finishState = FINISH_UNSAFE;
    this.flags = 0;
    this.upgrade = false;
    this.upgradeHeader = false;
    this.httpMajor = 0;
    this.httpMinor = 0;
    this.method = '';
    this.statusCode = 0;
    this.url = '';
    this.statusMessage = '';
    this.headers = [];
    this.trailers = null;
    this.fieldCount = 0;
    this.headerBytes = 0;
    // Content-Length is not reset here: like llhttp, only a keep-alive
    // cleanup zeroes it (after LenientFlags.KEEP_ALIVE restarts a closed
    // connection, a Content-Length left unused by the previous message adds up).
  }

  /** The version digits llhttp accepts without LenientFlags.VERSION. */
  private badVersion(): boolean {
    if (this.lenient & LenientFlags.VERSION) return false;
    const major = this.httpMajor;
    const minor = this.httpMinor;
    return !(
      (major === 1 && (minor === 0 || minor === 1)) ||
      (major === 0 && minor === 9) ||
      (major === 2 && minor === 0)
    );
  }

  /**
   * Body framing after the field section (llhttp__after_headers_complete):
   * 0 no body, 1 the rest is another protocol, 2 chunked, 3 Content-Length,
   * 4 until EOF, 5 bad request Transfer-Encoding.
   */
  private bodyFraming(): number {
    const flags = this.flags;
    const hasBody = (flags & F_CHUNKED) !== 0 || this.contentLength > 0;
    if (
      (this.upgradeHeader && (this.method === 'CONNECT' || flags & F_SKIPBODY || !hasBody)) ||
      (this.type === RESPONSE && this.statusCode === 101)
    ) {
      return 1;
    }
    if (this.type === RESPONSE && this.statusCode === 100) return 0;
    const status = this.statusCode;
    if (
      flags & F_SKIPBODY ||
      (this.type === RESPONSE &&
        (status === 102 || status === 103 || status === 204 || status === 304))
    ) {
      return 0;
    }
    if (flags & F_CHUNKED) return 2;
    if (flags & F_TRANSFER_ENCODING) {
      if (
        this.type === REQUEST &&
        (this.lenient & (LenientFlags.CHUNKED_LENGTH | LenientFlags.TRANSFER_ENCODING)) === 0
      ) {
        return 5;
      }
      return 4;
    }
    if ((flags & F_CONTENT_LENGTH) === 0) return this.needsEof() ? 4 : 0;
    return this.contentLength === 0 ? 0 : 3;
  }

  /** Decimal Content-Length digit; false on 64-bit overflow. */
  private addDecimalDigit(d: number): boolean {
    if (this.bigLength === null) {
      const v = this.contentLength * 10 + d;
      if (v < 2 ** 50) {
        this.contentLength = v;
        return true;
      }
      this.bigLength = BigInt(this.contentLength) * 10n + BigInt(d);
    } else {
      this.bigLength = this.bigLength * 10n + BigInt(d);
    }
    if (this.bigLength > UINT64_MAX) return false;
    this.contentLength = Number(this.bigLength);
    return true;
  }

  /** Hex chunk-size digit; false on 64-bit overflow. */
  private addHexDigit(d: number): boolean {
    if (this.lengthDigits > 0 || d !== 0) {
      if (++this.lengthDigits > 16) return false;
    }
    this.contentLength = this.contentLength * 16 + d;
    return true;
  }

  // -------------------------------------------------------------------------

  /**
   * Parses `data`. Returns the number of bytes consumed — all of them, unless
   * the parser was paused from a callback or stopped at an upgrade (then
   * `this.upgrade` is true and the remaining bytes belong to the new
   * protocol) — or a ParseError. After an error every call returns that error.
   */
  execute(data: Buffer): number | ParseError {
    const r = this.parseChunk(data);
    // Between messages, drop the view of this buffer (wordsFor's cache), or
    // the parser keeps the socket's last read alive until the next one.
    if (this.state === S_START) {
      this.wordsOf = null;
      this.words = null;
    }
    return r;
  }

  private parseChunk(data: Buffer): number | ParseError {
    if (this.error !== null) return this.error;
    if (this.paused || this.state === S_DEAD_UPGRADED) return 0;
    const len = data.length;
    let i = 0;
    this.blockEnd = -1;
    if (this.spanKind !== SPAN_NONE) this.spanStart = 0;

    // States that do their work without reading a byte, left pending by a pause.
    switch (this.state) {
      case S_HEADERS_DONE: {
        const r = this.afterHeaders(data, 0);
        if (r !== 0) return r < 0 ? this.failValue() : 0;
        break;
      }
      case S_MESSAGE_DONE:
        if (this.messageDone()) return 0;
        break;
      case S_UPGRADED:
        this.upgrade = false;
        this.cleanup();
        break;
    }

    let state = this.state;
    let c = 0;

    // The common shapes of a message are read here; anything else, and every
    // error, goes through `run`, the full state machine, which hands control
    // back at the next state this loop knows.
    while (i < len) {
      switch (state) {
        case S_START: {
          c = data[i];
          if (c === CR || c === LF) {
            i++;
            continue;
          }
          this.beginMessage();
          this.findFieldBlock(data, i);
          this.state = state =
            this.type === REQUEST
              ? S_REQ_METHOD_START
              : this.type === RESPONSE
                ? S_RES_PROTOCOL
                : S_REQ_OR_RES;
          this.matchIndex = 0;
          this.onMessageBegin();
          if (this.paused) return i;
          continue;
        }

        case S_REQ_METHOD_START: {
          // method SP origin-form SP "HTTP/1.1" CRLF, all inside this buffer
          let j = i;
          let h = 0;
          while (j < len && methodCharTable[(c = data[j])] === 1) {
            h = methodHash(h, c);
            j++;
          }
          if (j === len || c !== SP || j === i) break;
          const m = fastMethods[fastMethodSlot(h)];
          if (m.length !== j - i || !sameBytes(m, data, i)) break;
          this.method = m;
          i = j + 1;
          state = S_REQ_SPACES_BEFORE_URL;
          const u = i;
          if (u >= len || data[u] !== SLASH) break;
          j = u + 1;
          while (j < len && urlCharTable[data[j]] === 1) j++;
          if (j < len && data[j] === QUESTION) {
            j++;
            while (j < len && (urlCharTable[(c = data[j])] === 1 || c === QUESTION)) j++;
          }
          // SP "HTTP/1." DIGIT CR LF, then not OWS (obs-fold of nothing)
          if (
            j + 11 >= len ||
            data[j] !== SP ||
            data[j + 1] !== 0x48 ||
            data[j + 2] !== 0x54 ||
            data[j + 3] !== 0x54 ||
            data[j + 4] !== 0x50 ||
            data[j + 5] !== SLASH ||
            data[j + 6] !== 0x31 ||
            data[j + 7] !== DOT ||
            ((c = data[j + 8]) !== 0x31 && c !== 0x30) ||
            data[j + 9] !== CR ||
            data[j + 10] !== LF ||
            data[j + 11] === SP
          ) {
            break;
          }
          if ((this.headerBytes += j - u) >= this.maxHeaderSize) {
            this.headerBytes -= j - u;
            break;
          }
          this.url = this.slice(data, u, j);
          this.httpMajor = 1;
          this.httpMinor = c - 0x30;
          i = j + 11;
          state = S_FIELD_LINE_START;
          continue;
        }

        case S_RES_PROTOCOL: {
          // "HTTP/1.1" SP 3DIGIT SP reason-phrase CR LF, all inside this buffer
          const j = i + 13;
          if (
            j >= len ||
            this.matchIndex !== 0 ||
            data[i] !== 0x48 ||
            data[i + 1] !== 0x54 ||
            data[i + 2] !== 0x54 ||
            data[i + 3] !== 0x50 ||
            data[i + 4] !== SLASH ||
            data[i + 5] !== 0x31 ||
            data[i + 6] !== DOT ||
            ((c = data[i + 7]) !== 0x31 && c !== 0x30) ||
            data[i + 8] !== SP ||
            data[i + 12] !== SP
          ) {
            break;
          }
          const d1 = data[i + 9] - 0x30;
          const d2 = data[i + 10] - 0x30;
          const d3 = data[i + 11] - 0x30;
          if (d1 < 0 || d1 > 9 || d2 < 0 || d2 > 9 || d3 < 0 || d3 > 9) break;
          let e = j;
          while (e < len && (c = data[e]) !== CR && c !== LF) e++;
          if (e + 2 >= len || c !== CR || data[e + 1] !== LF || data[e + 2] === SP) break;
          if ((this.headerBytes += e - j) >= this.maxHeaderSize) {
            this.headerBytes -= e - j;
            break;
          }
          this.httpMajor = 1;
          this.httpMinor = data[i + 7] - 0x30;
          this.statusCode = d1 * 100 + d2 * 10 + d3;
          this.statusMessage = e > j ? this.slice(data, j, e) : '';
          i = e + 2;
          state = S_FIELD_LINE_START;
          continue;
        }

        case S_FIELD_LINE_START: {
          c = data[i];
          if (c === CR) {
            if (i + 1 >= len || data[i + 1] !== LF) break;
            i += 2;
            if (this.blockStart <= i && (this.flags & F_TRAILING) === 0) {
              this.blockHint = i - this.blockStart + 64;
            }
            this.state = state;
            const r = this.endOfFieldSection(data, i);
            if (r !== 0) return r < 0 ? this.failValue() : i;
            state = this.state;
            continue;
          }
          // field-name ":" OWS field-value CRLF for a field without special meaning
          const start = i;
          let j = i;
          while (j < len && tokenTable[data[j]] === 1) j++;
          if (j >= len || data[j] !== COLON || j === start) break;
          const special = specialFieldStateBytes(data, start, j);
          let v = j + 1;
          while (v < len && ((c = data[v]) === SP || c === HTAB)) v++;
          const vs = v;
          // Short values byte by byte; a long one gets the word-at-a-time scan (the
          // word view of the buffer is created only then: most heads never need it).
          const near = len - v > SHORT_VALUE ? v + SHORT_VALUE : len;
          v = scanFieldValue(data, null, v, near);
          if (v === near && near < len) v = scanFieldValue(data, this.wordsFor(data), v, len);
          if (
            v + 2 >= len ||
            vs === v ||
            data[v] !== CR ||
            data[v + 1] !== LF ||
            (c = data[v + 2]) === SP ||
            c === HTAB
          ) {
            break;
          }
          let e = v;
          while ((c = data[e - 1]) === SP || c === HTAB) e--;
          let flags = 0;
          if (special !== H_GENERAL) {
            flags = this.simpleSpecialValue(special, data, vs, e, v);
            if (flags < 0) break;
          }
          const size = j - start + (v - vs);
          if ((this.headerBytes += size) >= this.maxHeaderSize) {
            this.headerBytes -= size;
            break;
          }
          if (flags & F_CONTENT_LENGTH) this.contentLength = this.fastLength;
          this.flags |= flags;
          const max = this.maxHeadersCount;
          if (max <= 0 || this.fieldCount < max) {
            const target = this.flags & F_TRAILING ? (this.trailers ??= []) : this.headers;
            target.push(this.slice(data, start, j), this.slice(data, vs, e));
          }
          this.fieldCount++;
          this.headerState = H_GENERAL;
          i = v + 2;
          continue;
        }

        case S_BODY_IDENTITY:
        case S_CHUNK_DATA: {
          // The rest of a Content-Length body or of a chunk: this.contentLength bytes.
          const avail = len - i;
          const left = this.contentLength;
          if (avail < left) {
            this.contentLength = left - avail;
            this.state = state;
            this.onBody(data.subarray(i, len));
            i = len;
            if (this.paused) return i;
            continue;
          }
          this.contentLength = 0;
          if (state === S_CHUNK_DATA) {
            this.matchIndex = 0;
            this.state = state = S_CHUNK_DATA_CRLF;
          } else {
            this.state = S_MESSAGE_DONE;
          }
          this.onBody(data.subarray(i, i + left));
          i += left;
          if (this.paused) return i;
          if (state === S_BODY_IDENTITY) {
            if (this.messageDone()) return i;
            state = this.state;
          }
          continue;
        }

        case S_CHUNK_SIZE_START: {
          // chunk-size CRLF without extensions
          let j = i;
          let size = 0;
          let d = 0;
          while (j < len && (d = hexValueTable[data[j]]) >= 0 && j - i < 12) {
            size = size * 16 + d;
            j++;
          }
          if (j === i || j + 1 >= len || data[j] !== CR || data[j + 1] !== LF) break;
          this.contentLength = size;
          this.bigLength = null;
          this.headerBytes = 0;
          i = j + 2;
          if (size === 0) {
            this.flags |= F_TRAILING;
            this.fieldCount = 0;
            state = S_FIELD_LINE_START;
          } else {
            state = S_CHUNK_DATA;
          }
          continue;
        }

        case S_CHUNK_DATA_CRLF:
          if (this.matchIndex !== 0 || i + 1 >= len || data[i] !== CR || data[i + 1] !== LF) break;
          i += 2;
          state = S_CHUNK_SIZE_START;
          continue;
      }

      this.state = state;
      const r = this.run(data, i);
      if (typeof r !== 'number' || r >= 0) return r;
      i = -r - 1;
      state = this.state;
    }
    this.state = state;
    return len;
  }

  /**
   * Where the current message's start-line and fields are, when they all sit
   * in this buffer: one latin1 string for all of them, so names, values and
   * the URL are cut from it without a call into C++ for each.
   */
  private wordsOf: Buffer | null = null;
  private words: Uint32Array | null = null;
  private blockStr = '';
  private blockStart = 0;
  private blockEnd = -1;

  /** A 32-bit view of `data` for scanFieldValue, when aligned and long enough. */
  private wordsFor(data: Buffer): Uint32Array | null {
    if (this.wordsOf !== data) {
      if ((data.byteOffset & 3) !== 0 || data.length < 64) return null;
      this.wordsOf = data;
      this.words = new Uint32Array(data.buffer, data.byteOffset, data.length >>> 2);
    }
    return this.words;
  }

  private findFieldBlock(data: Buffer, at: number): void {
    // How far to decode is a guess: as long as the previous message's head,
    // plus a margin. Bytes beyond it are decoded field by field instead.
    const end = Math.min(data.length, at + this.blockHint);
    this.blockStart = at;
    this.blockEnd = end;
    this.blockStr = latin1(data, at, end);
  }

  /** Bytes to decode at once at a message start; follows the heads seen. */
  private blockHint = 512;

  private fastLength = 0;

  /**
   * For execute's fast path: the flags a Connection / Content-Length /
   * Transfer-Encoding / Upgrade field with a plain value sets (`value` is
   * data[vs, e), trailing OWS up to `v`), or -1 when the value needs the full
   * state machine (lists, duplicates, conflicts, anything unusual).
   */
  private simpleSpecialValue(
    special: number,
    data: Buffer,
    vs: number,
    e: number,
    v: number,
  ): number {
    const flags = this.flags;
    switch (special) {
      case H_CONNECTION:
        if (e !== v && this.llhttp931) return -1;
        if (equalsLower(data, vs, e, 'keep-alive')) return F_CONNECTION_KEEP_ALIVE;
        if (equalsLower(data, vs, e, 'close')) return F_CONNECTION_CLOSE;
        if (equalsLower(data, vs, e, 'upgrade')) return F_CONNECTION_UPGRADE;
        return -1;
      case H_CONTENT_LENGTH: {
        if (flags & F_CONTENT_LENGTH || this.contentLength !== 0 || e - vs > 15) return -1;
        if (flags & F_TRANSFER_ENCODING && (this.lenient & LenientFlags.CHUNKED_LENGTH) === 0) {
          return -1;
        }
        if (e !== v && this.llhttp931) return -1;
        let n = 0;
        for (let k = vs; k < e; k++) {
          const d = data[k] - 0x30;
          if (d < 0 || d > 9) return -1;
          n = n * 10 + d;
        }
        this.fastLength = n;
        return F_CONTENT_LENGTH;
      }
      case H_TRANSFER_ENCODING:
        if (flags & (F_CHUNKED | F_CONTENT_LENGTH) || e !== v) return -1;
        return equalsLower(data, vs, e, 'chunked') ? F_TRANSFER_ENCODING | F_CHUNKED : -1;
      case H_UPGRADE:
        return F_UPGRADE;
      default:
        return -1;
    }
  }

  /** data[start, end) as a latin1 string, cut from the field block when it covers it. */
  private slice(data: Buffer, start: number, end: number): string {
    const b = this.blockStart;
    if (start >= b && end <= this.blockEnd) return this.blockStr.slice(start - b, end - b);
    return latin1(data, start, end);
  }

  /**
   * The full state machine, from `start` with this.state. Returns a final
   * result for execute (bytes consumed, or a ParseError), or `-(i + 1)` to
   * hand control back to execute's loop at byte i.
   */
  private run(data: Buffer, start: number): number | ParseError {
    const len = data.length;
    let i = start;
    let state = this.state;
    let c = 0;

    while (i < len) {
      const handback = HANDBACK[state];
      if (handback !== 0 && (handback === HANDBACK_ALWAYS || i !== start)) {
        this.state = state;
        return -(i + 1);
      }
      switch (state) {
        // ------------------------------------------------------------ framing
        // (S_START, S_BODY_IDENTITY and S_CHUNK_DATA: execute's loop)
        case S_CLOSED: {
          c = data[i];
          if (c === CR || c === LF || this.lenient & LenientFlags.DATA_AFTER_CLOSE) {
            i++;
            continue;
          }
          return this.fail(
            'HPE_CLOSED_CONNECTION',
            'Data after `Connection: close`',
            i + 1,
            data,
            i,
          );
        }

        case S_REQ_OR_RES: {
          // 'both' mode: "HEAD" starts a request, "HTTP/" a response, any other
          // first byte a request.
          c = data[i];
          const k = this.matchIndex;
          if (k === 0) {
            if (c !== 0x48 /* H */) {
              this.type = REQUEST;
              state = S_REQ_METHOD_START;
              continue;
            }
            this.matchIndex = 1;
            i++;
            continue;
          }
          if (k === 1) {
            if (c === 0x45 /* E */) this.matchWord = BOTH_WORDS[0];
            else if (c === 0x54 /* T */) this.matchWord = BOTH_WORDS[1];
            else return this.fail('HPE_INVALID_CONSTANT', 'Invalid word encountered', i, data, i);
          } else if (c !== this.matchWord.charCodeAt(k)) {
            return this.fail('HPE_INVALID_CONSTANT', 'Invalid word encountered', i, data, i);
          }
          i++;
          this.matchIndex = k + 1;
          if (this.matchIndex === this.matchWord.length) {
            if (this.matchWord === 'HEAD') {
              this.type = REQUEST;
              this.method = 'HEAD';
              state = S_REQ_FIRST_SPACE;
            } else {
              this.type = RESPONSE;
              state = S_RES_HTTP_MAJOR;
            }
          }
          continue;
        }

        // ------------------------------------------------------- request-line
        case S_REQ_METHOD_START:
          // (execute's loop took the whole-method fast path if it could)
          this.matchWord = '';
          state = S_REQ_METHOD;
          continue;

        case S_REQ_METHOD: {
          c = data[i];
          const candidate = this.matchWord + String.fromCharCode(c);
          if (METHOD_PREFIXES.has(candidate)) {
            this.matchWord = candidate;
            i++;
            continue;
          }
          if (METHOD_NAMES.has(this.matchWord)) {
            this.method = this.matchWord;
            state = S_REQ_FIRST_SPACE;
            continue;
          }
          return this.fail('HPE_INVALID_METHOD', 'Invalid method encountered', i, data, i);
        }

        case S_REQ_FIRST_SPACE:
          if (data[i] !== SP) {
            return this.fail('HPE_INVALID_METHOD', 'Expected space after method', i, data, i);
          }
          i++;
          state = S_REQ_SPACES_BEFORE_URL;
          continue;

        case S_REQ_SPACES_BEFORE_URL:
          if (data[i] === SP) {
            i++;
            continue;
          }
          this.openSpan(SPAN_URL, i);
          state = this.method === 'CONNECT' ? S_URL_SERVER : S_URL_START;
          continue;

        case S_URL_START:
          c = data[i];
          if (c === SLASH || c === STAR) {
            i++;
            state = S_URL_PATH;
            continue;
          }
          if (alphaTable[c] === 1) {
            state = S_URL_SCHEMA;
            continue;
          }
          if (c === SP || c === CR || c === LF || c === HTAB || c === FF) {
            return this.fail('HPE_INVALID_URL', 'Invalid characters in url', i + 1, data, i);
          }
          return this.fail('HPE_INVALID_URL', 'Unexpected start char in url', i, data, i);

        case S_URL_SCHEMA:
          c = data[i];
          if (alphaTable[c] === 1) {
            i++;
            continue;
          }
          if (c === COLON) {
            i++;
            this.matchIndex = 0;
            state = S_URL_SCHEMA_DELIM;
            continue;
          }
          if (c === SP || c === CR || c === LF || c === HTAB || c === FF) {
            return this.fail('HPE_INVALID_URL', 'Invalid characters in url', i + 1, data, i);
          }
          return this.fail('HPE_INVALID_URL', 'Unexpected char in url schema', i, data, i);

        case S_URL_SCHEMA_DELIM:
          c = data[i];
          if (c === SLASH) {
            i++;
            if (this.matchIndex === 1) state = S_URL_SERVER;
            else this.matchIndex = 1;
            continue;
          }
          if (
            this.matchIndex === 0 &&
            (c === SP || c === CR || c === LF || c === HTAB || c === FF)
          ) {
            return this.fail('HPE_INVALID_URL', 'Invalid characters in url', i + 1, data, i);
          }
          return this.fail('HPE_INVALID_URL', 'Unexpected char in url schema', i, data, i);

        case S_URL_SERVER:
        case S_URL_SERVER_WITH_AT:
          c = data[i];
          if (serverCharTable[c] === 1) {
            i++;
            state = S_URL_SERVER;
            continue;
          }
          if (c === AT) {
            if (state === S_URL_SERVER_WITH_AT) {
              return this.fail('HPE_INVALID_URL', 'Double @ in url', i + 1, data, i);
            }
            i++;
            state = S_URL_SERVER_WITH_AT;
            continue;
          }
          if (c === SLASH) {
            i++;
            state = S_URL_PATH;
            continue;
          }
          if (c === QUESTION) {
            i++;
            state = S_URL_QUERY;
            continue;
          }
          if (c === SP || c === CR || c === LF) break; // end of request-target
          if (c === HTAB || c === FF) {
            return this.fail('HPE_INVALID_URL', 'Invalid characters in url', i + 1, data, i);
          }
          return this.fail('HPE_INVALID_URL', 'Unexpected char in url server', i, data, i);

        case S_URL_PATH:
          while (i < len && urlCharTable[data[i]] === 1) i++;
          if (i === len) continue;
          c = data[i];
          if (c === QUESTION) {
            i++;
            state = S_URL_QUERY;
            continue;
          }
          if (c === HASH) {
            i++;
            state = S_URL_FRAGMENT;
            continue;
          }
          if (c === SP || c === CR || c === LF) break;
          if (c === HTAB || c === FF) {
            return this.fail('HPE_INVALID_URL', 'Invalid characters in url', i + 1, data, i);
          }
          return this.fail('HPE_INVALID_URL', 'Invalid char in url path', i, data, i);

        case S_URL_QUERY:
          while (i < len && (urlCharTable[(c = data[i])] === 1 || c === QUESTION)) i++;
          if (i === len) continue;
          if (c === HASH) {
            i++;
            state = S_URL_FRAGMENT;
            continue;
          }
          if (c === SP || c === CR || c === LF) break;
          if (c === HTAB || c === FF) {
            return this.fail('HPE_INVALID_URL', 'Invalid characters in url', i + 1, data, i);
          }
          return this.fail('HPE_INVALID_URL', 'Invalid char in url query', i, data, i);

        case S_URL_FRAGMENT:
          while (i < len && (urlCharTable[(c = data[i])] === 1 || c === QUESTION || c === HASH)) {
            i++;
          }
          if (i === len) continue;
          if (c === SP || c === CR || c === LF) break;
          if (c === HTAB || c === FF) {
            return this.fail('HPE_INVALID_URL', 'Invalid characters in url', i + 1, data, i);
          }
          return this.fail('HPE_INVALID_URL', 'Invalid char in url fragment start', i, data, i);

        case S_URL_LF:
          if (data[i] !== LF) return this.fail('HPE_INVALID_URL', 'Expected CRLF', i, data, i);
          i++;
          this.httpMajor = 0;
          this.httpMinor = 9;
          state = S_URL_TO_HTTP09;
          continue;

        case S_URL_TO_HTTP:
        case S_URL_TO_HTTP09:
          // llhttp still reads this byte as part of the URL: HTAB and FF are rejected.
          c = data[i];
          if (c === HTAB || c === FF) {
            return this.fail('HPE_INVALID_URL', 'Invalid characters in url', i + 1, data, i);
          }
          state = state === S_URL_TO_HTTP ? S_REQ_HTTP_START : S_HEADERS_START;
          continue;

        case S_REQ_HTTP_START: {
          c = data[i];
          if (c === SP) {
            i++;
            continue;
          }
          // Fast path: "HTTP/1.1" CRLF (or 1.0).
          if (
            c === 0x48 &&
            i + 9 < len &&
            data[i + 1] === 0x54 &&
            data[i + 2] === 0x54 &&
            data[i + 3] === 0x50 &&
            data[i + 4] === SLASH &&
            data[i + 5] === 0x31 &&
            data[i + 6] === DOT &&
            (data[i + 7] === 0x31 || data[i + 7] === 0x30) &&
            data[i + 8] === CR &&
            data[i + 9] === LF &&
            HTTP_METHODS.has(this.method) &&
            this.method !== 'PRI'
          ) {
            this.httpMajor = 1;
            this.httpMinor = data[i + 7] - 0x30;
            i += 10;
            state = S_HEADERS_START;
            continue;
          }
          this.matchIndex = 0;
          state = S_REQ_PROTOCOL;
          continue;
        }

        case S_REQ_PROTOCOL:
        case S_RES_PROTOCOL: {
          c = data[i];
          const k = this.matchIndex;
          if (k === 0) {
            if (c === 0x48 /* H */) this.matchWord = PROTOCOLS[0];
            else if (c === 0x52 /* R */) this.matchWord = PROTOCOLS[1];
            else if (c === 0x49 /* I */) this.matchWord = PROTOCOLS[2];
            else {
              return this.fail('HPE_INVALID_CONSTANT', 'Expected HTTP/, RTSP/ or ICE/', i, data, i);
            }
          } else if (c !== this.matchWord.charCodeAt(k)) {
            return this.fail('HPE_INVALID_CONSTANT', 'Expected HTTP/, RTSP/ or ICE/', i, data, i);
          }
          i++;
          this.matchIndex = k + 1;
          if (this.matchIndex < this.matchWord.length) continue;
          if (state === S_RES_PROTOCOL) {
            state = S_RES_AFTER_PROTOCOL;
            continue;
          }
          // The protocol decides which methods are allowed.
          const protocol = this.matchWord;
          const m = this.method;
          if (
            protocol === 'HTTP' ? !HTTP_METHODS.has(m) : protocol === 'RTSP' && !RTSP_METHODS.has(m)
          ) {
            return this.fail(
              'HPE_INVALID_CONSTANT',
              `Invalid method for ${protocol}/x.x request`,
              i,
              data,
              i,
            );
          }
          if (protocol === 'ICE' && m !== 'SOURCE') {
            return this.fail(
              'HPE_INVALID_CONSTANT',
              'Expected SOURCE method for ICE/x.x request',
              i,
              data,
              i,
            );
          }
          state = S_REQ_AFTER_PROTOCOL;
          continue;
        }

        case S_REQ_AFTER_PROTOCOL:
        case S_RES_AFTER_PROTOCOL:
          if (data[i] !== SLASH) {
            return this.fail('HPE_INVALID_CONSTANT', 'Expected HTTP/, RTSP/ or ICE/', i, data, i);
          }
          i++;
          state = state === S_REQ_AFTER_PROTOCOL ? S_REQ_HTTP_MAJOR : S_RES_HTTP_MAJOR;
          continue;

        case S_REQ_HTTP_MAJOR:
        case S_RES_HTTP_MAJOR:
          c = data[i];
          if (c < 0x30 || c > 0x39) {
            return this.fail('HPE_INVALID_VERSION', 'Invalid major version', i, data, i);
          }
          this.httpMajor = c - 0x30;
          i++;
          state = state === S_REQ_HTTP_MAJOR ? S_REQ_HTTP_DOT : S_RES_HTTP_DOT;
          continue;

        case S_REQ_HTTP_DOT:
        case S_RES_HTTP_DOT:
          if (data[i] !== DOT) {
            return this.fail('HPE_INVALID_VERSION', 'Expected dot', i, data, i);
          }
          i++;
          state = state === S_REQ_HTTP_DOT ? S_REQ_HTTP_MINOR : S_RES_HTTP_MINOR;
          continue;

        case S_REQ_HTTP_MINOR:
        case S_RES_HTTP_MINOR:
          c = data[i];
          if (c < 0x30 || c > 0x39) {
            return this.fail('HPE_INVALID_VERSION', 'Invalid minor version', i, data, i);
          }
          this.httpMinor = c - 0x30;
          i++;
          if (this.badVersion()) {
            return this.fail('HPE_INVALID_VERSION', 'Invalid HTTP version', i, data, i);
          }
          if (state === S_RES_HTTP_MINOR) state = S_RES_AFTER_VERSION;
          else if (this.method === 'PRI') {
            this.matchIndex = 0;
            state = S_REQ_PRI_UPGRADE;
          } else state = S_REQ_HTTP_COMPLETE;
          continue;

        case S_REQ_HTTP_COMPLETE:
          c = data[i];
          if (c === CR) {
            i++;
            state = S_REQ_HTTP_COMPLETE_LF;
            continue;
          }
          if (c === LF) {
            if (this.lenient & LenientFlags.OPTIONAL_CR_BEFORE_LF) {
              i++;
              state = S_REQ_HTTP_COMPLETE_LF;
              continue;
            }
            return this.fail('HPE_INVALID_VERSION', 'Expected CRLF after version', i + 1, data, i);
          }
          return this.fail('HPE_INVALID_VERSION', 'Expected CRLF after version', i, data, i);

        case S_REQ_HTTP_COMPLETE_LF:
          if (data[i] === LF) {
            i++;
            state = S_HEADERS_START;
            continue;
          }
          if (this.lenient & LenientFlags.OPTIONAL_LF_AFTER_CR) {
            state = S_HEADERS_START;
            continue;
          }
          return this.fail('HPE_STRICT', 'Expected CRLF after version', i, data, i);

        case S_REQ_PRI_UPGRADE:
          if (data[i] !== HTTP2_PREFACE_REST.charCodeAt(this.matchIndex)) {
            return this.fail(
              'HPE_INVALID_VERSION',
              'Expected HTTP/2 Connection Preface',
              i,
              data,
              i,
            );
          }
          i++;
          if (++this.matchIndex === HTTP2_PREFACE_REST.length) {
            return this.fail('HPE_PAUSED_H2_UPGRADE', 'Pause on PRI/Upgrade', i, data, i);
          }
          continue;

        // -------------------------------------------------------- status-line
        case S_RES_AFTER_VERSION:
          if (data[i] !== SP) {
            return this.fail('HPE_INVALID_VERSION', 'Expected space after version', i, data, i);
          }
          i++;
          this.statusCode = 0;
          this.statusDigits = 0;
          state = S_RES_STATUS_CODE;
          continue;

        case S_RES_STATUS_CODE:
          c = data[i];
          if (c < 0x30 || c > 0x39) {
            return this.fail('HPE_INVALID_STATUS', 'Invalid status code', i, data, i);
          }
          this.statusCode = this.statusCode * 10 + (c - 0x30);
          i++;
          if (++this.statusDigits === 3) state = S_RES_STATUS_CODE_END;
          continue;

        case S_RES_STATUS_CODE_END:
          c = data[i];
          if (c === SP) {
            i++;
            this.openSpan(SPAN_STATUS, i);
            state = S_RES_REASON_PHRASE;
            continue;
          }
          if (c === CR) {
            i++;
            state = S_RES_LINE_LF;
            continue;
          }
          if (c === LF) {
            if (this.lenient & LenientFlags.OPTIONAL_CR_BEFORE_LF) {
              i++;
              state = S_HEADERS_START;
              continue;
            }
            return this.fail('HPE_INVALID_STATUS', 'Invalid response status', i + 1, data, i);
          }
          return this.fail('HPE_INVALID_STATUS', 'Invalid response status', i, data, i);

        case S_RES_REASON_PHRASE: {
          // reason-phrase: llhttp takes any byte up to CR or LF.
          while (i < len && (c = data[i]) !== CR && c !== LF) i++;
          if (i === len) continue;
          const err = this.closeSpan(data, i);
          if (err !== null) return err;
          this.statusMessage = this.spanText;
          i++;
          if (c === CR) {
            state = S_RES_LINE_LF;
            continue;
          }
          if (this.lenient & LenientFlags.OPTIONAL_CR_BEFORE_LF) {
            state = S_HEADERS_START;
            continue;
          }
          return this.fail(
            'HPE_CR_EXPECTED',
            'Missing expected CR after response line',
            i,
            data,
            i,
          );
        }

        case S_RES_LINE_LF:
          if (data[i] === LF || (data[i] === CR && this.llhttp931)) {
            i++;
            state = S_HEADERS_START;
            continue;
          }
          if (this.lenient & LenientFlags.OPTIONAL_LF_AFTER_CR) {
            state = S_HEADERS_START;
            continue;
          }
          return this.fail('HPE_STRICT', 'Expected LF after CR', i, data, i);

        // ------------------------------------------------------ field section
        case S_HEADERS_START:
          if (data[i] === SP) {
            if (this.lenient & LenientFlags.HEADERS) {
              i++;
              state = S_FIELD_LINE_START;
              continue;
            }
            return this.fail(
              'HPE_UNEXPECTED_SPACE',
              'Unexpected space after start line',
              i + 1,
              data,
              i,
            );
          }
          state = S_FIELD_LINE_START;
          continue;

        case S_FIELD_LINE_START: {
          c = data[i];
          if (c === CR) {
            i++;
            state = S_HEADERS_LF;
            continue;
          }
          if (c === LF) {
            if ((this.lenient & LenientFlags.OPTIONAL_CR_BEFORE_LF) === 0) {
              return this.fail(
                'HPE_INVALID_HEADER_TOKEN',
                'Invalid header field char',
                i + 1,
                data,
                i,
              );
            }
            i++;
            this.state = state;
            const r = this.endOfFieldSection(data, i);
            if (r !== 0) return r < 0 ? this.failValue() : i;
            state = this.state;
            continue;
          }
          if (c === COLON) {
            return this.fail('HPE_INVALID_HEADER_TOKEN', 'Invalid header token', i, data, i);
          }
          this.openSpan(SPAN_FIELD, i);
          this.fieldGeneral = false;
          state = S_FIELD_NAME;
          continue;
        }

        case S_FIELD_NAME: {
          while (i < len && tokenTable[data[i]] === 1) i++;
          if (i === len) continue;
          c = data[i];
          if (c === COLON) {
            const err = this.closeSpan(data, i);
            if (err !== null) return err;
            const name = this.spanText;
            this.headerState = this.fieldGeneral ? H_GENERAL : specialFieldState(name);
            this.addField(name);
            i++;
            const r = this.checkFieldConflicts(data, i);
            if (r !== null) return r;
            state = S_FIELD_VALUE_OWS;
            continue;
          }
          if (c === SP && !this.fieldGeneral) {
            // llhttp matched a special name exactly and then sees SP before ':'
            const sofar = this.spanText + latin1(data, this.spanStart, i);
            const special = specialFieldState(sofar);
            if (special !== H_GENERAL) {
              if (this.lenient & LenientFlags.HEADERS) {
                this.headerState = special;
                i++;
                state = S_FIELD_NAME_SPACES;
                continue;
              }
              // llhttp ends the name at the SP (so counts it) before this error.
              const err = this.countSpan(i - this.spanStart, i, data, i + 1);
              if (err !== null) return err;
              return this.fail(
                'HPE_INVALID_HEADER_TOKEN',
                'Invalid header field char',
                i + 1,
                data,
                i,
              );
            }
          }
          return this.fail('HPE_INVALID_HEADER_TOKEN', 'Invalid header token', i, data, i);
        }

        case S_FIELD_NAME_SPACES: {
          c = data[i];
          if (c === SP) {
            i++;
            continue;
          }
          if (c === COLON) {
            const err = this.closeSpan(data, i);
            if (err !== null) return err;
            this.addField(this.spanText);
            i++;
            const r = this.checkFieldConflicts(data, i);
            if (r !== null) return r;
            state = S_FIELD_VALUE_OWS;
            continue;
          }
          this.headerState = H_GENERAL;
          this.fieldGeneral = true;
          state = S_FIELD_NAME;
          continue;
        }

        case S_FIELD_VALUE_OWS:
          c = data[i];
          if (c === SP || c === HTAB) {
            i++;
            continue;
          }
          if (c === CR) {
            i++;
            state = S_FIELD_VALUE_OWS_LF;
            continue;
          }
          if (c === LF) {
            if (this.lenient & LenientFlags.OPTIONAL_CR_BEFORE_LF) {
              i++;
              state = S_FIELD_VALUE_OWS_AFTER_LF;
              continue;
            }
            return this.fail(
              'HPE_INVALID_HEADER_TOKEN',
              'Invalid header value char',
              i + 1,
              data,
              i,
            );
          }
          this.openSpan(SPAN_VALUE, i);
          this.fieldValue = '';
          state = this.fieldValueStart(data, i);
          if (state === S_DEAD) return this.failValue();
          continue;

        case S_FIELD_VALUE_OWS_LF:
          if (data[i] === LF) {
            i++;
            state = S_FIELD_VALUE_OWS_AFTER_LF;
            continue;
          }
          if (this.lenient & LenientFlags.HEADERS) {
            state = S_FIELD_VALUE_OWS_AFTER_LF;
            continue;
          }
          return this.fail('HPE_STRICT', 'Expected LF after CR', i, data, i);

        case S_FIELD_VALUE_OWS_AFTER_LF:
          c = data[i];
          if (c === SP || c === HTAB) {
            if (this.lenient & LenientFlags.HEADERS) {
              i++;
              state = S_FIELD_VALUE_OWS;
              continue;
            }
            return this.fail(
              'HPE_INVALID_HEADER_TOKEN',
              'Invalid header value char',
              i + 1,
              data,
              i,
            );
          }
          // An empty field value.
          if (this.headerState === H_CONTENT_LENGTH) {
            return this.fail('HPE_INVALID_CONTENT_LENGTH', 'Empty Content-Length', i, data, i);
          }
          if (this.headerState === H_TRANSFER_ENCODING && !this.llhttp931) {
            return this.fail(
              'HPE_INVALID_TRANSFER_ENCODING',
              'Empty Transfer-Encoding',
              i,
              data,
              i,
            );
          }
          this.setHeaderFlags();
          this.addValue('');
          state = S_FIELD_LINE_START;
          continue;

        case S_FIELD_VALUE:
          while (i < len && fieldValueTable[data[i]] === 1) i++;
          if (i === len) continue;
          state = this.fieldValueOtherwise(data, i);
          if (state === S_DEAD) return this.failValue();
          if (state !== S_FIELD_VALUE) {
            i = this.nextIndex;
          } else i++;
          continue;

        case S_FIELD_VALUE_LENIENT: {
          while (i < len && (c = data[i]) !== CR && c !== LF) i++;
          if (i === len) continue;
          const err = this.closeSpan(data, i);
          if (err !== null) return err;
          this.fieldValue += this.spanText;
          if (c === CR) i++;
          state = S_FIELD_VALUE_LF;
          continue;
        }

        case S_FIELD_VALUE_LF:
          if (data[i] !== LF) {
            return this.fail(
              'HPE_LF_EXPECTED',
              'Missing expected LF after header value',
              i,
              data,
              i,
            );
          }
          i++;
          state = S_FIELD_VALUE_AFTER_LF;
          continue;

        case S_FIELD_VALUE_AFTER_LF:
          c = data[i];
          if (c === SP || c === HTAB) {
            // obs-fold: only with LenientFlags.HEADERS; the fold joins the value.
            if ((this.lenient & LenientFlags.HEADERS) === 0) {
              return this.fail(
                'HPE_INVALID_HEADER_TOKEN',
                'Unexpected whitespace after header value',
                i,
                data,
                i,
              );
            }
            if (this.headerState === H_TRANSFER_ENCODING_CHUNKED) this.headerState = H_GENERAL;
            this.openSpan(SPAN_VALUE, i);
            state = this.fieldValueStart(data, i);
            if (state === S_DEAD) return this.failValue();
            continue;
          }
          this.setHeaderFlags();
          this.addValue(this.fieldValue);
          state = S_FIELD_LINE_START;
          continue;

        // Transfer-Encoding = #transfer-coding; is "chunked" the last one?
        case S_TE_CHUNKED: {
          c = data[i];
          const k = this.matchIndex;
          if ((c | 0x20) === CHUNKED.charCodeAt(k)) {
            i++;
            if (++this.matchIndex === CHUNKED.length) state = S_TE_CHUNKED_LAST;
            continue;
          }
          state = S_TE_TOKEN;
          continue;
        }

        case S_TE_CHUNKED_LAST:
          c = data[i];
          if (c === SP) {
            i++;
            continue;
          }
          if (c === CR || c === LF) {
            this.headerState = H_TRANSFER_ENCODING_CHUNKED;
            state = S_FIELD_VALUE;
            continue;
          }
          if (c === COMMA) {
            if (this.type === REQUEST && (this.lenient & LenientFlags.TRANSFER_ENCODING) === 0) {
              return this.fail(
                'HPE_INVALID_TRANSFER_ENCODING',
                'Invalid `Transfer-Encoding` header value',
                i + 1,
                data,
                i,
              );
            }
            this.matchIndex = 0;
            state = S_TE_CHUNKED;
            continue;
          }
          state = S_TE_TOKEN;
          continue;

        case S_TE_TOKEN:
          c = data[i];
          if (c === COMMA) {
            i++;
            state = S_TE_TOKEN_OWS;
            continue;
          }
          if (listTokenTable[c] === 1) {
            i++;
            continue;
          }
          this.headerState = H_GENERAL;
          state = S_FIELD_VALUE;
          continue;

        case S_TE_TOKEN_OWS:
          c = data[i];
          if (c === SP || c === HTAB) {
            i++;
            continue;
          }
          this.matchIndex = 0;
          state = S_TE_CHUNKED;
          continue;

        // Content-Length = 1*DIGIT
        case S_CONTENT_LENGTH:
          c = data[i];
          if (c >= 0x30 && c <= 0x39) {
            i++;
            if (!this.addDecimalDigit(c - 0x30)) {
              return this.fail('HPE_INVALID_CONTENT_LENGTH', 'Content-Length overflow', i, data, i);
            }
            continue;
          }
          state = S_CONTENT_LENGTH_OWS;
          continue;

        case S_CONTENT_LENGTH_OWS:
          c = data[i];
          if (c === SP || (c === HTAB && !this.llhttp931)) {
            i++;
            continue;
          }
          if (c === CR || c === LF) {
            this.flags |= F_CONTENT_LENGTH;
            state = S_FIELD_VALUE;
            continue;
          }
          return this.fail(
            'HPE_INVALID_CONTENT_LENGTH',
            'Invalid character in Content-Length',
            i,
            data,
            i,
          );

        // Connection = #connection-option; close / keep-alive / upgrade matter
        case S_CONNECTION: {
          c = data[i];
          const lower = c >= 0x41 && c <= 0x5a ? c | 0x20 : c;
          const k = this.matchIndex;
          if (k === 0) {
            if (c === SP || c === HTAB) {
              i++;
              continue;
            }
            const w =
              lower === 0x63 /* c */ ? 0 : lower === 0x75 /* u */ ? 1 : lower === 0x6b ? 2 : -1;
            if (w < 0) {
              state = S_CONNECTION_TOKEN;
              continue;
            }
            this.matchWord = CONNECTION_TOKENS[w];
            this.matchIndex = 1;
            i++;
            continue;
          }
          if (lower === this.matchWord.charCodeAt(k)) {
            i++;
            if (++this.matchIndex === this.matchWord.length) {
              this.headerState = CONNECTION_TOKEN_STATES[CONNECTION_TOKENS.indexOf(this.matchWord)];
              state = S_CONNECTION_OWS;
            }
            continue;
          }
          this.matchIndex = 0;
          state = S_CONNECTION_TOKEN;
          continue;
        }

        case S_CONNECTION_OWS:
          c = data[i];
          if (c === COMMA) {
            this.setHeaderFlags();
            i++;
            this.matchIndex = 0;
            state = S_CONNECTION;
            continue;
          }
          if (c === SP || (c === HTAB && !this.llhttp931)) {
            i++;
            continue;
          }
          if (c === CR || c === LF) {
            state = S_FIELD_VALUE;
            continue;
          }
          this.headerState = H_GENERAL;
          state = S_CONNECTION_TOKEN;
          continue;

        case S_CONNECTION_TOKEN:
          c = data[i];
          if (c === COMMA) {
            i++;
            this.matchIndex = 0;
            state = S_CONNECTION;
            continue;
          }
          if (listTokenTable[c] === 1) {
            i++;
            continue;
          }
          state = S_FIELD_VALUE;
          continue;

        case S_HEADERS_LF: {
          if (data[i] === LF) i++;
          else if ((this.lenient & LenientFlags.OPTIONAL_LF_AFTER_CR) === 0) {
            return this.fail('HPE_STRICT', 'Expected LF after headers', i, data, i);
          }
          this.state = state;
          const r = this.endOfFieldSection(data, i);
          if (r !== 0) return r < 0 ? this.failValue() : i;
          state = this.state;
          continue;
        }

        // ------------------------------------------------------- message-body
        case S_BODY_IDENTITY_EOF:
          this.state = state;
          this.onBody(data.subarray(i, len));
          i = len;
          if (this.paused) return i;
          continue;

        case S_CHUNK_SIZE_START: {
          const d = hexValueTable[data[i]];
          if (d < 0) {
            return this.fail(
              'HPE_INVALID_CHUNK_SIZE',
              'Invalid character in chunk size',
              i,
              data,
              i,
            );
          }
          this.contentLength = d;
          this.bigLength = null;
          this.lengthDigits = d === 0 ? 0 : 1;
          this.chunkExtBytes = 0;
          i++;
          state = S_CHUNK_SIZE;
          continue;
        }

        case S_CHUNK_SIZE: {
          const d = hexValueTable[data[i]];
          if (d >= 0) {
            i++;
            if (!this.addHexDigit(d)) {
              return this.fail('HPE_INVALID_CHUNK_SIZE', 'Chunk size overflow', i, data, i);
            }
            continue;
          }
          state = S_CHUNK_SIZE_OWS;
          continue;
        }

        case S_CHUNK_SIZE_OWS:
          c = data[i];
          if (c === SP || c === HTAB) {
            if (this.lenient & LenientFlags.SPACES_AFTER_CHUNK_SIZE) {
              i++;
              continue;
            }
            return this.fail(
              'HPE_INVALID_CHUNK_SIZE',
              'Invalid character in chunk size',
              i + 1,
              data,
              i,
            );
          }
          if (c === CR) {
            i++;
            state = S_CHUNK_SIZE_LF;
            continue;
          }
          if (c === LF) {
            if (this.lenient & LenientFlags.OPTIONAL_CR_BEFORE_LF) {
              i++;
              state = S_CHUNK_SIZE_LF;
              continue;
            }
            return this.fail(
              'HPE_CR_EXPECTED',
              'Missing expected CR after chunk size',
              i + 1,
              data,
              i,
            );
          }
          if (c === SEMI) {
            i++;
            state = S_CHUNK_EXTENSIONS;
            continue;
          }
          return this.fail('HPE_INVALID_CHUNK_SIZE', 'Invalid character in chunk size', i, data, i);

        case S_CHUNK_EXTENSIONS:
          c = data[i];
          if (c === SP || c === CR) {
            return this.fail('HPE_STRICT', 'Invalid character in chunk extensions', i + 1, data, i);
          }
          this.openSpan(SPAN_CHUNK_EXT, i);
          state = S_CHUNK_EXT_NAME;
          continue;

        // A chunk extension's name, its value, and the byte after a quoted value
        // `break` out of the switch at the byte c = data[i] that ends them.
        case S_CHUNK_EXT_NAME: {
          while (i < len && tokenTable[data[i]] === 1) i++;
          if (i === len) continue;
          c = data[i];
          const err = this.closeSpan(data, i);
          if (err !== null) return err;
          if (c === EQUALS) {
            i++;
            this.openSpan(SPAN_CHUNK_EXT, i);
            state = S_CHUNK_EXT_VALUE;
            continue;
          }
          break; // the extension ends: below the switch
        }

        case S_CHUNK_EXT_VALUE: {
          while (i < len && tokenTable[data[i]] === 1) i++;
          if (i === len) continue;
          c = data[i];
          if (c === DQUOTE) {
            i++;
            state = S_CHUNK_EXT_QUOTED_VALUE;
            continue;
          }
          const err = this.closeSpan(data, i);
          if (err !== null) return err;
          break; // the extension ends: below the switch
        }

        case S_CHUNK_EXT_QUOTED_VALUE_DONE:
          c = data[i];
          break; // the extension ends: below the switch

        case S_CHUNK_EXT_QUOTED_VALUE: {
          while (i < len && qdtextTable[data[i]] === 1) i++;
          if (i === len) continue;
          c = data[i];
          if (c === BACKSLASH) {
            i++;
            state = S_CHUNK_EXT_QUOTED_PAIR;
            continue;
          }
          if (c === DQUOTE) {
            i++;
            const err = this.closeSpan(data, i);
            if (err !== null) return err;
            state = S_CHUNK_EXT_QUOTED_VALUE_DONE;
            continue;
          }
          const err = this.closeSpan(data, i);
          if (err !== null) return err;
          return this.fail(
            'HPE_STRICT',
            'Invalid character in chunk extensions quoted value',
            i + 1,
            data,
            i,
          );
        }

        case S_CHUNK_EXT_QUOTED_PAIR:
          if (quotedPairTable[data[i]] !== 1) {
            const err = this.closeSpan(data, i);
            if (err !== null) return err;
            return this.fail(
              'HPE_STRICT',
              'Invalid quoted-pair in chunk extensions quoted value',
              i + 1,
              data,
              i,
            );
          }
          i++;
          state = S_CHUNK_EXT_QUOTED_VALUE;
          continue;

        case S_CHUNK_SIZE_LF:
          if (data[i] === LF) i++;
          else if ((this.lenient & LenientFlags.OPTIONAL_LF_AFTER_CR) === 0) {
            return this.fail('HPE_STRICT', 'Expected LF after chunk size', i, data, i);
          }
          // chunk header complete
          this.headerBytes = 0;
          if (this.contentLength === 0) {
            this.flags |= F_TRAILING;
            this.fieldCount = 0;
            state = S_FIELD_LINE_START;
          } else {
            state = S_CHUNK_DATA;
          }
          continue;

        case S_CHUNK_DATA_CRLF:
          c = data[i];
          if (this.matchIndex === 0) {
            if (c === CR) {
              i++;
              this.matchIndex = 1;
              continue;
            }
            if (c === LF) {
              if (this.lenient & LenientFlags.OPTIONAL_CR_BEFORE_LF) {
                i++;
                state = S_CHUNK_SIZE_START;
                continue;
              }
              return this.fail(
                'HPE_CR_EXPECTED',
                'Missing expected CR after chunk data',
                i + 1,
                data,
                i,
              );
            }
          } else if (c === LF) {
            i++;
            state = S_CHUNK_SIZE_START;
            continue;
          }
          if (this.lenient & LenientFlags.OPTIONAL_CRLF_AFTER_CHUNK) {
            state = S_CHUNK_SIZE_START;
            continue;
          }
          return this.fail('HPE_STRICT', 'Expected LF after chunk data', i, data, i);

        default:
          // S_DEAD / S_UPGRADED: nothing more to read
          this.state = state;
          return i;
      }

      // `break` out of the switch: a chunk extension ends at c = data[i]: `;`
      // starts the next one, CR ends the chunk-size line (a bare LF only when
      // lenient); badChunkExtEnd reports anything else.
      if (state >= S_CHUNK_EXT_NAME) {
        if (c === SEMI) {
          i++;
          state = S_CHUNK_EXTENSIONS;
          continue;
        }
        if (c === CR) {
          i++;
          state = S_CHUNK_SIZE_LF;
          continue;
        }
        if (c === LF && this.lenient & LenientFlags.OPTIONAL_CR_BEFORE_LF) {
          state = S_CHUNK_SIZE_LF;
          continue;
        }
        return this.badChunkExtEnd(state, c, data, i);
      }
      // Otherwise the request-target ends at SP, CR or LF.
      {
        const err = this.closeSpan(data, i);
        if (err !== null) return err;
        this.url = this.spanText;
        c = data[i];
        i++;
        if (c === SP) {
          state = S_URL_TO_HTTP;
        } else if (c === CR) {
          state = S_URL_LF;
        } else if (this.lenient & LenientFlags.OPTIONAL_CR_BEFORE_LF || this.llhttp931) {
          // HTTP/0.9 request-line ended by a bare LF
          this.httpMajor = 0;
          this.httpMinor = 9;
          state = S_URL_TO_HTTP09;
        } else {
          // Current llhttp rejects a bare LF here; llhttp 9.3.1 (Node 20) accepts it.
          return this.fail('HPE_CR_EXPECTED', 'Missing expected CR after request line', i, data, i);
        }
      }
    }

    this.state = state;
    // A span still open at the end of the input keeps its text for the next call.
    if (this.spanKind !== SPAN_NONE && this.spanStart < len) {
      const kind = this.spanKind;
      kind === SPAN_CHUNK_EXT || this.appendSpan(data, this.spanStart, len);
      const err = this.countSpan(len - this.spanStart, len, data);
      if (err !== null) return err;
      this.spanStart = len;
    }
    return len;
  }

  /**
   * A chunk extension's name or value (in `state`) ended at `c` (data[i]),
   * neither `;`, CR nor an allowed bare LF: fails as llhttp does.
   */
  private badChunkExtEnd(state: number, c: number, data: Buffer, i: number): ParseError | number {
    if (c === LF) {
      const reason =
        state === S_CHUNK_EXT_NAME
          ? 'Missing expected CR after chunk extension name'
          : 'Missing expected CR after chunk extension value';
      return this.fail('HPE_CR_EXPECTED', reason, i, data, i);
    }
    if (state === S_CHUNK_EXT_NAME) {
      return this.fail(
        'HPE_STRICT',
        'Invalid character in chunk extensions name',
        i + 1,
        data,
        i + 1,
      );
    }
    if (state === S_CHUNK_EXT_VALUE) {
      return this.fail(
        'HPE_STRICT',
        'Invalid character in chunk extensions value',
        i + 1,
        data,
        i + 1,
      );
    }
    // after a quoted value llhttp reports the bad byte itself
    return this.fail('HPE_STRICT', 'Invalid character in chunk extensions quote value', i, data, i);
  }

  /** Where an error turned into an upgrade stop left the input. */
  private stopPos = 0;

  /** What execute returns after a helper failed. */
  private failValue(): ParseError | number {
    return this.error ?? this.stopPos;
  }

  /** Set by fieldValueOtherwise: where reading continues. */
  private nextIndex = 0;

  /**
   * The first byte of a field value (or of an obs-fold continuation), not
   * consumed: what it means depends on the field (llhttp's header_value_start).
   */
  private fieldValueStart(data: Buffer, i: number): number {
    switch (this.headerState) {
      case H_UPGRADE:
        this.flags |= F_UPGRADE;
        this.headerState = H_GENERAL;
        return S_FIELD_VALUE;
      case H_TRANSFER_ENCODING:
        if (
          this.flags & F_CHUNKED &&
          this.type === REQUEST &&
          (this.lenient & LenientFlags.TRANSFER_ENCODING) === 0
        ) {
          this.fail(
            'HPE_INVALID_TRANSFER_ENCODING',
            'Invalid `Transfer-Encoding` header value',
            i + 1,
            data,
            i,
          );
          return S_DEAD;
        }
        this.flags = (this.flags | F_TRANSFER_ENCODING) & ~F_CHUNKED;
        this.matchIndex = 0;
        return S_TE_CHUNKED;
      case H_CONTENT_LENGTH:
        if (this.flags & F_CONTENT_LENGTH) {
          this.fail('HPE_UNEXPECTED_CONTENT_LENGTH', 'Duplicate Content-Length', i, data, i);
          return S_DEAD;
        }
        return S_CONTENT_LENGTH;
      case H_CONNECTION:
        this.matchIndex = 0;
        return S_CONNECTION;
      default:
        return S_FIELD_VALUE;
    }
  }

  /**
   * A byte that ends or breaks a field value (llhttp's header_value_otherwise):
   * CR / LF end it, anything else is invalid unless a lenient flag allows it.
   * Returns the next state and sets this.nextIndex.
   */
  private fieldValueOtherwise(data: Buffer, i: number): number {
    const c = data[i];
    if (c === CR || c === LF) {
      if (c === LF && (this.lenient & LenientFlags.OPTIONAL_CR_BEFORE_LF) === 0) {
        this.fail('HPE_CR_EXPECTED', 'Missing expected CR after header value', i, data, i);
        return S_DEAD;
      }
      const err = this.closeSpan(data, i);
      if (err !== null) return S_DEAD;
      this.fieldValue += this.spanText;
      this.nextIndex = c === CR ? i + 1 : i;
      return S_FIELD_VALUE_LF;
    }
    if (this.lenient & LenientFlags.HEADERS) {
      this.nextIndex = i;
      return S_FIELD_VALUE_LENIENT;
    }
    if (this.lenient & LenientFlags.HEADER_VALUE_RELAXED && relaxedValueTable[c] === 1) {
      return S_FIELD_VALUE; // caller consumes the byte
    }
    this.fail('HPE_INVALID_HEADER_TOKEN', 'Invalid header value char', i, data, i);
    return S_DEAD;
  }

  /** Transfer-Encoding and Content-Length must not meet (request smuggling). */
  private checkFieldConflicts(data: Buffer, i: number): ParseError | number | null {
    if (this.lenient & LenientFlags.CHUNKED_LENGTH) return null;
    if (this.headerState === H_TRANSFER_ENCODING && this.flags & F_CONTENT_LENGTH) {
      return this.fail(
        'HPE_INVALID_TRANSFER_ENCODING',
        "Transfer-Encoding can't be present with Content-Length",
        i,
        data,
        i,
      );
    }
    if (this.headerState === H_CONTENT_LENGTH && this.flags & F_TRANSFER_ENCODING) {
      return this.fail(
        'HPE_INVALID_CONTENT_LENGTH',
        "Content-Length can't be present with Transfer-Encoding",
        i,
        data,
        i,
      );
    }
    return null;
  }

  /**
   * The empty line after the fields: headers complete, or, after the last
   * chunk, the end of the trailers and of the message. Returns 0 to go on
   * (next state in this.state), 1 to stop (paused or upgrade), -1 on error.
   */
  private endOfFieldSection(data: Buffer, i: number): number {
    if (this.flags & F_TRAILING) {
      return this.messageDone() ? 1 : 0;
    }
    // llhttp__before_headers_complete
    if (this.flags & F_UPGRADE && this.flags & F_CONNECTION_UPGRADE) {
      this.upgradeHeader = this.type === REQUEST || this.statusCode === 101;
    } else {
      this.upgradeHeader = this.method === 'CONNECT';
    }
    this.headerBytes = 0;
    this.fieldCount = 0;
    const isRequest = this.type === REQUEST;
    this.state = S_HEADERS_DONE;
    const ret = this.onHeadersComplete(
      this.httpMajor,
      this.httpMinor,
      this.headers,
      isRequest ? this.method : undefined,
      isRequest ? this.url : undefined,
      this.statusCode,
      this.statusMessage,
      this.upgradeHeader,
      this.shouldKeepAlive(),
    );
    if (ret === 1) this.flags |= F_SKIPBODY;
    else if (ret === 2) {
      this.upgradeHeader = true;
      this.flags |= F_SKIPBODY;
    }
    if (this.paused) return 1;
    return this.afterHeaders(data, i);
  }

  /** Decides the body framing; see endOfFieldSection for the return value. */
  private afterHeaders(data: Buffer, i: number): number {
    switch (this.bodyFraming()) {
      case 1:
        this.state = S_MESSAGE_DONE;
        this.upgradeHeader = true;
        return this.messageDone() ? 1 : 0;
      case 2:
        this.state = S_CHUNK_SIZE_START;
        return 0;
      case 3:
        this.state = S_BODY_IDENTITY;
        return 0;
      case 4:
        this.finishState = FINISH_SAFE_WITH_CB;
        this.state = S_BODY_IDENTITY_EOF;
        return 0;
      case 5:
        this.fail(
          'HPE_INVALID_TRANSFER_ENCODING',
          'Request has invalid `Transfer-Encoding`',
          i,
          data,
          i,
        );
        return -1;
      default:
        this.state = S_MESSAGE_DONE;
        return this.messageDone() ? 1 : 0;
    }
  }

  /** onMessageComplete, then the next message, the closed state, or a stop for upgrade. True = stop. */
  private messageDone(): boolean {
    const upgrade = this.upgradeHeader;
    this.upgrade = upgrade;
    this.state = upgrade ? S_UPGRADED : S_START;
    this.onMessageComplete(this.takeTrailers());
    this.releaseMessage();
    if (upgrade) return true;
    if (this.state === S_START) this.cleanup();
    return this.paused;
  }

  /**
   * Lets go of what the finished message's strings hang on: its fields and
   * URL (sliced from blockStr, so they keep that whole string alive) and
   * blockStr itself. Otherwise every idle keep-alive parser holds them until
   * its next message, and each young-generation GC copies them all over
   * again (the consumer has its own references for as long as it wants them).
   */
  private releaseMessage(): void {
    this.url = '';
    this.statusMessage = '';
    // Not a new array: beginMessage() gives the next message its own.
    this.headers = NO_FIELDS;
    this.fieldName = '';
    this.fieldValue = '';
    this.blockStr = '';
    this.blockEnd = -1;
  }

  /** llhttp's cleanup: keep-alive decides whether another message may follow. */
  private cleanup(): void {
    const keepAlive = this.shouldKeepAlive();
    this.finishState = FINISH_SAFE;
    this.flags = 0;
    if (keepAlive) {
      this.contentLength = 0;
      this.bigLength = null;
      this.state = S_START;
    } else if (this.lenient & LenientFlags.KEEP_ALIVE) {
      this.state = S_START;
    } else {
      this.state = S_CLOSED;
    }
  }
}
