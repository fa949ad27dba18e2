import { once } from 'node:events';
import * as http from 'node:http';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { type Impl, NODE, OURS, onRequestHead, rawServer, record, settle } from './helpers.ts';

const test = suite("'upgrade' and 'connect'");

async function upgradeScenario(impl: Impl) {
  // The server answers 101 and immediately sends the first bytes of the new protocol.
  const srv = await rawServer((s) => {
    onRequestHead(s, () => {
      s.write(
        'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\nHEAD-BYTES',
      );
      s.on('data', (d) => s.write(d)); // echo
    });
  });
  const agent = new impl.Agent({ keepAlive: true });
  const log: string[] = [];
  const req = impl.request({
    port: srv.port,
    host: '127.0.0.1',
    agent,
    headers: { Connection: 'Upgrade', Upgrade: 'websocket' },
  });
  record(req, log);
  const got = new Promise<any[]>((resolve) => req.on('upgrade', (...a) => resolve(a)));
  req.end();
  const [res, socket, head] = await got;
  log.push(`upgrade ${res.statusCode} ${res.headers.upgrade} ${head.toString()}`);
  log.push(`pools ${Object.keys(agent.sockets).length} ${Object.keys(agent.freeSockets).length}`);
  log.push(`listeners data=${socket.listenerCount('data')} flowing=${socket.readableFlowing}`);
  socket.write('ping');
  const [echo] = await once(socket, 'data');
  log.push(`echo ${echo.toString()}`);
  socket.destroy();
  await srv.close();
  return log;
}

test('101 with head: (res, socket, head), socket removed from the agent', async () => {
  const theirs = await upgradeScenario(NODE);
  const ours = await upgradeScenario(OURS);
  assert.equal(ours, theirs);
  assert.ok(ours.includes('upgrade 101 websocket HEAD-BYTES'));
  assert.ok(ours.includes('echo ping'));
});

test('101 against a node:http server that upgrades', async () => {
  for (const impl of [NODE, OURS]) {
    const server = http.createServer();
    server.on('upgrade', (req, socket, head) => {
      socket.write(
        `HTTP/1.1 101 Switching Protocols\r\nUpgrade: ${req.headers.upgrade}\r\nConnection: Upgrade\r\n\r\n`,
      );
      socket.write(Buffer.concat([Buffer.from('got:'), head]));
      socket.end();
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const port = (server.address() as any).port;
    const req = impl.request({
      port,
      host: '127.0.0.1',
      headers: { Connection: 'Upgrade', Upgrade: 'echo' },
    });
    req.end();
    const [res, socket, head] = await once(req, 'upgrade');
    let data = head.toString();
    socket.on('data', (d: Buffer) => {
      data += d.toString();
    });
    await once(socket, 'end');
    assert.is(res.statusCode, 101, impl.name);
    assert.is(data, 'got:', impl.name);
    socket.destroy();
    server.close();
    await once(server, 'close');
  }
});

async function noListenerScenario(impl: Impl) {
  const srv = await rawServer((s) => {
    onRequestHead(s, () => {
      s.write('HTTP/1.1 101 Switching Protocols\r\nUpgrade: x\r\nConnection: Upgrade\r\n\r\n');
    });
  });
  const log: string[] = [];
  const req = impl.request({
    port: srv.port,
    host: '127.0.0.1',
    agent: false,
    headers: { Connection: 'Upgrade', Upgrade: 'x' },
  });
  record(req, log, { response: false });
  req.end();
  await settle(req, 'close');
  log.push(`destroyed ${req.socket?.destroyed}`);
  await srv.close();
  return log;
}

test("no 'upgrade' listener: the connection is closed", async () => {
  const theirs = await noListenerScenario(NODE);
  const ours = await noListenerScenario(OURS);
  assert.equal(ours, theirs);
});

async function connectScenario(impl: Impl) {
  // A proxy answering CONNECT, then relaying bytes of the tunnel.
  const srv = await rawServer((s) => {
    onRequestHead(s, (head) => {
      s.write(
        `HTTP/1.1 200 Connection Established\r\nX-Target: ${head.split(' ')[1]}\r\n\r\nTUNNEL`,
      );
      s.on('data', (d) => s.write(Buffer.concat([Buffer.from('echo:'), d])));
    });
  });
  const agent = new impl.Agent({ keepAlive: true });
  const log: string[] = [];
  const req = impl.request({
    port: srv.port,
    host: '127.0.0.1',
    method: 'CONNECT',
    path: 'example.com:443',
    agent,
  });
  record(req, log);
  const got = new Promise<any[]>((resolve) => req.on('connect', (...a) => resolve(a)));
  req.end();
  const [res, socket, head] = await got;
  log.push(`connect ${res.statusCode} ${res.headers['x-target']} ${head.toString()}`);
  log.push(`pools ${Object.keys(agent.sockets).length} ${Object.keys(agent.freeSockets).length}`);
  socket.write('hi');
  const [echo] = await once(socket, 'data');
  log.push(echo.toString());
  socket.destroy();
  await srv.close();
  return log;
}

test("CONNECT: 'connect' (res, socket, head), tunnel usable", async () => {
  const theirs = await connectScenario(NODE);
  const ours = await connectScenario(OURS);
  assert.equal(ours, theirs);
  assert.ok(ours.includes('connect 200 example.com:443 TUNNEL'));
  assert.ok(ours.includes('echo:hi'));
});

test.run();
