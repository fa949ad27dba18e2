/**
 * The header-block serialiser of `OutgoingMessage._storeHeader` and
 * `addTrailers`: turns a store (or the object / array given to `writeHead`)
 * into `Name: value\r\n` lines, with Node's rules (`_http_outgoing.js`):
 *
 * - names keep the caller's casing;
 * - an array value becomes one line per element, except a `cookie` array of
 *   two or more and the fields listed in `uniqueHeaders`, which are joined
 *   with `; ` into one line;
 * - headers passed directly (not a store) are validated as they are written;
 * - while writing, the fields that steer framing are noted in a
 *   {@link HeaderBlockState} (Node's `state` plus what `matchHeader` sets on
 *   the message), so the caller can decide Connection / Content-Length /
 *   Transfer-Encoding without scanning again.
 */
import { Buffer } from 'node:buffer';
import { ERR_INVALID_ARG_VALUE, ERR_INVALID_CHAR } from './errors.js';
import { knownLowerCase, lowerCaseHeaderName } from './names.js';
import { type OutgoingHeaderEntry, OutgoingHeaders } from './outgoing.js';
import { checkInvalidHeaderChar, validateHeaderName, validateHeaderValue } from './validate.js';

/**
 * What the serialiser saw while writing a header block. Node keeps the first
 * six in `_storeHeader`'s `state` and applies the rest to the message in
 * `matchHeader`; here the caller applies them:
 *
 * - `connectionClose` → `msg._last = true`; `connectionKeepAlive` →
 *   `msg.shouldKeepAlive = true`; `connection` → `msg._removedConnection = false`
 * - `chunked` → `msg.chunkedEncoding = true`; `te` → `msg._removedTE = false`
 * - `contLen` → `msg._contentLength = contentLength; msg._removedContLen = false`
 * - `keepAlive` (a Keep-Alive field) → `msg._defaultKeepAlive = false`
 */
export class HeaderBlockState {
  /** A Connection field was written. */
  connection = false;
  /** Some Connection value contains the token `close`. */
  connectionClose = false;
  /** Some Connection value does not contain `close`. */
  connectionKeepAlive = false;
  /** A Transfer-Encoding field was written. */
  te = false;
  /** Some Transfer-Encoding value contains the token `chunked`. */
  chunked = false;
  /** A Content-Length field was written. */
  contLen = false;
  /**
   * In: the message's `_contentLength` before serialising (null when unset).
   * Out: `+value` of the last Content-Length written, else unchanged. Node
   * consults it mid-block: Content-Disposition is re-encoded when it is set.
   */
  contentLength: number | null = null;
  /** A Date field was written. */
  date = false;
  /** An Expect field was written. */
  expect = false;
  /** A Trailer field was written. */
  trailer = false;
  /** A Keep-Alive field was written. */
  keepAlive = false;

  /** Clears every flag and sets `contentLength` for a new block. */
  reset(contentLength: number | null = null): this {
    this.connection = false;
    this.connectionClose = false;
    this.connectionKeepAlive = false;
    this.te = false;
    this.chunked = false;
    this.contLen = false;
    this.contentLength = contentLength;
    this.date = false;
    this.expect = false;
    this.trailer = false;
    this.keepAlive = false;
    return this;
  }
}

function isWordChar(c: number): boolean {
  // \w without the u flag: [A-Za-z0-9_]
  return (
    (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c === 0x5f
  );
}

/**
 * True when `value` (as a string) contains `word` — given in lower case,
 * ASCII — case-insensitively, with no word character (`[A-Za-z0-9_]`) right
 * before or after it. The same as Node's `/(?:^|\W)word(?:$|\W)/i`, which it
 * uses for `close` in Connection, `chunked` in Transfer-Encoding and
 * `100-continue` in Expect, without a regex.
 */
export function containsHeaderToken(value: unknown, word: string): boolean {
  const s = typeof value === 'string' ? value : `${value}`;
  const wl = word.length;
  const last = s.length - wl;
  const first = word.charCodeAt(0);
  outer: for (let i = 0; i <= last; i++) {
    let c = s.charCodeAt(i);
    if (c >= 0x41 && c <= 0x5a) c |= 0x20;
    if (c !== first) continue;
    if (i > 0 && isWordChar(s.charCodeAt(i - 1))) continue;
    for (let j = 1; j < wl; j++) {
      let d = s.charCodeAt(i + j);
      if (d >= 0x41 && d <= 0x5a) d |= 0x20;
      if (d !== word.charCodeAt(j)) continue outer;
    }
    if (i + wl === s.length || !isWordChar(s.charCodeAt(i + wl))) return true;
  }
  return false;
}

// Used when the caller passes no state.
const scratchState = new HeaderBlockState();

// Records in `state` what a written field means for framing.
function noteFraming(state: HeaderBlockState, lower: string, value: unknown): void {
  switch (lower) {
    case 'connection':
      state.connection = true;
      if (containsHeaderToken(value, 'close')) state.connectionClose = true;
      else state.connectionKeepAlive = true;
      break;
    case 'transfer-encoding':
      state.te = true;
      if (containsHeaderToken(value, 'chunked')) state.chunked = true;
      break;
    case 'content-length':
      state.contLen = true;
      state.contentLength = +(value as number);
      break;
    case 'date':
      state.date = true;
      break;
    case 'expect':
      state.expect = true;
      break;
    case 'trailer':
      state.trailer = true;
      break;
    case 'keep-alive':
      state.keepAlive = true;
      break;
  }
}

type UniqueHeaders = ReadonlySet<string> | null | undefined;

// One `Name: value\r\n` line. `+`, not a template: Node converts the value
// with `+` (valueOf before toString for objects), and so must we.
function fieldLine(
  state: HeaderBlockState,
  name: string,
  lower: string | null,
  value: unknown,
  validate: boolean,
): string {
  if (validate) validateHeaderValue(name, value);
  // biome-ignore lint/style/useTemplate: see above
  const line = name + ': ' + (value as string) + '\r\n';
  // Every framing field name is 4 ('date') to 17 ('transfer-encoding') long:
  // other lengths need no lower-casing.
  const len = name.length;
  if (len >= 4 && len <= 17) {
    noteFraming(state, lower === null ? lowerCaseHeaderName(name) : lower, value);
  }
  return line;
}

/**
 * Lines of validated single-string fields, by slot: handlers send the same
 * fields with the same values on every response, and a value `===` to one
 * already validated is valid (validation reads only its characters), so its
 * line is reused, flat, instead of checked and joined again. Direct-mapped on
 * the two lengths; a collision only replaces the slot.
 */
const SLOTS = 8;
const slotName: string[] = new Array(SLOTS).fill('');
const slotValue: string[] = new Array(SLOTS).fill('');
const slotLower: (string | null)[] = new Array(SLOTS).fill(null);
const slotLine: string[] = new Array(SLOTS).fill('');

// All lines of one field; `lower` is its lower-cased name when known.
function fieldLines(
  state: HeaderBlockState,
  unique: UniqueHeaders,
  name: string,
  lower: string | null,
  value: unknown,
  validate: boolean,
): string {
  const cacheable =
    validate && typeof value === 'string' && typeof name === 'string' && name.length !== 19;
  let slot = 0;
  if (cacheable) {
    slot = (name.length + (value as string).length) & (SLOTS - 1);
    if (slotName[slot] === name && slotValue[slot] === value) {
      const len = name.length;
      if (len >= 4 && len <= 17) {
        const known = slotLower[slot];
        noteFraming(state, known === null ? lowerCaseHeaderName(name) : known, value);
      }
      return slotLine[slot];
    }
  }
  if (validate) {
    // A common name (canonical or lower-case spelling) is a valid token, and
    // the lookup that says so gives its lower-case form for what follows.
    const known = knownLowerCase(name);
    if (known !== undefined) lower = known;
    else validateHeaderName(name);
  }
  // RFC 6266 §4.3: with a Content-Length set, Node re-encodes
  // Content-Disposition via a latin1 Buffer (nodejs/node#46528); its string
  // form is the UTF-8 decoding of those bytes. (Node also writes the Buffers
  // back into the stored array; this leaves the store alone.)
  if (state.contentLength && name.length === 19 && isContentDisposition(name, lower)) {
    value = latin1Bytes(value);
  }
  if (!Array.isArray(value)) {
    const line = fieldLine(state, name, lower, value, validate);
    if (cacheable) {
      slotName[slot] = name;
      slotValue[slot] = value as string;
      slotLower[slot] = lower;
      // Reading a character flattens the joined line once, here.
      line.charCodeAt(0);
      slotLine[slot] = line;
    }
    return line;
  }
  if (joinsValues(name, lower, value.length, unique)) {
    return fieldLine(state, name, lower, value.join('; '), validate);
  }
  let lines = '';
  for (let i = 0; i < value.length; i++) lines += fieldLine(state, name, lower, value[i], validate);
  return lines;
}

// The value (or each element, in a fresh array) as a latin1 Buffer.
function latin1Bytes(value: unknown): Buffer | Buffer[] {
  if (!Array.isArray(value)) return Buffer.from(value as string, 'latin1');
  const bytes = new Array<Buffer>(value.length);
  for (let i = 0; i < value.length; i++) bytes[i] = Buffer.from(value[i], 'latin1');
  return bytes;
}

// An array value is sent one line per element, except where its elements are
// joined with '; ' into one line: two or more cookies, and uniqueHeaders fields.
function joinsValues(
  name: string,
  lower: string | null,
  count: number,
  unique: UniqueHeaders,
): boolean {
  if (count > 1 && isCookie(name, lower)) return true;
  return unique?.has(lower === null ? lowerCaseHeaderName(name) : lower) === true;
}

function isCookie(name: string, lower: string | null): boolean {
  return name.length === 6 && (lower === null ? lowerCaseHeaderName(name) : lower) === 'cookie';
}

function isContentDisposition(name: string, lower: string | null): boolean {
  return (lower === null ? lowerCaseHeaderName(name) : lower) === 'content-disposition';
}

/**
 * Serialises header fields into `Name: value\r\n` lines (no start line, no
 * final empty line), as Node's `_storeHeader` does for:
 *
 * - an {@link OutgoingHeaders} store (not validated again: `set` did);
 * - an array of `[name, value]` pairs, or a flat `[name, value, name, value…]`
 *   array (odd length: ERR_INVALID_ARG_VALUE), validated;
 * - a plain object (own enumerable keys), validated.
 *
 * `null`/`undefined` give `''`. `state` (optional; reset by the caller) receives
 * the framing-relevant fields seen.
 *
 * @example
 * const state = new HeaderBlockState().reset(res._contentLength);
 * const head = 'HTTP/1.1 200 OK\r\n' + serializeHeaders(store, uniqueHeaders, state);
 * if (state.connectionClose) res._last = true;
 */
export function serializeHeaders(
  headers: OutgoingHeaders | Record<string, unknown> | readonly unknown[] | null | undefined,
  uniqueHeaders?: ReadonlySet<string> | null,
  state: HeaderBlockState = scratchState.reset(),
): string {
  if (!headers) return '';
  if (headers instanceof OutgoingHeaders) return storeBlock(headers.map, uniqueHeaders, state);
  if (!Array.isArray(headers)) {
    return objectBlock(headers as Record<string, unknown>, uniqueHeaders, state);
  }
  return headers.length > 0 && Array.isArray(headers[0])
    ? pairsBlock(headers as readonly (readonly unknown[])[], uniqueHeaders, state)
    : flatBlock(headers, uniqueHeaders, state);
}

// A store's entries, keyed by lower-cased name; set() already validated them.
function storeBlock(
  map: Record<string, OutgoingHeaderEntry>,
  unique: UniqueHeaders,
  state: HeaderBlockState,
): string {
  let block = '';
  for (const lower in map) {
    const entry = map[lower];
    block += fieldLines(state, unique, entry[0], lower, entry[1], false);
  }
  return block;
}

// `[[name, value], …]`
function pairsBlock(
  pairs: readonly (readonly unknown[])[],
  unique: UniqueHeaders,
  state: HeaderBlockState,
): string {
  let block = '';
  for (let i = 0; i < pairs.length; i++) {
    const pair = pairs[i];
    block += fieldLines(state, unique, pair[0] as string, null, pair[1], true);
  }
  return block;
}

// `[name, value, name, value, …]`, the shape of rawHeaders.
function flatBlock(
  list: readonly unknown[],
  unique: UniqueHeaders,
  state: HeaderBlockState,
): string {
  if (list.length % 2 !== 0) throw new ERR_INVALID_ARG_VALUE('headers', list);
  let block = '';
  for (let i = 0; i < list.length; i += 2) {
    block += fieldLines(state, unique, list[i] as string, null, list[i + 1], true);
  }
  return block;
}

// A plain object: own enumerable keys, in for…in order.
function objectBlock(
  fields: Record<string, unknown>,
  unique: UniqueHeaders,
  state: HeaderBlockState,
): string {
  let block = '';
  // Own enumerable names in order, as for…in with Object.hasOwn gave, without a
  // hasOwn call per name.
  const names = Object.keys(fields);
  for (let i = 0; i < names.length; i++) {
    const name = names[i];
    block += fieldLines(state, unique, name, null, fields[name], true);
  }
  return block;
}

/**
 * Serialises trailer fields as Node's `addTrailers(headers)`: an object, or
 * an array of `[name, value]` pairs. Names are validated with label
 * `Trailer name`; a value with an invalid character throws ERR_INVALID_CHAR
 * (`Invalid character in trailer content ["name"]`). An array value with more
 * than one element becomes one line each unless the name is in
 * `uniqueHeaders`; otherwise arrays are joined with `; `.
 *
 * @example
 * serializeTrailers({ 'Content-MD5': 'abc' })  // 'Content-MD5: abc\r\n'
 */
export function serializeTrailers(
  headers: Record<string, unknown> | readonly (readonly [string, unknown])[],
  uniqueHeaders?: ReadonlySet<string> | null,
): string {
  let block = '';
  // Own enumerable keys in both shapes: an array's holes are skipped.
  const keys = Object.keys(headers);
  if (Array.isArray(headers)) {
    for (let i = 0; i < keys.length; i++) {
      const pair = (headers as unknown as Record<string, readonly [string, unknown]>)[keys[i]];
      block += trailerField(pair[0], pair[1], uniqueHeaders);
    }
  } else {
    const fields = headers as Record<string, unknown>;
    for (let i = 0; i < keys.length; i++) {
      block += trailerField(keys[i], fields[keys[i]], uniqueHeaders);
    }
  }
  return block;
}

// One trailer field: a line per element of an array value with two or more
// elements (unless the field is in `uniqueHeaders`), else one line, arrays
// joined with '; '.
function trailerField(name: string, value: unknown, unique: UniqueHeaders): string {
  validateHeaderName(name, 'Trailer name');
  if (Array.isArray(value)) {
    if (value.length > 1 && !unique?.has(lowerCaseHeaderName(name))) {
      let lines = '';
      for (let i = 0; i < value.length; i++) lines += trailerLine(name, value[i]);
      return lines;
    }
    value = value.join('; ');
  }
  return trailerLine(name, value);
}

function trailerLine(name: string, value: unknown): string {
  if (checkInvalidHeaderChar(value)) throw new ERR_INVALID_CHAR('trailer content', name);
  // biome-ignore lint/style/useTemplate: `+` converts like Node
  return name + ': ' + (value as string) + '\r\n';
}
