/**
 * Byte-level helpers of the parser's hot loops: reading latin1 strings out of
 * a Buffer, comparing bytes with literals, and the field-value scan.
 */
import type { Buffer } from 'node:buffer';
import { fieldValueTable } from './tables.js';

const SP = 0x20;
const HTAB = 0x09;

/** Buffer's undocumented-but-stable fast latin1 decoder (what toString('latin1') calls). */
type Latin1Buffer = Buffer & { latin1Slice(start: number, end: number): string };
export function latin1(data: Buffer, start: number, end: number): string {
  return (data as Latin1Buffer).latin1Slice(start, end);
}

/** Is data[start, end) the lowercase ASCII `s`, ignoring case? (`s` holds letters and '-'.) */
export function equalsLower(data: Buffer, start: number, end: number, s: string): boolean {
  if (end - start !== s.length) return false;
  for (let k = 0; k < s.length; k++) if ((data[start + k] | 0x20) !== s.charCodeAt(k)) return false;
  return true;
}

/** Does `data` hold the latin1 string `s` at `at`? */
export function sameBytes(s: string, data: Buffer, at: number): boolean {
  for (let k = 0; k < s.length; k++) if (data[at + k] !== s.charCodeAt(k)) return false;
  return true;
}

/** Header values lose trailing SP / HTAB, as Node's binding trims them. */
export function trimTrailingOWS(s: string): string {
  let e = s.length;
  while (e > 0) {
    const c = s.charCodeAt(e - 1);
    if (c !== SP && c !== HTAB) break;
    e--;
  }
  return e === s.length ? s : s.slice(0, e);
}

/**
 * The index of the first byte at or after `v` that cannot be in a field value
 * (field-vchar / SP / HTAB / obs-text). With `words` (a Uint32Array over the
 * same, 4-byte-aligned memory) it checks four bytes per step: a word is clean
 * when none of its bytes is below 0x20 or equal to 0x7f; HTAB, CR and LF all
 * fall below 0x20, so a flagged word is then read byte by byte.
 */
export function scanFieldValue(
  data: Buffer,
  words: Uint32Array | null,
  v: number,
  len: number,
): number {
  if (words !== null) {
    const kmax = len >>> 2;
    for (;;) {
      while ((v & 3) !== 0) {
        if (v >= len || fieldValueTable[data[v]] !== 1) return v;
        v++;
      }
      let k = v >>> 2;
      while (k < kmax) {
        const w = words[k];
        const y = w ^ 0x7f7f7f7f;
        if ((((w - 0x20202020) & ~w) | ((y - 0x01010101) & ~y)) & 0x80808080) break;
        k++;
      }
      v = k << 2;
      if (k >= kmax) break;
      const e = v + 4;
      while (v < e) {
        if (fieldValueTable[data[v]] !== 1) return v;
        v++;
      }
    }
  }
  while (v < len && fieldValueTable[data[v]] === 1) v++;
  return v;
}
