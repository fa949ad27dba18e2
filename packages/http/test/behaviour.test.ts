// The umbrella composed end to end: a server and a client from the same module object, the
// reassignable global agent, and an Express 5 app served through the register hook.
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import http from '../src/index.ts';
import { ensureBuilt, fixturesDir, lastJsonLine, registerCjs, runNode } from './helpers.ts';

test.before(() => ensureBuilt());

test('createServer + request: one round trip through the umbrella', async () => {
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (d) => {
      body += d;
    });
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'text/plain', 'x-method': req.method });
      res.end(`${req.url}:${body}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = server.address() as { port: number };
    const seen = await new Promise<{ status?: number; method?: string; body: string }>(
      (resolve, reject) => {
        const req = http.request({ port, host: '127.0.0.1', method: 'POST', path: '/p' }, (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (d) => {
            body += d;
          });
          res.on('end', () =>
            resolve({ status: res.statusCode, method: res.headers['x-method'] as string, body }),
          );
        });
        req.on('error', reject);
        req.end('payload');
      },
    );
    assert.equal(seen, { status: 200, method: 'POST', body: '/p:payload' });
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

test('http.globalAgent = agent: request()/get() use the new agent', async () => {
  const r = await runNode([path.join(fixturesDir, 'global-agent.cjs')]);
  const seen = lastJsonLine(r);
  assert.equal(seen, { sameAfterSet: true, body: '/via-get', created: 1, restored: true });
});

test('an Express 5 app runs on strata-http through the register hook', async () => {
  const r = await runNode(['--require', registerCjs, path.join(fixturesDir, 'express-app.cjs')]);
  const seen = lastJsonLine(r);
  assert.is(seen.error, undefined, seen.error);
  assert.is(seen.strataServer, true, 'app.listen() built a strata-http Server');
  assert.equal(seen.hello, {
    status: 200,
    body: 'hello world',
    powered: 'strata',
    type: 'text/html; charset=utf-8',
  });
  assert.equal(seen.echo, { status: 201, body: { got: { a: [1, 2, 3] } } });
  assert.equal(seen.missing, { status: 404 });
});

test('an ES module app with Express: --import hook, one instance for import and require', async () => {
  const r = await runNode([
    '--import',
    '@strata-http/http/register',
    path.join(fixturesDir, 'express-app.mjs'),
  ]);
  assert.equal(lastJsonLine(r), {
    sameInstance: true,
    strataServer: true,
    status: 200,
    body: { ok: true },
  });
});

test.run();
