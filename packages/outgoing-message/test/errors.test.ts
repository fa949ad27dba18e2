/**
 * Every error OutgoingMessage throws or emits, provoked the same way on
 * node:http's OutgoingMessage and on ours: same code, name, message and
 * base class, thrown (or emitted) at the same point.
 */
import * as http from 'node:http';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { OutgoingMessage } from '../src/index.ts';

type Msg = any;

/** An OutgoingMessage whose _implicitHeader works, so body writes can proceed. */
function prepared(Base: typeof OutgoingMessage | typeof http.OutgoingMessage): Msg {
  const msg = new (Base as typeof OutgoingMessage)();
  // Each implementation's own header-store symbol (both are described 'kOutHeaders').
  const kOut = Object.getOwnPropertySymbols(msg).find((k) => k.description === 'kOutHeaders');
  assert.ok(kOut);
  msg._implicitHeader = function (this: Msg) {
    this._storeHeader('HTTP/1.1 200 OK\r\n', this[kOut as symbol]);
  };
  return msg;
}

interface Thrown {
  code: unknown;
  name: unknown;
  message: unknown;
  kind: string;
}

function describe(err: unknown): Thrown {
  const e = err as Error & { code?: unknown };
  const kind =
    e instanceof RangeError ? 'RangeError' : e instanceof TypeError ? 'TypeError' : 'Error';
  return { code: e.code, name: e.name, message: e.message, kind };
}

function thrown(fn: () => unknown): Thrown | null {
  try {
    fn();
  } catch (err) {
    return describe(err);
  }
  return null;
}

const cases: [string, (m: Msg) => unknown][] = [
  ['setHeader: invalid name', (m) => m.setHeader('bad name', 'x')],
  ['setHeader: empty name', (m) => m.setHeader('', 'x')],
  ['setHeader: non-string name', (m) => m.setHeader(42, 'x')],
  ['setHeader: undefined value', (m) => m.setHeader('x-a', undefined)],
  ['setHeader: CR/LF in value', (m) => m.setHeader('x-a', 'a\r\nInjected: 1')],
  ['setHeader: NUL in an array value', (m) => m.setHeader('x-a', ['ok', 'a\u0000b'])],
  ['setHeader: char above 0xFF', (m) => m.setHeader('x-a', 'snow\u2603')],
  ['appendHeader: invalid name', (m) => m.appendHeader('a:b', 'x')],
  ['appendHeader: invalid value', (m) => m.appendHeader('x', 'a\nb')],
  ['getHeader: non-string name', (m) => m.getHeader(1)],
  ['hasHeader: non-string name', (m) => m.hasHeader(null)],
  ['removeHeader: non-string name', (m) => m.removeHeader({})],
  ['setHeaders: an array', (m) => m.setHeaders([['a', 'b']])],
  ['setHeaders: a plain object', (m) => m.setHeaders({ a: 'b' })],
  ['setHeaders: null', (m) => m.setHeaders(null)],
  ['setHeaders: invalid entry', (m) => m.setHeaders(new Map([['a b', 'c']]))],
  ['addTrailers: invalid name', (m) => m.addTrailers({ 'a b': 'x' })],
  ['addTrailers: invalid value', (m) => m.addTrailers({ ab: 'x\n' })],
  ['addTrailers: invalid value in a list', (m) => m.addTrailers({ ab: ['ok', 'x\r'] })],
  ['write(null)', (m) => m.write(null)],
  ['write(number)', (m) => m.write(1)],
  ['write(object)', (m) => m.write({})],
  ['end(number)', (m) => m.end(1)],
  [
    'write() without _implicitHeader',
    (m) => new (Object.getPrototypeOf(m).constructor)().write('x'),
  ],
  ['end() without _implicitHeader', (m) => new (Object.getPrototypeOf(m).constructor)().end()],
  [
    'flushHeaders() without _implicitHeader',
    (m) => new (Object.getPrototypeOf(m).constructor)().flushHeaders(),
  ],
  ['pipe() with no error listener', (m) => m.pipe()],
  [
    'setHeader after the header block',
    (m) => {
      m.flushHeaders();
      m.setHeader('a', 'b');
    },
  ],
  [
    'appendHeader after the header block',
    (m) => {
      m.flushHeaders();
      m.appendHeader('a', 'b');
    },
  ],
  [
    'removeHeader after the header block',
    (m) => {
      m.flushHeaders();
      m.removeHeader('a');
    },
  ],
  [
    'setHeaders after the header block',
    (m) => {
      m.flushHeaders();
      m.setHeaders(new Map());
    },
  ],
  [
    '_renderHeaders after the header block',
    (m) => {
      m.flushHeaders();
      m._renderHeaders();
    },
  ],
  [
    'strictContentLength: more than Content-Length',
    (m) => {
      m.strictContentLength = true;
      m.setHeader('Content-Length', 2);
      // The length is known once the header block is stored: the first write passes.
      m.write('a');
      m.write('bc');
    },
  ],
  [
    'strictContentLength: less than Content-Length at end',
    (m) => {
      m.strictContentLength = true;
      m.setHeader('Content-Length', 5);
      m.write('abc');
      m.end();
    },
  ],
  [
    'Trailer header without chunked framing',
    (m) => {
      m.setHeader('Trailer', 'x');
      m.setHeader('Content-Length', 1);
      m.end('y');
    },
  ],
  ['_storeHeader: odd flat header list', (m) => m._storeHeader('X\r\n', ['a', 'b', 'c'])],
  ['_storeHeader: invalid pair name', (m) => m._storeHeader('X\r\n', [['a b', 'c']])],
  ['_storeHeader: invalid object value', (m) => m._storeHeader('X\r\n', { a: 'b\nc' })],
];

const errs = suite('thrown errors: same as node:http');

for (const [name, provoke] of cases) {
  errs(name, () => {
    const theirs = thrown(() => provoke(prepared(http.OutgoingMessage)));
    const ours = thrown(() => provoke(prepared(OutgoingMessage)));
    assert.ok(theirs !== null, 'node:http throws here');
    assert.equal(ours, theirs);
  });
}

errs.run();

const emitted = suite('errors delivered to callbacks and listeners');

/** Collects callback errors and 'error' events (in order) for one scenario. */
async function collect(msg: Msg, provoke: (m: Msg, log: string[]) => void): Promise<string[]> {
  const log: string[] = [];
  msg.on('error', (e: Error & { code: string }) => log.push(`error event ${e.code}: ${e.message}`));
  provoke(msg, log);
  await new Promise((r) => setTimeout(r, 5));
  return log;
}

const asyncCases: [string, (m: Msg, log: string[]) => void][] = [
  [
    'write after end',
    (m, log) => {
      m.end();
      log.push(`returned ${m.write('x', (e: { code: string }) => log.push(`callback ${e.code}`))}`);
    },
  ],
  [
    'end(data) after end',
    (m, log) => {
      m.end();
      log.push(
        `returns this: ${m.end('x', (e: { code: string }) => log.push(`callback ${e?.code}`)) === m}`,
      );
    },
  ],
  [
    'write after destroy',
    (m, log) => {
      m.destroy();
      log.push(`returned ${m.write('x', (e: { code: string }) => log.push(`callback ${e.code}`))}`);
    },
  ],
  ['pipe() with a listener', (m) => m.pipe()],
];

for (const [name, provoke] of asyncCases) {
  emitted(name, async () => {
    const theirs = await collect(prepared(http.OutgoingMessage), provoke);
    const ours = await collect(prepared(OutgoingMessage), provoke);
    assert.ok(theirs.length > 0);
    assert.equal(ours, theirs);
  });
}

emitted.run();
