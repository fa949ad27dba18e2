// The client's hot paths, each run with node:http and with ours over real TCP:
// - reused keep-alive requests whose writes are held (corked) while responses are
//   being read and written together in the check phase of the same loop iteration;
// - the remembered header block of Host-only requests (and the remembered Host value).
// Bytes on the wire and per-request events must equal node:http's.
import type * as http from 'node:http';
import * as net from 'node:net';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { type Impl, NODE, OURS, rawServer, record, settle, tick } from './helpers.ts';

const test = suite('hot path: batched keep-alive writes, Host-only header cache');

const OK = 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok';

async function compare<T>(scenario: (impl: Impl) => Promise<T>): Promise<T> {
  const theirs = await scenario(NODE);
  const ours = await scenario(OURS);
  assert.equal(ours, theirs, firstDifference(ours, theirs));
  return ours;
}

/** Where two recordings part (the full diff of a long recording is unreadable). */
function firstDifference(ours: unknown, theirs: unknown): string {
  const a = JSON.stringify(ours, null, 1).split('\n');
  const b = JSON.stringify(theirs, null, 1).split('\n');
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  if (i === a.length && i === b.length) return 'equal';
  const from = Math.max(0, i - 6);
  return `ours differs from node:http at line ${i}:\n${a.slice(from, i + 3).join('\n')}\n--- node:http:\n${b.slice(from, i + 3).join('\n')}`;
}

/**
 * A raw server that records every byte per connection and answers each complete
 * request (header block plus a Content-Length or chunked body) with `response`.
 */
async function cannedServer(response: string | ((n: number) => string) = OK) {
  const received: string[] = [];
  let answered = 0;
  const srv = await rawServer((s, index) => {
    received[index] = '';
    let pending = '';
    s.on('data', (d: Buffer) => {
      received[index] += d.toString('latin1');
      pending += d.toString('latin1');
      for (;;) {
        const len = requestLength(pending);
        if (len === -1) break;
        pending = pending.slice(len);
        s.write(typeof response === 'string' ? response : response(answered));
        answered++;
      }
    });
  });
  return {
    port: srv.port,
    received,
    close: srv.close,
    get connections() {
      return srv.connections;
    },
  };
}

/** Length of the first complete request in `buf` (GET/HEAD, Content-Length or chunked), or -1. */
function requestLength(buf: string): number {
  const end = buf.indexOf('\r\n\r\n');
  if (end === -1) return -1;
  const head = buf.slice(0, end);
  const cl = /\r\ncontent-length: *(\d+)/i.exec(head);
  if (cl) {
    const total = end + 4 + Number(cl[1]);
    return buf.length >= total ? total : -1;
  }
  if (/\r\ntransfer-encoding: *chunked/i.test(head)) {
    const last = buf.indexOf('\r\n0\r\n\r\n', end);
    return last === -1 ? -1 : last + 7;
  }
  return end + 4;
}

/** Splits one connection's bytes into whole requests (throws on a partial one). */
function splitRequests(bytes: string): string[] {
  const out: string[] = [];
  while (bytes.length) {
    const len = requestLength(bytes);
    if (len === -1) throw new Error(`partial request on the wire: ${JSON.stringify(bytes)}`);
    out.push(bytes.slice(0, len));
    bytes = bytes.slice(len);
  }
  return out;
}

function normalize(s: string, port: number) {
  return s.split(`:${port}`).join(':PORT');
}

/** Waits for the request's 'close' and its response's. */
async function done(req: http.ClientRequest) {
  await settle(req, 'close');
  const res = (req as http.ClientRequest & { res?: http.IncomingMessage }).res;
  if (res && !res.closed) await settle(res, 'close');
}

// ---------------------------------------------------------------------------
// 1. Several requests in flight on one agent

for (const maxSockets of [1, 2]) {
  test(`keep-alive reuse, 6 requests in flight, maxSockets ${maxSockets}: bytes and events`, async () => {
    const result = await compare(async (impl) => {
      const srv = await cannedServer((n) =>
        n % 2 === 0
          ? OK
          : 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n',
      );
      const agent = new impl.Agent({ keepAlive: true, maxSockets });
      const logs: string[][] = [];
      const reqs: http.ClientRequest[] = [];
      for (let i = 0; i < 6; i++) {
        const log: string[] = [];
        logs.push(log);
        const method = i % 3 === 1 ? 'POST' : 'GET';
        const req = impl.request({
          port: srv.port,
          host: '127.0.0.1',
          agent,
          method,
          path: `/r${i}`,
        });
        record(req, log);
        req.on('response', (res) => {
          log.push(`status ${res.statusCode} reused ${req.reusedSocket}`);
          res.resume();
        });
        if (i === 4) {
          // chunked body: written before end()
          req.write('part-one;');
          req.end('part-two');
        } else if (method === 'POST') {
          req.end(`body-${i}`);
        } else {
          req.end();
        }
        reqs.push(req);
      }
      for (const r of reqs) await done(r);
      await tick(5);
      const perConnection = srv.received.map((b) => splitRequests(normalize(b, srv.port)));
      agent.destroy();
      await srv.close();
      if (maxSockets === 1) {
        // One connection: the exact byte stream is deterministic.
        return { logs, connections: srv.connections, bytes: perConnection };
      }
      // Two connections: which one serves which request depends on read timing, so
      // compare the requests sent (each whole) and how many connections were used.
      return {
        logs: logs.map((l) => l.map((e) => e.replace(/reused (true|false)/, 'reused ?'))),
        connections: srv.connections,
        requests: perConnection.flat().sort(),
        firstOnEach: perConnection.map((c) => c[0].split('\r\n')[0]).sort(),
      };
    });
    assert.is(result.connections, maxSockets);
    if (maxSockets === 1) {
      const bytes = (result as any).bytes as string[][];
      assert.is(bytes[0].length, 6);
      assert.ok(
        bytes[0][4].includes(
          'Transfer-Encoding: chunked\r\n\r\n9\r\npart-one;\r\n8\r\npart-two\r\n0\r\n\r\n',
        ),
      );
    }
  });
}

// ---------------------------------------------------------------------------
// 2. Requests made from 'response' / 'end' handlers (the batched path)
//
// Writes are held only for a request that takes an idle pooled socket (reusedSocket,
// set by the agent's addRequest as in Node) while responses are being read. In an
// 'end' handler the response's own socket is not free yet (it is released on the
// next tick, after the user's 'end' handlers), so those requests are made from a
// nextTick after 'end', or from a 'response' handler while another socket is idle.

/** Two keep-alive sockets, both idle in the agent's pool. */
async function warmAgent(impl: Impl, port: number, sockets: number) {
  const agent = new impl.Agent({ keepAlive: true });
  const warm = Array.from({ length: sockets }, () =>
    impl.get({ port, host: '127.0.0.1', agent, path: '/warm' }, (res) => res.resume()),
  );
  for (const r of warm) await done(r);
  await tick(2);
  return agent;
}

/** `socket.writableCorked` right after the request was flushed to its socket. */
function corkedAfterFlush(req: http.ClientRequest, into: number[]) {
  req.on('socket', (s) => process.nextTick(() => into.push(s.writableCorked)));
}

test("requests made in 'response' and after 'end' on reused sockets: bytes and events", async () => {
  const corked: Record<string, number[]> = { node: [], ours: [] };
  const out = await compare(async (impl) => {
    const srv = await cannedServer();
    const agent = await warmAgent(impl, srv.port, 2);
    const logs: Record<string, string[]> = {};
    const reqs: Record<string, http.ClientRequest> = {};
    const start = (name: string, opts: http.RequestOptions, body?: string) => {
      const log: string[] = (logs[name] = []);
      const req = impl.request({
        port: srv.port,
        host: '127.0.0.1',
        agent,
        path: `/${name}`,
        ...opts,
      });
      reqs[name] = req;
      record(req, log);
      corkedAfterFlush(req, corked[impl.name]);
      req.on('response', (res) => res.resume());
      req.end(body);
      return req;
    };
    const p = start('p', {});
    p.on('response', (res) => {
      // the other pooled socket is idle: taken at once (reused), written in the batch
      start('from-response', { method: 'PUT' }, 'put-body');
      res.on('end', () =>
        process.nextTick(() => {
          // p's socket went back to the pool on the tick after 'end'
          const t = start('after-end', {});
          t.on('response', (r) =>
            r.on('end', () => process.nextTick(() => start('after-end-2', { method: 'DELETE' }))),
          );
        }),
      );
    });
    for (let i = 0; i < 100 && Object.keys(reqs).length < 4; i++) await tick(2);
    for (const r of Object.values(reqs)) await done(r);
    await tick(5);
    const result = {
      logs,
      reused: Object.values(reqs).map((r) => r.reusedSocket),
      connections: srv.connections,
      // which warm socket the first request takes depends on which warm response was
      // read last: compare each connection's sequence of requests, in sorted order
      requests: srv.received.map((b) => splitRequests(normalize(b, srv.port))).sort(),
    };
    agent.destroy();
    await srv.close();
    return result;
  });
  assert.equal(out.reused, [true, true, true, true]);
  assert.is(out.connections, 2);
  assert.equal(
    out.requests.map((c) => c.map((r) => r.split('\r\n')[0])),
    [
      [
        'GET /warm HTTP/1.1',
        'GET /p HTTP/1.1',
        'GET /after-end HTTP/1.1',
        'DELETE /after-end-2 HTTP/1.1',
      ],
      ['GET /warm HTTP/1.1', 'PUT /from-response HTTP/1.1'],
    ].sort(),
  );
  // The scenario exercises the batched path: ours held the three requests made while
  // responses were read (the first was made outside any read); node:http never corks.
  assert.equal(corked.node, [0, 0, 0, 0]);
  assert.equal(corked.ours, [0, 1, 1, 1]);
});

test("a request made after 'end' is written before a zero-delay timer runs", async () => {
  // Holds for real TCP sockets: the response is read in the poll phase, so the held
  // write leaves in that iteration's check phase, before the next timers phase. By
  // the time a setTimeout(0) set next to the request runs, its bytes were handed to
  // the kernel (nothing corked or buffered; bytesWritten counts them) and 'finish'
  // was emitted. Whether the server has read them yet is not asserted.
  const seen = await compare(async (impl) => {
    const srv = await cannedServer();
    const agent = new impl.Agent({ keepAlive: true });
    const result = await new Promise<unknown[]>((resolve) => {
      const first = impl.get({ port: srv.port, host: '127.0.0.1', agent, path: '/one' }, (res) => {
        res.resume();
        res.on('end', () =>
          process.nextTick(() => {
            const socket = first.socket as net.Socket;
            const before = socket.bytesWritten;
            let finished = false;
            const second = impl.get({ port: srv.port, host: '127.0.0.1', agent, path: '/two' });
            second.on('finish', () => {
              finished = true;
            });
            second.on('response', (r) => r.resume());
            setTimeout(() => {
              const s = second.socket as net.Socket;
              resolve([
                s === socket,
                second.reusedSocket,
                s.writableCorked,
                s.writableLength,
                s.bytesWritten - before === Buffer.byteLength(String((second as any)._header)),
                finished,
              ]);
            }, 0);
          }),
        );
      });
    });
    await tick(20);
    agent.destroy();
    await srv.close();
    return result;
  });
  assert.equal(seen, [true, true, 0, 0, true, true]);
});

// ---------------------------------------------------------------------------
// 3. Destroying a held request

/**
 * One pooled socket; after the next response's 'end' (on the tick that frees the
 * socket, while the read that completed the response is still being handled),
 * `make` creates a request on the free socket.
 */
async function afterEnd(impl: Impl, port: number, make: (agent: http.Agent) => http.ClientRequest) {
  const agent = await warmAgent(impl, port, 1);
  const req = await new Promise<http.ClientRequest>((resolve) => {
    impl.get({ port, host: '127.0.0.1', agent, path: '/one' }, (res) => {
      res.resume();
      res.on('end', () => process.nextTick(() => resolve(make(agent))));
    });
  });
  return { agent, req };
}

function heldPost(impl: Impl, port: number, agent: http.Agent, log: string[]) {
  const req = impl.request({ port, host: '127.0.0.1', agent, method: 'POST', path: '/held' });
  record(req, log);
  req.on('error', () => {});
  req.end('payload');
  return req;
}

test('req.destroy() on a held request: the whole request is written, then node:http events', async () => {
  for (const how of ['destroy', 'destroy(err)', 'abort'] as const) {
    const corked: number[] = [];
    const out = await compare(async (impl) => {
      const srv = await cannedServer();
      const log: string[] = [];
      const { agent, req } = await afterEnd(impl, srv.port, (a) => {
        const r = heldPost(impl, srv.port, a, log);
        r.on('socket', (socket) => {
          // The 'socket' listeners ran; the request is flushed right after them
          // (into the held socket, for ours). Destroy it in the same turn.
          process.nextTick(() => {
            if (impl === OURS) corked.push(socket.writableCorked);
            if (how === 'abort') r.abort();
            else r.destroy(how === 'destroy' ? undefined : new Error('stop'));
          });
        });
        return r;
      });
      await settle(req, 'close');
      await tick(30);
      const requests = splitRequests(normalize(srv.received.join(''), srv.port));
      agent.destroy();
      await srv.close();
      return { how, log, requests };
    });
    // held (ours), and nothing partial: the destroyed request arrives whole
    assert.equal(corked, [1], how);
    assert.equal(
      out.requests.map((r) => r.split('\r\n')[0]),
      ['GET /warm HTTP/1.1', 'GET /one HTTP/1.1', 'POST /held HTTP/1.1'],
      how,
    );
    assert.ok(out.requests[2].endsWith('\r\n\r\npayload'), how);
  }
});

test('socket.destroy() on a held request in the same turn: events (the held bytes are lost)', async () => {
  // Known limit of the write batching: a reused keep-alive request made while
  // responses are read is held (corked) until the check phase of that loop
  // iteration. req.destroy() writes held bytes first; a direct socket.destroy() in
  // the same turn does not, so the server never sees this request, whereas
  // node:http had already handed it to the kernel. This is not asserted as desired
  // behaviour: what is asserted is that nothing partial reaches the wire and that
  // the request's events are node:http's.
  const run = async (impl: Impl) => {
    const srv = await cannedServer();
    const log: string[] = [];
    const { agent, req } = await afterEnd(impl, srv.port, (a) => {
      const r = heldPost(impl, srv.port, a, log);
      r.on('socket', (socket) => process.nextTick(() => socket.destroy()));
      return r;
    });
    await settle(req, 'close');
    await tick(30);
    const requests = splitRequests(normalize(srv.received.join(''), srv.port)).map(
      (r) => r.split('\r\n')[0],
    );
    agent.destroy();
    await srv.close();
    return { log, requests };
  };
  const theirs = await run(NODE);
  const ours = await run(OURS);
  assert.equal(ours.log, theirs.log, firstDifference(ours.log, theirs.log));
  assert.equal(theirs.requests, ['GET /warm HTTP/1.1', 'GET /one HTTP/1.1', 'POST /held HTTP/1.1']);
  // ours: the held request is dropped whole (never a partial request)
  assert.equal(ours.requests, ['GET /warm HTTP/1.1', 'GET /one HTTP/1.1']);
});

test('server closes right after a keep-alive response: the request made after "end"', async () => {
  // The reused-socket race the reusedSocket documentation describes: the response
  // and the server's FIN arrive together; a request made on the freed socket fails.
  const out = await compare(async (impl) => {
    const srv = await rawServer((s, i) => {
      if (i === 0) s.on('data', () => s.write(OK));
      else s.once('data', () => s.end(OK));
    });
    // Connection 0 answers the first request and is then dropped by the client;
    // connection 1 answers once and closes with the response.
    const agent = new impl.Agent({ keepAlive: true, maxSockets: 1 });
    const log: string[] = [];
    let reused = false;
    await new Promise<void>((resolve) => {
      const first = impl.get({ port: srv.port, host: '127.0.0.1', agent }, (res) => {
        res.resume();
        res.on('end', () => {
          first.socket?.destroy();
          setTimeout(() => {
            impl.get({ port: srv.port, host: '127.0.0.1', agent }, (res2) => {
              res2.resume();
              res2.on('end', () =>
                process.nextTick(() => {
                  const req = impl.get({ port: srv.port, host: '127.0.0.1', agent });
                  record(req, log);
                  req.on('socket', () => {
                    reused = req.reusedSocket;
                  });
                  req.on('close', () => resolve());
                }),
              );
            });
          }, 5);
        });
      });
    });
    await tick(10);
    agent.destroy();
    await srv.close();
    return { log: log.map((e) => e.replace(/error .*/, 'error')), reused };
  });
  assert.is(out.reused, true);
});

// ---------------------------------------------------------------------------
// 4. Host-only header block cache

type Step = {
  name: string;
  opts?: http.RequestOptions;
  before?: (req: http.ClientRequest) => void;
  body?: string;
};

async function wireBytes(impl: Impl, steps: Step[], base: (port: number) => http.RequestOptions) {
  const srv = await cannedServer();
  const out: Record<string, unknown>[] = [];
  for (const step of steps) {
    const req = impl.request({ ...base(srv.port), ...step.opts });
    const names = [req.getHeaderNames(), req.getRawHeaderNames(), req.getHeader('host')];
    step.before?.(req);
    req.on('response', (res) => res.resume());
    req.on('error', () => {});
    const bytesBefore = srv.received.join('').length;
    req.end(step.body);
    await done(req);
    await tick(2);
    out.push({
      step: step.name,
      names: normalize(JSON.stringify(names), srv.port),
      header: normalize(String((req as any)._header), srv.port),
      wire: normalize(srv.received.join('').slice(bytesBefore), srv.port),
    });
  }
  await srv.close();
  return out;
}

const CACHE_STEPS: Step[] = [
  { name: 'host-only' },
  { name: 'host-only again' },
  { name: 'setHeader', before: (r) => r.setHeader('X-Extra', 'yes') },
  { name: 'host-only after setHeader' },
  { name: 'setHeader host', before: (r) => r.setHeader('Host', 'example.org') },
  { name: 'removeHeader host', before: (r) => r.removeHeader('host') },
  { name: 'host-only after removeHeader' },
  { name: 'appendHeader', before: (r) => r.appendHeader('X-A', ['1', '2']) },
  { name: 'setHeaders', before: (r) => r.setHeaders(new Map([['x-b', 'b']])) },
  { name: 'removeHeader other', before: (r) => r.removeHeader('x-none') },
  { name: 'host-only 3' },
  { name: 'method POST', opts: { method: 'POST' } },
  { name: 'method POST again', opts: { method: 'POST' } },
  { name: 'POST with body', opts: { method: 'POST' }, body: 'abc' },
  { name: 'POST with longer body', opts: { method: 'POST' }, body: 'abcdef' },
  { name: 'method HEAD', opts: { method: 'HEAD' } },
  { name: 'method DELETE', opts: { method: 'DELETE' } },
  { name: 'path', opts: { path: '/other?q=1' } },
  { name: 'host-only 4' },
  { name: 'setHost false', opts: { setHost: false } },
  { name: 'host-only 5' },
  { name: 'headers {}', opts: { headers: {} } },
  { name: 'headers host', opts: { headers: { host: 'h.example' } } },
  { name: 'auth', opts: { auth: 'u:p' } },
  { name: 'sendDate-free flushHeaders', before: (r) => r.flushHeaders() },
  { name: 'chunked write', opts: { method: 'PUT' }, before: (r) => r.write('x') },
  { name: 'chunked write again', opts: { method: 'PUT' }, before: (r) => r.write('x') },
  {
    name: 'useChunkedEncodingByDefault',
    opts: { method: 'PUT' },
    before: (r) => {
      (r as any).useChunkedEncodingByDefault = false;
    },
  },
  { name: 'host-only 7' },
];

test('Host-only header cache: each request matches node:http (keep-alive agent)', async () => {
  const agents = new Map<Impl, http.Agent>();
  const base = (impl: Impl) => (port: number) => {
    if (!agents.has(impl)) agents.set(impl, new impl.Agent({ keepAlive: true }));
    return { port, host: '127.0.0.1', agent: agents.get(impl) };
  };
  const out = await compare((impl) => wireBytes(impl, CACHE_STEPS, base(impl)));
  for (const a of agents.values()) a.destroy();
  // the cache turned off where it had to
  const wire = Object.fromEntries(out.map((o) => [o.step, o.wire as string]));
  assert.ok(wire.setHeader.includes('X-Extra: yes\r\n'));
  assert.ok(!wire['removeHeader host'].includes('Host:'));
  assert.ok(wire['host-only after removeHeader'].includes('Host: 127.0.0.1:PORT\r\n'));
  assert.ok(wire['setHeader host'].includes('Host: example.org\r\n'));
  assert.is(wire['host-only 3'], wire['host-only']);
  assert.ok(!wire['setHost false'].includes('Host:'));
  assert.ok(wire['POST with longer body'].includes('Content-Length: 6\r\n'));
});

test('Host-only header cache: setDefaultHeaders false (v23.8 documentation, not in Node 20)', async () => {
  // Node 20 ignores setDefaultHeaders; the v23.8 documentation wins, so ours is
  // checked on its own: no Host, no Connection, and the next Host-only request
  // (same method and path) is again node:http's.
  const srv = await cannedServer();
  const agent = new OURS.Agent({ keepAlive: true });
  const base = () => ({ port: srv.port, host: '127.0.0.1', agent });
  const send = async (opts: http.RequestOptions & { setDefaultHeaders?: boolean }) => {
    const before = srv.received.join('').length;
    const req = OURS.request({ ...base(), ...opts });
    req.on('response', (res) => res.resume());
    req.end();
    await done(req);
    await tick(2);
    return normalize(srv.received.join('').slice(before), srv.port);
  };
  const hostOnly = 'GET / HTTP/1.1\r\nHost: 127.0.0.1:PORT\r\nConnection: keep-alive\r\n\r\n';
  assert.is(await send({}), hostOnly);
  // no framing of ours either: the server reads a request without a body
  assert.is(await send({ setDefaultHeaders: false }), 'GET / HTTP/1.1\r\n\r\n');
  assert.is(
    await send({ setDefaultHeaders: false, setHost: true }),
    'GET / HTTP/1.1\r\nHost: 127.0.0.1:PORT\r\n\r\n',
  );
  assert.is(await send({}), hostOnly);
  agent.destroy();
  await srv.close();
});

test('Host-only header cache: agent without keep-alive, agent:false, no agent', async () => {
  for (const kind of ['plain', 'false', 'createConnection'] as const) {
    const base = (impl: Impl) => (port: number) => {
      if (kind === 'plain') return { port, host: '127.0.0.1', agent: new impl.Agent() };
      if (kind === 'false') return { port, host: '127.0.0.1', agent: false as const };
      return {
        port,
        host: '127.0.0.1',
        createConnection: () => net.connect(port, '127.0.0.1'),
      } as http.RequestOptions;
    };
    await compare((impl) => wireBytes(impl, CACHE_STEPS.slice(0, 4), base(impl)));
  }
});

test('Host value: IPv6 literal, default vs explicit port, string port', async () => {
  // All of these connect to the local server (createConnection / lookup-free), so the
  // Host value is whatever the options say.
  const variants: { name: string; opts: http.RequestOptions }[] = [
    { name: 'v6', opts: { host: '::1' } },
    { name: 'v6 again', opts: { host: '::1' } },
    { name: 'v6 default port', opts: { host: '::1', port: 80 } },
    { name: 'v6 bracketed', opts: { host: '[::1]' } },
    { name: 'v6 hostname', opts: { hostname: 'fe80::1%25eth0', host: 'ignored' } },
    { name: 'v4 default port', opts: { host: '127.0.0.1', port: 80 } },
    { name: 'v4 default port again', opts: { host: '127.0.0.1', port: 80 } },
    { name: 'v4 string port', opts: { host: '127.0.0.1', port: '80' as any } },
    { name: 'v4 explicit port', opts: { host: '127.0.0.1', port: 8080 } },
    { name: 'v4 explicit string port', opts: { host: '127.0.0.1', port: '8080' as any } },
    { name: 'defaultPort option', opts: { host: '127.0.0.1', port: 8080, defaultPort: 8080 } },
    { name: 'defaultPort other', opts: { host: '127.0.0.1', port: 8080, defaultPort: 81 } },
    { name: 'no port', opts: { host: '127.0.0.1' } },
    { name: 'name', opts: { host: 'localhost', port: 3000 } },
    { name: 'name again', opts: { host: 'localhost', port: 3000 } },
  ];
  await compare(async (impl) => {
    const srv = await cannedServer();
    // An agent whose connections all go to the local server, whatever host and port say.
    const agent = new impl.Agent({ keepAlive: true }) as any;
    agent.createConnection = () => net.connect(srv.port, '127.0.0.1');
    const out: unknown[] = [];
    for (const v of variants) {
      const req = impl.request({ agent, ...v.opts });
      req.on('response', (res) => res.resume());
      req.on('error', (e) => out.push(`${v.name} error ${e.message}`));
      const before = srv.received.join('').length;
      req.end();
      await done(req);
      await tick(2);
      out.push(v.name, req.getHeader('host'), srv.received.join('').slice(before));
    }
    agent.destroy();
    await srv.close();
    return out;
  }).then((out) => {
    assert.ok(out.includes('[::1]'));
    assert.ok(out.includes('127.0.0.1:8080'));
  });
});

test.run();
