/**
 * Real loopback sockets: the same handler runs in a node:http server and in
 * a minimal owner built on OutgoingMessage (TestResponse over net.Socket); a
 * raw client records the bytes of both. Also: event order and back-pressure
 * against a slow reader.
 */
import * as http from 'node:http';
import * as net from 'node:net';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { drainOutgoing, type OutgoingMessage } from '../src/index.ts';
import { stripDate, TestResponse } from './helpers.ts';

type Handler = (res: any) => void | Promise<void>;

/** Sends `request`, half-closes, and resolves with everything the server sent. */
function rawExchange(port: number, request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const c = net.connect(port, '127.0.0.1', () => {
      c.write(request);
      c.end();
    });
    c.on('data', (d) => chunks.push(d));
    c.on('error', reject);
    c.on('close', () => resolve(Buffer.concat(chunks).toString('latin1')));
  });
}

function listen(server: net.Server): Promise<number> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port)),
  );
}

function close(server: net.Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

/** Runs `handler` in node:http; returns the raw response and the response's events. */
async function viaNode(
  handler: Handler,
  request: string,
  options: http.ServerOptions = {},
): Promise<{ bytes: string; events: string[] }> {
  const events: string[] = [];
  const server = http.createServer(options, (_req, res) => {
    for (const e of ['prefinish', 'finish', 'close']) res.on(e, () => events.push(e));
    handler(res);
  });
  const port = await listen(server);
  const bytes = await rawExchange(port, request);
  await close(server);
  return { bytes: stripDate(bytes), events };
}

/**
 * Runs `handler` on a TestResponse owned by a tiny connection owner over
 * net.Socket: read the request head, attach, forward 'drain', close after
 * 'finish' once the client has half-closed.
 */
async function viaOurs(
  handler: Handler,
  request: string,
  uniqueHeaders?: string[],
): Promise<{ bytes: string; events: string[] }> {
  const events: string[] = [];
  const server = net.createServer({ allowHalfOpen: true }, (socket) => {
    let head = '';
    let started = false;
    let peerEnded = false;
    let done = false;
    const maybeClose = () => {
      if (peerEnded && done) socket.end();
    };
    socket.on('end', () => {
      peerEnded = true;
      maybeClose();
    });
    socket.on('data', (d) => {
      if (started) return;
      head += d.toString('latin1');
      if (!head.includes('\r\n\r\n')) return;
      started = true;
      const [method, , version] = head.split('\r\n')[0].split(' ');
      const minor = version === 'HTTP/1.0' ? 0 : 1;
      const res = new TestResponse(
        { method, httpVersionMajor: 1, httpVersionMinor: minor },
        { uniqueHeaders },
      );
      // What node:http's server sets: its default keepAliveTimeout is 5 s.
      res._keepAliveTimeout = 5000;
      for (const e of ['prefinish', 'finish', 'close']) res.on(e, () => events.push(e));
      socket.on('drain', () => drainOutgoing(res as OutgoingMessage));
      res.on('finish', () => {
        done = true;
        if (res._last) socket.end();
        else maybeClose();
      });
      res.assignSocket(socket);
      handler(res);
    });
  });
  const port = await listen(server);
  const bytes = await rawExchange(port, request);
  await close(server);
  return { bytes: stripDate(bytes), events };
}

const GET = 'GET / HTTP/1.1\r\nHost: x\r\n\r\n';

const cases: { name: string; request?: string; unique?: string[]; handler: Handler }[] = [
  { name: 'end(string)', handler: (res) => res.end('hello world') },
  {
    name: 'chunked body with trailers',
    handler: (res) => {
      res.setHeader('Trailer', 'X-Sum');
      res.write('part one, ');
      res.write(Buffer.from('part two'));
      res.addTrailers({ 'X-Sum': '42' });
      res.end();
    },
  },
  {
    name: 'writeHead with raw array, then body',
    handler: (res) => {
      res.writeHead(201, ['X-A', '1', 'x-a', '2', 'Content-Type', 'text/plain']);
      res.end('created');
    },
  },
  {
    name: 'large body through the kernel (back-pressure path)',
    handler: async (res) => {
      const chunk = Buffer.alloc(64 * 1024, 120);
      for (let i = 0; i < 8; i++) {
        if (!res.write(chunk)) await new Promise((r) => res.once('drain', r));
      }
      res.end();
    },
  },
  {
    name: 'HEAD response',
    request: 'HEAD / HTTP/1.1\r\nHost: x\r\n\r\n',
    handler: (res) => res.end('ignored'),
  },
  {
    name: 'HTTP/1.0 request: close-delimited',
    request: 'GET / HTTP/1.0\r\n\r\n',
    handler: (res) => {
      res.write('a');
      res.end('b');
    },
  },
  {
    name: 'uniqueHeaders option',
    unique: ['x-u'],
    handler: (res) => {
      res.setHeader('X-U', ['a', 'b']);
      res.write('z');
      res.addTrailers({ 'x-u': ['c', 'd'] });
      res.end();
    },
  },
  {
    name: 'flushHeaders, then end',
    handler: (res) => {
      res.flushHeaders();
      res.end('after');
    },
  },
];

const loop = suite('loopback: same bytes and events as a node:http server');

for (const c of cases) {
  loop(c.name, async () => {
    const request = c.request ?? GET;
    const theirs = await viaNode(c.handler, request, c.unique ? { uniqueHeaders: c.unique } : {});
    const ours = await viaOurs(c.handler, request, c.unique);
    assert.is(ours.bytes, theirs.bytes);
    assert.equal(ours.events, theirs.events);
    assert.equal(ours.events, ['prefinish', 'finish', 'close']);
  });
}

loop.run();

const slow = suite('loopback: a slow reader bounds memory');

slow('write() turns false, buffered bytes stay bounded, every byte arrives', async () => {
  const total = 4 * 1024 * 1024;
  const chunkSize = 16 * 1024;
  let maxBuffered = 0;
  let falses = 0;
  let drains = 0;
  let hwm = 0;
  const server = net.createServer((socket) => {
    const res = new TestResponse();
    res.sendDate = false;
    socket.on('drain', () => drainOutgoing(res as OutgoingMessage));
    res.on('drain', () => drains++);
    res.assignSocket(socket);
    hwm = res.writableHighWaterMark;
    res.setHeader('Content-Length', total);
    const chunk = Buffer.alloc(chunkSize, 97);
    let sent = 0;
    const pump = () => {
      while (sent < total) {
        sent += chunkSize;
        const ok = res.write(chunk);
        maxBuffered = Math.max(maxBuffered, res.writableLength);
        if (!ok) {
          falses++;
          res.once('drain', pump);
          return;
        }
      }
      res.end();
      res.on('finish', () => socket.end());
    };
    pump();
  });
  const port = await listen(server);
  const received = await new Promise<number>((resolve, reject) => {
    let bytes = 0;
    const c = net.connect(port, '127.0.0.1');
    c.on('error', reject);
    // A slow reader: pause between reads.
    c.on('data', (d) => {
      bytes += d.length;
      c.pause();
      setTimeout(() => c.resume(), 1);
    });
    c.on('end', () => resolve(bytes));
  });
  await close(server);
  const headerLength =
    'HTTP/1.1 200 OK\r\nContent-Length: 4194304\r\nConnection: keep-alive\r\n\r\n'.length;
  assert.is(received, total + headerLength);
  assert.ok(falses > 0, 'write() returned false at least once');
  assert.is(drains, falses);
  // Never more than one chunk beyond the socket's high-water mark was held in user memory.
  assert.ok(maxBuffered <= hwm + chunkSize + headerLength, `buffered ${maxBuffered}`);
});

slow.run();
