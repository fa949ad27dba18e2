/**
 * Raw `net` servers answer the handshake correctly, then send exact bytes that break
 * RFC 6455. For each, the client must send a masked Close frame with the right status code
 * (1002 protocol error, 1007 invalid UTF-8, 1009 too big), stop reading, and report
 * `error` then `close` with 1006 and wasClean false: per RFC 6455 §7.1.5 and the WHATWG
 * standard, the close code an application sees is 1006 when no Close frame was received
 * (a failed connection does not read the server's answer, §7.1.7), as in browsers and Node's
 * global WebSocket.
 */

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { WebSocket } from '../src/index.ts';
import {
  closeFrame,
  decodeFrames,
  frame,
  type RawConnection,
  rawServer,
  record,
  until,
  upgradeResponse,
} from './helpers.ts';

const test = suite('protocol errors from the server');

interface Case {
  name: string;
  bytes: Buffer;
  sentCode: number;
  /** Messages delivered before the error. */
  messages?: unknown[];
}

const masked = Buffer.from([0x81, 0x82, 1, 2, 3, 4, 'h'.charCodeAt(0) ^ 1, 'i'.charCodeAt(0) ^ 2]);
const cases: Case[] = [
  { name: 'a masked frame from the server', bytes: masked, sentCode: 1002 },
  { name: 'RSV1 without an extension', bytes: frame(1, 'x', true, 0x40), sentCode: 1002 },
  { name: 'RSV2', bytes: frame(1, 'x', true, 0x20), sentCode: 1002 },
  { name: 'RSV3', bytes: frame(2, 'x', true, 0x10), sentCode: 1002 },
  { name: 'a ping over 125 bytes', bytes: frame(9, Buffer.alloc(126)), sentCode: 1002 },
  { name: 'a close over 125 bytes', bytes: frame(8, Buffer.alloc(130)), sentCode: 1002 },
  { name: 'a fragmented ping', bytes: frame(9, 'a', false), sentCode: 1002 },
  { name: 'a fragmented close', bytes: frame(8, Buffer.from([3, 232]), false), sentCode: 1002 },
  { name: 'unknown data opcode 0x3', bytes: frame(3, 'x'), sentCode: 1002 },
  { name: 'unknown control opcode 0xB', bytes: frame(0xb, 'x'), sentCode: 1002 },
  { name: 'a continuation without a message', bytes: frame(0, 'x'), sentCode: 1002 },
  {
    name: 'a new text frame inside a fragmented message',
    bytes: Buffer.concat([frame(1, 'a', false), frame(1, 'b')]),
    sentCode: 1002,
  },
  {
    name: 'invalid UTF-8 in a text message',
    bytes: frame(1, Buffer.from([0x68, 0xc3, 0x28])),
    sentCode: 1007,
  },
  {
    name: 'invalid UTF-8 split across fragments',
    bytes: Buffer.concat([
      frame(1, Buffer.from([0xf0, 0x9f]), false),
      frame(0, Buffer.from([0x98])),
    ]),
    sentCode: 1007,
  },
  {
    name: 'a UTF-16 surrogate encoded in UTF-8',
    bytes: frame(1, Buffer.from([0xed, 0xa0, 0x80])),
    sentCode: 1007,
  },
  {
    name: 'invalid UTF-8 in a close reason',
    bytes: frame(8, Buffer.from([0x03, 0xe8, 0xff, 0xfe])),
    sentCode: 1007,
  },
  { name: 'a close body of one byte', bytes: frame(8, Buffer.from([3])), sentCode: 1002 },
  { name: 'close code 1005 on the wire', bytes: closeFrame(1005), sentCode: 1002 },
  { name: 'close code 1006 on the wire', bytes: closeFrame(1006), sentCode: 1002 },
  { name: 'close code 999', bytes: closeFrame(999), sentCode: 1002 },
  { name: 'close code 2000', bytes: closeFrame(2000), sentCode: 1002 },
  { name: 'close code 5000', bytes: closeFrame(5000), sentCode: 1002 },
  {
    name: '64-bit length with the most significant bit set',
    bytes: Buffer.from([0x82, 127, 0x80, 0, 0, 0, 0, 0, 0, 1]),
    sentCode: 1002,
  },
  {
    name: 'an error after a valid message (which is delivered first)',
    bytes: Buffer.concat([frame(1, 'first'), frame(1, 'x', true, 0x40), frame(1, 'never')]),
    sentCode: 1002,
    messages: ['first'],
  },
];

async function run(c: Case, init?: object) {
  const server = await rawServer((conn: RawConnection) => {
    conn.socket.write(upgradeResponse(conn));
    conn.socket.write(c.bytes);
  });
  try {
    const ws = new WebSocket(server.url, init as never);
    const rec = record(ws);
    await rec.closed;
    return { rec, server, ws };
  } finally {
    await server.close();
  }
}

for (const c of cases) {
  test(`${c.name}: Close ${c.sentCode} sent, error then close 1006`, async () => {
    const { rec, server, ws } = await run(c);
    assert.equal(rec.events, [
      'open',
      ...(c.messages ?? []).map(() => 'message'),
      'error',
      'close:1006',
    ]);
    assert.equal(rec.messages, c.messages ?? []);
    assert.equal(rec.closeEvent, { code: 1006, reason: '', wasClean: false });
    // WHATWG: readyState is CLOSED when error and close are dispatched.
    assert.equal(rec.states.slice(-2), [WebSocket.CLOSED, WebSocket.CLOSED]);
    assert.equal(rec.states[0], WebSocket.OPEN);
    assert.ok((rec.errorEvent?.message ?? '').length > 0);
    assert.is(ws.readyState, WebSocket.CLOSED);
    const sent = decodeFrames(Buffer.concat(server.connections[0].received));
    assert.is(sent.length, 1, 'exactly one frame: the Close');
    assert.is(sent[0].opcode, 8);
    assert.ok(sent[0].masked);
    assert.is(sent[0].payload.readUInt16BE(0), c.sentCode);
  });
}

test('a message over maxPayload: Close 1009', async () => {
  const { rec, server } = await run(
    { name: '', bytes: frame(2, Buffer.alloc(2000)), sentCode: 1009 },
    { maxPayload: 1000 },
  );
  assert.equal(rec.events, ['open', 'error', 'close:1006']);
  const sent = decodeFrames(Buffer.concat(server.connections[0].received));
  assert.is(sent[0].payload.readUInt16BE(0), 1009);
});

test('fragments adding up to more than maxPayload: Close 1009', async () => {
  const bytes = Buffer.concat([frame(2, Buffer.alloc(600), false), frame(0, Buffer.alloc(600))]);
  const { rec, server } = await run({ name: '', bytes, sentCode: 1009 }, { maxPayload: 1000 });
  assert.equal(rec.events, ['open', 'error', 'close:1006']);
  const sent = decodeFrames(Buffer.concat(server.connections[0].received));
  assert.is(sent[0].payload.readUInt16BE(0), 1009);
});

test('a message of exactly maxPayload is delivered', async () => {
  const server = await rawServer((conn) => {
    conn.socket.write(upgradeResponse(conn));
    conn.socket.write(Buffer.concat([frame(1, 'x'.repeat(1000)), closeFrame(1000)]));
  });
  const ws = new WebSocket(server.url, { maxPayload: 1000 });
  const rec = record(ws);
  await rec.closed;
  await server.close();
  assert.equal(rec.events, ['open', 'message', 'close:1000']);
});

test('control frames inside a fragmented message are handled; 125-byte ping is fine', async () => {
  const ping = Buffer.alloc(125, 0x61);
  const server = await rawServer((conn) => {
    conn.socket.write(upgradeResponse(conn));
    conn.socket.write(
      Buffer.concat([
        frame(1, 'frag', false),
        frame(9, ping),
        frame(0, 'mented', false),
        frame(10, 'p'),
        frame(0, '!'),
      ]),
    );
  });
  const ws = new WebSocket(server.url);
  const rec = record(ws);
  await until(() => rec.messages.length === 1 && server.connections[0].received.length > 0);
  assert.equal(rec.messages, ['fragmented!']);
  const sent = decodeFrames(Buffer.concat(server.connections[0].received));
  assert.is(sent[0].opcode, 10, 'pong');
  assert.ok(sent[0].masked);
  assert.ok(sent[0].payload.equals(ping));
  ws.close();
  server.connections[0].socket.end(closeFrame(1000));
  await rec.closed;
  await server.close();
});

test('frames split at every byte boundary are read correctly', async () => {
  const bytes = Buffer.concat([
    frame(1, 'héllo'),
    frame(2, Buffer.alloc(300, 1)),
    frame(1, 'x'.repeat(70000)),
    closeFrame(1000, 'ok'),
  ]);
  const server = await rawServer(async (conn) => {
    conn.socket.write(upgradeResponse(conn));
    conn.socket.setNoDelay(true);
    // One byte at a time for the small frames, then the rest in odd-sized pieces.
    for (let i = 0; i < 320; i++) {
      conn.socket.write(bytes.subarray(i, i + 1));
      await new Promise((r) => setImmediate(r));
    }
    for (let i = 320; i < bytes.length; i += 997) conn.socket.write(bytes.subarray(i, i + 997));
  });
  const ws = new WebSocket(server.url);
  ws.binaryType = 'arraybuffer';
  const rec = record(ws);
  await rec.closed;
  await server.close();
  assert.equal(rec.events, ['open', 'message', 'message', 'message', 'close:1000']);
  assert.is(rec.messages[0], 'héllo');
  assert.is((rec.messages[1] as ArrayBuffer).byteLength, 300);
  assert.is((rec.messages[2] as string).length, 70000);
  assert.equal(rec.closeEvent, { code: 1000, reason: 'ok', wasClean: true });
});

test('a byte-order mark at the start of a text message is dropped (WHATWG UTF-8 decode)', async () => {
  const server = await rawServer((conn) => {
    conn.socket.write(upgradeResponse(conn));
    conn.socket.write(
      Buffer.concat([
        frame(1, '\ufeffbom'),
        frame(1, `\ufeff${'b'.repeat(2000)}`),
        closeFrame(1000),
      ]),
    );
  });
  const ws = new WebSocket(server.url);
  const rec = record(ws);
  await rec.closed;
  await server.close();
  assert.is(rec.messages[0], 'bom');
  assert.is(rec.messages[1], 'b'.repeat(2000));
});

test.run();
