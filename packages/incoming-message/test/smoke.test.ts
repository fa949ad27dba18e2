import http from 'node:http';
import { PassThrough } from 'node:stream';
import { inherits } from 'node:util';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { IncomingMessage } from '../src/index.ts';

test('owner pushes body and trailers; headers are built from rawHeaders', async () => {
  const socket = new PassThrough();
  const msg = new IncomingMessage(socket as never);
  msg.rawHeaders = ['Host', 'a', 'Cookie', 'x=1', 'cookie', 'y=2'];
  msg.push(Buffer.from('abc'));
  msg.rawTrailers = ['X-T', '1'];
  msg.complete = true;
  msg.push(null);
  const chunks: Buffer[] = [];
  for await (const c of msg) chunks.push(c as Buffer);
  assert.is(Buffer.concat(chunks).toString(), 'abc');
  assert.equal(msg.headers, { host: 'a', cookie: 'x=1; y=2' });
  assert.equal(msg.trailers, { 'x-t': '1' });
});

test('an old-style subclass (IncomingMessage.call(this, socket) + util.inherits) works as with node:http', async () => {
  const outputs: Record<string, unknown> = {};
  for (const [impl, In] of [
    ['ours', IncomingMessage],
    ['node', http.IncomingMessage],
  ] as const) {
    function Custom(this: any, socket: unknown) {
      this.returned = (In as any).call(this, socket);
    }
    inherits(Custom, In as any);
    const socket = new PassThrough({ highWaterMark: 1234 });
    const msg = new (Custom as any)(socket);
    const bare = Object.create(In.prototype);
    (In as any).call(bare);
    msg._addHeaderLines(['Host', 'a'], 2);
    msg.push(Buffer.from('abc'));
    msg.complete = true;
    msg.push(null);
    const chunks: Buffer[] = [];
    for await (const c of msg) chunks.push(c as Buffer);
    outputs[impl] = {
      returned: msg.returned,
      name: (In as any).name,
      isIn: msg instanceof In,
      ctor: msg.constructor === Custom,
      socket: msg.socket === socket && msg.client === socket,
      highWaterMark: msg.readableHighWaterMark,
      start: [msg.url, msg.method, msg.statusCode, msg.httpVersion, msg.aborted],
      body: Buffer.concat(chunks).toString(),
      headers: msg.headers,
      bare: [bare.socket, bare.client, bare.complete, bare.readable, bare.rawHeaders],
    };
  }
  assert.equal(outputs.ours, outputs.node);
  assert.is((outputs.ours as any).body, 'abc');
  assert.is((outputs.ours as any).highWaterMark, 1234);
  assert.equal((outputs.ours as any).headers, { host: 'a' });
});

test.run();
