/**
 * The client side: a ClientRequest-like subclass (request line, Host,
 * agent/keep-alive flags, no chunking by default for bodiless methods)
 * against node:http's ClientRequest, both writing to an in-memory socket.
 */
import * as http from 'node:http';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { kOutHeaders, OutgoingMessage } from '../src/index.ts';
import { delay, RecordingSocket } from './helpers.ts';

// RFC 9110 §9.3: methods whose requests normally carry no body.
const NO_BODY_BY_DEFAULT = new Set(['GET', 'HEAD', 'DELETE', 'OPTIONS', 'TRACE', 'CONNECT']);

class TestRequest extends OutgoingMessage {
  method: string;
  path: string;

  constructor(method: string, path: string, host: string, keepAlive: boolean) {
    super();
    this.method = method;
    this.path = path;
    this.agent = {};
    this.shouldKeepAlive = keepAlive;
    this.useChunkedEncodingByDefault = !NO_BODY_BY_DEFAULT.has(method);
    this.setHeader('Host', host);
  }

  override _implicitHeader(): void {
    this._storeHeader(`${this.method} ${this.path} HTTP/1.1\r\n`, this[kOutHeaders]);
  }

  onSocket(socket: RecordingSocket): void {
    socket._httpMessage = this;
    this.socket = socket as never;
    this.emit('socket', socket);
    this._flush();
  }
}

type Req = any;

interface Case {
  name: string;
  method: string;
  keepAlive: boolean;
  run(req: Req): void;
}

const cases: Case[] = [
  { name: 'GET, keep-alive agent', method: 'GET', keepAlive: true, run: (r) => r.end() },
  { name: 'GET, no keep-alive', method: 'GET', keepAlive: false, run: (r) => r.end() },
  {
    name: 'POST streamed: chunked',
    method: 'POST',
    keepAlive: true,
    run: (r) => {
      r.write('ab');
      r.end('c');
    },
  },
  {
    name: 'POST end(data): Content-Length',
    method: 'POST',
    keepAlive: true,
    run: (r) => r.end('abc'),
  },
  {
    name: 'PUT with explicit Content-Length',
    method: 'PUT',
    keepAlive: false,
    run: (r) => {
      r.setHeader('Content-Length', 4);
      r.write('ab');
      r.end('cd');
    },
  },
  {
    name: 'DELETE end(data): no chunking, close-delimited',
    method: 'DELETE',
    keepAlive: false,
    run: (r) => r.end('x'),
  },
  {
    name: 'POST with trailers',
    method: 'POST',
    keepAlive: true,
    run: (r) => {
      r.setHeader('Trailer', 'X-Sum');
      r.write('data');
      r.addTrailers({ 'X-Sum': '1' });
      r.end();
    },
  },
  {
    name: 'Expect: 100-continue sends the head at once',
    method: 'POST',
    keepAlive: true,
    run: (r) => {
      r.setHeader('Expect', '100-continue');
      r.flushHeaders();
    },
  },
];

async function viaNode(c: Case): Promise<string> {
  const socket = new RecordingSocket();
  Object.assign(socket, {
    setTimeout() {},
    setNoDelay() {},
    setKeepAlive() {},
    ref() {},
    unref() {},
  });
  const agent = new http.Agent({ keepAlive: c.keepAlive });
  (agent as unknown as { createConnection: () => RecordingSocket }).createConnection = () => socket;
  const req = http.request({
    host: 'example.test',
    port: 80,
    path: '/p?q=1',
    method: c.method,
    agent,
  });
  req.on('error', () => {});
  c.run(req);
  await delay(5);
  req.destroy();
  agent.destroy();
  return socket.bytes();
}

async function viaOurs(c: Case): Promise<string> {
  const socket = new RecordingSocket();
  const req = new TestRequest(c.method, '/p?q=1', 'example.test', c.keepAlive);
  c.run(req);
  // The agent hands the socket over on a later tick: everything so far was queued.
  await delay(1);
  req.onSocket(socket);
  await delay(5);
  return socket.bytes();
}

const client = suite('request side: same bytes as node:http ClientRequest');

for (const c of cases) {
  client(c.name, async () => {
    const theirs = await viaNode(c);
    const ours = await viaOurs(c);
    assert.ok(theirs.length > 0);
    assert.is(ours, theirs);
  });
}

client('setDefaultHeaders: false (v23.8 docs; Node 20 lacks it): no automatic fields', async () => {
  // What the client package does for setDefaultHeaders: false — the caller's fields only.
  const socket = new RecordingSocket();
  const req = new TestRequest('POST', '/', 'h', true);
  req._removedConnection = true;
  req._removedContLen = true;
  req._removedTE = true;
  req.onSocket(socket);
  req.write('abc');
  req.end();
  await delay(2);
  assert.is(socket.bytes(), 'POST / HTTP/1.1\r\nHost: h\r\n\r\nabc');
  assert.ok(req._last);
});

client.run();
