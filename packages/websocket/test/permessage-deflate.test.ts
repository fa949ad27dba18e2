/**
 * permessage-deflate (RFC 7692): interop with the `ws` server with compression on and off and
 * with every context takeover / window parameter, plus raw servers that check the bytes the
 * client compresses and send compressed frames, broken ones included.
 */
import { randomBytes } from 'node:crypto';
import * as zlib from 'node:zlib';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { WebSocket } from '../src/index.ts';
import {
  closeFrame,
  decodeFrames,
  frame,
  nextMessage,
  opened,
  rawServer,
  record,
  until,
  upgradeResponse,
  wsPeer,
} from './helpers.ts';

const test = suite('permessage-deflate');

/** One message compressed on its own, without the trailing 00 00 FF FF (RFC 7692 §7.2.1). */
function deflateMessage(data: Buffer | string): Buffer {
  const out = zlib.deflateRawSync(typeof data === 'string' ? Buffer.from(data) : data, {
    finishFlush: zlib.constants.Z_SYNC_FLUSH,
  });
  return out.subarray(0, out.length - 4);
}

const wsConfigs: Array<[string, object, RegExp]> = [
  ['compression off', { perMessageDeflate: false }, /^$/],
  ['defaults', { perMessageDeflate: { threshold: 0 } }, /^permessage-deflate/],
  [
    'server_no_context_takeover + client_no_context_takeover',
    {
      perMessageDeflate: {
        threshold: 0,
        serverNoContextTakeover: true,
        clientNoContextTakeover: true,
      },
    },
    /server_no_context_takeover.*client_no_context_takeover|client_no_context_takeover.*server_no_context_takeover/,
  ],
  [
    'server_max_window_bits=9, client_max_window_bits=10',
    { perMessageDeflate: { threshold: 0, serverMaxWindowBits: 9, clientMaxWindowBits: 10 } },
    /server_max_window_bits=9.*client_max_window_bits=10|client_max_window_bits=10.*server_max_window_bits=9/,
  ],
  [
    'client_max_window_bits=8 (the client then sends uncompressed)',
    { perMessageDeflate: { threshold: 0, clientMaxWindowBits: 8 } },
    /client_max_window_bits=8/,
  ],
];

for (const [name, options, extensions] of wsConfigs) {
  test(`ws server, ${name}: echo of small, large, repeated and binary messages`, async () => {
    const peer = await wsPeer(options);
    peer.wss.on('connection', (sock) =>
      sock.on('message', (d, isBinary) => sock.send(d, { binary: isBinary })),
    );
    const ws = new WebSocket(peer.url);
    ws.binaryType = 'arraybuffer';
    const rec = record(ws);
    await opened(ws);
    assert.match(ws.extensions, extensions);
    const text = 'compress me please, '.repeat(5000);
    for (const msg of ['a', text, text, 'ü'.repeat(3000), '']) {
      ws.send(msg);
      assert.is(await nextMessage(ws), msg);
    }
    const random = Buffer.from(Array.from({ length: 200000 }, (_, i) => (i * 7919) % 251));
    ws.send(random);
    assert.ok(Buffer.from((await nextMessage(ws)) as ArrayBuffer).equals(random));
    ws.close(1000);
    await rec.closed;
    assert.equal(rec.closeEvent, { code: 1000, reason: '', wasClean: true });
    await peer.close();
  });
}

test('ws server with compression: 16 MiB compressible message both ways', async () => {
  const peer = await wsPeer({ perMessageDeflate: { threshold: 0 } });
  peer.wss.on('connection', (sock) =>
    sock.on('message', (d, isBinary) => sock.send(d, { binary: isBinary })),
  );
  const ws = new WebSocket(peer.url);
  ws.binaryType = 'arraybuffer';
  await opened(ws);
  const big = Buffer.alloc(16 * 1024 * 1024);
  for (let i = 0; i < big.length; i += 4096) big.write(`block ${i} `, i);
  ws.send(big);
  assert.ok(Buffer.from((await nextMessage(ws)) as ArrayBuffer).equals(big));
  ws.close();
  await peer.close();
});

test('ws server with compression and fragmentSize: compressed messages sent as fragments', async () => {
  const peer = await wsPeer({ perMessageDeflate: { threshold: 0 } });
  peer.wss.on('connection', (sock) =>
    sock.on('message', (d, isBinary) => sock.send(d, { binary: isBinary })),
  );
  const ws = new WebSocket(peer.url, { fragmentSize: 1000 });
  ws.binaryType = 'arraybuffer';
  await opened(ws);
  // Random bytes do not compress: the compressed payload spans many fragments.
  const noise = randomBytes(50000);
  ws.send(noise);
  assert.ok(Buffer.from((await nextMessage(ws)) as ArrayBuffer).equals(noise));
  ws.send('fragment me '.repeat(2000));
  assert.is(await nextMessage(ws), 'fragment me '.repeat(2000));
  ws.close();
  await peer.close();
});

test('perMessageDeflate: false sends no offer and ws answers without the extension', async () => {
  const peer = await wsPeer({ perMessageDeflate: { threshold: 0 } });
  const ws = new WebSocket(peer.url, { perMessageDeflate: false });
  await opened(ws);
  assert.is(ws.extensions, '');
  ws.close();
  await peer.close();
});

/** A raw server that accepts with `answer` and collects the client's frames. */
async function deflateServer(
  answer: string,
  after?: (conn: import('./helpers.ts').RawConnection) => void,
) {
  return rawServer((conn) => {
    conn.socket.write(upgradeResponse(conn, [`Sec-WebSocket-Extensions: ${answer}`]));
    after?.(conn);
  });
}

test('the client compresses with RSV1 on, stripping 00 00 FF FF, keeping context by default', async () => {
  const server = await deflateServer('permessage-deflate');
  const ws = new WebSocket(server.url);
  await opened(ws);
  const msg = 'The quick brown fox jumps over the lazy dog. '.repeat(40);
  ws.send(msg);
  ws.send(msg);
  ws.send('short'); // under the 1 KiB threshold: sent as is
  await until(() => decodeFrames(Buffer.concat(server.connections[0].received)).length === 3);
  const frames = decodeFrames(Buffer.concat(server.connections[0].received));
  assert.equal(
    frames.map((f) => f.rsv),
    [0x40, 0x40, 0],
  );
  // One inflate context for the whole connection, as context takeover implies.
  const inflate = zlib.createInflateRaw();
  const inflated: Buffer[] = [];
  inflate.on('data', (c) => inflated.push(c));
  for (const f of frames.slice(0, 2)) {
    inflate.write(Buffer.concat([f.payload, Buffer.from([0, 0, 0xff, 0xff])]));
    await new Promise<void>((r) => inflate.flush(zlib.constants.Z_SYNC_FLUSH, () => r()));
    assert.is(Buffer.concat(inflated.splice(0)).toString(), msg);
  }
  assert.ok(
    frames[1].payload.length < frames[0].payload.length / 2,
    'second message reuses the window',
  );
  assert.is(frames[2].payload.toString(), 'short');
  ws.close();
  await server.close();
});

test('fragmentSize with compression: RSV1 on the first fragment only, payload inflates', async () => {
  const server = await deflateServer('permessage-deflate; client_no_context_takeover');
  const ws = new WebSocket(server.url, { fragmentSize: 1000 });
  await opened(ws);
  const noise = randomBytes(5000);
  ws.send(noise);
  await until(() => decodeFrames(Buffer.concat(server.connections[0].received)).some((f) => f.fin));
  const frames = decodeFrames(Buffer.concat(server.connections[0].received));
  assert.ok(frames.length >= 6);
  assert.equal(
    frames.map((f) => [f.opcode, f.rsv, f.fin]),
    frames.map((_, i) => [i === 0 ? 2 : 0, i === 0 ? 0x40 : 0, i === frames.length - 1]),
  );
  assert.ok(frames.every((f) => f.payload.length <= 1000));
  const out = zlib.inflateRawSync(
    Buffer.concat([...frames.map((f) => f.payload), Buffer.from([0, 0, 0xff, 0xff])]),
    {
      finishFlush: zlib.constants.Z_SYNC_FLUSH,
    },
  );
  assert.ok(out.equals(noise));
  ws.close();
  await server.close();
});

test('client_no_context_takeover: each message inflates on its own', async () => {
  const server = await deflateServer('permessage-deflate; client_no_context_takeover');
  const ws = new WebSocket(server.url);
  await opened(ws);
  assert.is(ws.extensions, 'permessage-deflate; client_no_context_takeover');
  const msg = 'The quick brown fox jumps over the lazy dog. '.repeat(40);
  ws.send(msg);
  ws.send(msg);
  await until(() => decodeFrames(Buffer.concat(server.connections[0].received)).length === 2);
  const frames = decodeFrames(Buffer.concat(server.connections[0].received));
  for (const f of frames) {
    const out = zlib.inflateRawSync(Buffer.concat([f.payload, Buffer.from([0, 0, 0xff, 0xff])]), {
      finishFlush: zlib.constants.Z_SYNC_FLUSH,
    });
    assert.is(out.toString(), msg);
  }
  assert.is(frames[0].payload.length, frames[1].payload.length);
  ws.close();
  await server.close();
});

test('client_max_window_bits=8: the client sends uncompressed (zlib cannot honour 8)', async () => {
  const server = await deflateServer('permessage-deflate; client_max_window_bits=8');
  const ws = new WebSocket(server.url);
  await opened(ws);
  ws.send('x'.repeat(5000));
  await until(() => decodeFrames(Buffer.concat(server.connections[0].received)).length === 1);
  const [f] = decodeFrames(Buffer.concat(server.connections[0].received));
  assert.is(f.rsv, 0);
  assert.is(f.payload.length, 5000);
  ws.close();
  await server.close();
});

test('compressed frames from the server: single, fragmented (RSV1 on the first only), empty', async () => {
  const msg = 'hello hello hello hello';
  const compressed = deflateMessage(msg);
  const half = compressed.length >> 1;
  const server = await deflateServer('permessage-deflate; server_no_context_takeover', (conn) => {
    conn.socket.write(
      Buffer.concat([
        frame(1, compressed, true, 0x40),
        frame(1, compressed.subarray(0, half), false, 0x40),
        frame(0, compressed.subarray(half), true),
        frame(2, deflateMessage(''), true, 0x40),
        frame(1, 'plain', true, 0), // uncompressed messages are allowed too
        closeFrame(1000),
      ]),
    );
  });
  const ws = new WebSocket(server.url);
  ws.binaryType = 'arraybuffer';
  const rec = record(ws);
  await rec.closed;
  await server.close();
  assert.equal(rec.events, ['open', 'message', 'message', 'message', 'message', 'close:1000']);
  assert.equal(rec.messages.slice(0, 2), [msg, msg]);
  assert.is((rec.messages[2] as ArrayBuffer).byteLength, 0);
  assert.is(rec.messages[3], 'plain');
});

async function expectFail(bytes: Buffer, code: number, init?: object) {
  const server = await deflateServer('permessage-deflate', (conn) => conn.socket.write(bytes));
  const ws = new WebSocket(server.url, init as never);
  const rec = record(ws);
  await rec.closed;
  await server.close();
  assert.equal(rec.events, ['open', 'error', 'close:1006']);
  const sent = decodeFrames(Buffer.concat(server.connections[0].received));
  assert.is(sent[0].opcode, 8);
  assert.is(sent[0].payload.readUInt16BE(0), code);
}

test('RSV1 on a continuation frame: 1002', async () => {
  const c = deflateMessage('abcabcabc');
  await expectFail(
    Buffer.concat([frame(1, c.subarray(0, 2), false, 0x40), frame(0, c.subarray(2), true, 0x40)]),
    1002,
  );
});

test('RSV1 on a control frame: 1002', async () => {
  await expectFail(frame(9, 'x', true, 0x40), 1002);
});

test('corrupt compressed data: 1007', async () => {
  await expectFail(frame(1, Buffer.from([0xff, 0xff, 0xff, 0xff, 0x00]), true, 0x40), 1007);
});

test('compressed text that inflates to invalid UTF-8: 1007', async () => {
  await expectFail(frame(1, deflateMessage(Buffer.from([0xc3, 0x28])), true, 0x40), 1007);
});

test('decompression bomb over maxPayload: 1009', async () => {
  const bomb = deflateMessage(Buffer.alloc(10 * 1024 * 1024));
  assert.ok(bomb.length < 20000);
  await expectFail(frame(2, bomb, true, 0x40), 1009, { maxPayload: 1024 * 1024 });
});

test.run();
