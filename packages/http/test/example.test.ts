// The example server (tooling/example/server.mjs, `npm start`) on the built umbrella: the page,
// the JSON echo, the streaming upload counter and the request log, over real sockets.
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ensureBuilt, repoRoot } from './helpers.ts';

let child: ChildProcess | undefined;
let base = '';
let log = '';

test.before(async () => {
  ensureBuilt();
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: '0' };
  delete env.NODE_OPTIONS;
  child = spawn(process.execPath, [path.join(repoRoot, 'tooling/example/server.mjs')], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.setEncoding('utf8');
  child.stdout!.on('data', (d: string) => {
    log += d;
  });
  base = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`example did not start:\n${log}`)), 10_000);
    child!.stdout!.on('data', () => {
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)\//.exec(log);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child!.on('exit', (code) => reject(new Error(`example exited with ${code}:\n${log}`)));
  });
});

test.after(async () => {
  if (!child || child.exitCode !== null) return;
  const exited = new Promise((resolve) => child!.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
});

test('GET / serves the HTML page', async () => {
  const res = await fetch(`${base}/`);
  assert.is(res.status, 200);
  assert.is(res.headers.get('content-type'), 'text/html; charset=utf-8');
  assert.match(await res.text(), '<h1>Hello from strata-http</h1>');
});

test('POST /echo returns the JSON it received; invalid JSON is a 400', async () => {
  const body = { hello: 'world', list: [1, 2, 3], nested: { ok: true } };
  const res = await fetch(`${base}/echo`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  assert.is(res.status, 200);
  assert.equal(await res.json(), body);
  const bad = await fetch(`${base}/echo`, { method: 'POST', body: '{nope' });
  assert.is(bad.status, 400);
  assert.is(((await bad.json()) as { error: string }).error, 'invalid JSON');
});

test('POST /upload counts a streamed (chunked) body of 3 MiB', async () => {
  const chunk = new Uint8Array(64 * 1024).fill(7);
  let sent = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent >= 3 * 1024 * 1024) return controller.close();
      sent += chunk.length;
      controller.enqueue(chunk);
    },
  });
  const res = await fetch(`${base}/upload`, {
    method: 'POST',
    body: stream,
    duplex: 'half',
  } as RequestInit);
  assert.is(res.status, 200);
  assert.equal(await res.json(), { bytes: 3 * 1024 * 1024 });
});

test('unknown paths are 404, wrong methods 405 with Allow', async () => {
  assert.is((await fetch(`${base}/missing`)).status, 404);
  const res = await fetch(`${base}/echo`, { method: 'DELETE' });
  assert.is(res.status, 405);
  assert.is(res.headers.get('allow'), 'POST');
});

test('one log line per request: method, url, status, length', () => {
  assert.match(log, /"GET \/ HTTP\/1\.1" 200 \d+ [\d.]+ms/);
  assert.match(log, /"POST \/echo HTTP\/1\.1" 200 \d+ /);
  assert.match(log, /"POST \/upload HTTP\/1\.1" 200 \d+ /);
  assert.match(log, /"GET \/missing HTTP\/1\.1" 404 /);
});

test.run();
