/**
 * Byte classes the parser needs beyond `tchar` and field-value characters
 * (which come from `@strata-http/headers`), as 256-entry tables indexed by
 * byte. Built once at load time from the grammar each comment quotes.
 */
import {
  fieldValueTable as sharedFieldValueTable,
  tokenTable as sharedTokenTable,
} from '@strata-http/headers';

/** tchar (field names, chunk extension names): `tokenTable` of @strata-http/headers. */
export const tokenTable: Uint8Array = new Uint8Array(sharedTokenTable);

/**
 * field-vchar / SP / HTAB / obs-text: `fieldValueTable` of @strata-http/headers.
 * (Copies: a module's own `const` is a constant to the JIT, an imported
 * binding is not.)
 */
export const fieldValueTable: Uint8Array = new Uint8Array(sharedFieldValueTable);

function table(pred: (c: number) => boolean): Uint8Array {
  const t = new Uint8Array(256);
  for (let c = 0; c < 256; c++) t[c] = pred(c) ? 1 : 0;
  return t;
}

const isAlpha = (c: number) => (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
const isDigit = (c: number) => c >= 0x30 && c <= 0x39;

/**
 * Bytes of a request-target path, query or fragment: visible US-ASCII except
 * `#` and `?` (which switch part), as Node's llhttp accepts them. Controls,
 * SP, DEL and bytes >= 0x80 end or reject the target (no obs-text in URLs).
 */
export const urlCharTable: Uint8Array = table(
  (c) => c > 0x20 && c < 0x7f && c !== 0x23 /* # */ && c !== 0x3f /* ? */,
);

/**
 * Bytes of the authority of an absolute-form or authority-form target
 * (RFC 3986 userinfo / host / port): unreserved, pct-encoded `%`, sub-delims,
 * `:`, and `[` `]` for IP literals. `@` is handled on its own (one allowed).
 */
export const serverCharTable: Uint8Array = table(
  (c) => isAlpha(c) || isDigit(c) || "-_.!~*'()%;:&=+$,[]".includes(String.fromCharCode(c)),
);

/** ALPHA, the bytes of a URI scheme as llhttp reads it. */
export const alphaTable: Uint8Array = table(isAlpha);

/** HEXDIG value, or -1: chunk-size = 1*HEXDIG (RFC 9112 §7.1). */
export const hexValueTable: Int8Array = (() => {
  const t = new Int8Array(256).fill(-1);
  for (let c = 0; c < 10; c++) t[0x30 + c] = c;
  for (let c = 0; c < 6; c++) {
    t[0x41 + c] = 10 + c;
    t[0x61 + c] = 10 + c;
  }
  return t;
})();

/**
 * qdtext = HTAB / SP / %x21 / %x23-5B / %x5D-7E / obs-text (RFC 9110 §5.6.4),
 * inside a quoted chunk-ext-val.
 */
export const qdtextTable: Uint8Array = table(
  (c) => c === 0x09 || c === 0x20 || c === 0x21 || (c >= 0x23 && c !== 0x5c && c !== 0x7f),
);

/** quoted-pair = "\" ( HTAB / SP / VCHAR / obs-text ): the byte after the backslash. */
export const quotedPairTable: Uint8Array = table((c) => c === 0x09 || (c >= 0x20 && c !== 0x7f));

/**
 * Bytes of a comma-separated token list in `Connection` / `Transfer-Encoding`
 * values: any field-value byte except the comma that separates members.
 */
export const listTokenTable: Uint8Array = table((c) => fieldValueTable[c] === 1 && c !== 0x2c);

/**
 * The extra bytes LenientFlags.HEADER_VALUE_RELAXED admits in a header value:
 * control characters other than NUL, CR and LF (current llhttp).
 */
export const relaxedValueTable: Uint8Array = table(
  (c) => (c < 0x20 && c !== 0x00 && c !== 0x0a && c !== 0x0d) || c === 0x7f,
);
