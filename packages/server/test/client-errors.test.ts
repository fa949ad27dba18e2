/**
 * Bad input, timeouts and broken connections: 'clientError' (its default 400 /
 * 408 / 431, and the error's code, bytesParsed and rawPacket), requireHostHeader,
 * headersTimeout / requestTimeout through the one periodic check (Slowloris),
 * and a reset connection aborting only its own request.
 */
import http from 'node:http';
import net from 'node:net';
import { Duplex } from 'node:stream';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer } from '../src/index.ts';
import { both, closeLeftovers, delay, listen, normalize, raw, shut } from './helpers.ts';

const test = suite('client errors');
const H = 'Host: h\r\n';

test("'clientError' gets the parse error with code, bytesParsed, rawPacket; listener owns the socket", async () => {
  const seen: Record<string, unknown[]> = { ours: [], node: [] };
  const input = `GET / HTTP/1.1\r\n${H}\r\nGET / HTTP/1.1\r\nHost a\r\n\r\n`;
  const handler = (_req: any, res: any) => res.end('ok');
  const { ours, node } = await both(
    {},
    handler,
    (port) => raw(port, input),
    (server, impl) => {
      server.on('clientError', (err: any, socket: net.Socket) => {
        seen[impl].push(err.code, err.bytesParsed, err.rawPacket?.toString('latin1'));
        socket.end('HTTP/1.1 499 Custom\r\n\r\n');
      });
    },
  );
  assert.equal(seen.ours, seen.node);
  assert.equal(seen.ours, ['HPE_INVALID_HEADER_TOKEN', 47, input]);
  assert.is(normalize(ours.data), normalize(node.data));
  assert.match(ours.data, /HTTP\/1.1 499 Custom\r\n\r\n$/);
});

test("a body cut short by the client's FIN: 'clientError' gets node:http's plain EOF error", async () => {
  const seen: Record<string, unknown> = {};
  const { ours, node } = await both(
    {},
    () => {},
    (port) => raw(port, `POST / HTTP/1.1\r\n${H}Content-Length: 10\r\n\r\nhel`, { end: true }),
    (server, impl) => {
      server.on('clientError', (err: any, socket: net.Socket) => {
        seen[impl] = [err.message, err.code, err.reason, err.bytesParsed, Object.keys(err)];
        socket.destroy();
      });
    },
  );
  assert.equal(seen.ours, seen.node);
  assert.equal(seen.ours, [
    'Parse Error',
    'HPE_INVALID_EOF_STATE',
    'Invalid EOF state',
    0,
    ['bytesParsed', 'code', 'reason'],
  ]);
  assert.is(ours.data, node.data);
});

test('default: 400 Bad Request and close; 431 for header overflow', async () => {
  const { ours } = await both({}, undefined, (port) => raw(port, 'BAD\r\n\r\n'));
  assert.is(ours.data, 'HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
  const big = await both({ maxHeaderSize: 100 }, undefined, (port) =>
    raw(port, `GET / HTTP/1.1\r\n${H}X: ${'a'.repeat(200)}\r\n\r\n`),
  );
  assert.is(
    big.ours.data,
    'HTTP/1.1 431 Request Header Fields Too Large\r\nConnection: close\r\n\r\n',
  );
  assert.is(big.ours.data, big.node.data);
});

test('maxHeaderSize applies to the whole header section, like node:http', async () => {
  for (const size of [50, 80, 120]) {
    const input = `GET / HTTP/1.1\r\n${H}X-Long: ${'b'.repeat(60)}\r\n\r\n`;
    const { ours, node } = await both(
      { maxHeaderSize: size },
      (_q: any, s: any) => s.end('y'),
      (p) => raw(p, input),
    );
    assert.is(normalize(ours.data), normalize(node.data), `maxHeaderSize ${size}`);
  }
});

test('requireHostHeader: 400 for HTTP/1.1 without Host; off with requireHostHeader: false', async () => {
  const handler = (_req: any, res: any) => res.end('served');
  const on = await both({}, handler, (port) => raw(port, 'GET / HTTP/1.1\r\n\r\n'));
  assert.match(on.ours.data, /^HTTP\/1.1 400 Bad Request\r\nConnection: close\r\n/);
  assert.is(normalize(on.ours.data), normalize(on.node.data));
  const off = await both({ requireHostHeader: false }, handler, (port) =>
    raw(port, 'GET / HTTP/1.1\r\n\r\n'),
  );
  assert.match(off.ours.data, /served$/);
  assert.is(normalize(off.ours.data), normalize(off.node.data));
});

test('Host and Expect are found in any letter case (and look-alike names are not them), as node:http', async () => {
  const handler = (_req: any, res: any) => res.end('served');
  for (const head of [
    'HOST: a\r\n',
    'hOsT: a\r\n',
    'Host: a\r\nEXPECT: 100-continue\r\n',
    'host: a\r\neXpEcT: 100-continue\r\n',
    'Hosu: a\r\n',
    'Host: a\r\nExpecs: 100-continue\r\n',
  ]) {
    const { ours, node } = await both({}, handler, (port) =>
      raw(port, `GET / HTTP/1.1\r\n${head}\r\n`),
    );
    assert.is(normalize(ours.data), normalize(node.data), head);
  }
});

test('Slowloris: headers dripped past headersTimeout get 408 from the periodic check', async () => {
  const options = { headersTimeout: 150, requestTimeout: 400, connectionsCheckingInterval: 30 };
  let requests = 0;
  const drip: (string | number)[] = ['GET / HTTP/1.1\r\n'];
  for (let i = 0; i < 10; i++) drip.push(50, `X-${i}: y\r\n`);
  const { ours, node } = await both(
    options,
    () => {
      requests++;
    },
    (port) => raw(port, drip, { timeout: 1500 }),
  );
  assert.is(ours.data, 'HTTP/1.1 408 Request Timeout\r\nConnection: close\r\n\r\n');
  assert.is(ours.data, node.data);
  assert.is(requests, 0);
});

test("a timed-out request whose listener only ended the socket: the client's FIN is one more 'clientError' (as node:http)", async () => {
  const options = { headersTimeout: 150, requestTimeout: 400, connectionsCheckingInterval: 30 };
  const seen: Record<string, unknown[]> = { ours: [], node: [] };
  const { ours, node } = await both(
    options,
    () => {},
    // The head never completes; the client half-closes once the 408 is in.
    async (port) => {
      const result = await raw(port, ['GET / HTTP/1.1\r\nHost: h\r\n', 400], {
        end: true,
        timeout: 1500,
      });
      // The server reads the FIN after the client saw the connection close.
      await delay(100);
      return result;
    },
    (server, impl) => {
      server.on('clientError', (err: any, socket: net.Socket) => {
        seen[impl].push([err.code, err.message]);
        if (socket.writable) socket.end('HTTP/1.1 408 Late\r\n\r\n');
      });
    },
  );
  assert.equal(seen.ours, seen.node);
  assert.equal(seen.ours, [
    ['ERR_HTTP_REQUEST_TIMEOUT', 'Request timeout'],
    ['HPE_INVALID_EOF_STATE', 'Parse Error'],
  ]);
  assert.is(ours.data, node.data);
});

test('a request begun in the same chunk as a complete one, then stalled, gets 408 after headersTimeout', async () => {
  // The first request completes inside the chunk; the second only begins in it.
  const options = { headersTimeout: 150, requestTimeout: 400, connectionsCheckingInterval: 30 };
  const handler = (req: any, res: any) => res.end(req.url);
  const input = [`GET /done HTTP/1.1\r\n${H}\r\nGET /stalled HTTP/1.1\r\nX-A: b\r\n`];
  const { ours, node } = await both(options, handler, (port) =>
    raw(port, input, { timeout: 1500, idle: 1000 }),
  );
  assert.is(normalize(ours.data), normalize(node.data));
  assert.match(ours.data, /\/done(HTTP\/1.1 408 Request Timeout\r\nConnection: close\r\n\r\n)$/);
  assert.ok(ours.ended);
});

test('a client that connects and sends nothing gets 408 after headersTimeout, like node:http', async () => {
  const options = { headersTimeout: 150, requestTimeout: 0, connectionsCheckingInterval: 30 };
  const { ours, node } = await both(options, undefined, (port) =>
    raw(port, [500, `GET / HTTP/1.1\r\n${H}\r\n`], { timeout: 1500 }),
  );
  assert.is(ours.data, 'HTTP/1.1 408 Request Timeout\r\nConnection: close\r\n\r\n');
  assert.is(ours.data, node.data);
});

test('requestTimeout: a body that never completes gets 408 after the response', async () => {
  const options = { headersTimeout: 100, requestTimeout: 200, connectionsCheckingInterval: 30 };
  const handler = (_req: any, res: any) => res.end('early');
  const input = [`POST / HTTP/1.1\r\n${H}Content-Length: 100\r\n\r\n`, 100, 'abc', 100, 'def'];
  const { ours, node } = await both(options, handler, (port) =>
    raw(port, input, { timeout: 1500 }),
  );
  assert.is(normalize(ours.data), normalize(node.data));
  assert.match(ours.data, /early(HTTP\/1.1 408 Request Timeout\r\nConnection: close\r\n\r\n)$/);
});

test("timeouts reach 'clientError' as ERR_HTTP_REQUEST_TIMEOUT", async () => {
  const { server, port } = await listen('ours', {
    headersTimeout: 100,
    requestTimeout: 200,
    connectionsCheckingInterval: 20,
  });
  const errors: string[] = [];
  server.on('clientError', (err: Error & { code: string }, socket: net.Socket) => {
    errors.push(`${err.code} ${err.message}`);
    socket.destroy();
  });
  const result = await raw(port, ['GET / HTTP/1.1\r\n', 400]);
  assert.equal(errors, ['ERR_HTTP_REQUEST_TIMEOUT Request timeout']);
  assert.is(result.data, '');
  await shut(server);
});

test('idle keep-alive connections are not hit by headersTimeout', async () => {
  const { server, port } = await listen(
    'ours',
    {
      headersTimeout: 80,
      requestTimeout: 100,
      connectionsCheckingInterval: 20,
      keepAliveTimeout: 1000,
    },
    (_req: any, res: any) => res.end('x'),
  );
  const result = await raw(port, [`GET / HTTP/1.1\r\n${H}\r\n`, 300, `GET / HTTP/1.1\r\n${H}\r\n`]);
  assert.is((result.data.match(/200 OK/g) ?? []).length, 2);
  assert.is(result.ended, false);
  await shut(server);
});

test('ECONNRESET mid-request aborts only that request; other clients are served', async () => {
  const events: string[] = [];
  let firstReq: ((v: unknown) => void) | undefined;
  const gotFirst = new Promise((r) => {
    firstReq = r;
  });
  const server = createServer((req, res) => {
    if (req.url === '/victim') {
      req.on('aborted', () => events.push('aborted'));
      req.on('error', (e: Error & { code: string }) => events.push(`error ${e.code} ${e.message}`));
      req.on('close', () => events.push('req close'));
      res.on('close', () => events.push('res close'));
      firstReq?.(null);
      return;
    }
    res.end('fine');
  });
  server.on('clientError', (err: Error & { code: string }) =>
    events.push(`clientError ${err.code}`),
  );
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  const victim = net.connect(port, '127.0.0.1');
  victim.on('error', () => {});
  victim.write(`POST /victim HTTP/1.1\r\n${H}Content-Length: 100\r\n\r\npartial`);
  await gotFirst;
  victim.resetAndDestroy();
  const other = await raw(port, `GET /other HTTP/1.1\r\n${H}\r\n`);
  await delay(30);
  assert.match(other.data, /fine$/);
  assert.ok(events.includes('aborted'));
  assert.ok(events.indexOf('aborted') < events.indexOf('req close'));
  assert.ok(events.includes('res close'));
  await shut(server);
});

test('bad and vanishing clients never cost a good client its data', async () => {
  let clientErrors = 0;
  const { server, port } = await listen('ours', {}, (req: any, res: any) => {
    let body = '';
    req.on('data', (d: Buffer) => {
      body += d;
    });
    req.on('end', () => res.end(`${req.url}:${body.length}`));
    req.on('error', () => {});
  });
  server.on('clientError', (_err: Error, socket: net.Socket) => {
    clientErrors++;
    socket.destroy();
  });
  const good = [];
  for (let i = 0; i < 20; i++) {
    const pipeline = [0, 1, 2]
      .map(
        (j) =>
          `POST /${i}-${j} HTTP/1.1\r\n${H}Content-Length: ${j * 10}\r\n\r\n${'x'.repeat(j * 10)}`,
      )
      .join('');
    const cut = 7 + ((i * 13) % (pipeline.length - 8));
    good.push(raw(port, [pipeline.slice(0, cut), 5, pipeline.slice(cut)], { idle: 200 }));
  }
  const bad = [];
  for (let i = 0; i < 10; i++)
    bad.push(raw(port, `GET / HTTP/1.1\r\n${H}X: \x00\r\n\r\n`, { idle: 50 }));
  for (let i = 0; i < 5; i++) {
    const s = net.connect(port, '127.0.0.1', () => {
      s.write(`POST /gone HTTP/1.1\r\n${H}Content-Length: 1000\r\n\r\npartial`);
      setTimeout(() => s.resetAndDestroy(), 20);
    });
    s.on('error', () => {});
  }
  const results = await Promise.all(good);
  await Promise.all(bad);
  results.forEach((r, i) => {
    const bodies = r.data.match(/\/\d+-\d:\d+/g);
    assert.equal(bodies, [`/${i}-0:0`, `/${i}-1:10`, `/${i}-2:20`], `client ${i}`);
  });
  assert.ok(clientErrors >= 10);
  await shut(server);
});

test('early disconnect before a response: aborted/close events in node:http order', async () => {
  const logs = { ours: [] as string[], node: [] as string[] };
  let current = logs.ours;
  await both(
    {},
    (req: any, res: any) => {
      const log = current;
      log.push('request');
      req.on('aborted', () => log.push('aborted'));
      req.on('close', () => log.push('req close'));
      res.on('close', () => log.push('res close'));
      res.on('finish', () => log.push('finish'));
    },
    async (port, _s, impl) => {
      current = logs[impl];
      await raw(port, `GET / HTTP/1.1\r\n${H}\r\n`, { idle: 30 });
      await delay(40);
    },
  );
  assert.equal(logs.ours, logs.node);
  assert.equal(logs.ours, ['request', 'aborted', 'res close', 'req close']);
});

test('client half-closes after its request: like node:http, the request is aborted', async () => {
  const logs = { ours: [] as string[], node: [] as string[] };
  let current = logs.ours;
  const { ours, node } = await both(
    {},
    (req: any, res: any) => {
      const log = current;
      req.on('aborted', () => log.push('aborted'));
      setTimeout(() => res.end('late'), 30);
    },
    async (port, _s, impl) => {
      current = logs[impl];
      return raw(port, `GET / HTTP/1.1\r\n${H}\r\n`, { end: true });
    },
  );
  assert.equal(logs.ours, logs.node);
  assert.is(ours.data, node.data);
  assert.is(ours.ended, node.ended);
});

test('a throwing handler is an uncaught exception (as node:http); the server keeps serving', async () => {
  const { server, port } = await listen('ours', {}, (req: any, res: any) => {
    if (req.url === '/throw') throw new Error('boom');
    res.end('alive');
  });
  const listeners = process.listeners('uncaughtException');
  process.removeAllListeners('uncaughtException');
  const caught: string[] = [];
  process.on('uncaughtException', (err) => caught.push(err.message));
  try {
    await raw(port, `GET /throw HTTP/1.1\r\n${H}\r\n`, { idle: 50 });
    const other = await raw(port, `GET / HTTP/1.1\r\n${H}\r\n`, { idle: 50 });
    assert.equal(caught, ['boom']);
    assert.match(other.data, /alive$/);
  } finally {
    process.removeAllListeners('uncaughtException');
    for (const l of listeners) process.on('uncaughtException', l);
    await shut(server);
  }
});

test.after(closeLeftovers);
test("'clientError' fires again for bad bytes after a listener kept the socket open, like node:http", async () => {
  const r = await both({}, undefined, async (port, server) => {
    const seen: string[] = [];
    const done = new Promise<void>((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => socket.write('*'));
      server.on('clientError', (err: any) => {
        seen.push(`${err.code} ${JSON.stringify(err.rawPacket.toString())}`);
        if (seen.length === 3) socket.end();
        else socket.write(seen.length === 1 ? '#' : '!!');
      });
      socket.on('close', () => resolve());
      socket.on('error', () => {});
    });
    await done;
    return seen;
  });
  assert.equal(r.ours, r.node);
  assert.equal(r.ours, [
    'HPE_INVALID_METHOD "*"',
    'HPE_INVALID_METHOD "#"',
    'HPE_INVALID_METHOD "!!"',
  ]);
});

test("chunks already received after a parse error each raise 'clientError' again, even once the listener destroyed the socket (as node:http)", async () => {
  const run = async (make: typeof createServer) => {
    const server = make(() => {});
    const seen: string[] = [];
    server.on('clientError', (err: any, socket: any) => {
      seen.push(`${err.code} ${JSON.stringify(String(err.rawPacket))}`);
      socket.destroy();
    });
    const duplex = new Duplex({
      read() {},
      write(_c, _e, cb) {
        cb();
      },
    });
    server.emit('connection', duplex);
    duplex.push('1');
    duplex.push('23 http://example.com HTTP/1.1\r\n\r\n');
    await delay(20);
    return seen;
  };
  const ours = await run(createServer);
  const node = await run(http.createServer as unknown as typeof createServer);
  assert.equal(ours, node);
  assert.equal(ours, [
    'HPE_INVALID_METHOD "1"',
    'HPE_INVALID_METHOD "23 http://example.com HTTP/1.1\\r\\n\\r\\n"',
  ]);
});

test.run();
