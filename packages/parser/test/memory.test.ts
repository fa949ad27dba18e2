// What a parser keeps between messages. A keep-alive connection's parser
// lives as long as the connection; whatever it still references after a
// message is kept alive with it (and, in V8's young generation, copied at
// every scavenge until the next message replaces it).
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { HTTPParser } from '../src/index.ts';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** True once `ref`'s target is collected (WeakRef targets live to the end of the job). */
async function collected(ref: WeakRef<object>): Promise<boolean> {
  for (let i = 0; i < 10 && ref.deref() !== undefined; i++) {
    await new Promise((resolve) => setImmediate(resolve));
    gc();
  }
  return ref.deref() === undefined;
}

const REQUEST =
  'POST /some/longer/path?with=a&query=string HTTP/1.1\r\n' +
  'Host: example.com\r\n' +
  'User-Agent: a user agent string long enough to be scanned in words\r\n' +
  'Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8\r\n' +
  'Content-Length: 5\r\n' +
  '\r\n' +
  'hello';

interface Seen {
  data?: WeakRef<Buffer>;
  headers?: WeakRef<string[]>;
  body?: WeakRef<Buffer>;
  completed: number;
}

function parserRecording(seen: Seen): HTTPParser {
  const p = new HTTPParser('request');
  p.onHeadersComplete = (_major, _minor, headers) => {
    seen.headers = new WeakRef(headers);
    return 0;
  };
  p.onBody = (chunk) => {
    seen.body = new WeakRef(chunk);
  };
  p.onMessageComplete = () => {
    seen.completed++;
  };
  return p;
}

/** Parses `text` from a Buffer of its own (not pooled, 4-byte aligned) that only `seen` can reach. */
function feed(p: HTTPParser, seen: Seen, text: string): number {
  const data = Buffer.alloc(Buffer.byteLength(text, 'latin1'));
  data.write(text, 'latin1');
  seen.data = new WeakRef(data);
  const r = p.execute(data);
  assert.type(r, 'number');
  return r as number;
}

test('after a complete message the parser holds neither its bytes nor its fields', async () => {
  const seen: Seen = { completed: 0 };
  const p = parserRecording(seen);
  assert.is(feed(p, seen, REQUEST), REQUEST.length);
  assert.is(seen.completed, 1);
  assert.ok(await collected(seen.data!), 'the parsed Buffer is still reachable');
  assert.ok(await collected(seen.headers!), "the message's fields are still reachable");
  assert.ok(await collected(seen.body!), 'the body chunk is still reachable');
  // The parser itself goes on: the next message parses as the first did.
  assert.is(feed(p, seen, REQUEST), REQUEST.length);
  assert.is(seen.completed, 2);
});

test('mid-message the parser may keep what the message needs, and lets go once it completes', async () => {
  const seen: Seen = { completed: 0 };
  const p = parserRecording(seen);
  const split = REQUEST.indexOf('Accept');
  assert.is(feed(p, seen, REQUEST.slice(0, split)), split);
  assert.is(seen.completed, 0);
  assert.is(feed(p, seen, REQUEST.slice(split)), REQUEST.length - split);
  assert.is(seen.completed, 1);
  assert.ok(await collected(seen.data!), 'the last Buffer is still reachable');
  assert.ok(await collected(seen.headers!), "the message's fields are still reachable");
});

test('pipelined messages in one Buffer: each parses, none is kept after the last', async () => {
  const seen: Seen = { completed: 0 };
  const p = parserRecording(seen);
  const two = REQUEST + REQUEST;
  assert.is(feed(p, seen, two), two.length);
  assert.is(seen.completed, 2);
  assert.ok(await collected(seen.data!), 'the parsed Buffer is still reachable');
  assert.ok(await collected(seen.headers!), "the last message's fields are still reachable");
});

test.run();
