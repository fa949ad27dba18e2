import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { delay, RecordingSocket, TestResponse } from './helpers.ts';

test('end(string) on a small response: one socket write (writev) with header and body', async () => {
  const res = new TestResponse();
  res.sendDate = false;
  const socket = new RecordingSocket();
  res.assignSocket(socket);
  const events: string[] = [];
  for (const e of ['prefinish', 'finish', 'close']) res.on(e, () => events.push(e));
  res.end('hello');
  await delay(5);
  assert.equal(socket.calls, [
    // The empty piece carries the 'finish' callback, as in Node.
    ['HTTP/1.1 200 OK\r\nConnection: keep-alive\r\nContent-Length: 5\r\n\r\nhello', ''],
  ]);
  assert.equal(events, ['prefinish', 'finish', 'close']);
});

test.run();
