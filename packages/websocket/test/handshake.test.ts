/**
 * The opening handshake (RFC 6455 §4.1) against raw `net` servers: the request bytes, every
 * check of the answer, and WHATWG's "fail the WebSocket connection" (error, then close 1006)
 * for refusals, non-101 answers and redirects (never followed, as in browsers).
 */
import * as net from 'node:net';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { WebSocket } from '../src/index.ts';
import {
  accept,
  closeFrame,
  frame,
  opened,
  rawServer,
  record,
  upgradeResponse,
  wsPeer,
} from './helpers.ts';

const test = suite('opening handshake');

test('request: GET with the Upgrade headers, a fresh 16-byte key, protocols, deflate offer', async () => {
  const keys: string[] = [];
  const server = await rawServer((conn) => {
    keys.push(conn.headers['sec-websocket-key']);
    conn.socket.write(upgradeResponse(conn, ['Sec-WebSocket-Protocol: chat']));
  });
  const ws1 = new WebSocket(`${server.url}/path/x?y=1&z=%20`, ['chat', 'superchat']);
  const ws2 = new WebSocket(`${server.url}/`);
  const r1 = record(ws1);
  const r2 = record(ws2);
  await opened(ws1);
  await new Promise((r) => ws2.addEventListener('close', r));
  const [c1] = server.connections.filter((c) => c.request.includes('/path'));
  const [firstLine] = c1.request.split('\r\n');
  assert.is(firstLine, 'GET /path/x?y=1&z=%20 HTTP/1.1');
  assert.is(c1.headers.host, server.url.slice('ws://'.length));
  assert.is(c1.headers.upgrade, 'websocket');
  assert.is(c1.headers.connection, 'Upgrade');
  assert.is(c1.headers['sec-websocket-version'], '13');
  assert.is(c1.headers['sec-websocket-protocol'], 'chat, superchat');
  assert.is(c1.headers['sec-websocket-extensions'], 'permessage-deflate; client_max_window_bits');
  assert.is(Buffer.from(keys[0], 'base64').length, 16);
  assert.is.not(keys[0], keys[1]);
  assert.is(ws1.protocol, 'chat');
  // ws2 asked for no subprotocol and got one: failed.
  assert.equal(r2.events, ['error', 'close:1006']);
  ws1.close();
  c1.socket.end(closeFrame());
  await r1.closed;
  assert.equal(r1.closeEvent, { code: 1005, reason: '', wasClean: true });
  await server.close();
});

async function expectFailure(respond: string | ((key: string) => string), init?: object) {
  const server = await rawServer((conn) => {
    const text = typeof respond === 'string' ? respond : respond(conn.headers['sec-websocket-key']);
    conn.socket.end(text);
  });
  const ws = new WebSocket(server.url, init as never);
  const rec = record(ws);
  await rec.closed;
  await server.close();
  assert.equal(rec.events, ['error', 'close:1006']);
  assert.equal(rec.closeEvent, { code: 1006, reason: '', wasClean: false });
  assert.equal(rec.states, [WebSocket.CLOSED, WebSocket.CLOSED]);
  assert.is(ws.readyState, WebSocket.CLOSED);
  return rec;
}

const ok101 = (key: string, extra: string[] = [], acceptValue = accept(key)) =>
  [
    'HTTP/1.1 101 Switching Protocols',
    'Upgrade: websocket',
    'Connection: Upgrade',
    `Sec-WebSocket-Accept: ${acceptValue}`,
    ...extra,
    '',
    '',
  ].join('\r\n');

test('bad Sec-WebSocket-Accept fails', async () => {
  const rec = await expectFailure((key) => ok101(key, [], accept(`${key}x`)));
  assert.match(String(rec.errorEvent?.message), /Sec-WebSocket-Accept/);
});

test('missing Sec-WebSocket-Accept fails', async () => {
  await expectFailure(
    'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n',
  );
});

test('wrong Upgrade or Connection header fails', async () => {
  await expectFailure((key) => ok101(key).replace('Upgrade: websocket', 'Upgrade: h2c'));
  await expectFailure((key) => ok101(key).replace('Connection: Upgrade', 'Connection: keep-alive'));
});

test('header names and values are matched case-insensitively where RFC 6455 says so', async () => {
  const server = await rawServer((conn) => {
    const key = conn.headers['sec-websocket-key'];
    conn.socket.write(
      `HTTP/1.1 101 OK\r\nupgrade: WebSocket\r\nconnection: keep-alive, UPGRADE\r\nsec-websocket-accept: ${accept(key)}\r\n\r\n`,
    );
    conn.socket.end(closeFrame(1000));
  });
  const rec = record(new WebSocket(server.url));
  await rec.closed;
  await server.close();
  assert.equal(rec.events, ['open', 'close:1000']);
});

test('a subprotocol that was not requested fails', async () => {
  await expectFailure((key) => ok101(key, ['Sec-WebSocket-Protocol: other']), {
    protocols: ['chat'],
  });
  await expectFailure((key) => ok101(key, ['Sec-WebSocket-Protocol: chat, v2']), {
    protocols: ['chat', 'v2'],
  });
});

test('no subprotocol selected is fine: protocol is ""', async () => {
  const server = await rawServer((conn) =>
    conn.socket.end(upgradeResponse(conn) + closeFrame(1000).toString('latin1'), 'latin1'),
  );
  const ws = new WebSocket(server.url, 'chat');
  const rec = record(ws);
  await rec.closed;
  await server.close();
  assert.equal(rec.events, ['open', 'close:1000']);
  assert.is(ws.protocol, '');
});

test('an extension that was not offered fails', async () => {
  await expectFailure((key) => ok101(key, ['Sec-WebSocket-Extensions: x-webkit-deflate-frame']));
  await expectFailure((key) => ok101(key, ['Sec-WebSocket-Extensions: permessage-deflate']), {
    perMessageDeflate: false,
  });
  await expectFailure((key) =>
    ok101(key, ['Sec-WebSocket-Extensions: permessage-deflate, permessage-deflate']),
  );
});

for (const bad of [
  'permessage-deflate; unknown_param',
  'permessage-deflate; server_no_context_takeover; server_no_context_takeover',
  'permessage-deflate; server_no_context_takeover=1',
  'permessage-deflate; server_max_window_bits=7',
  'permessage-deflate; server_max_window_bits=16',
  'permessage-deflate; server_max_window_bits=010',
  'permessage-deflate; server_max_window_bits',
  'permessage-deflate; client_max_window_bits',
  'permessage-deflate; client_max_window_bits=x',
  'permessage-deflate;',
  'permessage-deflate; =1',
]) {
  test(`invalid permessage-deflate answer fails: ${bad}`, async () => {
    await expectFailure((key) => ok101(key, [`Sec-WebSocket-Extensions: ${bad}`]));
  });
}

for (const [status, text] of [
  [200, 'OK'],
  [400, 'Bad Request'],
  [403, 'Forbidden'],
  [404, 'Not Found'],
  [426, 'Upgrade Required'],
  [500, 'Internal Server Error'],
] as const) {
  test(`a ${status} answer fails: error then close 1006`, async () => {
    const rec = await expectFailure(
      `HTTP/1.1 ${status} ${text}\r\nContent-Length: 2\r\nConnection: close\r\n\r\nno`,
    );
    assert.match(String(rec.errorEvent?.message), String(status));
  });
}

test('redirects are not followed', async () => {
  const target = await wsPeer();
  let targetConnections = 0;
  target.wss.on('connection', () => targetConnections++);
  for (const status of [301, 302, 303, 307, 308]) {
    const rec = await expectFailure(
      `HTTP/1.1 ${status} Moved\r\nLocation: ${target.url}/\r\nContent-Length: 0\r\n\r\n`,
    );
    assert.match(String(rec.errorEvent?.message), String(status));
  }
  assert.is(targetConnections, 0);
  await target.close();
});

test('connection refused: error then close 1006', async () => {
  const probe = net.createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const port = (probe.address() as net.AddressInfo).port;
  await new Promise<void>((r) => probe.close(() => r()));
  const ws = new WebSocket(`ws://127.0.0.1:${port}`);
  const rec = record(ws);
  await rec.closed;
  assert.equal(rec.events, ['error', 'close:1006']);
  assert.match(String(rec.errorEvent?.message), /ECONNREFUSED/);
});

test('the server closing before answering fails', async () => {
  await expectFailure('');
});

test('close() while CONNECTING: CLOSING at once, then error and close 1006 later', async () => {
  const server = await rawServer(() => {}); // never answers
  const ws = new WebSocket(server.url);
  const rec = record(ws);
  ws.close(1000, 'never mind');
  assert.is(ws.readyState, WebSocket.CLOSING);
  assert.equal(rec.events, [], 'events are dispatched later, not inside close()');
  await rec.closed;
  assert.equal(rec.events, ['error', 'close:1006']);
  assert.equal(rec.closeEvent, { code: 1006, reason: '', wasClean: false });
  ws.close(); // no-op once CLOSED
  await server.close();
});

test('frames sent together with the 101 are delivered after open', async () => {
  const server = await rawServer((conn) => {
    conn.socket.write(
      Buffer.concat([Buffer.from(upgradeResponse(conn)), frame(1, 'early'), closeFrame(1000)]),
    );
  });
  const ws = new WebSocket(server.url);
  const rec = record(ws);
  await rec.closed;
  await server.close();
  assert.equal(rec.events, ['open', 'message', 'close:1000']);
  assert.equal(rec.messages, ['early']);
});

test('extra request headers are sent, without replacing the handshake headers', async () => {
  let seen: Record<string, string> = {};
  const server = await rawServer((conn) => {
    seen = conn.headers;
    conn.socket.end(upgradeResponse(conn) + closeFrame(1000).toString('latin1'), 'latin1');
  });
  const rec = record(
    new WebSocket(server.url, {
      headers: { 'X-Token': 'abc', Upgrade: 'nope', Origin: 'https://example.com' },
    }),
  );
  await rec.closed;
  await server.close();
  assert.is(seen['x-token'], 'abc');
  assert.is(seen.origin, 'https://example.com');
  assert.is(seen.upgrade, 'websocket');
});

test.run();
