// The register hook, observed from real processes: `--require` and `--import` preloads, the
// identity of every way of reaching node:http, child processes through NODE_OPTIONS.
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ensureBuilt, fixturesDir, lastJsonLine, registerCjs, runNode } from './helpers.ts';

test.before(() => ensureBuilt());

test('--require: require/import/getBuiltinModule of http all return the umbrella', async () => {
  const r = await runNode(['--require', registerCjs, path.join(fixturesDir, 'identity.cjs')]);
  const seen = lastJsonLine(r);
  assert.is(seen.nodeHttp, true, "require('node:http')");
  assert.is(seen.http, true, "require('http')");
  assert.ok(seen.getBuiltinModule === true || seen.getBuiltinModule === 'absent');
  assert.is(seen.esmDefault, true, "import('node:http') default");
  assert.is(seen.esmNamed, true, "import('node:http') named export");
  assert.is(seen.legacyAgent, true, "require('_http_agent').Agent");
  assert.is(seen.legacyServer, true, "require('_http_server').ServerResponse");
  assert.is(seen.legacyOutgoing, true, "require('_http_outgoing').OutgoingMessage");
  assert.equal(seen.enumerableGlobals, [], 'no enumerable globals (Node tests check for leaks)');
});

test('--require: child processes inherit the hook through NODE_OPTIONS', async () => {
  const r = await runNode(['--require', registerCjs, path.join(fixturesDir, 'identity.cjs')]);
  const seen = lastJsonLine(r);
  assert.match(seen.nodeOptions, `--require ${registerCjs}`);
  assert.is(seen.child, 'true', `child: ${seen.childStderr}`);
  assert.is(seen.evalChild, 'true', 'the `http` global of node -p');
});

test('--require: NODE_OPTIONS is not extended twice', async () => {
  const r = await runNode(['--require', registerCjs, path.join(fixturesDir, 'identity.cjs')], {
    env: { NODE_OPTIONS: `--require ${registerCjs}` },
  });
  const seen = lastJsonLine(r);
  assert.is(seen.nodeOptions, `--require ${registerCjs}`);
  assert.is(seen.http, true);
});

test('--import @strata-http/http/register: ESM imports of http and node:http', async () => {
  const r = await runNode([
    '--import',
    '@strata-http/http/register',
    path.join(fixturesDir, 'identity.mjs'),
  ]);
  const seen = lastJsonLine(r);
  assert.is(seen.defaultImport, true, "import http from 'http'");
  assert.is(seen.namespaceDefault, true, "import * as ns from 'node:http'");
  assert.is(seen.named, true, "import { createServer } from 'node:http'");
  assert.is(seen.requireInEsm, true, "createRequire(...)('node:http')");
  for (const name of ['Agent', 'METHODS', 'Server', 'createServer', 'globalAgent', 'request']) {
    assert.ok(seen.keys.includes(name), `named export ${name}`);
  }
  assert.match(seen.nodeOptions, `--require ${registerCjs}`);
  assert.is(seen.esmChild, 'true', `ESM child: ${seen.esmChildStderr}`);
});

test('--require @strata-http/http/register resolves through the package exports', async () => {
  const r = await runNode([
    '--require',
    '@strata-http/http/register',
    '-e',
    "console.log(require('http') === require('@strata-http/http'))",
  ]);
  assert.is(r.stdout.trim(), 'true', r.stderr);
});

test('with the hook, serving, requesting and loading Express never load Node’s http', async () => {
  const r = await runNode(['--require', registerCjs, path.join(fixturesDir, 'no-native-http.cjs')]);
  assert.equal(lastJsonLine(r), { loaded: [] });
  // The control: without the hook the same program loads node:http and its _http_* modules.
  const control = lastJsonLine(await runNode([path.join(fixturesDir, 'no-native-http.cjs')]));
  assert.ok(control.loaded.includes('NativeModule http'), String(control.loaded));
  assert.ok(control.loaded.includes('NativeModule _http_server'), String(control.loaded));
});

test('_http_common.parsers reports the bound set by setMaxIdleHTTPParsers', async () => {
  const r = await runNode([
    '--require',
    registerCjs,
    '-e',
    "const h = require('http'); const before = require('_http_common').parsers.max; h.setMaxIdleHTTPParsers(3); console.log(before, require('_http_common').parsers.max)",
  ]);
  assert.is(r.stdout.trim(), '1000 3', r.stderr);
});

test('without the hook, node:http is Node’s own', async () => {
  const r = await runNode(['-e', "console.log(require('http') === require('@strata-http/http'))"]);
  assert.is(r.stdout.trim(), 'false', r.stderr);
});

test.run();
