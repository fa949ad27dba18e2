/**
 * Differential testing against Node's own llhttp (`process.binding('http_parser')`,
 * llhttp 9.3.1 in Node 20): the same bytes, split the same way, go to both
 * parsers and every observable result must agree — events, every parsed
 * field, accept/reject, error code, reason and offset.
 *
 * Used by test/differential.test.ts (a small fixed-seed run) and by
 * fuzz/run.ts (`npm run fuzz -w @strata-http/parser -- --count N`).
 */
import { HTTPParser, type ParseError } from '../src/index.ts';

// ---------------------------------------------------------------------------
// Node's binding (tests and tools only; never imported by runtime code)

type Binding = {
  HTTPParser: any;
  allMethods: string[];
};

let binding: Binding | undefined;
function nodeBinding(): Binding {
  if (binding === undefined) {
    const emit = process.emitWarning;
    // Silence DEP0111 (process.binding) for this one call.
    process.emitWarning = (() => {}) as typeof process.emitWarning;
    try {
      binding = (process as any).binding('http_parser') as Binding;
    } finally {
      process.emitWarning = emit;
    }
  }
  return binding;
}

// ---------------------------------------------------------------------------
// What a run observes

export interface Options {
  type: 'request' | 'response' | 'both';
  lenient: number;
  maxHeaderSize: number; // 0 = default
  /** onHeadersComplete returns 1 (the response answers a HEAD request). */
  skipBody: boolean;
  /** Ask our parser for llhttp 9.3.1's behaviour where current llhttp differs. */
  llhttp931?: boolean;
}

export interface Outcome {
  /** Events in order; body chunks merged, so chunk boundaries do not matter. */
  events: unknown[];
  error: { code: string; reason: string; offset: number } | null;
  /** Bytes consumed before stopping (upgrade) or all of them. */
  consumed: number;
  upgrade: boolean;
  finish: string | null;
  /** Bytes offered. */
  length: number;
}

function pushBody(events: unknown[], chunk: Buffer): void {
  const last = events[events.length - 1] as unknown[] | undefined;
  if (Array.isArray(last) && last[0] === 'body')
    last[1] = (last[1] as string) + chunk.toString('latin1');
  else events.push(['body', chunk.toString('latin1')]);
}

let ours: HTTPParser | undefined;

/** Feeds `chunks` to our parser. */
export function runOurs(chunks: Buffer[], opts: Options): Outcome {
  const events: unknown[] = [];
  if (ours === undefined) ours = new HTTPParser(opts.type);
  const p = ours;
  p.llhttp931 = opts.llhttp931 ?? false;
  p.reset(opts.type, { lenient: opts.lenient, maxHeaderSize: opts.maxHeaderSize });
  p.onMessageBegin = () => {
    events.push('begin');
  };
  p.onHeadersComplete = (major, minor, headers, method, url, status, message, upgrade, keep) => {
    events.push(['headers', major, minor, headers, method, url, status, message, upgrade, keep]);
    return opts.skipBody ? 1 : 0;
  };
  p.onBody = (chunk) => pushBody(events, chunk);
  p.onMessageComplete = (trailers) => {
    events.push(['complete', trailers]);
  };
  let offset = 0;
  let error: Outcome['error'] = null;
  let stopped = false;
  for (const chunk of chunks) {
    const r = p.execute(chunk);
    if (typeof r !== 'number') {
      error = { code: r.code, reason: r.reason, offset: offset + r.bytesParsed };
      break;
    }
    offset += r;
    if (r < chunk.length || p.upgrade) {
      stopped = true;
      break;
    }
  }
  let finish: string | null = null;
  if (error === null && !stopped) {
    const f = p.finish() as ParseError | undefined;
    if (f) finish = f.code;
  }
  const length = chunks.reduce((n, c) => n + c.length, 0);
  return { events, error, consumed: offset, upgrade: p.upgrade, finish, length };
}

let theirs: any;

/** Feeds `chunks` to Node's llhttp binding the way Node's http module drives it. */
export function runLlhttp(chunks: Buffer[], opts: Options): Outcome {
  const { HTTPParser: NodeParser, allMethods } = nodeBinding();
  const events: unknown[] = [];
  if (theirs === undefined) theirs = new NodeParser();
  const p = theirs;
  let pending: string[] = [];
  let pendingUrl = '';
  // llhttp stops after a message whose headers said upgrade, or a 101 response
  let upgradeMessage = false;
  let upgraded = false;
  p[NodeParser.kOnMessageBegin] = () => {
    events.push('begin');
    pending = [];
    pendingUrl = '';
  };
  p[NodeParser.kOnHeaders] = (headers: string[], url: string) => {
    pending.push(...headers);
    pendingUrl += url;
  };
  p[NodeParser.kOnHeadersComplete] = (
    major: number,
    minor: number,
    headers: string[] | undefined,
    method: number | undefined,
    url: string | undefined,
    status: number | undefined,
    message: string | undefined,
    upgrade: boolean,
    keep: boolean,
  ) => {
    const all = headers === undefined ? pending : headers;
    const isRequest = typeof method === 'number';
    events.push([
      'headers',
      major,
      minor,
      all,
      isRequest ? allMethods[method] : undefined,
      isRequest ? (url === undefined ? pendingUrl : url) : undefined,
      isRequest ? 0 : status,
      isRequest ? '' : message,
      upgrade,
      keep,
    ]);
    pending = [];
    pendingUrl = '';
    upgradeMessage = upgrade || (!isRequest && status === 101);
    return opts.skipBody ? 1 : 0;
  };
  p[NodeParser.kOnBody] = (chunk: Buffer) => pushBody(events, chunk);
  p[NodeParser.kOnMessageComplete] = () => {
    events.push(['complete', pending]);
    pending = [];
    if (upgradeMessage) upgraded = true;
  };
  p.initialize(
    opts.type === 'request' ? NodeParser.REQUEST : NodeParser.RESPONSE,
    {},
    opts.maxHeaderSize,
    opts.lenient,
  );
  let offset = 0;
  let error: Outcome['error'] = null;
  let stopped = false;
  for (const chunk of chunks) {
    const r = p.execute(chunk);
    if (typeof r !== 'number') {
      error = { code: r.code, reason: r.reason, offset: offset + r.bytesParsed };
      break;
    }
    offset += r;
    if (r < chunk.length || upgraded) {
      stopped = true;
      break;
    }
  }
  let finish: string | null = null;
  if (error === null && !stopped) {
    const f = p.finish();
    if (f instanceof Error) finish = (f as any).code;
  }
  const length = chunks.reduce((n, c) => n + c.length, 0);
  return { events, error, consumed: offset, upgrade: stopped, finish, length };
}

// ---------------------------------------------------------------------------
// Comparison

/**
 * Where llhttp 9.3.1 (Node 20) and current llhttp differ, our parser follows
 * current llhttp. The fuzzer compares against 9.3.1 with our `llhttp931`
 * switch on, so agreement is exact; the current behaviour of each difference
 * is pinned by unit tests (test/llhttp-current.test.ts):
 * - HTAB after a Content-Length value or after a Connection option is OWS
 *   (9.3.1: "Invalid character in Content-Length" / not a connection option);
 * - a request-line ended by a bare LF ("GET /\n") is HPE_CR_EXPECTED unless
 *   OPTIONAL_CR_BEFORE_LF (9.3.1 reads it as HTTP/0.9).
 */
function knownDifference(_a: Outcome, _b: Outcome): string | null {
  return null;
}

/**
 * Returns null when the outcomes agree (exactly: events, error code, reason
 * and offset, consumed bytes, upgrade, finish), else a description.
 */
export function compare(a: Outcome, b: Outcome): { diff: string | null; known: string | null } {
  const known = knownDifference(a, b);
  if (known !== null) return { diff: null, known };
  const ea = JSON.stringify(a.error);
  const eb = JSON.stringify(b.error);
  if (ea !== eb) return { diff: `error: ours=${ea} llhttp=${eb}`, known: null };
  const va = JSON.stringify(a.events);
  const vb = JSON.stringify(b.events);
  if (va !== vb) return { diff: `events:\n  ours=${va}\n  llhttp=${vb}`, known: null };
  if (a.error === null) {
    if (a.consumed !== b.consumed) {
      return { diff: `consumed: ours=${a.consumed} llhttp=${b.consumed}`, known: null };
    }
    // (Node's binding stops without telling when an error after upgrade
    // headers falls on the last byte, so "stopped" is only visible before the end.)
    if (a.upgrade !== b.upgrade && a.consumed < a.length) {
      return { diff: `upgrade: ours=${a.upgrade} llhttp=${b.upgrade}`, known: null };
    }
    if (a.finish !== b.finish)
      return { diff: `finish: ours=${a.finish} llhttp=${b.finish}`, known: null };
  }
  return { diff: null, known: null };
}

const OVERFLOWS = new Set(['HPE_HEADER_OVERFLOW', 'HPE_CHUNK_EXTENSIONS_OVERFLOW']);

/**
 * Our parser must give the same outcome however the input is split (body
 * chunking aside), except for size limits: like Node's binding it counts a
 * span against the limit when the span ends or the input does, so where an
 * overflow is reported, and whether before a later error in the same span,
 * follows the split. For those only "rejected" and the events before it count.
 */
export function compareSplit(whole: Outcome, split: Outcome): string | null {
  const overflow = (o: Outcome) => o.error !== null && OVERFLOWS.has(o.error.code);
  const limit = overflow(whole) || overflow(split);
  const key = (o: Outcome) =>
    JSON.stringify([
      o.events,
      limit ? o.error !== null : o.error,
      o.error ? 0 : o.consumed,
      o.upgrade,
      o.finish,
    ]);
  const a = key(whole);
  const b = key(split);
  return a === b ? null : `split changed the outcome:\n  whole=${a}\n  split=${b}`;
}

// ---------------------------------------------------------------------------
// Seeded generator

/** mulberry32: small, fast, good enough to drive a fuzzer reproducibly. */
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

type Rand = () => number;
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
const int = (r: Rand, lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1));
const chance = (r: Rand, p: number): boolean => r() < p;

const METHODS = [
  'GET',
  'GET',
  'GET',
  'POST',
  'POST',
  'PUT',
  'HEAD',
  'DELETE',
  'OPTIONS',
  'PATCH',
  'CONNECT',
  'TRACE',
  'PURGE',
  'M-SEARCH',
  'PROPFIND',
  'QUERY',
  'SOURCE',
  'PRI',
  'DESCRIBE',
  'GET_PARAMETER',
  'UNLINK',
  'MKCALENDAR',
];
const PATHS = ['/', '/index.html', '/a/b/c', '/search', '/x%20y', "/~user/it's", '/a;b=c', '/@x'];
const QUERIES = ['', '', '?q=1', '?a=b&c=d', '??x', '?x=/?'];
const FRAGMENTS = ['', '', '#top', '#a?b#c'];
const HOSTS = ['example.com', 'example.com:8080', 'user:pw@host', '[::1]:80', '127.0.0.1', 'a@b@c'];
const VERSIONS = ['1.1', '1.1', '1.1', '1.0', '1.0', '0.9', '2.0', '1.2', '3.0'];
const NAMES = [
  'Host',
  'User-Agent',
  'Accept',
  'Accept-Encoding',
  'Cookie',
  'X-Forwarded-For',
  'Content-Type',
  'Content-Length',
  'content-length',
  'CONTENT-LENGTH',
  'Transfer-Encoding',
  'transfer-encoding',
  'Connection',
  'connection',
  'Proxy-Connection',
  'Upgrade',
  'upgrade',
  'Keep-Alive',
  'X-Empty',
  'Content-Lengthx',
  'Connectionx',
  'Upgrade-Insecure-Requests',
  'TE',
  'Trailer',
  'Expect',
];
const CONNECTION_VALUES = [
  'close',
  'keep-alive',
  'Keep-Alive',
  'upgrade',
  'Upgrade',
  'close, upgrade',
  'keep-alive, Upgrade',
  'foo, close',
  'closex',
  'clos',
  'keep-alive,close',
  'upgrade ,  keep-alive',
  'x-close',
  'CLOSE ',
];
const TE_VALUES = [
  'chunked',
  'Chunked',
  'CHUNKED',
  'gzip, chunked',
  'chunked, gzip',
  'gzip',
  'identity',
  'chunked ',
  'deflate,chunked',
  'gzip,  chunked',
  'chunkedx',
  'chunked\t',
  'x, chunked ,y',
];
const STATUS = [200, 200, 200, 201, 204, 304, 100, 101, 102, 103, 199, 301, 404, 500, 999];
const REASONS = ['OK', '', 'Not Found', 'Switching Protocols', 'weird \x01 reason', 'A B C'];
const WORDS = ['gzip', 'text/html', 'a=b; c=d', '*/*', 'x', '  spaced  ', 'q="1"', '\xe9t\xe9'];

function ows(r: Rand): string {
  return chance(r, 0.7) ? ' ' : pick(r, ['', '  ', '\t', ' \t']);
}

function randomBody(r: Rand, n: number): string {
  let s = '';
  for (let k = 0; k < n; k++)
    s += String.fromCharCode(pick(r, [0x61, 0x0d, 0x0a, 0x30, 0x20, 0x48]));
  return s;
}

function chunkedBody(r: Rand): string {
  let s = '';
  const count = int(r, 0, 3);
  for (let k = 0; k < count; k++) {
    const n = int(r, 1, 20);
    let size = n.toString(16);
    if (chance(r, 0.2)) size = size.toUpperCase();
    if (chance(r, 0.1)) size = `00${size}`;
    let ext = '';
    if (chance(r, 0.2)) ext = pick(r, [';a', ';a=b', ';a="b c"', ';a="\\"q"', ';x=1;y', ';n="é"']);
    s += `${size}${ext}\r\n${randomBody(r, n)}\r\n`;
  }
  s += chance(r, 0.2) ? '0;last\r\n' : '0\r\n';
  if (chance(r, 0.25))
    s += `${pick(r, ['Expires', 'X-Trailer', 'Content-MD5'])}:${ows(r)}${pick(r, WORDS)}\r\n`;
  if (chance(r, 0.05)) {
    const name = pick(r, ['Content-Length', 'Transfer-Encoding', 'Connection', 'Upgrade']);
    s += `${name}: ${pick(r, ['1', 'chunked', 'close', 'x'])}\r\n`;
  }
  s += '\r\n';
  return s;
}

/** A valid (or nearly valid) message; `request` chooses the grammar. */
function message(r: Rand, request: boolean): string {
  let s: string;
  let method = 'GET';
  if (request) {
    method = pick(r, METHODS);
    let target: string;
    if (method === 'CONNECT') target = pick(r, HOSTS);
    else if (method === 'OPTIONS' && chance(r, 0.5)) target = '*';
    else if (chance(r, 0.15)) target = `http://${pick(r, HOSTS)}${pick(r, PATHS)}`;
    else target = pick(r, PATHS) + pick(r, QUERIES) + pick(r, FRAGMENTS);
    const version = pick(r, VERSIONS);
    if (version === '0.9' && chance(r, 0.5)) return `${method} ${target}\r\n\r\n`;
    const protocol = chance(r, 0.05) ? pick(r, ['RTSP', 'ICE']) : 'HTTP';
    s = `${method}${chance(r, 0.05) ? '  ' : ' '}${target} ${protocol}/${version}\r\n`;
    if (method === 'PRI' && chance(r, 0.5)) return `${s}\r\nSM\r\n\r\n`;
  } else {
    const status = pick(r, STATUS);
    const version = pick(r, VERSIONS);
    const reason = pick(r, REASONS);
    s = `HTTP/${version} ${status}${reason === '' && chance(r, 0.5) ? '' : ` ${reason}`}\r\n`;
  }
  const framing = pick(r, ['none', 'none', 'length', 'length', 'chunked', 'both']);
  const headers: string[] = [];
  const extra = int(r, 0, 6);
  for (let k = 0; k < extra; k++) {
    const name = pick(r, NAMES);
    let value: string;
    const lower = name.toLowerCase();
    if (lower === 'connection' || lower === 'proxy-connection') value = pick(r, CONNECTION_VALUES);
    else if (lower === 'upgrade') value = pick(r, ['websocket', 'h2c', '']);
    else if (lower === 'content-length') value = String(int(r, 0, 12));
    else if (lower === 'transfer-encoding') value = pick(r, TE_VALUES);
    else if (name === 'X-Empty') value = '';
    else value = pick(r, WORDS);
    headers.push(`${name}:${ows(r)}${value}${chance(r, 0.1) ? ows(r) : ''}\r\n`);
  }
  if (chance(r, 0.05)) {
    // a long value: past the part of the head decoded at once
    headers.push(`X-Long: ${'v'.repeat(int(r, 100, 1500))}\r\n`);
  }
  if (chance(r, 0.05)) {
    // many fields: Node hands them over in batches of 32
    for (let k = 0; k < 40; k++) headers.push(`X-Many-${k}: ${k}\r\n`);
  }
  let body = '';
  if (framing === 'length' || framing === 'both') {
    body = randomBody(r, int(r, 0, 12));
    headers.push(`Content-Length: ${body.length}\r\n`);
  }
  if (framing === 'chunked' || framing === 'both') {
    headers.push(`Transfer-Encoding: chunked\r\n`);
    body = chunkedBody(r);
  }
  if (framing === 'none' && !request && chance(r, 0.3)) body = randomBody(r, int(r, 0, 8));
  // shuffle a little
  if (chance(r, 0.5)) headers.reverse();
  return `${s}${headers.join('')}\r\n${body}`;
}

const INTERESTING = [
  0x0d, 0x0a, 0x20, 0x09, 0x3a, 0x2c, 0x3b, 0x22, 0x5c, 0x00, 0x7f, 0x80, 0xff, 0x30, 0x39, 0x61,
  0x41, 0x2f, 0x3f, 0x23, 0x40, 0x0c, 0x01, 0x3d, 0x46, 0x66, 0x48,
];

/** Byte-level mutations: replace, insert, delete, duplicate a run, change case. */
function mutate(r: Rand, input: Buffer): Buffer {
  const bytes = Array.from(input);
  const count = int(r, 1, 3);
  for (let k = 0; k < count; k++) {
    const at = int(r, 0, Math.max(0, bytes.length - 1));
    switch (int(r, 0, 5)) {
      case 0:
        bytes[at] = pick(r, INTERESTING);
        break;
      case 1:
        bytes.splice(at, 0, pick(r, INTERESTING));
        break;
      case 2:
        bytes.splice(at, 1);
        break;
      case 3: {
        const n = int(r, 1, 8);
        bytes.splice(at, 0, ...bytes.slice(at, at + n));
        break;
      }
      case 4:
        bytes[at] = (bytes[at] ?? 0x41) ^ 0x20;
        break;
      default:
        bytes[at] = int(r, 0, 255);
    }
  }
  return Buffer.from(bytes);
}

export interface Case {
  input: Buffer;
  opts: Options;
  chunkings: number[][]; // lengths of the pieces, one list per split tried
}

/** One fuzz case: 1-3 pipelined messages, maybe mutated, with options and splits. */
export function generate(r: Rand): Case {
  const request = chance(r, 0.6);
  const count = int(r, 1, 3);
  let text = '';
  for (let k = 0; k < count; k++) text += message(r, request);
  let input: Buffer = Buffer.from(text, 'latin1');
  if (chance(r, 0.6)) input = mutate(r, input);
  const lenient = chance(r, 0.2) ? Math.floor(r() * 0x400) : 0;
  const maxHeaderSize = chance(r, 0.1) ? int(r, 10, 200) : 0;
  const skipBody = !request && chance(r, 0.1);
  const chunkings: number[][] = [[input.length]];
  const splits = int(r, 1, 2);
  for (let k = 0; k < splits; k++) {
    const pieces: number[] = [];
    let left = input.length;
    while (left > 0) {
      const n = chance(r, 0.3) ? 1 : int(r, 1, Math.max(1, Math.min(left, 40)));
      pieces.push(Math.min(n, left));
      left -= n;
    }
    chunkings.push(pieces);
  }
  return {
    input,
    opts: {
      type: request ? 'request' : 'response',
      lenient,
      maxHeaderSize,
      skipBody,
      llhttp931: true,
    },
    chunkings,
  };
}

export function split(input: Buffer, lengths: number[]): Buffer[] {
  const out: Buffer[] = [];
  let at = 0;
  for (const n of lengths) {
    out.push(input.subarray(at, at + n));
    at += n;
  }
  return out;
}

export interface Disagreement {
  seed: number;
  index: number;
  input: string; // base64
  opts: Options;
  chunking: number[];
  diff: string;
}

export interface RunStats {
  cases: number;
  messages: number;
  known: number;
  disagreements: Disagreement[];
}

/** Runs `count` cases from `seed`; collects disagreements (with llhttp, or split variance). */
export function fuzz(
  seed: number,
  count: number,
  onDisagreement?: (d: Disagreement) => void,
): RunStats {
  const r = prng(seed);
  const stats: RunStats = { cases: 0, messages: 0, known: 0, disagreements: [] };
  for (let index = 0; index < count; index++) {
    const c = generate(r);
    stats.cases++;
    const whole = runOurs([c.input], c.opts);
    stats.messages += Math.max(1, whole.events.filter((e) => e === 'begin').length);
    // 'both' mode must read a request (first byte not 'H') or a response
    // (starting "HTTP/") exactly as the fixed modes do.
    const first = c.input[0];
    if (
      (c.opts.type === 'request' && first !== 0x48 && first !== 0x0d && first !== 0x0a) ||
      (c.opts.type === 'response' && c.input.subarray(0, 5).toString('latin1') === 'HTTP/')
    ) {
      const both = runOurs([c.input], { ...c.opts, type: 'both' });
      const diff = compareSplit(whole, both);
      if (diff !== null) {
        const d: Disagreement = {
          seed,
          index,
          input: c.input.toString('base64'),
          opts: { ...c.opts, type: 'both' as never },
          chunking: [c.input.length],
          diff: `'both' mode differs from '${c.opts.type}': ${diff}`,
        };
        stats.disagreements.push(d);
        onDisagreement?.(d);
        continue;
      }
    }
    // Current-llhttp mode (our default) has no oracle here, but must still
    // not depend on the split.
    if (c.chunkings.length > 1) {
      // (with HEADER_VALUE_RELAXED, which llhttp 9.3.1 lacks, every third case)
      const relaxed = index % 3 === 0 ? 0x400 : 0;
      const current = { ...c.opts, lenient: c.opts.lenient | relaxed, llhttp931: false };
      const pieces = split(c.input, c.chunkings[1]);
      const diff = compareSplit(runOurs([c.input], current), runOurs(pieces, current));
      if (diff !== null) {
        const d: Disagreement = {
          seed,
          index,
          input: c.input.toString('base64'),
          opts: current,
          chunking: c.chunkings[1],
          diff,
        };
        stats.disagreements.push(d);
        onDisagreement?.(d);
        continue;
      }
    }
    for (const lengths of c.chunkings) {
      const pieces = split(c.input, lengths);
      const a = lengths.length === 1 ? whole : runOurs(pieces, c.opts);
      const b = runLlhttp(pieces, c.opts);
      let { diff, known } = compare(a, b);
      if (known !== null) stats.known++;
      if (diff === null && lengths.length > 1) diff = compareSplit(whole, a);
      if (diff !== null) {
        const d: Disagreement = {
          seed,
          index,
          input: c.input.toString('base64'),
          opts: c.opts,
          chunking: lengths,
          diff,
        };
        stats.disagreements.push(d);
        onDisagreement?.(d);
        break;
      }
    }
  }
  return stats;
}
