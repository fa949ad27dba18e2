/**
 * wss: through node:tls (the `createConnection` path of the client), against `ws` over an
 * https server (tests may use node:https; the package never does). The fixture certificate is
 * self-signed for localhost / 127.0.0.1 and only used here.
 */
import { readFileSync } from 'node:fs';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { WebSocketServer } from 'ws';
import { WebSocket } from '../src/index.ts';
import { nextMessage, opened, record } from './helpers.ts';

const test = suite('wss');
const cert = readFileSync(new URL('./fixtures/cert.pem', import.meta.url));
const key = readFileSync(new URL('./fixtures/key.pem', import.meta.url));

let server: https.Server;
let wss: WebSocketServer;
let port: number;
const servernames: Array<string | false> = [];

test.before(async () => {
  server = https.createServer({ cert, key });
  server.on('secureConnection', (s) =>
    servernames.push((s as unknown as { servername: string | false }).servername),
  );
  wss = new WebSocketServer({ server, perMessageDeflate: { threshold: 0 } });
  wss.on('connection', (sock) =>
    sock.on('message', (d, isBinary) => sock.send(d, { binary: isBinary })),
  );
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});

test.after(async () => {
  for (const c of wss.clients) c.terminate();
  await new Promise<void>((r) => wss.close(() => r()));
  await new Promise<void>((r) => server.close(() => r()));
});

test('wss: echo over TLS with the certificate trusted through the tls option, SNI sent', async () => {
  const ws = new WebSocket(`wss://localhost:${port}/secure`, { tls: { ca: cert } });
  ws.binaryType = 'arraybuffer';
  const rec = record(ws);
  await opened(ws);
  assert.match(ws.extensions, /^permessage-deflate/);
  ws.send('over tls '.repeat(1000));
  assert.is(await nextMessage(ws), 'over tls '.repeat(1000));
  const bin = Buffer.alloc(1 << 20, 3);
  ws.send(bin);
  assert.ok(Buffer.from((await nextMessage(ws)) as ArrayBuffer).equals(bin));
  ws.close(1000, 'tls bye');
  await rec.closed;
  assert.equal(rec.closeEvent, { code: 1000, reason: 'tls bye', wasClean: true });
  assert.is(servernames.at(-1), 'localhost');
});

test('https: URLs map to wss: and connect over TLS; no SNI for an IP literal', async () => {
  const ws = new WebSocket(`https://127.0.0.1:${port}/`, { tls: { ca: cert } });
  assert.is(ws.url, `wss://127.0.0.1:${port}/`);
  await opened(ws);
  ws.send('x');
  assert.is(await nextMessage(ws), 'x');
  ws.close();
  assert.is(servernames.at(-1), false);
});

test('an untrusted certificate fails the connection: error then close 1006', async () => {
  const ws = new WebSocket(`wss://localhost:${port}/`);
  const rec = record(ws);
  await rec.closed;
  assert.equal(rec.events, ['error', 'close:1006']);
  assert.match(String(rec.errorEvent?.message), /self[- ]signed/i);
});

test('wss to a plain TCP port fails with error then close 1006', async () => {
  const plain = https.createServer(); // not TLS-configured: no certificate, handshake fails
  await new Promise<void>((r) => plain.listen(0, '127.0.0.1', r));
  const ws = new WebSocket(`wss://127.0.0.1:${(plain.address() as AddressInfo).port}/`);
  const rec = record(ws);
  await rec.closed;
  plain.close();
  assert.equal(rec.events, ['error', 'close:1006']);
});

test.run();
