/**
 * Connection lifecycle: close / closeAllConnections / closeIdleConnections,
 * keepAliveTimeout, server.timeout and 'timeout', maxRequestsPerSocket and
 * 'dropRequest', maxHeadersCount, and connections injected as any Duplex.
 */
import net from 'node:net';
import { Duplex } from 'node:stream';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer, kConnectionsCheckingInterval } from '../src/index.ts';
import { both, closeLeftovers, delay, listen, normalize, raw, shut } from './helpers.ts';

const test = suite('lifecycle');
const H = 'Host: h\r\n';

function connect(port: number): Promise<net.Socket> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1', () => resolve(s));
    s.on('error', () => {});
  });
}

function closed(socket: net.Socket): Promise<void> {
  return new Promise((resolve) => {
    if (socket.destroyed) resolve();
    else socket.on('close', () => resolve());
  });
}

test('close(): stops listening, closes idle connections, lets busy ones finish with Connection: close', async () => {
  let release: (() => void) | undefined;
  const { server, port } = await listen(
    'ours',
    { keepAliveTimeout: 10000 },
    (req: any, res: any) => {
      if (req.url === '/slow') release = () => res.end('slow done');
      else res.end('fast');
    },
  );
  const idle = await connect(port);
  idle.write(`GET / HTTP/1.1\r\n${H}\r\n`);
  await new Promise((r) => idle.once('data', r));
  const busy = await connect(port);
  let busyData = '';
  busy.on('data', (d) => {
    busyData += d;
  });
  busy.write(`GET /slow HTTP/1.1\r\n${H}\r\n`);
  while (!release) await delay(5);
  let closedCalled = false;
  server.close(() => {
    closedCalled = true;
  });
  await closed(idle);
  assert.is(server.listening, false);
  assert.is(busy.destroyed, false);
  release();
  await closed(busy);
  await delay(10);
  assert.match(busyData, /Connection: close\r\n/);
  assert.match(busyData, /slow done$/);
  assert.is(closedCalled, true);
});

test('closeIdleConnections() keeps connections with a request in flight', async () => {
  let respond: (() => void) | undefined;
  const { server, port } = await listen(
    'ours',
    { keepAliveTimeout: 10000 },
    (req: any, res: any) => {
      if (req.url === '/hold') respond = () => res.end('held');
      else res.end('x');
    },
  );
  const idle = await connect(port);
  idle.write(`GET / HTTP/1.1\r\n${H}\r\n`);
  await new Promise((r) => idle.once('data', r));
  const partial = await connect(port);
  partial.write('GET / HTTP/1.1\r\nHo');
  const held = await connect(port);
  held.write(`GET /hold HTTP/1.1\r\n${H}\r\n`);
  while (!respond) await delay(5);
  await delay(10);
  server.closeIdleConnections();
  await closed(idle);
  await delay(20);
  assert.is(partial.destroyed, false, 'receiving a request: not idle');
  assert.is(held.destroyed, false, 'waiting for a response: not idle');
  server.closeAllConnections();
  await closed(partial);
  await closed(held);
  await shut(server);
});

test('closeIdleConnections() leaves a new connection that has sent nothing yet, like node:http', async () => {
  const result: Record<string, boolean> = {};
  await both({}, undefined, async (port, server, impl) => {
    const socket = await connect(port);
    await delay(30);
    server.closeIdleConnections();
    await delay(50);
    result[impl] = socket.destroyed || socket.readableEnded;
    socket.destroy();
  });
  assert.equal(result, { ours: false, node: false });
});

test('the check timer is replaced on each listen and destroyed by close (as node:http)', async () => {
  const { server } = await listen('ours', {});
  const first = server[kConnectionsCheckingInterval];
  assert.ok(first && !first._destroyed);
  await new Promise((r) => server.close(r));
  assert.is(server[kConnectionsCheckingInterval]._destroyed, true);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  assert.ok(!server[kConnectionsCheckingInterval]._destroyed);
  assert.ok(server[kConnectionsCheckingInterval] !== first);
  await shut(server);
  assert.is(server[kConnectionsCheckingInterval]._destroyed, true);
});

test('keepAliveTimeout closes an idle keep-alive connection; advertised in Keep-Alive', async () => {
  const handler = (_req: any, res: any) => res.end('k');
  const { ours, node } = await both({ keepAliveTimeout: 100 }, handler, (port) =>
    raw(port, `GET / HTTP/1.1\r\n${H}\r\n`, { idle: 1000, timeout: 1000 }),
  );
  assert.is(normalize(ours.data), normalize(node.data));
  assert.match(ours.data, /Keep-Alive: timeout=0\r\n/);
  assert.is(ours.ended, true);
  // A new request before the timeout resets it.
  const { server, port } = await listen('ours', { keepAliveTimeout: 150 }, handler);
  const r = await raw(
    port,
    [`GET / HTTP/1.1\r\n${H}\r\n`, 100, `GET / HTTP/1.1\r\n${H}\r\n`, 100],
    {
      idle: 30,
    },
  );
  assert.is((r.data.match(/200 OK/g) ?? []).length, 2);
  assert.is(r.ended, false);
  await shut(server);
});

test('keepAliveTimeout does not cut a slow response on a reused connection (as node:http)', async () => {
  const handler = (req: any, res: any) => {
    if (req.url === '/slow') setTimeout(() => res.end('slow'), 250);
    else res.end('fast');
  };
  const input = [`GET / HTTP/1.1\r\n${H}\r\n`, 30, `GET /slow HTTP/1.1\r\n${H}\r\n`];
  const { ours, node } = await both({ keepAliveTimeout: 100 }, handler, (port) =>
    raw(port, input, { idle: 400, timeout: 2000 }),
  );
  assert.is(normalize(ours.data), normalize(node.data));
  assert.match(ours.data, /slow$/);
  assert.is(ours.ended, true, 'closed by keepAliveTimeout after the slow response');
});

// Node 20.20 arms the socket for keepAliveTimeout + 1000 ms (an undocumented
// grace period); the v23.8 documentation says the socket is destroyed after
// keepAliveTimeout of inactivity following the last response, and the
// documentation wins: these two tests time ours against keepAliveTimeout.
test('keepAliveTimeout counts from the last response: a connection reused late in the period gets a full new one', async () => {
  const handler = (_req: any, res: any) => res.end('k');
  const { server, port } = await listen('ours', { keepAliveTimeout: 300 }, handler);
  const s = await connect(port);
  const responses: number[] = [];
  let closedAt = 0;
  const start = Date.now();
  s.on('data', () => responses.push(Date.now() - start));
  s.on('close', () => {
    closedAt = Date.now() - start;
  });
  s.write(`GET / HTTP/1.1\r\n${H}\r\n`);
  await delay(200);
  s.write(`GET / HTTP/1.1\r\n${H}\r\n`);
  await delay(250);
  // 450 ms after the first response, 250 ms after the second: still open.
  assert.is(s.destroyed, false);
  assert.is(closedAt, 0);
  await closed(s);
  assert.is(responses.length, 2);
  // About keepAliveTimeout after the second response (~500 ms from the start).
  assert.ok(closedAt >= 450 && closedAt < 1200, `closed at ${closedAt} ms`);
  await shut(server);
});

test("an application's socket timeout is replaced by keepAliveTimeout once a request was served", async () => {
  // Documented under 'connection'. (Node 20 arms keepAliveTimeout + 1000 ms; see above.)
  const handler = (req: any, res: any) => {
    req.socket.setTimeout(150);
    res.end('k');
  };
  const { server, port } = await listen('ours', { keepAliveTimeout: 600 }, handler);
  const s = await connect(port);
  s.resume();
  let closedAt = 0;
  const start = Date.now();
  s.on('close', () => {
    closedAt = Date.now() - start;
  });
  s.write(`GET / HTTP/1.1\r\n${H}\r\n`);
  await delay(400);
  // Past the application's 150 ms: still open, kept by keepAliveTimeout.
  assert.is(closedAt, 0);
  assert.is(s.destroyed, false);
  await closed(s);
  assert.ok(closedAt >= 550 && closedAt < 1500, `closed at ${closedAt} ms`);
  await shut(server);
});

test("keepAliveTimeout expiry: 'timeout' on the server with the socket, which then belongs to the listener (as node:http)", async () => {
  const handler = (_req: any, res: any) => res.end('k');
  const { ours, node } = await both({ keepAliveTimeout: 100 }, handler, async (port, server) => {
    let timedOut: net.Socket | null = null;
    server.on('timeout', (socket: net.Socket) => {
      timedOut = socket;
    });
    const s = await connect(port);
    s.write(`GET / HTTP/1.1\r\n${H}\r\n`);
    await new Promise((r) => s.once('data', r));
    // Long enough for Node 20's keepAliveTimeout + 1000 ms too.
    await delay(1400);
    const result = { timedOut: timedOut !== null, open: !s.destroyed };
    (timedOut as net.Socket | null)?.destroy();
    s.destroy();
    return result;
  });
  assert.equal(ours, node);
  assert.equal(ours, { timedOut: true, open: true });
});

test("socket.parser.incoming is the request until its 'end' listeners ran, then null (as node:http)", async () => {
  const { ours, node } = await both({}, undefined, async (port, server) => {
    const seen: string[] = [];
    server.on('request', (req: any, res: any) => {
      const parser = req.socket.parser;
      req.on('end', () => {
        seen.push(`at end: ${parser.incoming === req}`);
        process.nextTick(() => seen.push(`next tick: ${parser.incoming}`));
      });
      res.end('k');
    });
    await raw(port, `POST / HTTP/1.1\r\n${H}Content-Length: 2\r\n\r\nhi`, { idle: 100 });
    return seen;
  });
  assert.equal(ours, node);
  assert.equal(ours, ['at end: true', 'next tick: null']);
});

test('an untouched request nobody listens to ends up as node:http leaves it: ended, destroyed, closed', async () => {
  const { ours, node } = await both({}, undefined, async (port, server) => {
    const requests: any[] = [];
    server.on('request', (req: any, res: any) => {
      requests.push(req);
      res.end('k');
    });
    await raw(port, `GET / HTTP/1.1\r\n${H}\r\nGET /2 HTTP/1.1\r\n${H}\r\n`, { idle: 100 });
    return requests.map((req) => ({
      complete: req.complete,
      aborted: req.aborted,
      readable: req.readable,
      readableEnded: req.readableEnded,
      readableFlowing: req.readableFlowing,
      readableDidRead: req.readableDidRead,
      readableAborted: req.readableAborted,
      readableLength: req.readableLength,
      destroyed: req.destroyed,
      closed: req.closed,
      errored: req.errored,
      dumped: req._dumped,
      parserLetGo: req.socket.parser === null || req.socket.parser?.incoming !== req,
    }));
  });
  assert.equal(ours, node);
  assert.is(ours.length, 2);
  assert.equal(ours[0], { ...ours[0], readableEnded: true, destroyed: true, closed: true });
});

test("request and response events keep node:http's order and ticks, with listeners from the start or added in the response's 'close'", async () => {
  for (const when of ['request', 'response close']) {
    const { ours, node } = await both({}, undefined, async (port, server) => {
      const seen: string[] = [];
      server.on('request', (req: any, res: any) => {
        let round = 0;
        const count = () => {
          if (++round < 12) process.nextTick(count);
        };
        const listen = () => {
          for (const name of ['end', 'close'])
            req.on(name, () => seen.push(`req ${name} @${round}`));
        };
        if (when === 'request') listen();
        res.on('finish', () => {
          seen.push('res finish');
          process.nextTick(count);
        });
        res.on('close', () => {
          seen.push(`res close @${round}`);
          if (when !== 'request') listen();
        });
        res.end('k');
      });
      await raw(port, `GET / HTTP/1.1\r\n${H}\r\n`, { idle: 100 });
      return seen;
    });
    assert.equal(ours, node, when);
    assert.equal(
      ours.map((e) => e.split(' @')[0]),
      ['res finish', 'res close', 'req end', 'req close'],
      when,
    );
  }
});

test('a closed connection hands its parser back to the pool with one parser.free() call (as node:http)', async () => {
  const { ours, node } = await both({}, undefined, async (port, server) => {
    let frees = 0;
    let parser: any = null;
    server.on('request', (req: any, res: any) => {
      parser = req.socket.parser;
      parser.free = () => {
        frees++;
      };
      res.end('k');
    });
    const s = await connect(port);
    s.write(`GET / HTTP/1.1\r\n${H}\r\n`);
    await new Promise((r) => s.once('data', r));
    const before = frees;
    s.destroy();
    await delay(50);
    delete parser.free; // the pooled parser is reused by later tests
    return { before, after: frees };
  });
  assert.equal(ours, node);
  assert.equal(ours, { before: 0, after: 1 });
});

// Node's test-http-req-close-robust-from-tampering does this. (node:http itself
// survives the calls but its connection list is corrupted afterwards: its
// closeAllConnections() then throws, so it is not run side by side here.)
test("the socket's 'close' listeners are a list that tolerates being called by hand with the request as this", async () => {
  const seen: string[] = [];
  const { server, port } = await listen('ours', {}, (req: any, res: any) => {
    const listeners = req.client._events.close;
    seen.push(`list: ${Array.isArray(listeners) && listeners.length >= 2}`);
    try {
      for (const fn of listeners) fn.call(req);
      seen.push('called');
    } catch (err) {
      seen.push(`threw ${(err as Error).message}`);
    }
    res.on('close', () => seen.push('res close'));
    req.on('close', () => seen.push('req close'));
    res.end('k');
  });
  const r = await raw(
    port,
    `POST / HTTP/1.1\r\n${H}Content-Length: 2\r\nConnection: close\r\n\r\nhi`,
    { idle: 100 },
  );
  assert.match(r.data, /^HTTP\/1\.1 200 OK\r\n/);
  assert.equal(seen.slice(0, 2), ['list: true', 'called']);
  assert.equal(seen.slice(2).sort(), ['req close', 'res close']);
  await shut(server);
});

test('headers/request timeouts use one interval per server, no timer per request', async () => {
  const realSetInterval = globalThis.setInterval;
  const realSetTimeout = globalThis.setTimeout;
  let intervals = 0;
  let timeouts = 0;
  globalThis.setInterval = ((...args: Parameters<typeof setInterval>) => {
    intervals++;
    return realSetInterval(...args);
  }) as typeof setInterval;
  const server = createServer({ headersTimeout: 1000, requestTimeout: 2000 }, (_req, res) => {
    res.end('x');
  });
  try {
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as net.AddressInfo).port;
    globalThis.setTimeout = ((...args: Parameters<typeof setTimeout>) => {
      timeouts++;
      return realSetTimeout(...args);
    }) as typeof setTimeout;
    const requests = [];
    for (let i = 0; i < 10; i++) {
      requests.push(
        new Promise<void>((resolve) => {
          const s = net.connect(port, '127.0.0.1', () => {
            s.write(`GET / HTTP/1.1\r\n${H}\r\nGET / HTTP/1.1\r\n${H}Connection: close\r\n\r\n`);
          });
          s.on('close', () => resolve());
          s.resume();
        }),
      );
    }
    await Promise.all(requests);
  } finally {
    globalThis.setTimeout = realSetTimeout;
    globalThis.setInterval = realSetInterval;
  }
  assert.is(intervals, 1, 'one connectionsCheckingInterval timer');
  // Only OutgoingMessage's Date cache (refreshed at most once a second) may set one.
  assert.ok(timeouts <= 2, `${timeouts} setTimeout calls for 20 requests`);
  await shut(server);
});

test("server.timeout: 'timeout' on the server with the socket; destroyed when nobody listens", async () => {
  const { server, port } = await listen('ours', {});
  server.setTimeout(80);
  const nobody = await raw(port, 'GET / HTTP/1.1\r\n', { idle: 1000, timeout: 1000 });
  assert.is(nobody.data, '');
  assert.ok(nobody.ended || nobody.error === null);
  const timedOut: unknown[] = [];
  server.on('timeout', (socket: net.Socket) => {
    timedOut.push(socket instanceof net.Socket);
    socket.destroy();
  });
  await raw(port, 'GET / HTTP/1.1\r\n', { idle: 1000, timeout: 1000 });
  assert.equal(timedOut, [true]);
  await shut(server);
});

test("res.setTimeout / req 'timeout': listeners on the response take the socket timeout", async () => {
  const events: string[] = [];
  const { server, port } = await listen('ours', {}, (_req: any, res: any) => {
    res.setTimeout(60, (socket: net.Socket) => {
      events.push(`res timeout ${socket instanceof net.Socket}`);
      res.end('late');
    });
  });
  const r = await raw(port, `GET / HTTP/1.1\r\n${H}\r\n`, { idle: 100 });
  assert.equal(events, ['res timeout true']);
  assert.match(r.data, /late$/);
  await shut(server);
});

test("maxRequestsPerSocket: last allowed says Connection: close; later ones get 503 and 'dropRequest'", async () => {
  const dropped: Record<string, string[]> = { ours: [], node: [] };
  const handler = (req: any, res: any) => res.end(req.url);
  const input = `GET /1 HTTP/1.1\r\n${H}\r\nGET /2 HTTP/1.1\r\n${H}\r\nGET /3 HTTP/1.1\r\n${H}\r\n`;
  // A fourth request later on the same connection: the limit does not close it (documented).
  const later = `GET /4 HTTP/1.1\r\n${H}\r\n`;
  const { ours, node } = await both(
    {},
    handler,
    (port) => raw(port, [input, 100, later], { idle: 200 }),
    (server, impl) => {
      server.maxRequestsPerSocket = 2;
      server.on('dropRequest', (req: { url: string }, socket: net.Socket) => {
        dropped[impl].push(`${req.url} ${socket instanceof net.Socket}`);
      });
    },
  );
  assert.is(normalize(ours.data), normalize(node.data));
  assert.equal(dropped.ours, ['/3 true', '/4 true']);
  assert.equal(dropped.ours, dropped.node);
  assert.match(ours.data, /Keep-Alive: timeout=5, max=2\r\n/);
  assert.is(ours.data.match(/503 Service Unavailable/g)?.length, 2);
  assert.is(ours.ended, false, 'still open after the 503s');
  assert.is(ours.ended, node.ended);
});

test('Keep-Alive lines follow each server: two servers with different settings, answering in turn', async () => {
  const a = await listen('ours', { keepAliveTimeout: 7000 }, (_req: any, res: any) => res.end('a'));
  const b = await listen('ours', { keepAliveTimeout: 3000 }, (_req: any, res: any) => res.end('b'));
  b.server.maxRequestsPerSocket = 9;
  const replies: string[] = [];
  for (let round = 0; round < 2; round++) {
    for (const { port } of [a, b]) {
      const data = (await raw(port, `GET / HTTP/1.1\r\n${H}\r\n`, { idle: 30 })).data;
      replies.push(data.match(/Keep-Alive: [^\r]*/)?.[0] ?? 'none');
    }
  }
  assert.equal(replies, [
    'Keep-Alive: timeout=7',
    'Keep-Alive: timeout=3, max=9',
    'Keep-Alive: timeout=7',
    'Keep-Alive: timeout=3, max=9',
  ]);
  await Promise.all([shut(a.server), shut(b.server)]);
});

// As node:http in Node 20 and v23.8 for up to 31 fields; beyond that their native parser
// drops whole groups of 31 fields from rawHeaders (a deliberate difference, in the server
// README). Node 22.23 and 24 answer 431 to more fields than maxHeadersCount, a change made
// after v23.8, so this comparison fails there.
test('maxHeadersCount limits req.headers and req.headersDistinct (rawHeaders keep all), as node:http', async () => {
  const handler = (req: any, res: any) =>
    res.end(
      `${req.rawHeaders.length} ${JSON.stringify(req.headers)} ${JSON.stringify(req.headersDistinct)}`,
    );
  let fields = '';
  for (let i = 0; i < 10; i++) fields += `X-${i}: ${i}\r\n`;
  const { ours, node } = await both(
    {},
    handler,
    (port) => raw(port, `GET / HTTP/1.1\r\n${H}${fields}\r\n`),
    (server) => {
      server.maxHeadersCount = 4;
    },
  );
  assert.is(normalize(ours.data), normalize(node.data));
  assert.match(
    ours.data,
    /22 \{"host":"h","x-0":"0","x-1":"1","x-2":"2"\} \{"host":\["h"\],"x-0":\["0"\],"x-1":\["1"\],"x-2":\["2"\]\}$/,
  );
});

test("'connection' with an injected Duplex: requests over a non-socket stream", async () => {
  const server = createServer((req, res) => {
    res.end(`via duplex ${req.url}`);
  });
  const output: Buffer[] = [];
  const duplex = new Duplex({
    read() {},
    write(chunk, _enc, cb) {
      output.push(chunk);
      cb();
    },
  });
  server.emit('connection', duplex);
  duplex.push(`GET /a HTTP/1.1\r\n${H}\r\nGET /b HTTP/1.1\r\n${H}Connection: close\r\n\r\n`);
  await new Promise((r) => duplex.on('finish', r));
  const text = normalize(Buffer.concat(output).toString('latin1'));
  assert.is(
    text,
    'HTTP/1.1 200 OK\r\nDate: <date>\r\nConnection: keep-alive\r\nKeep-Alive: timeout=5\r\nContent-Length: 13\r\n\r\nvia duplex /a' +
      'HTTP/1.1 200 OK\r\nDate: <date>\r\nConnection: close\r\nContent-Length: 13\r\n\r\nvia duplex /b',
  );
  duplex.destroy();
  server.close();
});

test('socket.setEncoding() on a server socket throws ERR_HTTP_SOCKET_ENCODING, like node:http', async () => {
  const errors: Record<string, string> = {};
  let impl = 'ours';
  await both(
    {},
    (req: { socket: net.Socket }, res: { end(): void }) => {
      try {
        req.socket.setEncoding('utf8');
        errors[impl] = 'no error';
      } catch (err) {
        const e = err as Error & { code: string };
        errors[impl] = `${e.name} ${e.code} ${e.message}`;
      }
      res.end();
    },
    async (port, _s, i) => {
      impl = i;
      await raw(port, `GET / HTTP/1.1\r\n${H}\r\n`, { idle: 40 });
    },
  );
  assert.is(errors.ours, errors.node);
  assert.match(errors.ours, /ERR_HTTP_SOCKET_ENCODING/);
});

test("'connection' listeners see every accepted socket", async () => {
  const { server, port } = await listen('ours', {});
  const seen: boolean[] = [];
  server.on('connection', (s: net.Socket) => seen.push(s instanceof net.Socket));
  await raw(port, `GET / HTTP/1.1\r\n${H}\r\n`, { idle: 30 });
  assert.equal(seen, [true]);
  await shut(server);
});

test("'close' on the server after close()", async () => {
  const { server } = await listen('ours', {});
  let emitted = false;
  server.on('close', () => {
    emitted = true;
  });
  await new Promise((r) => server.close(r));
  assert.is(emitted, true);
});

test.after(closeLeftovers);
test('a request the handler paused is not dumped when its response ends, like node:http', async () => {
  const body = 'x'.repeat(1024);
  const head = `POST / HTTP/1.1\r\nHost: h\r\nContent-Length: ${body.length}\r\n\r\n`;
  // Head and body in one packet, then in two.
  for (const chunks of [[head + body], [head, 50, body]]) {
    const r = await both({}, undefined, async (port, server) => {
      const seen = new Promise<string>((resolve) => {
        server.on('request', (req: any, res: any) => {
          req.once('data', () => {
            req.pause();
            res.end('ok');
            res.on('finish', () => resolve(`dumped=${req._dumped}`));
          });
        });
      });
      const reply = await raw(port, chunks);
      return `${await seen} ${normalize(reply.data)}`;
    });
    assert.is(r.ours, r.node, JSON.stringify(chunks));
    assert.match(r.ours, /^dumped=false HTTP\/1.1 200 OK/);
  }
});

test.run();
