// What the differential fuzzers here share: the seeded random source, the
// mutations and the split into writes, the llhttp-version check, the worker
// pool and the report lines. (The parser's own fuzzer, in packages/parser,
// keeps its own copies: a package does not import tooling.)
import { parseArgs } from 'node:util';
import { HTTPParser } from '@strata-http/parser';

/** The command line both fuzzers take (--cases, --seed, --replay, --verbose), plus `extra`. */
export function fuzzArgs(extra = {}) {
  return parseArgs({
    options: {
      cases: { type: 'string', default: '1000' },
      seed: { type: 'string', default: '1' },
      replay: { type: 'string' },
      verbose: { type: 'boolean', default: false },
      ...extra,
    },
  }).values;
}

/** Uncaught exceptions from here on (a crash of either side), collected for the report. */
export function collectCrashes() {
  const crashes = [];
  process.on('uncaughtException', (err) => crashes.push(err));
  return crashes;
}

/** Mulberry32: small, seedable, good enough to pick mutations. */
export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The random source of case `n` under `seed`, and a picker over it. */
export function caseRandom(seed, n) {
  const r = rng(Number(seed) * 1_000_003 + n);
  return { r, pick: (list) => list[Math.floor(r() * list.length)] };
}

/** Bytes a mutation puts in: the parsers' delimiters, NUL, DEL, obs-text, a letter, a digit. */
const BYTES = [0x0d, 0x0a, 0x20, 0x09, 0x3a, 0x00, 0x7f, 0xff, 0x61, 0x30, 0x2d, 0x2c, 0x3b, 0x22];

/**
 * `text` (latin1) with 0-3 mutations: a byte replaced, inserted or deleted, a
 * line duplicated, a digit changed.
 */
export function mutate(text, { r, pick }) {
  const bytes = [...Buffer.from(text, 'latin1')];
  const mutations = Math.floor(r() * 4);
  for (let m = 0; m < mutations; m++) {
    const at = Math.floor(r() * bytes.length);
    const kind = r();
    if (kind < 0.35) bytes[at] = pick(BYTES);
    else if (kind < 0.6) bytes.splice(at, 0, pick(BYTES));
    else if (kind < 0.8) bytes.splice(at, 1);
    else if (kind < 0.9) {
      const s = Buffer.from(bytes).toString('latin1');
      const start = s.lastIndexOf('\r\n', at) + 2;
      const end = s.indexOf('\r\n', at);
      if (start > 1 && end > start) {
        bytes.splice(end + 2, 0, ...Buffer.from(`${s.slice(start, end)}\r\n`, 'latin1'));
      }
    } else {
      const digits = bytes.flatMap((b, i) => (b >= 0x30 && b <= 0x39 ? [i] : []));
      if (digits.length) bytes[pick(digits)] = 0x30 + Math.floor(r() * 10);
    }
  }
  return Buffer.from(bytes);
}

/** `data` cut at random points into 1 to `most` writes. */
export function writes(data, { r }, most) {
  const count = 1 + Math.floor(r() * most);
  const cuts = [];
  for (let w = 1; w < count; w++) cuts.push(Math.floor(r() * data.length));
  cuts.sort((a, b) => a - b);
  const pieces = [];
  let prev = 0;
  for (const c of [...cuts, data.length]) {
    if (c > prev) pieces.push(data.subarray(prev, c));
    prev = c;
  }
  return pieces;
}

/** What our parser makes of `data`: every head it completes, and how it ends. */
function parseOutcome(type, data, llhttp931, lenient, skipBody) {
  const p = new HTTPParser(type, { lenient });
  p.llhttp931 = llhttp931;
  const seen = [];
  p.onHeadersComplete = (...head) => {
    seen.push(head); // versions, fields, method, url, status, …, upgrade, keep-alive
    return skipBody?.(head) ? 1 : 0;
  };
  p.onBody = () => {};
  p.onMessageComplete = () => {};
  const result = p.execute(data);
  return JSON.stringify([seen, typeof result === 'number' ? result : result.code]);
}

/**
 * Our parser follows current llhttp, Node 20 ships llhttp 9.3.1, and they
 * differ in a few rules (the parser's README, "llhttp versions"). True when
 * `data` parses differently under the two: a difference of that kind, not of
 * the layer being fuzzed. `skipBody(head)` answers for onHeadersComplete as
 * the owner would (a client: no body after HEAD or in a 1xx).
 */
export function llhttpVersionRule(type, data, { lenient = 0, skipBody } = {}) {
  return (
    parseOutcome(type, data, false, lenient, skipBody) !==
    parseOutcome(type, data, true, lenient, skipBody)
  );
}

/**
 * Runs cases 0..total-1 through `runCase` (8 at a time), prints the first 20
 * unexplained differences (every one with `verbose`) through `show`, then the
 * last line: `N cases, N differ, N <label> (each known kind), N crashes`, and
 * sets the exit code (1 when any differ unexplained or crashed). A result is
 * `{ n, same, known, ... }`, `known` naming a kind in `kinds` or null.
 */
export async function runAll(total, runCase, { verbose = false, show, kinds, crashes }) {
  const counts = { differ: 0 };
  let next = 0;
  const worker = async () => {
    while (next < total) {
      const r = await runCase(next++);
      if (r.same) continue;
      const kind = r.known ?? 'differ';
      counts[kind] = (counts[kind] ?? 0) + 1;
      if (verbose || (!r.known && counts.differ <= 20)) {
        if (r.known) console.log(`(known: ${r.known})`);
        show(r);
      }
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  for (const e of crashes) console.log(`uncaught: ${e.stack}`);
  const known = Object.entries(kinds).map(([k, label]) => `${counts[k] ?? 0} ${label}, `);
  console.log(
    `${total} cases, ${counts.differ} differ, ${known.join('')}${crashes.length} crashes`,
  );
  process.exitCode = counts.differ || crashes.length ? 1 : 0;
}
