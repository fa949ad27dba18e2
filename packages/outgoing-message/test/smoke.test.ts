import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { delay, RecordingSocket, TestResponse } from './helpers.ts';

test('end(string) on a small response: one plain socket write with header and body', async () => {
  const res = new TestResponse();
  res.sendDate = false;
  const socket = new RecordingSocket();
  res.assignSocket(socket);
  const events: string[] = [];
  for (const e of ['prefinish', 'finish', 'close']) res.on(e, () => events.push(e));
  res.end('hello');
  await delay(5);
  assert.equal(socket.calls, [
    // The body chunk carries the 'finish' callback (Node adds an empty write
    // for it, which makes a writev of two pieces; the wire bytes are the same).
    ['HTTP/1.1 200 OK\r\nConnection: keep-alive\r\nContent-Length: 5\r\n\r\nhello'],
  ]);
  assert.equal(events, ['prefinish', 'finish', 'close']);
});

test.run();
