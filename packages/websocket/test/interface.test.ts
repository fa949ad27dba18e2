/**
 * The WHATWG WebSocket interface (https://websockets.spec.whatwg.org/): constructor argument
 * checks, constants, attributes, send()/close() rules, event handler attributes and the
 * event classes.
 */

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { CloseEvent, MessageEvent, WebSocket } from '../src/index.ts';
import {
  closeFrame,
  decodeFrames,
  frame,
  opened,
  rawServer,
  record,
  until,
  upgradeResponse,
} from './helpers.ts';

const test = suite('WHATWG interface');

function throwsDom(fn: () => unknown, name: string): void {
  try {
    fn();
  } catch (err) {
    assert.instance(err, DOMException);
    assert.is((err as DOMException).name, name);
    return;
  }
  assert.unreachable(`expected a ${name} DOMException`);
}

/** A server that accepts and holds connections (for constructing sockets to check attributes). */
async function holdServer() {
  return rawServer((conn) => conn.socket.write(upgradeResponse(conn)));
}

test('constants on the class and on instances, read-only', async () => {
  const server = await holdServer();
  const ws = new WebSocket(server.url);
  for (const [name, value] of [
    ['CONNECTING', 0],
    ['OPEN', 1],
    ['CLOSING', 2],
    ['CLOSED', 3],
  ] as const) {
    assert.is(WebSocket[name], value);
    assert.is(ws[name], value);
    assert.is(Object.getOwnPropertyDescriptor(WebSocket.prototype, name)?.writable, false);
    assert.throws(() => {
      (WebSocket as any)[name] = 9;
    });
  }
  assert.instance(ws, EventTarget);
  assert.is(Object.prototype.toString.call(ws), '[object WebSocket]');
  ws.close();
  await server.close();
});

test('URL: ws/wss kept, http/https mapped, serialised', async () => {
  const server = await holdServer();
  const port = server.url.split(':')[2];
  const cases: Array<[string, string]> = [
    [`ws://127.0.0.1:${port}`, `ws://127.0.0.1:${port}/`],
    [`http://127.0.0.1:${port}/a?b=c`, `ws://127.0.0.1:${port}/a?b=c`],
    [`HTTP://127.0.0.1:${port}/x y`, `ws://127.0.0.1:${port}/x%20y`],
  ];
  for (const [input, expected] of cases) {
    const ws = new WebSocket(input);
    assert.is(ws.url, expected);
    ws.close();
  }
  // Not connected to anything (closed at once): only the attribute is checked.
  const wss = new WebSocket('https://127.0.0.1:1/');
  assert.is(wss.url, 'wss://127.0.0.1:1/');
  wss.close();
  const defaultPort = new WebSocket('ws://127.0.0.1:80/p');
  assert.is(defaultPort.url, 'ws://127.0.0.1/p');
  defaultPort.close();
  const url = new WebSocket(new URL(`ws://127.0.0.1:${port}/u`));
  assert.is(url.url, `ws://127.0.0.1:${port}/u`);
  url.close();
  await server.close();
});

test('URL: SyntaxError for unparsable, relative, other schemes and fragments', () => {
  for (const bad of [
    '',
    'not a url',
    '/relative',
    'ftp://example.com/',
    'file:///x',
    'ws://x/#',
    'ws://x/#frag',
    'wss://x/?q#f',
    'ws://[::1',
  ]) {
    throwsDom(() => new WebSocket(bad), 'SyntaxError');
  }
  assert.throws(() => new (WebSocket as any)(), TypeError);
});

test('protocols: SyntaxError for duplicates (case-insensitive) and non-tokens', () => {
  const url = 'ws://127.0.0.1:1/';
  for (const bad of [
    ['a', 'a'],
    ['chat', 'CHAT'],
    [''],
    ['a b'],
    ['a,b'],
    ['é'],
    ['a/b'],
    ['{x}'],
    '',
    'x y',
  ]) {
    throwsDom(() => new WebSocket(url, bad as string[]), 'SyntaxError');
  }
  for (const good of ['chat', ['chat', 'v2.json', "x!#$%&'*+-.^_`|~"], [], new Set(['a', 'b'])]) {
    const ws = new WebSocket(url, good as string[]);
    ws.close();
  }
});

test('send() while CONNECTING throws InvalidStateError', async () => {
  const server = await rawServer(() => {});
  const ws = new WebSocket(server.url);
  throwsDom(() => ws.send('x'), 'InvalidStateError');
  assert.is(ws.bufferedAmount, 0);
  ws.close();
  await server.close();
});

test('close(): InvalidAccessError for bad codes, SyntaxError for reasons over 123 bytes', async () => {
  const server = await holdServer();
  const ws = new WebSocket(server.url);
  for (const code of [0, 999, 1001, 1005, 1006, 2999, 5000, 65535, Number.NaN]) {
    throwsDom(() => ws.close(code), 'InvalidAccessError');
  }
  throwsDom(() => ws.close(1000, 'é'.repeat(62)), 'SyntaxError'); // 124 bytes
  throwsDom(() => ws.close(4000, 'x'.repeat(124)), 'SyntaxError');
  // The code is checked before the reason.
  throwsDom(() => ws.close(1, 'x'.repeat(200)), 'InvalidAccessError');
  assert.is(ws.readyState, WebSocket.CONNECTING, 'nothing changed');
  ws.close(1000, 'x'.repeat(123)); // exactly 123 bytes is allowed
  assert.is(ws.readyState, WebSocket.CLOSING);
  await server.close();
});

async function closeBytes(doClose: (ws: WebSocket) => void): Promise<Buffer> {
  const server = await holdServer();
  const ws = new WebSocket(server.url);
  const rec = record(ws);
  await opened(ws);
  doClose(ws);
  await until(() => server.connections[0].received.length > 0);
  const [sent] = decodeFrames(Buffer.concat(server.connections[0].received));
  server.connections[0].socket.end(closeFrame(1000));
  await rec.closed;
  await server.close();
  assert.is(sent.opcode, 8);
  assert.ok(sent.masked);
  return sent.payload;
}

test('Close frame bodies: none, code, code + reason, reason only (code 1000)', async () => {
  assert.is((await closeBytes((ws) => ws.close())).length, 0);
  assert.equal([...(await closeBytes((ws) => ws.close(1000)))], [0x03, 0xe8]);
  const withReason = await closeBytes((ws) => ws.close(4321, 'bye ✓'));
  assert.is(withReason.readUInt16BE(0), 4321);
  assert.is(withReason.subarray(2).toString(), 'bye ✓');
  const reasonOnly = await closeBytes((ws) => (ws.close as any)(undefined, 'why'));
  assert.is(reasonOnly.readUInt16BE(0), 1000);
  assert.is(reasonOnly.subarray(2).toString(), 'why');
  // WebIDL [Clamp]: 3000.4 -> 3000.
  assert.is((await closeBytes((ws) => ws.close(3000.4))).readUInt16BE(0), 3000);
});

test('after close(): send() only grows bufferedAmount; later messages are not delivered', async () => {
  const server = await holdServer();
  const ws = new WebSocket(server.url);
  const rec = record(ws);
  await opened(ws);
  ws.close();
  ws.send('abc');
  ws.send(new Uint8Array(10));
  assert.is(ws.bufferedAmount, 13);
  await until(() => server.connections[0].received.length > 0);
  server.connections[0].socket.end(Buffer.concat([frame(1, 'late'), closeFrame(1000)]));
  await rec.closed;
  await server.close();
  assert.equal(rec.events, ['open', 'close:1000']);
  assert.is(ws.bufferedAmount, 13);
  const sent = decodeFrames(Buffer.concat(server.connections[0].received));
  assert.equal(
    sent.map((f) => f.opcode),
    [8],
    'only the Close frame went out',
  );
});

test('every frame has its own random mask; text is UTF-8 with lone surrogates replaced', async () => {
  const server = await holdServer();
  const ws = new WebSocket(server.url);
  await opened(ws);
  for (let i = 0; i < 50; i++) ws.send('same payload');
  ws.send('a\ud800b');
  await until(() => decodeFrames(Buffer.concat(server.connections[0].received)).length === 51);
  const frames = decodeFrames(Buffer.concat(server.connections[0].received));
  const masks = new Set(frames.map((f) => f.mask.toString('hex')));
  assert.ok(masks.size >= 49, 'masks differ from frame to frame');
  assert.ok(frames.every((f) => f.masked && f.fin && f.rsv === 0));
  assert.is(frames[0].payload.toString(), 'same payload');
  assert.equal([...frames[50].payload], [0x61, 0xef, 0xbf, 0xbd, 0x62]);
  ws.close();
  await server.close();
});

test('on* handler attributes: set, replace in place, remove with null', async () => {
  const server = await rawServer((conn) => {
    conn.socket.write(
      Buffer.concat([Buffer.from(upgradeResponse(conn)), frame(1, 'm'), closeFrame(1000)]),
    );
  });
  const ws = new WebSocket(server.url);
  const order: string[] = [];
  assert.is(ws.onopen, null);
  ws.onopen = () => order.push('onopen-1');
  ws.addEventListener('open', () => order.push('listener'));
  ws.onopen = function (this: WebSocket, ev: Event) {
    assert.is(this, ws);
    assert.is(ev.type, 'open');
    order.push('onopen-2'); // replaces onopen-1 at its original position
  };
  ws.onmessage = (ev) => order.push(`message:${(ev as MessageEvent).data}`);
  ws.onerror = () => order.push('error');
  ws.onerror = null;
  assert.is(ws.onerror, null);
  (ws as any).onerror = 'not a function';
  assert.is(ws.onerror, null);
  const closed = new Promise<CloseEvent>((resolve) => {
    ws.onclose = (ev) => resolve(ev as CloseEvent);
  });
  const ev = await closed;
  await server.close();
  assert.equal(order, ['onopen-2', 'listener', 'message:m']);
  assert.instance(ev, CloseEvent);
  assert.is(ev.code, 1000);
  assert.is(ev.wasClean, true);
});

test('MessageEvent: data and origin of the server', async () => {
  const server = await rawServer((conn) => {
    conn.socket.write(
      Buffer.concat([Buffer.from(upgradeResponse(conn)), frame(1, 'hi'), closeFrame(1000)]),
    );
  });
  const ws = new WebSocket(`${server.url.replace('ws:', 'http:')}/some/path?q`);
  const ev = await new Promise<MessageEvent>((resolve) => {
    ws.onmessage = (e) => resolve(e as MessageEvent);
  });
  await new Promise((r) => ws.addEventListener('close', r));
  await server.close();
  assert.instance(ev, MessageEvent);
  assert.is(ev.data, 'hi');
  assert.is(ev.origin, server.url);
  assert.is(ev.lastEventId, '');
  assert.is(ev.source, null);
  assert.equal([...ev.ports], []);
});

test('readyState and bufferedAmount through a connection lifetime', async () => {
  const server = await holdServer();
  const ws = new WebSocket(server.url);
  const states: number[] = [ws.readyState];
  ws.onopen = () => states.push(ws.readyState);
  ws.onclose = () => states.push(ws.readyState);
  await opened(ws);
  ws.send('x'.repeat(1000));
  assert.is(ws.bufferedAmount, 1000);
  await until(() => ws.bufferedAmount === 0);
  ws.close();
  states.push(ws.readyState);
  server.connections[0].socket.end(closeFrame(1000));
  await new Promise((r) => ws.addEventListener('close', r));
  await server.close();
  assert.equal(states, [0, 1, 2, 3]);
});

test('a Close frame arriving while a Blob is being read: the Blob goes out, then the echo', async () => {
  const server = await rawServer((conn) => {
    conn.socket.write(Buffer.concat([Buffer.from(upgradeResponse(conn)), closeFrame(4000, 'now')]));
  });
  const ws = new WebSocket(server.url);
  const rec = record(ws);
  ws.onopen = () => ws.send(new Blob([Buffer.alloc(100000, 1)]));
  await rec.closed;
  await until(() => decodeFrames(Buffer.concat(server.connections[0].received)).length === 2);
  const frames = decodeFrames(Buffer.concat(server.connections[0].received));
  await server.close();
  assert.equal(
    frames.map((f) => [f.opcode, f.payload.length]),
    [
      [2, 100000],
      [8, 2],
    ],
  );
  assert.is(frames[1].payload.readUInt16BE(0), 4000);
  assert.equal(rec.closeEvent, { code: 4000, reason: 'now', wasClean: true });
});

test('close() right after send(Blob): the Close frame follows the Blob', async () => {
  const server = await holdServer();
  const ws = new WebSocket(server.url);
  const rec = record(ws);
  await opened(ws);
  ws.send(new Blob(['blob data']));
  ws.send('text after blob');
  ws.close(1000);
  await until(() => decodeFrames(Buffer.concat(server.connections[0].received)).length === 3);
  const frames = decodeFrames(Buffer.concat(server.connections[0].received));
  assert.equal(
    frames.map((f) => f.opcode),
    [2, 1, 8],
  );
  assert.is(frames[1].payload.toString(), 'text after blob');
  server.connections[0].socket.end(closeFrame(1000));
  await rec.closed;
  await server.close();
  assert.is(ws.bufferedAmount, 0);
});

test('a server that never answers our Close: dropped after closeTimeout, 1006, no error', async () => {
  const server = await holdServer();
  const ws = new WebSocket(server.url, { closeTimeout: 200 });
  const rec = record(ws);
  await opened(ws);
  const started = Date.now();
  ws.close(1000);
  await rec.closed;
  assert.ok(Date.now() - started >= 150);
  assert.equal(rec.events, ['open', 'close:1006']);
  assert.equal(rec.closeEvent, { code: 1006, reason: '', wasClean: false });
  await server.close();
});

test('event classes can be constructed as in browsers', () => {
  const c = new CloseEvent('close', { code: 4000, reason: 'r', wasClean: true });
  assert.equal([c.type, c.code, c.reason, c.wasClean], ['close', 4000, 'r', true]);
  const d = new CloseEvent('close');
  assert.equal([d.code, d.reason, d.wasClean], [0, '', false]);
  const m = new MessageEvent('message', { data: 1, origin: 'ws://x' });
  assert.equal([m.type, m.data, m.origin], ['message', 1, 'ws://x']);
  assert.instance(m, Event);
  assert.is(Object.prototype.toString.call(c), '[object CloseEvent]');
});

test.run();
