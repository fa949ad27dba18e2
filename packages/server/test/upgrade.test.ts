/**
 * 'upgrade' and 'connect': the listener gets the request, the raw socket and
 * the bytes that followed the head; the socket then has no HTTP listeners.
 * Without a listener an Upgrade is served as a normal request and a CONNECT
 * closes the connection. Expect: 'checkContinue' / 'checkExpectation'.
 */
import net from 'node:net';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { both, closeLeftovers, listen, normalize, raw, shut } from './helpers.ts';

const test = suite('upgrade, connect, expect');
const H = 'Host: h\r\n';

test("'upgrade' gets req, socket and head; the socket is no longer HTTP", async () => {
  const seen: Record<string, unknown> = {};
  const { ours, node } = await both(
    {},
    undefined,
    (port) =>
      raw(port, `GET /ws HTTP/1.1\r\n${H}Connection: Upgrade\r\nUpgrade: echo\r\n\r\nHEAD-BYTES`, {
        idle: 100,
      }),
    (server, impl) => {
      server.on(
        'upgrade',
        (req: { url: string; upgrade: boolean }, socket: net.Socket, head: Buffer) => {
          seen[impl] = {
            url: req.url,
            upgrade: req.upgrade,
            head: head.toString(),
            dataListeners: socket.listenerCount('data'),
            endListeners: socket.listenerCount('end'),
          };
          socket.write(
            'HTTP/1.1 101 Switching Protocols\r\nUpgrade: echo\r\nConnection: Upgrade\r\n\r\n',
          );
          socket.on('data', (d) => socket.write(`echo:${d}`));
          socket.on('end', () => socket.end());
          socket.write(`head:${head}`);
        },
      );
    },
  );
  assert.equal(seen.ours, seen.node);
  assert.equal((seen.ours as { head: string }).head, 'HEAD-BYTES');
  assert.is(ours.data, node.data);
});

test('socket.parser: the parser with .incoming = req while HTTP, null in upgrade (as node:http)', async () => {
  const seen: Record<string, unknown[]> = { ours: [], node: [] };
  let impl: 'ours' | 'node' = 'ours';
  await both(
    {},
    (req: { socket: { parser: { incoming: unknown } } }, res: { end(): void }) => {
      seen[impl].push(typeof req.socket.parser, req.socket.parser.incoming === req);
      res.end();
    },
    async (port, _s, i) => {
      impl = i;
      await raw(port, `GET / HTTP/1.1\r\n${H}\r\n`, { idle: 40 });
      await raw(port, `GET / HTTP/1.1\r\n${H}Connection: upgrade\r\nUpgrade: x\r\n\r\n`, {
        idle: 40,
      });
    },
    (server, i) => {
      server.on('upgrade', (_req: unknown, socket: net.Socket & { parser: unknown }) => {
        seen[i].push(socket.parser);
        socket.destroy();
      });
    },
  );
  assert.equal(seen.ours, seen.node);
  assert.equal(seen.ours, ['object', true, null]);
});

test('after upgrade, later bytes reach the new owner, not the HTTP parser', async () => {
  const { server, port } = await listen('ours', {});
  server.on('upgrade', (_req: unknown, socket: net.Socket, head: Buffer) => {
    socket.write('HTTP/1.1 101 Switching Protocols\r\n\r\n');
    let got = head.toString();
    socket.on('data', (d) => {
      got += d;
      if (got.includes('END')) socket.end(`got:${got}`);
    });
    socket.on('end', () => socket.end());
  });
  const result = await raw(port, [
    `GET / HTTP/1.1\r\n${H}Connection: upgrade\r\nUpgrade: x\r\n\r\nabc`,
    20,
    'GET / HTTP/1.1\r\n\r\nEND',
  ]);
  assert.is(
    result.data,
    'HTTP/1.1 101 Switching Protocols\r\n\r\ngot:abcGET / HTTP/1.1\r\n\r\nEND',
  );
  await shut(server);
});

test("after upgrade, a paused-mode owner ('readable', read(1)) gets every byte, as with node:http", async () => {
  const serve = async (impl: 'ours' | 'node') => {
    const { server, port } = await listen(impl, {});
    const reads: number[] = [];
    server.on('upgrade', (_req: unknown, socket: net.Socket, head: Buffer) => {
      socket.write('HTTP/1.1 101 Switching Protocols\r\n\r\n');
      let got = head.toString();
      socket.on('readable', () => {
        let byte: Buffer | null;
        let n = 0;
        while ((byte = socket.read(1)) !== null) {
          got += byte;
          n++;
        }
        reads.push(n);
        if (got.endsWith('END') && socket.writable) socket.end(`got:${got}`);
      });
    });
    const result = await raw(port, [
      `GET / HTTP/1.1\r\n${H}Connection: upgrade\r\nUpgrade: x\r\n\r\nab`,
      20,
      'cdef',
      20,
      'END',
    ]);
    await shut(server);
    return { data: result.data, bytes: reads.reduce((a, b) => a + b, 0) };
  };
  const ours = await serve('ours');
  assert.equal(ours, await serve('node'));
  assert.is(ours.data, 'HTTP/1.1 101 Switching Protocols\r\n\r\ngot:abcdefEND');
  assert.is(ours.bytes, 7);
});

test('closeAllConnections() leaves upgraded sockets alone', async () => {
  const { server, port } = await listen('ours', {});
  let upgraded: net.Socket | undefined;
  server.on('upgrade', (_req: unknown, socket: net.Socket) => {
    upgraded = socket;
    socket.write('HTTP/1.1 101 Switching Protocols\r\n\r\n');
  });
  const client = net.connect(port, '127.0.0.1');
  client.write(`GET / HTTP/1.1\r\n${H}Connection: upgrade\r\nUpgrade: x\r\n\r\n`);
  await new Promise((r) => client.once('data', r));
  server.closeAllConnections();
  await new Promise((r) => setTimeout(r, 20));
  assert.ok(upgraded && !upgraded.destroyed);
  upgraded?.destroy();
  client.destroy();
  await shut(server);
});

test("'connect' gets the head; without a listener the connection closes", async () => {
  const heads: Record<string, string> = {};
  const { ours, node } = await both(
    {},
    undefined,
    (port) => raw(port, `CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\nTUNNEL`),
    (server, impl) => {
      server.on('connect', (req: { url: string }, socket: net.Socket, head: Buffer) => {
        heads[impl] = `${req.url} ${head}`;
        socket.end('HTTP/1.1 200 Connection Established\r\n\r\n');
        socket.on('end', () => socket.end());
      });
    },
  );
  assert.equal(heads, { ours: 'example.com:443 TUNNEL', node: 'example.com:443 TUNNEL' });
  assert.is(ours.data, node.data);
  const none = await both({}, undefined, (port) => raw(port, `CONNECT a:1 HTTP/1.1\r\n${H}\r\n`));
  assert.is(none.ours.data, '');
  assert.is(none.ours.data, none.node.data);
});

test('Upgrade without an upgrade listener is answered by the request handler', async () => {
  const handler = (req: any, res: any) => res.end(`plain ${req.upgrade}`);
  const { ours, node } = await both({}, handler, (port) =>
    raw(port, `GET / HTTP/1.1\r\n${H}Connection: Upgrade\r\nUpgrade: x\r\n\r\n`),
  );
  assert.is(normalize(ours.data), normalize(node.data));
  assert.match(ours.data, /plain false$/);
});

test("Expect: 100-continue with 'checkContinue': no automatic 100, no 'request'", async () => {
  const events: Record<string, string[]> = { ours: [], node: [] };
  const input = [
    `POST / HTTP/1.1\r\n${H}Expect: 100-continue\r\nContent-Length: 3\r\n\r\n`,
    50,
    'abc',
  ];
  const { ours, node } = await both(
    {},
    () => events.node.push('request (must not happen)'),
    (port) => raw(port, input),
    (server, impl) => {
      server.on('checkContinue', (req: any, res: any) => {
        events[impl].push('checkContinue');
        res.writeContinue();
        let body = '';
        req.on('data', (d: Buffer) => {
          body += d;
        });
        req.on('end', () => res.end(`got ${body}`));
      });
    },
  );
  assert.equal(events.ours, ['checkContinue']);
  assert.equal(events.ours, events.node);
  assert.is(normalize(ours.data), normalize(node.data));
  assert.match(ours.data, /^HTTP\/1.1 100 Continue\r\n\r\nHTTP\/1.1 200 OK/);
});

test('Expect: 100-continue refused without writeContinue closes the connection after the response', async () => {
  const input = `POST / HTTP/1.1\r\n${H}Expect: 100-continue\r\nContent-Length: 3\r\n\r\n`;
  const { ours, node } = await both(
    {},
    undefined,
    (port) => raw(port, input),
    (server) => {
      server.on('checkContinue', (_req: any, res: any) => {
        res.writeHead(413).end();
      });
    },
  );
  assert.is(normalize(ours.data), normalize(node.data));
  assert.match(ours.data, /Connection: close/);
});

test("'checkExpectation' handles other Expect values; default 417", async () => {
  const input = `GET / HTTP/1.1\r\n${H}Expect: magic\r\n\r\n`;
  const handled = await both(
    {},
    undefined,
    (port) => raw(port, input),
    (server) => {
      server.on('checkExpectation', (req: any, res: any) => {
        res.end(`expectation ${req.headers.expect}`);
      });
    },
  );
  assert.match(handled.ours.data, /expectation magic$/);
  assert.is(normalize(handled.ours.data), normalize(handled.node.data));
  const dflt = await both({}, undefined, (port) => raw(port, input));
  assert.match(dflt.ours.data, /^HTTP\/1.1 417 Expectation Failed\r\n/);
  assert.is(normalize(dflt.ours.data), normalize(dflt.node.data));
});

test.after(closeLeftovers);
test.run();
