/**
 * Method names as llhttp matches them: with a trie, so an invalid method fails
 * at the first byte that leaves every method name. Sets for the byte-by-byte
 * walk, and a hashed table for reading a whole method at once.
 */
import { HTTP_METHODS, LLHTTP_METHODS } from './constants.js';

export const METHOD_NAMES = new Set(LLHTTP_METHODS);
export const METHOD_PREFIXES = new Set<string>();
for (const m of LLHTTP_METHODS)
  for (let k = 1; k <= m.length; k++) METHOD_PREFIXES.add(m.slice(0, k));
/** Bytes that may appear in a method name (A-Z, "-", "_"). */
export const methodCharTable = new Uint8Array(256);
for (const m of LLHTTP_METHODS)
  for (let k = 0; k < m.length; k++) methodCharTable[m.charCodeAt(k)] = 1;
/** A small hash of a method's bytes, folded in one byte at a time as execute() reads them. */
export function methodHash(h: number, c: number): number {
  return (Math.imul(h, 31) + c) | 0;
}

/**
 * The methods execute() reads whole: every method allowed with HTTP/1.x except
 * CONNECT and PRI (their requests go through the full state machine), each in
 * the slot given by fastMethodSlot() of its hash, '' elsewhere. A slot holds
 * one name, so a request's method is known by one table read and a byte
 * comparison.
 */
export const fastMethods: string[] = new Array<string>(64).fill('');
export function fastMethodSlot(h: number): number {
  // The top 6 bits of a multiplicative hash; the multiplier was picked to give
  // each of these methods a slot of its own (checked below, at load).
  return Math.imul(h, 0x9e3795d7) >>> 26;
}
for (const m of HTTP_METHODS) {
  if (m === 'CONNECT' || m === 'PRI') continue;
  let h = 0;
  for (let k = 0; k < m.length; k++) h = methodHash(h, m.charCodeAt(k));
  const slot = fastMethodSlot(h);
  if (fastMethods[slot] !== '')
    throw new Error(`method slot collision: ${m}, ${fastMethods[slot]}`);
  fastMethods[slot] = m;
}
