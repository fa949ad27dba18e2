import { once } from 'node:events';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { inherits } from 'node:util';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Agent, ClientRequest, globalAgent, request, setGlobalAgent } from '../src/index.ts';
import { type Impl, NODE, OURS, onRequestHead, rawServer, settle, tick } from './helpers.ts';

const test = suite('request options (compared with node:http)');

/** Our source entry, for child processes (run with tsx, so no build is needed). */
const SOURCE = path.join(__dirname, '..', 'src', 'index.ts');

function thrown(fn: () => any) {
  try {
    const r = fn();
    r.on('error', () => {});
    r.destroy();
    return 'no throw';
  } catch (e: any) {
    return `${e.name}|${e.code}|${e.message}`;
  }
}

const BAD: [string, (impl: Impl) => unknown][] = [
  ['path with space', (i) => i.request({ path: '/a b' })],
  ['path with tab', (i) => i.request({ path: '/a\tb' })],
  ['path beyond latin1', (i) => i.request({ path: '/a\u0100' })],
  ['path with DEL (allowed)', (i) => i.request({ path: '/a\x7fb' })],
  ['https: protocol', (i) => i.request({ protocol: 'https:' })],
  ['https: URL', (i) => i.request('https://example.com/')],
  ['invalid URL', (i) => i.request('nope')],
  ['method type', (i) => i.request({ method: 1 as any })],
  ['method token', (i) => i.request({ method: 'G T' })],
  ['host type', (i) => i.request({ host: 1 as any })],
  ['hostname type', (i) => i.request({ hostname: 1 as any })],
  ['agent object', (i) => i.request({ agent: {} as any })],
  ['agent number', (i) => i.request({ agent: 1 as any })],
  ['timeout type', (i) => i.request({ timeout: 'x' as any })],
  ['timeout range', (i) => i.request({ timeout: -1 })],
  ['maxHeaderSize type', (i) => i.request({ maxHeaderSize: 'x' as any })],
  ['maxHeaderSize range', (i) => i.request({ maxHeaderSize: -1 })],
  ['maxHeaderSize integer', (i) => i.request({ maxHeaderSize: 1.5 })],
  ['insecureHTTPParser', (i) => i.request({ insecureHTTPParser: 1 as any })],
  ['joinDuplicateHeaders', (i) => i.request({ joinDuplicateHeaders: 1 as any })],
  ['signal', (i) => i.request({ signal: 1 as any })],
  ['header name', (i) => i.request({ headers: { 'a b': '1' } })],
  ['header value', (i) => i.request({ headers: { a: '\n' } })],
  ['headers odd array', (i) => i.request({ headers: ['a', 'b', 'c'] as any })],
  ['port string', (i) => i.request({ port: 'x' })],
  ['port range', (i) => i.request({ port: 70000 })],
  ['auth type', (i) => i.request({ auth: 1 as any })],
  [
    'setTimeout type',
    (i) => {
      const r = i.request({ host: '127.0.0.1', port: 1 });
      r.on('error', () => {});
      try {
        r.setTimeout('x' as any);
      } finally {
        r.destroy();
      }
      return r;
    },
  ],
];

test('invalid options throw what node:http throws', () => {
  for (const [label, make] of BAD) {
    assert.is(
      thrown(() => make(OURS)),
      thrown(() => make(NODE)),
      label,
    );
  }
});

/** Sends a request and returns the request head the server received. */
async function wire(impl: Impl, makeOptions: (port: number) => any, bodyText?: string) {
  let head = '';
  const srv = await rawServer((s) =>
    onRequestHead(s, (h) => {
      head = h;
      s.end('HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
    }),
  );
  const req = impl.request(makeOptions(srv.port));
  req.on('error', () => {});
  req.on('response', (res) => res.resume());
  req.end(bodyText);
  await settle(req, 'close');
  await srv.close();
  return head;
}

const WIRE: [string, (port: number) => any, string?][] = [
  ['defaults', (port) => ({ port, host: '127.0.0.1' })],
  ['agent false', (port) => ({ port, host: '127.0.0.1', agent: false })],
  ['lower-case method, body', (port) => ({ port, host: '127.0.0.1', method: 'post' }), 'xyz'],
  ['PUT chunked', (port) => ({ port, host: '127.0.0.1', method: 'PUT' })],
  ['DELETE with body', (port) => ({ port, host: '127.0.0.1', method: 'DELETE' }), 'gone'],
  ['auth', (port) => ({ port, host: '127.0.0.1', auth: 'user:pa ss' })],
  [
    'auth does not override Authorization',
    (port) => ({ port, host: '127.0.0.1', auth: 'u:p', headers: { authorization: 'Bearer t' } }),
  ],
  ['setHost false', (port) => ({ port, host: '127.0.0.1', setHost: false })],
  ['Host header given', (port) => ({ port, host: '127.0.0.1', headers: { HOST: 'example.org' } })],
  ['hostname wins over host', (port) => ({ port, hostname: '127.0.0.1', host: 'nowhere.invalid' })],
  [
    'defaultPort equal to port: no port in Host',
    (port) => ({ port, host: '127.0.0.1', defaultPort: port }),
  ],
  [
    'headers as a flat array (no Host added)',
    (port) => ({ port, host: '127.0.0.1', headers: ['X-A', '1', 'x-a', '2', 'Host', 'h'] }),
  ],
  [
    'header casing and multiple values',
    (port) => ({ port, host: '127.0.0.1', headers: { 'X-Multi': ['a', 'b'], 'x-Num': 5 } }),
  ],
  [
    'uniqueHeaders',
    (port) => ({
      port,
      host: '127.0.0.1',
      uniqueHeaders: ['x-u'],
      headers: { 'X-U': ['a', 'b'], 'X-V': ['c', 'd'] },
    }),
  ],
  ['URL string with query', (port) => `http://127.0.0.1:${port}/p/a?q=1&r=%20#frag`],
  ['URL object with credentials', (port) => new URL(`http://us%3Aer:p%40ss@127.0.0.1:${port}/x`)],
  ['path option', (port) => ({ port, host: '127.0.0.1', path: '/search?q=a%20b' })],
  [
    'Connection: close header',
    (port) => ({ port, host: '127.0.0.1', headers: { Connection: 'close' } }),
  ],
  ['Expect header', (port) => ({ port, host: '127.0.0.1', headers: { Expect: 'x-custom' } })],
];

const normalizePort = (head: string) => head.replace(/(Host: [^\r]*?):\d+\r\n/, '$1:PORT\r\n');

test('bytes on the wire match node:http for each option combination', async () => {
  for (const [label, makeOptions, bodyText] of WIRE) {
    const theirs = normalizePort(await wire(NODE, makeOptions, bodyText));
    const ours = normalizePort(await wire(OURS, makeOptions, bodyText));
    assert.is(ours, theirs, label);
  }
});

test('setDefaultHeaders: false sends only the caller’s fields (v23.8 docs; Node 20 lacks it)', async () => {
  let head = await wire(
    OURS,
    (port) => ({
      port,
      host: '127.0.0.1',
      setDefaultHeaders: false,
      headers: { 'Content-Length': 2 },
    }),
    'ab',
  );
  assert.is(head, 'GET / HTTP/1.1\r\nContent-Length: 2\r\n\r\n');
  // setHost overrides setDefaultHeaders for Host
  head = await wire(OURS, (port) => ({
    port,
    host: '127.0.0.1',
    setDefaultHeaders: false,
    setHost: true,
  }));
  assert.is(normalizePort(head), 'GET / HTTP/1.1\r\nHost: 127.0.0.1:PORT\r\n\r\n');
  // Headers as a [name, value, …] list (stored when the request is made): the
  // same, for a POST whose body would otherwise be chunked (as node:http v23.8;
  // Node 22's test-http-dont-set-default-headers.js).
  head = await wire(
    OURS,
    (port) => ({
      port,
      host: '127.0.0.1',
      method: 'POST',
      setDefaultHeaders: false,
      headers: ['host', 'h', 'foo', 'bar', 'Foo', 'baz'],
    }),
    '',
  );
  assert.is(head, 'POST / HTTP/1.1\r\nhost: h\r\nfoo: bar\r\nFoo: baz\r\n\r\n');
});

test('URL merged with options; options win', async () => {
  for (const impl of [NODE, OURS]) {
    let head = '';
    const srv = await rawServer((s) =>
      onRequestHead(s, (h) => {
        head = h;
        s.end('HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n');
      }),
    );
    const req = impl.request(
      `http://127.0.0.1:${srv.port}/from-url`,
      { method: 'PATCH', headers: { 'x-o': '1' }, agent: false },
      (res) => res.resume(),
    );
    req.end();
    await settle(req, 'close');
    assert.ok(head.startsWith('PATCH /from-url HTTP/1.1\r\n'), impl.name);
    assert.ok(head.includes('x-o: 1\r\n'), impl.name);
    // options' path overrides the URL's
    const req2 = impl.get(`http://127.0.0.1:${srv.port}/a`, { path: '/b', agent: false }, (res) =>
      res.resume(),
    );
    await settle(req2, 'close');
    assert.ok(head.startsWith('GET /b HTTP/1.1'), impl.name);
    await srv.close();
  }
});

test('members: path, method, host, protocol, headers API, agent, defaults', () => {
  const pick = (r: any) => ({
    path: r.path,
    method: r.method,
    host: r.host,
    protocol: r.protocol,
    headers: { ...r.getHeaders() },
    names: r.getHeaderNames(),
    raw: r.getRawHeaderNames(),
    hasHost: r.hasHeader('HOST'),
    maxHeadersCount: r.maxHeadersCount,
    reusedSocket: r.reusedSocket,
    aborted: r.aborted,
    destroyed: r.destroyed,
    writableEnded: r.writableEnded,
    writableFinished: r.writableFinished,
    finished: r.finished,
    headersSent: r.headersSent,
    timeout: r.timeout,
    shouldKeepAlive: r.shouldKeepAlive,
    useChunkedEncodingByDefault: r.useChunkedEncodingByDefault,
    socket: r.socket,
    connection: r.connection,
  });
  for (const opts of [
    { host: '::1', port: 81, path: '/x?y', method: 'options', timeout: 5, agent: false },
    { hostname: 'h.example', headers: { 'X-Y': 'z' }, auth: 'a:b' },
    { host: 'h', socketPath: '/tmp/none.sock' },
  ]) {
    const ours = request(opts as any);
    const theirs = NODE.request(opts as any);
    ours.on('error', () => {});
    theirs.on('error', () => {});
    assert.equal(pick(ours), pick(theirs), JSON.stringify(opts));
    ours.destroy();
    theirs.destroy();
  }
  const r = request({ host: 'h' });
  r.on('error', () => {});
  assert.ok(r instanceof ClientRequest);
  assert.is(r.agent, globalAgent);
  r.destroy();
  const f = request({ host: 'h', agent: false });
  f.on('error', () => {});
  assert.is.not(f.agent, globalAgent);
  assert.is(f.agent!.constructor, globalAgent.constructor);
  f.destroy();
});

test('socketPath: a Unix domain socket', async () => {
  const sockPath = path.join(os.tmpdir(), `strata-client-${process.pid}.sock`);
  try {
    fs.unlinkSync(sockPath);
  } catch {}
  const server = net.createServer((s) =>
    onRequestHead(s, (h) => s.end(`HTTP/1.1 200 OK\r\nContent-Length: ${h.length}\r\n\r\n${h}`)),
  );
  server.listen(sockPath);
  await once(server, 'listening');
  for (const impl of [NODE, OURS]) {
    const agent = new impl.Agent({ keepAlive: true });
    const req = impl.get({ socketPath: sockPath, path: '/unix', agent });
    const [res] = await once(req, 'response');
    let text = '';
    for await (const c of res) text += c;
    assert.ok(text.startsWith('GET /unix HTTP/1.1\r\nHost: localhost\r\n'), impl.name);
    assert.equal(
      Object.keys(agent.sockets).concat(Object.keys(agent.freeSockets)).length > 0,
      true,
    );
    agent.destroy();
  }
  server.close();
  await once(server, 'close');
});

test('createConnection option: returned Duplex, callback, error', async () => {
  for (const impl of [NODE, OURS]) {
    // returned socket, no agent involved
    const wireOut: Buffer[] = [];
    const duplex: any = new (require('node:stream').Duplex)({
      read() {},
      write(c: Buffer, _e: any, cb: any) {
        wireOut.push(c);
        cb();
        duplex.push('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi');
      },
    });
    const req = impl.get({ host: 'virtual', createConnection: () => duplex });
    const [res] = await once(req, 'response');
    res.resume();
    await once(res, 'end');
    assert.is((req as any).agent, undefined, impl.name);
    assert.is(
      Buffer.concat(wireOut).toString(),
      'GET / HTTP/1.1\r\nHost: virtual:80\r\nConnection: close\r\n\r\n',
      impl.name,
    );
    // error through the callback
    const failing = impl.get({
      host: 'virtual',
      createConnection: (_o: any, cb: any) => {
        setImmediate(() => cb(new Error('no route')));
        return undefined as any;
      },
    });
    const [err] = await once(failing, 'error');
    assert.is(err.message, 'no route', impl.name);
  }
});

test('lookup, family, hints, localAddress reach the connection', async () => {
  for (const impl of [NODE, OURS]) {
    const srv = await rawServer((s) =>
      onRequestHead(s, () => s.end('HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n')),
    );
    const seen: any[] = [];
    const lookup = (host: string, opts: any, cb: any) => {
      seen.push([host, opts.family, opts.hints]);
      if (opts.all) cb(null, [{ address: '127.0.0.1', family: 4 }]);
      else cb(null, '127.0.0.1', 4);
    };
    const req = impl.get(
      {
        host: 'my.test',
        port: srv.port,
        lookup,
        family: 4,
        hints: 0,
        localAddress: '127.0.0.1',
        agent: false,
      },
      (res) => res.resume(),
    );
    await settle(req, 'close');
    assert.equal(seen[0], ['my.test', 4, 0], impl.name);
    assert.is((req.socket as any)?.localAddress ?? '127.0.0.1', '127.0.0.1');
    await srv.close();
  }
});

test('insecureHTTPParser accepts what the strict parser rejects', async () => {
  for (const impl of [NODE, OURS]) {
    const srv = await rawServer((s) =>
      onRequestHead(s, () => s.end('HTTP/1.1 200 OK\r\nX: a\x01b\r\nContent-Length: 0\r\n\r\n')),
    );
    const strict = impl.get({ port: srv.port, host: '127.0.0.1', agent: false });
    const [err] = await once(strict, 'error');
    assert.match(err.code, /^HPE_/, impl.name);
    const lenient = impl.get({
      port: srv.port,
      host: '127.0.0.1',
      agent: false,
      insecureHTTPParser: true,
    });
    const [res] = await once(lenient, 'response');
    assert.is(res.headers.x, 'a\x01b', impl.name);
    res.resume();
    await srv.close();
  }
});

test('flushHeaders, cork/uncork, write callbacks, writableEnded/Finished, setNoDelay/KeepAlive', async () => {
  const chunks: string[] = [];
  const srv = await rawServer((s) => {
    s.on('data', (d) => {
      chunks.push(d.toString());
      if (d.toString().includes('0\r\n\r\n')) {
        s.end('HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n');
      }
    });
  });
  const req = request({ port: srv.port, host: '127.0.0.1', method: 'POST', agent: false });
  req.setNoDelay(true);
  req.setSocketKeepAlive(true, 100);
  req.flushHeaders();
  assert.is(req.headersSent, true);
  await once(req, 'socket');
  await tick(20);
  assert.ok(chunks.join('').startsWith('POST / HTTP/1.1'), 'headers flushed before any body');
  req.cork();
  let cbCalled = false;
  req.write('a', () => {
    cbCalled = true;
  });
  req.write('b');
  req.uncork();
  assert.is(req.writableEnded, false);
  req.end();
  assert.is(req.writableEnded, true);
  await once(req, 'finish');
  assert.is(req.writableFinished, true);
  assert.ok(cbCalled);
  const [res] = await once(req, 'response');
  res.resume();
  await settle(req, 'close');
  assert.ok(chunks.join('').endsWith('1\r\na\r\n1\r\nb\r\n0\r\n\r\n'));
  await srv.close();
});

test('get() ends the request; the callback is a once listener for response', async () => {
  const srv = await rawServer((s) =>
    onRequestHead(s, () => s.write('HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n')),
  );
  let calls = 0;
  const req = OURS.get({ port: srv.port, host: '127.0.0.1', agent: false }, (res) => {
    calls++;
    res.resume();
  });
  assert.is(req.writableEnded, true);
  assert.is(req.listenerCount('response'), 1);
  await settle(req, 'close');
  assert.is(calls, 1);
  await srv.close();
});

test('--insecure-http-parser and --max-http-header-size set the defaults', async () => {
  const srv = await rawServer((s) =>
    onRequestHead(s, () =>
      s.end(`HTTP/1.1 200 OK\r\nY: ${'y'.repeat(2000)}\r\nX: a\x01b\r\nContent-Length: 0\r\n\r\n`),
    ),
  );
  const script = `
    const impl = process.argv[1] === 'node' ? require('node:http') : require(${JSON.stringify(SOURCE)});
    const req = impl.get({ port: ${srv.port}, host: '127.0.0.1', agent: false }, (res) => {
      console.log('ok ' + JSON.stringify(res.headers.x));
      res.resume();
    });
    req.on('error', (e) => console.log(e.code));
  `;
  const { execFile } = await import('node:child_process');
  // async: the server lives in this process
  const run = (flags: string[], impl: string) =>
    new Promise<string>((resolve, reject) =>
      execFile(
        process.execPath,
        [...flags, '--no-deprecation', '--require', 'tsx/cjs', '-e', script, impl],
        { cwd: __dirname, encoding: 'utf8', timeout: 5000 },
        (err, stdout) => (err ? reject(err) : resolve(stdout.trim())),
      ),
    );
  const results: Record<string, string> = {};
  for (const flags of [[], ['--insecure-http-parser'], ['--max-http-header-size=1024']]) {
    const theirs = await run(flags, 'node');
    const ours = await run(flags, 'ours');
    assert.is(ours, theirs, flags.join(' '));
    results[flags.join(' ')] = ours;
  }
  assert.is(results[''], 'HPE_INVALID_HEADER_TOKEN');
  assert.is(results['--insecure-http-parser'], 'ok "a\\u0001b"');
  assert.is(results['--max-http-header-size=1024'], 'HPE_HEADER_OVERFLOW');
  await srv.close();
});

test("request body back-pressure: write() returns false, then 'drain'", async () => {
  for (const impl of [NODE, OURS]) {
    let received = 0;
    const srv = await rawServer((s) => {
      s.pause();
      setTimeout(() => {
        s.resume();
        s.on('data', (d) => {
          received += d.length;
          if (d.toString('latin1').endsWith('0\r\n\r\n')) {
            s.end('HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n');
          }
        });
      }, 50);
    });
    const req = impl.request({ port: srv.port, host: '127.0.0.1', method: 'PUT', agent: false });
    const chunk = Buffer.alloc(64 * 1024, 97);
    let writes = 0;
    let ret = true;
    await once(req, 'socket');
    while (ret && writes < 1000) {
      ret = req.write(chunk);
      writes++;
    }
    assert.is(ret, false, impl.name);
    await once(req, 'drain');
    req.end();
    const [res] = await once(req, 'response');
    res.resume();
    await settle(req, 'close');
    assert.ok(received > writes * chunk.length, impl.name);
    await srv.close();
  }
});

test('chunked upload of Buffers, in one tick and the next: the server gets the same bytes as from node:http', async () => {
  const expected = `1000\r\n${'a'.repeat(4096)}\r\n3\r\nbbb\r\n2\r\ncc\r\n4\r\ndddd\r\n0\r\n\r\n`;
  const bodies: string[] = [];
  for (const impl of [NODE, OURS]) {
    let seen = '';
    const srv = await rawServer((s) => {
      s.on('data', (d) => {
        seen += d.toString('latin1');
        if (seen.endsWith('0\r\n\r\n')) s.end('HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n');
      });
    });
    const req = impl.request({ port: srv.port, host: '127.0.0.1', method: 'PUT', agent: false });
    await once(req, 'socket');
    req.write(Buffer.alloc(4096, 97));
    req.write(Buffer.from('bbb'));
    await tick(5);
    req.write(Buffer.from('cc'));
    req.end(Buffer.from('dddd'));
    const [res] = await once(req, 'response');
    res.resume();
    await settle(req, 'close');
    await srv.close();
    bodies.push(seen.slice(seen.indexOf('\r\n\r\n') + 4));
  }
  assert.is(bodies[1], bodies[0]);
  assert.is(bodies[1], expected);
});

test('setGlobalAgent: later requests without an agent use the new default', () => {
  const original = globalAgent;
  const replacement = new Agent({ keepAlive: true, maxSockets: 1 });
  setGlobalAgent(replacement);
  const r = request({ host: '127.0.0.1', port: 1 });
  r.on('error', () => {});
  assert.is(r.agent, replacement);
  r.destroy();
  setGlobalAgent(original);
  const r2 = request({ host: '127.0.0.1', port: 1 });
  r2.on('error', () => {});
  assert.is(r2.agent, original);
  r2.destroy();
  replacement.destroy();
});

test('header block and body leave in one write', async () => {
  for (const impl of [NODE, OURS]) {
    const writes: string[] = [];
    const { Duplex } = await import('node:stream');
    const socket: any = new Duplex({
      read() {},
      write(chunk: Buffer, _e: any, cb: any) {
        writes.push(chunk.toString('latin1'));
        cb();
      },
      writev(chunks: any[], cb: any) {
        writes.push(chunks.map((c) => c.chunk.toString('latin1')).join(''));
        cb();
      },
    });
    const req = impl.request({
      host: 'h',
      method: 'POST',
      createConnection: () => socket,
      headers: { 'Content-Type': 'text/plain' },
    });
    req.on('error', () => {});
    req.end('hello body');
    await once(req, 'finish');
    assert.is(writes.length, 1, impl.name);
    assert.ok(writes[0].endsWith('\r\n\r\nhello body'), impl.name);
    req.destroy();
  }
});

test('localPort: the connection leaves from the given port', async () => {
  for (const impl of [NODE, OURS]) {
    // a free port: listen on 0, note it, close
    const probe = net.createServer().listen(0, '127.0.0.1');
    await once(probe, 'listening');
    const localPort = (probe.address() as net.AddressInfo).port;
    probe.close();
    await once(probe, 'close');
    let remotePort = 0;
    const srv = await rawServer((s) => {
      remotePort = s.remotePort!;
      onRequestHead(s, () => s.end('HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n'));
    });
    const req = impl.get(
      { port: srv.port, host: '127.0.0.1', localAddress: '127.0.0.1', localPort, agent: false },
      (res) => res.resume(),
    );
    await settle(req, 'close');
    assert.is(remotePort, localPort, impl.name);
    await srv.close();
  }
});

test('an old-style subclass (ClientRequest.call(this, …) + util.inherits) requests as with node:http', async () => {
  const server = await rawServer((s) =>
    onRequestHead(s, (head) =>
      s.end(
        `HTTP/1.1 200 OK\r\nContent-Length: ${head.length}\r\nConnection: close\r\n\r\n${head}`,
      ),
    ),
  );
  const outputs: Record<string, unknown> = {};
  try {
    for (const [impl, Req] of [
      ['ours', ClientRequest],
      ['node', http.ClientRequest],
    ] as const) {
      function Custom(this: any, options: unknown, cb: unknown) {
        this.returned = (Req as any).call(this, options, cb);
      }
      inherits(Custom, Req as any);
      const body = await new Promise<string>((resolve, reject) => {
        const req = new (Custom as any)(
          {
            port: server.port,
            host: '127.0.0.1',
            path: '/old',
            agent: false,
            headers: { 'X-A': 'b' },
          },
          (res: http.IncomingMessage) => {
            let text = '';
            res.setEncoding('latin1');
            res.on('data', (d) => (text += d));
            res.on('end', () => resolve(`${res.statusCode} ${text}`));
          },
        );
        outputs[`${impl} shape`] = [
          req.returned,
          (Req as any).name,
          req instanceof Req,
          req.constructor === Custom,
          req.method,
          req.path,
          req.host,
        ];
        req.on('error', reject);
        req.end();
      });
      outputs[impl] = body;
    }
  } finally {
    await server.close();
  }
  assert.equal(outputs['ours shape'], outputs['node shape']);
  assert.equal(outputs['ours shape'], [
    undefined,
    'ClientRequest',
    true,
    true,
    'GET',
    '/old',
    '127.0.0.1',
  ]);
  assert.is(outputs.ours, outputs.node);
  assert.match(
    outputs.ours as string,
    /^200 GET \/old HTTP\/1.1\r\nX-A: b\r\nHost: 127.0.0.1:\d+\r\nConnection: close\r\n\r\n$/,
  );
});

test("own public properties of a request are node:http's (`timeout` only when given)", () => {
  const keys = (make: typeof http.request, options: http.RequestOptions) => {
    const req = make({ port: 1, host: '127.0.0.1', ...options });
    req.on('error', () => {});
    req.destroy();
    return [
      'timeout' in req,
      (req as { timeout?: number }).timeout,
      Object.keys(req)
        .filter((k) => !k.startsWith('_'))
        .sort(),
    ];
  };
  for (const options of [{}, { timeout: 1500 }]) {
    assert.equal(keys(OURS.request, options), keys(NODE.request, options));
  }
  assert.is(keys(OURS.request, {})[0], false);
});

test.run();
