// The outgoing header store and serialiser against node:http's
// OutgoingMessage in the same process: the same random operations on both,
// then the same state (getHeaders, names, raw names), and the same header
// block from Node's real _storeHeader as from ours.

import http from 'node:http';
import { Duplex } from 'node:stream';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  containsHeaderToken,
  HeaderBlockState,
  OutgoingHeaders,
  parseUniqueHeaders,
  serializeHeaders,
  serializeTrailers,
} from '../src/index.ts';
import { prng, randomString } from './helpers/random.ts';
import { type MessageFlags, storeHeader } from './helpers/store-header.ts';

// Node's private symbols, found by description on real instances.
function symbolOf(obj: object, description: string): symbol {
  const s = Object.getOwnPropertySymbols(obj).find((x) => x.description === description);
  if (!s) throw new Error(`no ${description}`);
  return s;
}
const kOutHeaders = symbolOf(new http.OutgoingMessage(), 'kOutHeaders');
const kUniqueHeaders = (() => {
  const req = http.request({
    createConnection: () =>
      new Duplex({
        read() {},
        write(_c, _e, cb) {
          cb();
        },
      }) as any,
    uniqueHeaders: ['x'],
  });
  req.on('error', () => {});
  const s = symbolOf(req, 'kUniqueHeaders');
  req.destroy();
  return s;
})();

function outcome(fn: () => unknown): string {
  try {
    const v = fn();
    return `ok ${typeof v === 'object' && v !== null ? '' : String(v)}`;
  } catch (e: any) {
    return `${e?.constructor?.name}|${e?.code}|${e?.message}|${String(e)}`;
  }
}

const NAMES = [
  'Content-Type',
  'content-type',
  'Set-Cookie',
  'set-cookie',
  'Cookie',
  'COOKIE',
  'X-Tag',
  'x-tag',
  'Connection',
  'connection',
  'Transfer-Encoding',
  'Content-Length',
  'Date',
  'Expect',
  'Trailer',
  'Keep-Alive',
  'Content-Disposition',
  'Vary',
  '123',
  '7',
  'constructor',
  '__proto__',
  'toString',
];

function randomName(r: () => number): unknown {
  const x = r();
  if (x < 0.75) return NAMES[Math.floor(r() * NAMES.length)];
  if (x < 0.95) return randomString(r, 10, 0.9);
  return [undefined, null, 1, '', {}][Math.floor(r() * 5)];
}

const VALUES = [
  'text/plain',
  'close',
  'Close',
  'keep-alive, CLOSE',
  'closed',
  'chunked',
  'gzip, chunked',
  'Chunked ',
  '100-continue',
  'timeout=5',
  'a=1; Path=/',
  'attachment; filename="café.txt"',
  '0',
  '12',
  ' 7 ',
  '',
];

function randomValue(r: () => number): unknown {
  const x = r();
  if (x < 0.4) return VALUES[Math.floor(r() * VALUES.length)];
  if (x < 0.6) return randomString(r, 12, 0.8);
  if (x < 0.7) return Math.floor(r() * 1000);
  if (x < 0.95) {
    const n = Math.floor(r() * 4);
    const arr: string[] = [];
    for (let i = 0; i < n; i++) arr.push(String(randomValue(r) ?? 'v'));
    return arr;
  }
  return undefined;
}

function sameState(ours: OutgoingHeaders, node: http.OutgoingMessage, what: string) {
  assert.equal(
    Object.entries(ours.toObject()),
    Object.entries(node.getHeaders()),
    `${what}: getHeaders`,
  );
  assert.is(Object.getPrototypeOf(ours.toObject()), Object.getPrototypeOf(node.getHeaders()));
  assert.equal(ours.names(), node.getHeaderNames(), `${what}: names`);
  assert.equal(ours.rawNames(), (node as any).getRawHeaderNames(), `${what}: raw names`);
  assert.equal(ours.isEmpty(), node.getHeaderNames().length === 0);
}

test('random setHeader/appendHeader/removeHeader/getHeader/hasHeader sequences match OutgoingMessage', () => {
  const r = prng(5);
  for (let round = 0; round < 600; round++) {
    const ours = new OutgoingHeaders();
    const node = new http.OutgoingMessage();
    const steps = 1 + Math.floor(r() * 25);
    for (let s = 0; s < steps; s++) {
      const op = Math.floor(r() * 6);
      const name = randomName(r) as string;
      const value = randomValue(r) as string;
      const what = `round ${round} step ${s} op ${op} ${JSON.stringify(name)}`;
      switch (op) {
        case 0:
        case 1:
          assert.is(
            outcome(() => ours.set(name, value) && 'this'),
            outcome(() => node.setHeader(name, value) && 'this'),
            what,
          );
          break;
        case 2:
          assert.is(
            outcome(() => ours.append(name, value) && 'this'),
            outcome(() => node.appendHeader(name, value) && 'this'),
            what,
          );
          break;
        case 3:
          assert.is(
            outcome(() => {
              ours.remove(name);
            }),
            outcome(() => node.removeHeader(name)),
            what,
          );
          break;
        case 4:
          assert.is(
            outcome(() => JSON.stringify(ours.get(name))),
            outcome(() => JSON.stringify(node.getHeader(name))),
            what,
          );
          assert.is(
            outcome(() => ours.get(name)),
            outcome(() => node.getHeader(name)),
          );
          break;
        case 5:
          assert.is(
            outcome(() => ours.has(name)),
            outcome(() => node.hasHeader(name)),
            what,
          );
          break;
      }
      sameState(ours, node, what);
    }
    // get() hands out the stored value itself (arrays are shared), as Node.
    for (const name of ours.names()) {
      const v = ours.get(name);
      if (Array.isArray(v)) assert.is(ours.toObject()[name], v);
    }
  }
});

test('toRawObject equals _renderHeaders; clear and isEmpty', () => {
  const ours = new OutgoingHeaders();
  const node: any = new http.OutgoingMessage();
  for (const [n, v] of [
    ['Content-Type', 'a'],
    ['X-B', ['1', '2']],
    ['x-b', 'again'],
    ['7', 'seven'],
  ] as const) {
    ours.set(n, v);
    node.setHeader(n, v);
  }
  assert.equal(Object.entries(ours.toRawObject()), Object.entries(node._renderHeaders()));
  assert.is(Object.getPrototypeOf(ours.toRawObject()), Object.prototype);
  assert.not.ok(ours.isEmpty());
  ours.clear();
  assert.ok(ours.isEmpty());
  assert.equal(ours.names(), []);
  assert.equal(ours.rawNames(), []);
});

test('setHeaders from Headers and Map, with the set-cookie special case', () => {
  const inputs: unknown[] = [
    new Headers([
      ['Set-Cookie', 'a=1'],
      ['set-cookie', 'b=2'],
      ['Content-Type', 'text/plain'],
      ['X-A', '1'],
      ['x-a', '2'],
    ]),
    new Map<string, unknown>([
      ['Set-Cookie', 'a=1'],
      ['set-cookie', ['b=2', 'c=3']],
      ['X-N', 5],
    ]),
    new Map([['set-cookie', 'only']]),
    new Headers(),
    new Map([['bad name', 'x']]),
    new Map([['x', undefined]]),
    {},
    [],
    null,
    undefined,
    'x',
    { keys() {}, get() {} },
  ];
  for (const [i, input] of inputs.entries()) {
    const ours = new OutgoingHeaders().set('Set-Cookie', 'old=1');
    const node = new http.OutgoingMessage();
    node.setHeader('Set-Cookie', 'old=1');
    assert.is(
      outcome(() => ours.setHeaders(input as Headers) && 'this'),
      outcome(() => node.setHeaders(input as Headers) && 'this'),
      `input ${i}`,
    );
    sameState(ours, node, `input ${i}`);
  }
});

function nodeMessage(
  flags: Partial<MessageFlags>,
  unique: Set<string> | null,
  msg: any = new http.OutgoingMessage(),
): any {
  Object.assign(msg, flags);
  if (unique) msg[kUniqueHeaders] = unique;
  return msg;
}

/** Our side of a message: every flag a fresh OutgoingMessage has, then `flags`. */
function ourMessage(flags: Partial<MessageFlags>): MessageFlags {
  const fresh: any = new http.OutgoingMessage();
  const out: any = {};
  for (const k of [...FLAG_KEYS, ...ALSO_READ]) out[k] = fresh[k];
  return Object.assign(out, flags);
}

const FLAG_KEYS: (keyof MessageFlags)[] = [
  'shouldKeepAlive',
  'chunkedEncoding',
  '_last',
  '_removedConnection',
  '_removedContLen',
  '_removedTE',
  '_contentLength',
  '_defaultKeepAlive',
  '_header',
];

const ALSO_READ: (keyof MessageFlags)[] = [
  'sendDate',
  'useChunkedEncodingByDefault',
  'maxRequestsOnConnectionReached',
  '_hasBody',
  '_keepAliveTimeout',
  '_maxRequestsPerSocket',
  'statusCode',
  'agent',
];

function randomFlags(r: () => number): Partial<MessageFlags> {
  const b = () => r() < 0.5;
  return {
    shouldKeepAlive: b(),
    useChunkedEncodingByDefault: r() < 0.8,
    chunkedEncoding: r() < 0.1,
    maxRequestsOnConnectionReached: r() < 0.1,
    _hasBody: r() < 0.8,
    _removedConnection: r() < 0.1,
    _removedContLen: r() < 0.1,
    _removedTE: r() < 0.1,
    _contentLength: r() < 0.3 ? Math.floor(r() * 100) : null,
    _keepAliveTimeout: r() < 0.5 ? 5000 : 0,
    _maxRequestsPerSocket: r() < 0.3 ? 100 : 0,
    statusCode: [200, 204, 304][Math.floor(r() * 3)],
  };
}

test('header blocks from the store equal Node _storeHeader output, flags included', () => {
  const r = prng(17);
  let withBlocks = 0;
  for (let round = 0; round < 3000; round++) {
    const ours = new OutgoingHeaders();
    const node = new http.OutgoingMessage();
    const n = Math.floor(r() * 12);
    for (let i = 0; i < n; i++) {
      const name = NAMES[Math.floor(r() * NAMES.length)];
      const value = randomValue(r) ?? 'v';
      const set = r() < 0.7;
      const a = outcome(() =>
        set ? ours.set(name, value as string) : ours.append(name, value as string),
      );
      const b = outcome(() =>
        set ? node.setHeader(name, value as string) : node.appendHeader(name, value as string),
      );
      assert.is(a, b);
    }
    const unique = r() < 0.3 ? new Set(['x-tag', 'set-cookie', 'vary']) : null;
    const flags = randomFlags(r);
    const theirs = nodeMessage(flags, unique, node);
    const mine = ourMessage(flags);
    const first = 'HTTP/1.1 200 OK\r\n';
    const a = outcome(() => storeHeader(mine, first, ours, unique, 'DATE'));
    const b = outcome(() => theirs._storeHeader(first, (node as any)[kOutHeaders]));
    assert.is(a, b, `round ${round}`);
    // After a throw Node has applied part of the block's flags and we none:
    // only the error itself is comparable then.
    if (a.startsWith('ok')) {
      for (const k of FLAG_KEYS) assert.equal(mine[k], theirs[k], `round ${round}: ${k}`);
    }
    if (mine._header && mine._header.length > first.length + 60) withBlocks++;
  }
  assert.ok(withBlocks > 500, `non-trivial blocks: ${withBlocks}`);
});

test('header blocks from writeHead-style objects and arrays (validated) equal Node _storeHeader', () => {
  const r = prng(23);
  for (let round = 0; round < 3000; round++) {
    const kind = round % 3;
    const n = Math.floor(r() * 8);
    let headers: any;
    if (kind === 0) {
      // Sometimes with enumerable fields on the prototype: only own names are sent.
      headers = r() < 0.2 ? Object.create({ 'X-Inherited': 'from the prototype' }) : {};
      for (let i = 0; i < n; i++) headers[String(randomName(r))] = randomValue(r);
    } else if (kind === 1) {
      headers = [];
      for (let i = 0; i < n; i++) headers.push([randomName(r), randomValue(r)]);
    } else {
      headers = [];
      for (let i = 0; i < n; i++) headers.push(randomName(r), randomValue(r));
      if (r() < 0.1) headers.push('odd');
    }
    const unique = r() < 0.3 ? new Set(['x-tag', 'cookie']) : null;
    const flags = randomFlags(r);
    const theirs = nodeMessage(flags, unique);
    const mine = ourMessage(flags);
    const first = 'GET / HTTP/1.1\r\n';
    const a = outcome(() => storeHeader(mine, first, headers, unique, 'DATE'));
    const b = outcome(() => theirs._storeHeader(first, headers));
    assert.is(a, b, `round ${round}`);
    if (a.startsWith('ok')) {
      for (const k of FLAG_KEYS) assert.equal(mine[k], theirs[k], `round ${round}: ${k}`);
    }
  }
});

test('serialiser rules, spelled out', () => {
  const h = new OutgoingHeaders()
    .set('X-A', ['1', '2'])
    .set('Cookie', ['a', 'b'])
    .set('Set-Cookie', ['s1', 's2'])
    .set('X-One', ['only'])
    .set('X-Empty', [])
    .set('X-N', 5);
  assert.is(
    serializeHeaders(h),
    'X-A: 1\r\nX-A: 2\r\nCookie: a; b\r\nSet-Cookie: s1\r\nSet-Cookie: s2\r\nX-One: only\r\nX-N: 5\r\n',
  );
  assert.is(
    serializeHeaders(h, parseUniqueHeaders(['x-a', 'SET-COOKIE'])),
    'X-A: 1; 2\r\nCookie: a; b\r\nSet-Cookie: s1; s2\r\nX-One: only\r\nX-N: 5\r\n',
  );
  assert.is(serializeHeaders(null), '');
  assert.is(serializeHeaders({ A: 'b' }), 'A: b\r\n');
  assert.is(serializeHeaders(['A', 'b', 'C', 'd']), 'A: b\r\nC: d\r\n');
  assert.is(serializeHeaders([['A', 'b']]), 'A: b\r\n');
  const state = new HeaderBlockState().reset(null);
  serializeHeaders({ Connection: 'close', 'Content-Length': '10', Trailer: 'x' }, null, state);
  assert.ok(state.connection && state.connectionClose && !state.connectionKeepAlive);
  assert.ok(state.contLen && state.contentLength === 10 && state.trailer);
});

test('parseUniqueHeaders matches Node (lower-cased set, null unless an array)', () => {
  assert.equal([...(parseUniqueHeaders(['X-A', 'b']) ?? [])], ['x-a', 'b']);
  assert.is(parseUniqueHeaders(undefined), null);
  assert.is(parseUniqueHeaders('x'), null);
  const req = http.request({
    createConnection: () => new Duplex({ read() {}, write: (_c, _e, cb) => cb() }) as any,
    uniqueHeaders: ['X-A', 'B'],
  });
  req.on('error', () => {});
  assert.equal([...(req as any)[kUniqueHeaders]], [...(parseUniqueHeaders(['X-A', 'B']) ?? [])]);
  req.destroy();
});

test('serializeTrailers equals addTrailers', () => {
  const r = prng(31);
  for (let round = 0; round < 2000; round++) {
    const n = Math.floor(r() * 6);
    let trailers: any;
    if (round % 2) {
      trailers = {};
      for (let i = 0; i < n; i++) trailers[String(randomName(r))] = randomValue(r);
    } else {
      trailers = [];
      for (let i = 0; i < n; i++) trailers.push([randomName(r), randomValue(r)]);
    }
    const unique = r() < 0.4 ? new Set(['x-tag', 'set-cookie']) : null;
    const node: any = new http.OutgoingMessage();
    if (unique) node[kUniqueHeaders] = unique;
    const a = outcome(() => serializeTrailers(trailers, unique));
    const b = outcome(() => node.addTrailers(trailers));
    const norm = (o: string) => (o.startsWith('ok') ? 'ok' : o);
    assert.is(norm(a), norm(b), `round ${round}`);
    if (a.startsWith('ok')) assert.is(serializeTrailers(trailers, unique), node._trailer);
  }
});

test('containsHeaderToken equals the regexes Node uses', () => {
  const words = ['close', 'chunked', '100-continue'];
  const r = prng(41);
  const samples = [
    'close',
    'Close',
    'CLOSE',
    'keep-alive, close',
    'closed',
    'unclose',
    '_close',
    'close_',
    '-close-',
    'close,',
    ' close ',
    'clos',
    '',
    'chunked',
    'gzip, chunked',
    'chunkedx',
    '100-continue',
    '100-Continue',
    '1100-continue',
    'ſclose',
    'closeſ',
    'cloſe',
    'éclose',
    'close\u212a',
  ];
  for (let i = 0; i < 5000; i++) {
    const w = words[i % 3];
    let s = randomString(r, 6, 0.7);
    if (r() < 0.6) s += (r() < 0.5 ? w : w.toUpperCase()) + randomString(r, 4, 0.5);
    samples.push(s);
  }
  for (const s of samples) {
    for (const w of words) {
      const re = new RegExp(`(?:^|\\W)${w}(?:$|\\W)`, 'i');
      assert.is(containsHeaderToken(s, w), re.test(s), `${JSON.stringify(s)} ~ ${w}`);
    }
  }
  assert.is(containsHeaderToken(5, 'close'), false);
});

test.run();
