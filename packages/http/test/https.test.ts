// `https` on strata-http's layers (served by the register hook for `https` / `node:https`):
// compared with Node's https where Node defines the behaviour, over real TLS connections.
import fs from 'node:fs';
import nodeHttps from 'node:https';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import http from '../src/index.ts';
import { buildLegacyModules } from '../src/legacy-modules.ts';
import { ensureBuilt, fixturesDir, lastJsonLine, registerCjs, runNode } from './helpers.ts';

const https = buildLegacyModules(http).get('https') as Record<string, any>;
const tls = {
  key: fs.readFileSync(path.join(fixturesDir, 'localhost-key.pem')),
  cert: fs.readFileSync(path.join(fixturesDir, 'localhost-cert.pem')),
};

function listen(server: any): Promise<number> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve(server.address().port)),
  );
}

function close(server: any): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

/** One GET; what arrived, and the socket that carried it. */
function get(mod: any, options: Record<string, unknown>): Promise<any> {
  return new Promise((resolve, reject) => {
    const req = mod.get(options, (res: any) => {
      const socket = res.socket;
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () =>
        resolve({
          status: res.statusCode,
          headers: res.headers,
          body,
          socket,
          reused: req.reusedSocket,
        }),
      );
    });
    req.on('error', reject);
  });
}

const handler = (req: any, res: any) => {
  res.setHeader('x-url', req.url);
  res.end(`hello ${req.headers.host}`);
};

test('the module: Node’s names; the Agent’s defaults and pool keys are Node’s', () => {
  assert.equal(Object.keys(https), Object.keys(nodeHttps));
  const ours = new https.Agent();
  const theirs = new nodeHttps.Agent() as any;
  for (const key of ['defaultPort', 'protocol', 'maxCachedSessions', '_sessionCache']) {
    assert.equal(ours[key], theirs[key], key);
  }
  assert.is(new https.Agent({ maxCachedSessions: 0 }).maxCachedSessions, 0);
  assert.ok(ours instanceof http.Agent, 'an http.Agent');
  for (const options of [
    {},
    { host: 'a.example', port: 443 },
    { host: 'a.example', port: 8443, servername: 'b.example', rejectUnauthorized: false },
    { host: 'a.example', servername: 'a.example', ca: 'CA', cert: 'C', key: 'K', ciphers: 'X' },
    { host: 'h', minVersion: 'TLSv1.2', maxVersion: 'TLSv1.3', secureOptions: 0 },
    { host: 'h', honorCipherOrder: false, sigalgs: 'RSA-PSS+SHA256', sessionIdContext: 's' },
    { host: 'h', socketPath: '/tmp/s', localAddress: '127.0.0.2', family: 4 },
  ]) {
    assert.is(ours.getName(options), theirs.getName(options), JSON.stringify(options));
  }
  for (const name of ['request', 'get', 'createServer', 'Server', 'Agent']) {
    const fn = https[name];
    const theirsFn = (nodeHttps as any)[name];
    assert.equal([fn.name, fn.length], [theirsFn.name, theirsFn.length], name);
  }
  const thrown = (create: (o: unknown) => unknown, o: unknown) => {
    try {
      create(o);
      return null;
    } catch (err: any) {
      return [err.code, err.message];
    }
  };
  for (const bad of [1, 'x', true, []]) {
    assert.equal(
      thrown(https.createServer, bad),
      thrown(nodeHttps.createServer as any, bad),
      String(bad),
    );
  }
  const server = https.createServer();
  const nodeServer = nodeHttps.createServer() as any;
  assert.equal(server.eventNames(), nodeServer.eventNames());
  assert.equal(
    server.listeners('tlsClientError').map((f: any) => f.name),
    ['addListener'],
  );
  assert.is(server.maxRequestsPerSocket, nodeServer.maxRequestsPerSocket);
  // captureRejections: tls.Server's handler, as Node's https.Server has (not http.Server's 500).
  const kRejection = Symbol.for('nodejs.rejection');
  assert.is(server[kRejection], nodeServer[kRejection]);
  assert.is(https.globalAgent.keepAlive, (nodeHttps.globalAgent as any).keepAlive);
  assert.is(https.globalAgent.options.timeout, (nodeHttps.globalAgent as any).options.timeout);
});

test('our client and our server: verified TLS, keep-alive reuse, a cached session, SNI', async () => {
  const names: string[] = [];
  const server = https.createServer(
    {
      ...tls,
      SNICallback: (name: string, cb: any) => {
        names.push(name);
        cb(null, undefined);
      },
    },
    handler,
  );
  assert.ok(server instanceof (await import('node:tls')).Server, 'a tls.Server');
  const port = await listen(server);
  const agent = new https.Agent({ keepAlive: true });
  try {
    const options = { host: 'localhost', port, path: '/a', ca: tls.cert, agent };
    const first = await get(https, options);
    const second = await get(https, { ...options, path: '/b' });
    assert.is(first.status, 200);
    assert.is(first.body, `hello localhost:${port}`);
    assert.is(second.headers['x-url'], '/b');
    assert.is(first.reused, false);
    assert.is(second.reused, true, 'the keep-alive socket was reused');
    assert.is(second.socket, first.socket);
    assert.is(first.socket.authorized, true, 'verified against the fixture CA');
    assert.equal(names, ['localhost'], 'SNI from the host');
    assert.is(agent._sessionCache.list.length, 1, 'the TLS session is cached');
  } finally {
    agent.destroy();
    await close(server);
  }
});

test('Node’s https client against our server, ours against Node’s server: the same answers', async () => {
  const oursServer = https.createServer(tls, handler);
  const nodeServer = nodeHttps.createServer(tls, handler);
  const [oursPort, nodePort] = [await listen(oursServer), await listen(nodeServer)];
  try {
    const pick = (r: any) => ({
      status: r.status,
      body: r.body.replace(/:\d+$/, ''),
      url: r.headers['x-url'],
      type: typeof r.headers.date,
    });
    const options = (port: number, agent: unknown) => ({
      host: 'localhost',
      port,
      path: '/p?q=1',
      ca: tls.cert,
      agent,
    });
    const nodeToOurs = await get(nodeHttps, options(oursPort, false));
    const oursToNode = await get(https, options(nodePort, false));
    const nodeToNode = await get(nodeHttps, options(nodePort, false));
    assert.equal(pick(nodeToOurs), pick(nodeToNode));
    assert.equal(pick(oursToNode), pick(nodeToNode));
    assert.ok(oursToNode.socket === null || typeof oursToNode.socket === 'object');
  } finally {
    await close(oursServer);
    await close(nodeServer);
  }
});

test('keep-alive over TLS: each request sent at the previous response’s end reuses the socket', async () => {
  // The client writes requests on reused plain sockets in a burst after the reads; a TLS
  // write made then completed after the next reads, so a request could finish after its
  // response ended and the socket came free too late for the next request. The server is
  // another process (Node's https), so responses arrive while this one is reading.
  const { spawn } = await import('node:child_process');
  const code = [
    "const fs = require('node:fs'); let connections = 0;",
    `const s = require('node:https').createServer({ key: fs.readFileSync(${JSON.stringify(path.join(fixturesDir, 'localhost-key.pem'))}), cert: fs.readFileSync(${JSON.stringify(path.join(fixturesDir, 'localhost-cert.pem'))}) }, (req, res) => res.end(String(connections)));`,
    "s.on('secureConnection', () => connections++);",
    "s.listen(0, '127.0.0.1', () => process.send(s.address().port));",
  ].join('\n');
  const child = spawn(process.execPath, ['-e', code], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  const port = await new Promise<number>((resolve) =>
    child.once('message', (p) => resolve(Number(p))),
  );
  const rounds = 25;
  const perRound = 5;
  let notReused = 0;
  let notFinished = 0;
  let lastCount = '';
  try {
    for (let round = 0; round < rounds; round++) {
      const agent = new https.Agent({ keepAlive: true, ca: tls.cert });
      for (let i = 0; i < perRound; i++) {
        await new Promise<void>((resolve, reject) => {
          https
            .get({ host: 'localhost', port, agent }, (res: any) => {
              if (i > 0 && !res.req.reusedSocket) notReused++;
              res.setEncoding('utf8');
              res.on('data', (d: string) => (lastCount = d));
              res.on('end', () => {
                if (!res.req.writableFinished) notFinished++;
                resolve();
              });
            })
            .on('error', reject);
        });
      }
      agent.destroy();
    }
  } finally {
    child.kill();
  }
  assert.is(notFinished, 0, "requests not finished at their response's 'end'");
  assert.is(notReused, 0, 'requests that did not reuse the free socket');
  assert.is(lastCount, String(rounds), 'one TLS connection per agent');
});

test('request() and get() run as `node:https` code, as Node’s (libraries read the call stack)', async () => {
  // agent-base (https-proxy-agent, …) tells https from http by looking for `node:https:` or
  // `(https.js:` in new Error().stack while the agent is asked for a socket.
  const sniff = (mod: any) => {
    const seen: boolean[] = [];
    const agent = new mod.Agent();
    const addRequest = agent.addRequest;
    agent.addRequest = function (this: any, ...args: any[]) {
      const stack = String(new Error().stack);
      seen.push(stack.includes('node:https:') || stack.includes('(https.js:'));
      return addRequest.apply(this, args);
    };
    for (const call of [mod.request, mod.get]) {
      const req = call({ host: '127.0.0.1', port: 1, agent });
      req.on('error', () => {});
      req.destroy();
    }
    return seen;
  };
  assert.equal(sniff(nodeHttps), [true, true]);
  assert.equal(sniff(https), [true, true]);
  assert.is(https.request.name, 'request');
  assert.is(https.get.name, 'get');
});

test('request(url, options, cb) forms and the default agent', async () => {
  const server = https.createServer(tls, handler);
  const port = await listen(server);
  try {
    const viaUrl = await new Promise<any>((resolve, reject) => {
      https
        .request(`https://localhost:${port}/u`, { ca: tls.cert, agent: false }, (res: any) => {
          res.resume();
          res.on('end', () => resolve(res));
        })
        .on('error', reject)
        .end();
    });
    assert.is(viaUrl.headers['x-url'], '/u');
    const req = https.request({ host: 'localhost', port, ca: tls.cert });
    assert.is(req.agent, https.globalAgent, 'the https global agent by default');
    req.on('error', () => {}); // destroyed before a response: 'socket hang up', as Node's
    req.destroy();
    assert.throws(
      () => https.request({ host: 'localhost', port, protocol: 'http:' }),
      (err: any) => err.code === 'ERR_INVALID_PROTOCOL',
    );
  } finally {
    https.globalAgent.destroy();
    await close(server);
  }
});

test("a TLS handshake failure is the server's 'clientError'; idle connections close with the server", async () => {
  const server = https.createServer(tls, handler);
  const port = await listen(server);
  const net = await import('node:net');
  const clientError = new Promise<any>((resolve) =>
    server.once('clientError', (err: any, socket: any) => {
      socket.destroy();
      resolve(err);
    }),
  );
  const plain = net.connect(port, '127.0.0.1', () =>
    plain.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n'),
  );
  plain.on('error', () => {});
  const err = await clientError;
  assert.ok(err instanceof Error, String(err));
  plain.destroy();

  // A keep-alive connection left idle is closed by server.close(), as with http.
  const agent = new https.Agent({ keepAlive: true });
  const first = await get(https, { host: 'localhost', port, ca: tls.cert, agent });
  const closed = new Promise((resolve) => first.socket.once('close', resolve));
  await close(server);
  await closed;
  agent.destroy();
});

test('through the register hook: require/import of https are these; Express over https.createServer works', async () => {
  ensureBuilt();
  const r = await runNode([
    '--require',
    registerCjs,
    '-e',
    [
      "const strata = require('@strata-http/http');",
      "const m = require('https');",
      "const same = m === require('node:https') && m === strata[Symbol.for('strata-http.legacyModules')]().get('https');",
      "import('node:https').then((esm) => console.log(JSON.stringify({ same, esm: esm.default === m && esm.Agent === m.Agent, builtin: typeof process.getBuiltinModule === 'function' ? process.getBuiltinModule('https') === m : 'absent' })));",
    ].join('\n'),
  ]);
  const seen = lastJsonLine(r);
  assert.is(seen.same, true);
  assert.is(seen.esm, true);
  assert.ok(seen.builtin === true || seen.builtin === 'absent');

  const app = await runNode([
    '--require',
    registerCjs,
    path.join(fixturesDir, 'express-https-app.cjs'),
  ]);
  const result = lastJsonLine(app);
  assert.is(result.error, undefined, result.error);
  assert.equal(result.first.body, { hello: 'one', host: result.first.body.host });
  assert.is(result.first.status, 200);
  assert.is(result.first.powered, 'strata');
  assert.is(result.first.strataResponse, true);
  assert.is(result.second.body.hello, 'two');
  assert.is(result.second.reused, true, 'the global agent keeps the TLS connection');
});

test.run();
