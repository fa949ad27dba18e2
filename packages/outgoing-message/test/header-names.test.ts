/**
 * The deprecated `OutgoingMessage.prototype._headerNames` and `_headers`
 * accessors (DEP0066), compared with node:http's OutgoingMessage side by side.
 */
import { spawnSync } from 'node:child_process';
import * as http from 'node:http';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { OutgoingMessage } from '../src/index.ts';

type Msg = {
  setHeader(name: string, value: string | string[]): unknown;
  appendHeader(name: string, value: string): unknown;
  removeHeader(name: string): void;
  getHeaders(): Record<string, unknown>;
  getRawHeaderNames(): string[];
  _headerNames: unknown;
  _headers: unknown;
  hasHeader(name: string): boolean;
  getHeader(name: string): unknown;
};
type Ctor = new () => Msg;
const Ours = OutgoingMessage as unknown as Ctor;
const Node = http.OutgoingMessage as unknown as Ctor;

// Keep the warning out of the test output; the child-process test below checks it.
const noDeprecation = process.noDeprecation;
process.noDeprecation = true;

/** Runs `scenario` on both implementations and returns [ours, node's]. */
function both<T>(scenario: (msg: Msg) => T): [T, T] {
  return [scenario(new Ours()), scenario(new Node())];
}

function plain(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  return { proto: Object.getPrototypeOf(value), entries: Object.entries(value) };
}

test('getter: null before any header, as node:http', () => {
  const [ours, node] = both((m) => m._headerNames);
  assert.is(node, null);
  assert.is(ours, null);
});

test('getter: null-prototype object, lower-cased name -> name as given', () => {
  const [ours, node] = both((m) => {
    m.setHeader('X-Flow-Id', 'a');
    m.setHeader('content-type', 'text/plain');
    m.appendHeader('Set-Cookie', 'a=1');
    m.appendHeader('set-cookie', 'b=2');
    return m._headerNames;
  });
  assert.equal(plain(ours), plain(node));
  assert.is(Object.getPrototypeOf(ours), null);
  assert.equal(Object.entries(ours as object), [
    ['x-flow-id', 'X-Flow-Id'],
    ['content-type', 'content-type'],
    ['set-cookie', 'Set-Cookie'],
  ]);
});

test('getter: a fresh copy each time; an emptied store gives {} (not null)', () => {
  const [ours, node] = both((m) => {
    m.setHeader('X-A', '1');
    const first = m._headerNames as Record<string, string>;
    first['x-a'] = 'changed';
    const second = m._headerNames;
    m.removeHeader('x-a');
    return [plain(second), plain(m._headerNames), m.getRawHeaderNames()];
  });
  assert.equal(ours, node);
  assert.equal(ours[1], { proto: null, entries: [] });
});

test('setter: renames stored headers only, ignores unknown keys and non-objects', () => {
  const [ours, node] = both((m) => {
    m.setHeader('X-A', '1');
    m.setHeader('x-b', ['1', '2']);
    const seen: unknown[] = [];
    m._headerNames = { 'x-a': 'X-a', 'x-c': 'C', 'X-B': 'ignored (not lower-case)' };
    seen.push(plain(m._headerNames), m.getRawHeaderNames(), plain(m.getHeaders()));
    m._headerNames = Object.create({ 'x-b': 'inherited' });
    m._headerNames = null;
    m._headerNames = undefined;
    m._headerNames = 'x-a';
    m._headerNames = 5;
    seen.push(plain(m._headerNames), m.getRawHeaderNames());
    return seen;
  });
  assert.equal(ours, node);
  assert.equal(ours[1], ['X-a', 'x-b']);
});

test('setter: no effect before any header is stored', () => {
  const [ours, node] = both((m) => {
    m._headerNames = { 'x-z': 'Z' };
    return [m._headerNames, plain(m.getHeaders())];
  });
  assert.equal(ours, node);
  assert.is(ours[0], null);
});

test('_headers getter: getHeaders(), a null-prototype object, {} before any header', () => {
  const [ours, node] = both((m) => {
    const before = plain(m._headers);
    m.setHeader('X-A', '1');
    m.appendHeader('Set-Cookie', 'a=1');
    m.appendHeader('set-cookie', 'b=2');
    const first = m._headers;
    return [before, plain(first), first === m._headers];
  });
  assert.equal(ours, node);
  assert.equal(ours[1], {
    proto: null,
    entries: [
      ['x-a', '1'],
      ['set-cookie', ['a=1', 'b=2']],
    ],
  });
});

test('_headers setter: replaces the headers (names as given), null removes them, others ignored', () => {
  const [ours, node] = both((m) => {
    m.setHeader('X-Old', 'o');
    const seen: unknown[] = [];
    m._headers = { 'X-A': '1', 'Set-Cookie': ['a', 'b'], 'x-num': 5 };
    seen.push(
      plain(m.getHeaders()),
      m.getRawHeaderNames(),
      m.hasHeader('x-a'),
      m.getHeader('X-Num'),
    );
    m._headers = 'ignored';
    m._headers = 7;
    seen.push(m.getRawHeaderNames());
    m._headers = null;
    seen.push(plain(m.getHeaders()), m.getRawHeaderNames(), m.hasHeader('x-a'));
    m._headers = { 'X-B': '2' };
    m._headers = undefined;
    seen.push(m.getRawHeaderNames());
    return seen;
  });
  assert.equal(ours, node);
  assert.equal(ours[1], ['X-A', 'Set-Cookie', 'x-num']);
  assert.equal(ours[6], []);
  assert.equal(ours[8], []);
});

for (const name of ['_headerNames', '_headers']) {
  test(`${name}: an accessor on the prototype, non-enumerable, non-configurable`, () => {
    const ours = Object.getOwnPropertyDescriptor(OutgoingMessage.prototype, name);
    const node = Object.getOwnPropertyDescriptor(http.OutgoingMessage.prototype, name);
    assert.ok(ours?.get && ours.set);
    assert.is(ours?.enumerable, node?.enumerable);
    assert.is(ours?.configurable, node?.configurable);
    assert.not.ok(Object.keys(new OutgoingMessage()).includes(name));
  });
}

test('DEP0066: one DeprecationWarning per process, same code and message as node:http', () => {
  const fixture = fileURLToPath(new URL('./fixtures/header-names-warning.ts', import.meta.url));
  // Without the colour variables: FORCE_COLOR (set by tsx) beside NO_COLOR makes Node emit an
  // unrelated warning in the child.
  const { FORCE_COLOR: _force, NO_COLOR: _no, ...env } = process.env;
  const run = (which: string, first = '') => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', fixture, which, first], {
      encoding: 'utf8',
      env: { ...env, NODE_OPTIONS: '' },
    });
    assert.is(r.status, 0, r.stderr);
    return JSON.parse(r.stdout);
  };
  const node = run('node');
  const ours = run('strata');
  assert.equal(ours, node);
  assert.equal(ours, [
    {
      name: 'DeprecationWarning',
      code: 'DEP0066',
      message: 'OutgoingMessage.prototype._headerNames is deprecated',
    },
  ]);
  // `_headers` first: its own message, and the shared code keeps it to one warning.
  const nodeHeaders = run('node', 'headers');
  assert.equal(run('strata', 'headers'), nodeHeaders);
  assert.equal(nodeHeaders, [
    {
      name: 'DeprecationWarning',
      code: 'DEP0066',
      message: 'OutgoingMessage.prototype._headers is deprecated',
    },
  ]);
});

test.after(() => {
  process.noDeprecation = noDeprecation;
});

test.run();
