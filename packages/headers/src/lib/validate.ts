/**
 * Header field validators with Node's semantics and errors
 * (`_http_common` / `_http_outgoing`), as table lookups instead of regexes.
 */
import {
  ERR_HTTP_INVALID_HEADER_VALUE,
  ERR_INVALID_CHAR,
  ERR_INVALID_HTTP_TOKEN,
} from './errors.js';
import { stackFromCallerOf } from './stack.js';
import { fieldValueTable, tokenTable } from './tables.js';

/**
 * True when `val` is a non-empty RFC 9110 `token` (valid header name or
 * method). Non-strings are tested as their string form (`${val}`, a Symbol throws),
 * as Node's regex does.
 */
export function checkIsHttpToken(val: unknown): boolean {
  const s = typeof val === 'string' ? val : `${val}`;
  return s.length !== 0 && allCharsIn(s, tokenTable);
}

/**
 * True when `val` contains a character that may not appear in a header value
 * (a control other than HTAB, DEL, or a char code above 255). Non-strings are
 * tested as their string form (`${val}`), as Node's regex does (so `1` is fine
 * and an array is checked through its comma-joined form).
 */
export function checkInvalidHeaderChar(val: unknown): boolean {
  return !allCharsIn(typeof val === 'string' ? val : `${val}`, fieldValueTable);
}

/**
 * True when every char code of `s` is at most 255 and allowed by `table`.
 * Four characters per step: one range test (any code unit above 255 sets a
 * bit above the low byte) and one AND of four lookups, so the common
 * all-valid case takes two branches per four characters.
 */
function allCharsIn(s: string, table: Uint8Array): boolean {
  const len = s.length;
  let i = 0;
  for (; i + 4 <= len; i += 4) {
    const a = s.charCodeAt(i);
    const b = s.charCodeAt(i + 1);
    const c = s.charCodeAt(i + 2);
    const d = s.charCodeAt(i + 3);
    if ((a | b | c | d) > 255 || (table[a] & table[b] & table[c] & table[d]) === 0) return false;
  }
  for (; i < len; i++) {
    const c = s.charCodeAt(i);
    if (c > 255 || table[c] === 0) return false;
  }
  return true;
}

/**
 * Throws Node's `ERR_INVALID_HTTP_TOKEN` (TypeError,
 * `Header name must be a valid HTTP token ["x"]`, `label` replacing
 * "Header name") unless `name` is a non-empty string made of token characters.
 */
export function validateHeaderName(name: unknown, label?: string): void {
  if (typeof name !== 'string' || !name || !checkIsHttpToken(name)) {
    const err = new ERR_INVALID_HTTP_TOKEN(label || 'Header name', name);
    stackFromCallerOf(err, validateHeaderName);
    throw err;
  }
}

/**
 * Throws Node's `ERR_HTTP_INVALID_HEADER_VALUE` for an `undefined` value and
 * `ERR_INVALID_CHAR` (`Invalid character in header content ["name"]`) when the
 * value (as a string) holds a character not allowed in a field value.
 */
export function validateHeaderValue(name: string, value: unknown): void {
  if (value === undefined) {
    const err = new ERR_HTTP_INVALID_HEADER_VALUE(value, name);
    stackFromCallerOf(err, validateHeaderValue);
    throw err;
  }
  if (checkInvalidHeaderChar(value)) {
    const err = new ERR_INVALID_CHAR('header content', name);
    stackFromCallerOf(err, validateHeaderValue);
    throw err;
  }
}
