// The umbrella's surface compared with node:http itself: names, shapes, defaults, errors.

import * as nodeHttp from 'node:http';
import { createRequire } from 'node:module';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import http, * as named from '../src/index.ts';
import { ensureBuilt, packageDir } from './helpers.ts';

/** `import * as` of a CommonJS builtin also has `default` (the module object). */
type WithDefault = typeof nodeHttp & { default: typeof nodeHttp };

const requireFromPackage = createRequire(`${packageDir}/package.json`);
// v23.8 documents http.WebSocket, CloseEvent and MessageEvent; Node 20 does not have them yet.
const v23Additions = ['WebSocket', 'CloseEvent', 'MessageEvent'];

test.before(() => ensureBuilt());

test('require() returns a plain object with node:http’s keys, in node:http’s order', () => {
  const cjs = requireFromPackage('@strata-http/http');
  const expected = Object.keys((nodeHttp as WithDefault).default).filter(
    (k) => !v23Additions.includes(k),
  );
  assert.equal(
    Object.keys(cjs).filter((k) => !v23Additions.includes(k)),
    expected,
  );
  for (const name of v23Additions) assert.type(cjs[name], 'function', name);
  assert.is(cjs.__esModule, undefined, 'not a transpiled namespace');
  assert.is(Object.getPrototypeOf(cjs), Object.prototype);
});

test('require(): data properties are writable (middleware patches http.request)', () => {
  const cjs = requireFromPackage('@strata-http/http');
  for (const key of Object.keys((nodeHttp as WithDefault).default)) {
    const ours = Object.getOwnPropertyDescriptor(cjs, key)!;
    const theirs = Object.getOwnPropertyDescriptor((nodeHttp as WithDefault).default, key)!;
    assert.is('value' in ours, 'value' in theirs, `${key} is a data property in both or neither`);
    assert.is(ours.enumerable, theirs.enumerable, `${key} enumerable`);
    if ('value' in theirs) assert.is(ours.writable, theirs.writable, `${key} writable`);
    else assert.is(typeof ours.set, typeof theirs.set, `${key} setter`);
  }
  const original = cjs.request;
  cjs.request = () => 'patched';
  assert.is(cjs.request(), 'patched');
  cjs.request = original;
});

test('ESM: the default export is the module object, named exports are its members', () => {
  for (const key of Object.keys((nodeHttp as WithDefault).default)) {
    if (key === 'globalAgent' || key === 'maxHeaderSize') continue;
    // (Node 22+) The WebSocket client's names are the module object's lazy getters: the
    // source declares them, and the built ES module face binds them (the next test).
    if (v23Additions.includes(key)) continue;
    assert.is((named as any)[key], (http as any)[key], key);
  }
  assert.is(named.globalAgent, http.globalAgent);
});

test('import and require of the built package share one instance (no dual-package hazard)', async () => {
  const esm = await import('@strata-http/http');
  const cjs = requireFromPackage('@strata-http/http');
  assert.is(esm.default, cjs);
  for (const key of Object.keys(cjs)) assert.is((esm as any)[key], cjs[key], key);
});

test('METHODS and STATUS_CODES equal node:http’s', () => {
  assert.equal(http.METHODS, nodeHttp.METHODS);
  assert.equal(http.STATUS_CODES, nodeHttp.STATUS_CODES);
});

test('maxHeaderSize is 16384 by default and follows --max-http-header-size', async () => {
  assert.is(http.maxHeaderSize, 16384);
  assert.is(named.maxHeaderSize, 16384);
  const { runNode } = await import('./helpers.ts');
  const r = await runNode([
    '--max-http-header-size=4321',
    '-p',
    "require('@strata-http/http').maxHeaderSize",
  ]);
  assert.is(r.stdout.trim(), '4321', r.stderr);
  const viaEnv = await runNode(['-p', "require('@strata-http/http').maxHeaderSize"], {
    env: { NODE_OPTIONS: '--max-http-header-size=999' },
  });
  assert.is(viaEnv.stdout.trim(), '999', viaEnv.stderr);
});

function errorOf(fn: () => unknown): { code?: string; name: string; message: string } {
  try {
    fn();
  } catch (err) {
    const e = err as Error & { code?: string };
    return { code: e.code, name: e.name, message: e.message };
  }
  throw new Error('did not throw');
}

test('setMaxIdleHTTPParsers validates exactly like node:http', () => {
  const invalid: unknown[] = [Symbol(), {}, [], () => {}, 1n, true, '1', null, undefined];
  const outOfRange: unknown[] = [-1, -Infinity, NaN, 0, 1.1, Number.MAX_SAFE_INTEGER + 2];
  for (const value of [...invalid, ...outOfRange]) {
    const ours = errorOf(() => http.setMaxIdleHTTPParsers(value as number));
    const theirs = errorOf(() => nodeHttp.setMaxIdleHTTPParsers(value as number));
    assert.equal(ours, theirs, String(typeof value === 'symbol' ? 'Symbol()' : value));
  }
  http.setMaxIdleHTTPParsers(7);
  http.setMaxIdleHTTPParsers(1000);
});

test('validateHeaderName / validateHeaderValue throw node:http’s errors', () => {
  const names: unknown[] = ['', 'a b', 'x\r', 'é', undefined, 42];
  for (const name of names) {
    assert.equal(
      errorOf(() => http.validateHeaderName(name as string)),
      errorOf(() => nodeHttp.validateHeaderName(name as string)),
      String(name),
    );
  }
  for (const value of [undefined, 'a\nb', 'x\0']) {
    assert.equal(
      errorOf(() => http.validateHeaderValue('x-a', value as string)),
      errorOf(() => nodeHttp.validateHeaderValue('x-a', value as string)),
      String(value),
    );
  }
  http.validateHeaderName('x-ok');
  http.validateHeaderValue('x-ok', 'fine value');
});

test('globalAgent is reassignable and read back through every view of the module', () => {
  const cjs = requireFromPackage('@strata-http/http');
  const original = cjs.globalAgent;
  assert.instance(original, cjs.Agent);
  const replacement = new cjs.Agent({ keepAlive: false });
  cjs.globalAgent = replacement;
  try {
    assert.is(cjs.globalAgent, replacement);
  } finally {
    cjs.globalAgent = original;
    replacement.destroy();
  }
  assert.is(cjs.globalAgent, original);
});

const layers = [
  'headers',
  'parser',
  'incoming-message',
  'outgoing-message',
  'agent',
  'client',
  'server',
  'websocket',
];

test('the layers’ CommonJS builds: each export is read by its own getter, bindings stay live', () => {
  for (const layer of layers) {
    const cjs = requireFromPackage(`@strata-http/${layer}`);
    assert.is(cjs.__esModule, true, `${layer}: flagged for ESM interop`);
    const sources = new Set<string>();
    for (const name of Object.keys(cjs)) {
      const get = Object.getOwnPropertyDescriptor(cjs, name)?.get;
      assert.type(get, 'function', `${layer}.${name} is a getter`);
      // esbuild's own helper gives every export the same getter code, `() => from[key]`,
      // which looks the name up on each read.
      const source = String(get);
      assert.not.ok(sources.has(source), `${layer}.${name}: getter code of its own (${source})`);
      sources.add(source);
      assert.is(get?.(), cjs[name], `${layer}.${name} reads its binding`);
    }
  }
  // agent's globalAgent is a `let` that setGlobalAgent() reassigns; client re-exports it.
  const agent = requireFromPackage('@strata-http/agent');
  const client = requireFromPackage('@strata-http/client');
  const original = agent.globalAgent;
  const replacement = new agent.Agent();
  agent.setGlobalAgent(replacement);
  try {
    assert.is(agent.globalAgent, replacement);
    assert.is(client.globalAgent, replacement);
  } finally {
    agent.setGlobalAgent(original);
    replacement.destroy();
  }
  assert.is(agent.globalAgent, original);
});

test('the layers’ ES module builds are faces of their CommonJS builds: one instance each', async () => {
  for (const layer of layers) {
    const cjs = requireFromPackage(`@strata-http/${layer}`);
    const esm = await import(`@strata-http/${layer}`);
    const names = Object.keys(esm).filter((name) => name !== 'default');
    assert.equal(names.sort(), Object.keys(cjs).sort(), `${layer}: the same names`);
    for (const name of names) assert.is(esm[name], cjs[name], `${layer}.${name}: the same value`);
  }
  // The umbrella's classes are the layers' own, whichever way a layer is loaded.
  const { IncomingMessage } = await import('@strata-http/incoming-message');
  assert.is(requireFromPackage('@strata-http/http').IncomingMessage, IncomingMessage);
});

test('ES modules: globalAgent of agent and client follows setGlobalAgent() from either side', async () => {
  const agentEsm = await import('@strata-http/agent');
  const clientEsm = await import('@strata-http/client');
  const agentCjs = requireFromPackage('@strata-http/agent');
  const original = agentCjs.globalAgent;
  assert.is(agentEsm.globalAgent, original);
  const first = new agentCjs.Agent();
  const second = new agentCjs.Agent();
  try {
    agentCjs.setGlobalAgent(first); // CommonJS side (what http.globalAgent = … does)
    assert.is(agentEsm.globalAgent, first);
    assert.is(clientEsm.globalAgent, first);
    agentEsm.setGlobalAgent(second); // ES module side
    assert.is(agentCjs.globalAgent, second);
    assert.is(clientEsm.globalAgent, second);
    assert.is(requireFromPackage('@strata-http/http').globalAgent, second);
  } finally {
    agentCjs.setGlobalAgent(original);
    first.destroy();
    second.destroy();
  }
  assert.is(agentEsm.globalAgent, original);
  assert.is(clientEsm.globalAgent, original);
});

test('Server and Agent are callable without new, as node:http’s are', () => {
  const server = (http.Server as unknown as (l: () => void) => InstanceType<typeof http.Server>)(
    () => {},
  );
  assert.instance(server, http.Server);
  assert.instance(http.createServer(), http.Server);
  class Sub extends http.Server {}
  assert.instance(new Sub(), http.Server);
  assert.is(http.Server.name, 'Server');
  const agent = (http.Agent as unknown as () => InstanceType<typeof http.Agent>)();
  assert.instance(agent, http.Agent);
  agent.destroy();
});

test('NODE_DEBUG=http: the umbrella logs, and Node warns about sensitive data, as node:http does', async () => {
  const { runNode } = await import('./helpers.ts');
  const r = await runNode(['-e', "require('@strata-http/http')"], {
    env: { NODE_DEBUG: 'http' },
  });
  assert.match(r.stderr, /^HTTP \d+: /m);
  assert.match(
    r.stderr,
    /Setting the NODE_DEBUG environment variable to 'http' can expose sensitive data/,
  );
  const quiet = await runNode(['-e', "require('@strata-http/http')"], { env: { NODE_DEBUG: '' } });
  assert.is(quiet.stderr, '');
});

test('require(): the WebSocket client and what it needs load on first use of WebSocket, CloseEvent or MessageEvent', async () => {
  const { runNode } = await import('./helpers.ts');
  // What the require itself loads (the builtins a runtime had already loaded do not count).
  const script = `
    const before = new Set(process.moduleLoadList);
    const http = require('@strata-http/http');
    const wsLayer = (id) => Object.keys(require.cache).some((f) => f.includes(id));
    const heavy = ['crypto', 'tls', 'zlib', 'perf_hooks', 'vm'].map((m) => 'NativeModule ' + m);
    const loaded = () => process.moduleLoadList.filter((m) => !before.has(m) && heavy.includes(m));
    const out = { atLoad: loaded(), layerAtLoad: wsLayer('websocket'), zlibBefore: before.has('NativeModule zlib') };
    const name = process.argv[1];
    const value = http[name];
    const layer = require('@strata-http/websocket');
    out.same = value === layer[name] && http.WebSocket === layer.WebSocket &&
      http.CloseEvent === layer.CloseEvent && http.MessageEvent === layer.MessageEvent;
    out.type = typeof value;
    out.afterUse = loaded().sort();
    console.log(JSON.stringify(out));`;
  for (const name of ['WebSocket', 'CloseEvent', 'MessageEvent']) {
    const r = await runNode(['-e', script, name]);
    assert.is(r.stderr, '', name);
    const out = JSON.parse(r.stdout);
    assert.equal(out.atLoad, [], `${name}: nothing of the WebSocket client's at load`);
    assert.is(out.layerAtLoad, false, name);
    assert.is(out.type, 'function', name);
    assert.is(out.same, true, name);
    // The layer's own imports arrive with it (a runtime may have loaded some of them earlier).
    assert.ok(out.afterUse.includes('NativeModule zlib') || out.zlibBefore, name);
  }
  // An ES module import binds the three names at once (named exports are fixed at link time).
  const esm = await runNode([
    '--input-type=module',
    '-e',
    "import { WebSocket } from '@strata-http/http'; import { WebSocket as W } from '@strata-http/websocket'; console.log(WebSocket === W);",
  ]);
  assert.is(esm.stdout.trim(), 'true');
});

test.run();
