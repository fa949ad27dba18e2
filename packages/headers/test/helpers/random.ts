// A small seeded PRNG and string generators, so the generated cases are the
// same on every run (a failure names its seed and index).

/** mulberry32: deterministic 32-bit PRNG returning floats in [0, 1). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TOKEN = "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

/** Character pools, from "almost always valid" to "never valid". */
const pools: ((r: () => number) => string)[] = [
  (r) => TOKEN[Math.floor(r() * TOKEN.length)],
  (r) => String.fromCharCode(0x20 + Math.floor(r() * 0x5f)), // printable ASCII
  (r) => String.fromCharCode(Math.floor(r() * 0x20)), // C0 controls
  (r) => (r() < 0.5 ? '\x7f' : '\t'),
  (r) => String.fromCharCode(0x80 + Math.floor(r() * 0x80)), // latin1 high half
  (r) => String.fromCharCode(0x100 + Math.floor(r() * 0xfe00)), // rest of the BMP (incl. lone surrogates)
  (r) => String.fromCodePoint(0x10000 + Math.floor(r() * 0xfffff)), // astral
  (r) => ['é', 'ü', 'ß', '€', '中', '😀', 'Ā', 'ſ', 'K'][Math.floor(r() * 9)],
];

/**
 * A random string of up to `maxLen` characters. `bias` (0..1) is the chance
 * each character comes from the token pool, so generated strings range from
 * mostly-valid to mostly-invalid.
 */
export function randomString(r: () => number, maxLen: number, bias: number): string {
  const len = Math.floor(r() * (maxLen + 1));
  let s = '';
  for (let i = 0; i < len; i++) {
    if (r() < bias) s += pools[0](r);
    else s += pools[1 + Math.floor(r() * (pools.length - 1))](r);
  }
  return s;
}
