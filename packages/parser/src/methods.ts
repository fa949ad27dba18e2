/**
 * Method names as llhttp matches them: with a trie, so an invalid method fails
 * at the first byte that leaves every method name. Sets for the byte-by-byte
 * walk, and a small hash for reading a whole method at once.
 */
import { LLHTTP_METHODS } from './constants.js';

export const METHOD_NAMES = new Set(LLHTTP_METHODS);
export const METHOD_PREFIXES = new Set<string>();
for (const m of LLHTTP_METHODS)
  for (let k = 1; k <= m.length; k++) METHOD_PREFIXES.add(m.slice(0, k));
/** Bytes that may appear in a method name (A-Z, "-", "_"). */
export const methodCharTable = new Uint8Array(256);
for (const m of LLHTTP_METHODS)
  for (let k = 0; k < m.length; k++) methodCharTable[m.charCodeAt(k)] = 1;
/** Method names by a small hash of their bytes, for the whole-method fast path. */
export const METHOD_BY_HASH = new Map<number, string>();
export function methodHash(h: number, c: number): number {
  return (Math.imul(h, 31) + c) | 0;
}
for (const m of LLHTTP_METHODS) {
  let h = 0;
  for (let k = 0; k < m.length; k++) h = methodHash(h, m.charCodeAt(k));
  if (METHOD_BY_HASH.has(h)) throw new Error(`method hash collision: ${m}`);
  METHOD_BY_HASH.set(h, m);
}
