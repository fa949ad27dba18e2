import { PassThrough } from 'node:stream';
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

test.run();
