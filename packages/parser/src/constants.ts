/**
 * The constants llhttp exposes, with llhttp's own values, so a bitmask or a
 * code written for Node's parser means the same thing here.
 */

/**
 * llhttp's lenient flags (`llhttp_lenient_flags`). Each one relaxes exactly
 * one strict rule; combine them with `|` and pass the result as
 * `options.lenient`.
 */
export const LenientFlags = {
  NONE: 0,
  /** Invalid bytes in header values, obs-fold, spaces before the colon of special headers. */
  HEADERS: 0x1,
  /** `Content-Length` together with `Transfer-Encoding`. */
  CHUNKED_LENGTH: 0x2,
  /** Keep parsing after a message that asked to close the connection. */
  KEEP_ALIVE: 0x4,
  /** Request `Transfer-Encoding` that does not end in `chunked`. */
  TRANSFER_ENCODING: 0x8,
  /** Any `HTTP/x.y` version, not only 0.9, 1.0, 1.1 and 2.0. */
  VERSION: 0x10,
  /** Ignore bytes after a message that closes the connection. */
  DATA_AFTER_CLOSE: 0x20,
  /** A CR not followed by LF ends a line. */
  OPTIONAL_LF_AFTER_CR: 0x40,
  /** Chunk data not followed by CRLF. */
  OPTIONAL_CRLF_AFTER_CHUNK: 0x80,
  /** A bare LF ends a line. */
  OPTIONAL_CR_BEFORE_LF: 0x100,
  /** Spaces or tabs between a chunk size and its CRLF or `;`. */
  SPACES_AFTER_CHUNK_SIZE: 0x200,
  /**
   * Control characters other than NUL, CR and LF inside header values
   * (current llhttp; llhttp 9.3.1 in Node 20 does not have this flag).
   */
  HEADER_VALUE_RELAXED: 0x400,
  /**
   * What Node turns on for `insecureHTTPParser: true` / `--insecure-http-parser`
   * (`kLenientAll` in Node 20: every flag above except HEADER_VALUE_RELAXED).
   */
  INSECURE: 0x3ff,
  /** Every flag. */
  ALL: 0x7ff,
} as const;

/** llhttp's error codes (`llhttp_errno`), by name. */
export const ErrorCodes = {
  HPE_OK: 0,
  HPE_INTERNAL: 1,
  HPE_STRICT: 2,
  HPE_CR_EXPECTED: 25,
  HPE_LF_EXPECTED: 3,
  HPE_UNEXPECTED_CONTENT_LENGTH: 4,
  HPE_UNEXPECTED_SPACE: 30,
  HPE_CLOSED_CONNECTION: 5,
  HPE_INVALID_METHOD: 6,
  HPE_INVALID_URL: 7,
  HPE_INVALID_CONSTANT: 8,
  HPE_INVALID_VERSION: 9,
  HPE_INVALID_HEADER_TOKEN: 10,
  HPE_INVALID_CONTENT_LENGTH: 11,
  HPE_INVALID_CHUNK_SIZE: 12,
  HPE_INVALID_STATUS: 13,
  HPE_INVALID_EOF_STATE: 14,
  HPE_INVALID_TRANSFER_ENCODING: 15,
  HPE_CB_HEADERS_COMPLETE: 17,
  HPE_PAUSED: 21,
  HPE_PAUSED_UPGRADE: 22,
  HPE_PAUSED_H2_UPGRADE: 23,
  HPE_USER: 24,
  /** Not llhttp's: raised by Node's binding (and by us) past `maxHeaderSize`. */
  HPE_HEADER_OVERFLOW: -1,
  /** Not llhttp's: raised by Node's binding (and by us) past 16 KiB of chunk extensions. */
  HPE_CHUNK_EXTENSIONS_OVERFLOW: -2,
} as const;

export type ErrorCode = keyof typeof ErrorCodes;

/**
 * Every method llhttp knows, in llhttp's numbering (`llhttp_method`): the
 * index in this array is llhttp's method number.
 */
export const LLHTTP_METHODS: readonly string[] = [
  'DELETE',
  'GET',
  'HEAD',
  'POST',
  'PUT',
  'CONNECT',
  'OPTIONS',
  'TRACE',
  'COPY',
  'LOCK',
  'MKCOL',
  'MOVE',
  'PROPFIND',
  'PROPPATCH',
  'SEARCH',
  'UNLOCK',
  'BIND',
  'REBIND',
  'UNBIND',
  'ACL',
  'REPORT',
  'MKACTIVITY',
  'CHECKOUT',
  'MERGE',
  'M-SEARCH',
  'NOTIFY',
  'SUBSCRIBE',
  'UNSUBSCRIBE',
  'PATCH',
  'PURGE',
  'MKCALENDAR',
  'LINK',
  'UNLINK',
  'SOURCE',
  'PRI',
  'DESCRIBE',
  'ANNOUNCE',
  'SETUP',
  'PLAY',
  'PAUSE',
  'TEARDOWN',
  'GET_PARAMETER',
  'SET_PARAMETER',
  'REDIRECT',
  'RECORD',
  'FLUSH',
  'QUERY',
];

/** Methods allowed with `HTTP/x.y` (llhttp's METHODS_HTTP). */
export const HTTP_METHODS: ReadonlySet<string> = new Set(
  LLHTTP_METHODS.slice(0, 35).concat('QUERY'),
);

/** Methods allowed with `RTSP/x.y` (llhttp's METHODS_RTSP, GET and POST for AirPlay). */
export const RTSP_METHODS: ReadonlySet<string> = new Set([
  'OPTIONS',
  'DESCRIBE',
  'ANNOUNCE',
  'SETUP',
  'PLAY',
  'PAUSE',
  'TEARDOWN',
  'GET_PARAMETER',
  'SET_PARAMETER',
  'REDIRECT',
  'RECORD',
  'FLUSH',
  'GET',
  'POST',
]);

/** Node's binding caps chunk extensions (names and values) per chunk at 16 KiB. */
export const MAX_CHUNK_EXTENSIONS_SIZE = 16384;

/** Node's default `maxHeaderSize` (`--max-http-header-size`). */
export const DEFAULT_MAX_HEADER_SIZE = 16384;
