/**
 * Against the `ws` package's server as a real peer: text and binary echo (up to 16 MiB),
 * fragmented messages both ways, server-initiated close, ping.
 */

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { WebSocket } from '../src/index.ts';
import { nextMessage, opened, type Peer, record, wsPeer } from './helpers.ts';

const test = suite('echo with a ws server');
let peer: Peer;

test.before(async () => {
  peer = await wsPeer();
  peer.wss.on('connection', (sock, req) => {
    const path = req.url ?? '/';
    sock.on('message', (data, isBinary) => {
      if (path === '/fragmented') {
        // Echo as three fragments, to test reassembly.
        const buf = Buffer.isBuffer(data) ? data : Buffer.concat(data as Buffer[]);
        const third = Math.ceil(buf.length / 3);
        sock.send(buf.subarray(0, third), { binary: isBinary, fin: false });
        sock.send(buf.subarray(third, 2 * third), { binary: isBinary, fin: false });
        sock.send(buf.subarray(2 * third), { binary: isBinary, fin: true });
      } else if (path === '/info') {
        sock.send(
          JSON.stringify({
            fin: (sock as any)._receiver._fin,
            isBinary,
            length: (data as Buffer).length,
          }),
        );
      } else {
        sock.send(data, { binary: isBinary });
      }
    });
  });
});
test.after(() => peer.close());

test('opens, echoes text, closes cleanly with 1000', async () => {
  const ws = new WebSocket(peer.url);
  const rec = record(ws);
  assert.is(ws.readyState, WebSocket.CONNECTING);
  await opened(ws);
  assert.is(ws.readyState, WebSocket.OPEN);
  assert.is(ws.protocol, '');
  assert.is(ws.extensions, ''); // ws's server has permessage-deflate off by default
  ws.send('hello, wörld 😀');
  const data = await nextMessage(ws);
  assert.is(data, 'hello, wörld 😀');
  ws.close(1000, 'done');
  assert.is(ws.readyState, WebSocket.CLOSING);
  await rec.closed;
  assert.is(ws.readyState, WebSocket.CLOSED);
  assert.equal(rec.events, ['open', 'message', 'close:1000']);
  assert.equal(rec.closeEvent, { code: 1000, reason: 'done', wasClean: true });
});

test('binary echo as Blob (default) and ArrayBuffer, of every input type', async () => {
  const ws = new WebSocket(peer.url);
  await opened(ws);
  assert.is(ws.binaryType, 'blob');
  ws.send(new Uint8Array([1, 2, 3]));
  const blob = (await nextMessage(ws)) as Blob;
  assert.instance(blob, Blob);
  assert.equal(new Uint8Array(await blob.arrayBuffer()), new Uint8Array([1, 2, 3]));

  ws.binaryType = 'arraybuffer';
  ws.binaryType = 'nonsense' as never; // ignored (WebIDL enum)
  assert.is(ws.binaryType, 'arraybuffer');
  const inputs: Array<[unknown, number[]]> = [
    [new Uint8Array([4, 5, 6]).buffer, [4, 5, 6]],
    [new Uint16Array([0x0102]), [...new Uint8Array(new Uint16Array([0x0102]).buffer)]],
    [new DataView(new Uint8Array([9, 8, 7, 6]).buffer, 1, 2), [8, 7]],
    [Buffer.from([10, 11]), [10, 11]],
    [new Blob([new Uint8Array([12]), 'AB']), [12, 65, 66]],
    [new ArrayBuffer(0), []],
  ];
  for (const [input, expected] of inputs) {
    ws.send(input as ArrayBuffer);
    const got = await nextMessage(ws);
    assert.instance(got, ArrayBuffer);
    assert.equal([...new Uint8Array(got as ArrayBuffer)], expected);
  }
  ws.close();
});

test('sends in order across Blobs, and bufferedAmount counts until written', async () => {
  const ws = new WebSocket(peer.url);
  await opened(ws);
  const got: Array<string | Promise<string>> = [];
  const all = new Promise<void>((resolve) => {
    ws.addEventListener('message', (ev) => {
      const d = (ev as MessageEvent).data;
      got.push(typeof d === 'string' ? d : (d as Blob).text());
      if (got.length === 4) resolve();
    });
  });
  ws.send('one');
  ws.send(new Blob(['two']));
  ws.send('three');
  ws.send(new Uint8Array(Buffer.from('four')));
  assert.ok(ws.bufferedAmount >= 'twothreefour'.length);
  await all;
  assert.equal(await Promise.all(got), ['one', 'two', 'three', 'four']);
  assert.is(ws.bufferedAmount, 0);
  ws.close();
});

for (const size of [0, 125, 126, 65535, 65536, 1 << 20, 16 * 1024 * 1024]) {
  test(`binary echo of ${size} bytes and text echo`, async () => {
    const ws = new WebSocket(peer.url);
    ws.binaryType = 'arraybuffer';
    await opened(ws);
    const payload = Buffer.alloc(size);
    for (let i = 0; i < size; i++) payload[i] = (i * 31 + 7) & 0xff;
    ws.send(payload);
    const got = Buffer.from((await nextMessage(ws)) as ArrayBuffer);
    assert.is(got.length, size);
    assert.ok(got.equals(payload));
    const text = 'é'.repeat(size >> 1);
    ws.send(text);
    const echoed = (await nextMessage(ws)) as string;
    assert.is(echoed.length, text.length);
    assert.ok(echoed === text);
    ws.close();
  });
}

test('fragmented messages from the server are reassembled', async () => {
  const ws = new WebSocket(`${peer.url}/fragmented`);
  ws.binaryType = 'arraybuffer';
  await opened(ws);
  ws.send('fragmented text 😀 message');
  assert.is(await nextMessage(ws), 'fragmented text 😀 message');
  const big = Buffer.alloc(300000, 7);
  ws.send(big);
  assert.ok(Buffer.from((await nextMessage(ws)) as ArrayBuffer).equals(big));
  ws.close();
});

test('fragmentSize sends a message as several frames that ws reassembles', async () => {
  const ws = new WebSocket(`${peer.url}/info`, { fragmentSize: 1000 });
  await opened(ws);
  ws.send('x'.repeat(2500));
  const info = JSON.parse((await nextMessage(ws)) as string);
  assert.equal(info, { fin: true, isBinary: false, length: 2500 });
  ws.close();
});

test('server-initiated close: code and reason reported, clean', async () => {
  const ws = new WebSocket(`${peer.url}/`);
  const rec = record(ws);
  await opened(ws);
  const [serverSide] = [...peer.wss.clients].slice(-1);
  const closedOnServer = new Promise<[number, string]>((resolve) =>
    serverSide.once('close', (code, reason) => resolve([code, reason.toString()])),
  );
  serverSide.close(4001, 'bye from server');
  await rec.closed;
  assert.equal(rec.closeEvent, { code: 4001, reason: 'bye from server', wasClean: true });
  assert.equal(rec.events, ['open', 'close:4001']);
  // The client echoed the status code.
  assert.equal((await closedOnServer)[0], 4001);
});

test('server close without status reports 1005', async () => {
  const ws = new WebSocket(peer.url);
  const rec = record(ws);
  await opened(ws);
  [...peer.wss.clients].slice(-1)[0].close();
  await rec.closed;
  assert.equal(rec.closeEvent, { code: 1005, reason: '', wasClean: true });
});

test('server terminating TCP reports 1006, not clean, no error event', async () => {
  const ws = new WebSocket(peer.url);
  const rec = record(ws);
  await opened(ws);
  [...peer.wss.clients].slice(-1)[0].terminate();
  await rec.closed;
  assert.equal(rec.events, ['open', 'close:1006']);
  assert.equal(rec.closeEvent, { code: 1006, reason: '', wasClean: false });
});

test('ping is answered with a pong carrying the same data', async () => {
  const ws = new WebSocket(peer.url);
  await opened(ws);
  const serverSide = [...peer.wss.clients].slice(-1)[0];
  const pong = new Promise<Buffer>((resolve) => serverSide.once('pong', resolve));
  serverSide.ping(Buffer.from('are you there'));
  assert.is((await pong).toString(), 'are you there');
  ws.close();
});

test.run();
