/**
 * IncomingMessage: construction, lazy headers/trailers (compared with what
 * node:http builds from the same raw lists), stream behaviour, destroy,
 * _dump, setTimeout.
 */
import * as http from 'node:http';
import * as net from 'node:net';
import { Duplex, finished, PassThrough, pipeline, Readable, Writable } from 'node:stream';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import {
  closeUnread,
  dumpUnread,
  IncomingMessage,
  kHeaders,
  kTrailers,
  pushEnd,
  readStart,
  readStop,
} from '../src/index.ts';
import { delay } from './owner.ts';

function socketPair(): PassThrough {
  return new PassThrough();
}

function completed(msg: IncomingMessage, body: string[] = []): IncomingMessage {
  for (const b of body) msg.push(Buffer.from(b));
  msg.complete = true;
  msg.push(null);
  return msg;
}

const basics = suite('construction');

basics('defaults match node:http IncomingMessage(null)', () => {
  const ours = new IncomingMessage(null);
  const theirs = new http.IncomingMessage(null as never) as unknown as Record<string, unknown>;
  for (const key of [
    'socket',
    'httpVersionMajor',
    'httpVersionMinor',
    'httpVersion',
    'complete',
    'rawHeaders',
    'rawTrailers',
    'joinDuplicateHeaders',
    'aborted',
    'upgrade',
    'url',
    'method',
    'statusCode',
    'statusMessage',
    'client',
    '_consuming',
    '_dumped',
    'headers',
    'trailers',
    'readableHighWaterMark',
  ] as const) {
    assert.equal(ours[key], theirs[key], key);
  }
  assert.ok(ours instanceof Readable);
});

basics('constructible without a socket, and subclassable', () => {
  class MyRequest extends IncomingMessage {
    extra = 1;
  }
  const msg = new MyRequest();
  // As Node: no socket given, none stored (undefined, not null).
  assert.is(msg.socket, undefined);
  assert.is(msg.connection, undefined);
  assert.is(msg.extra, 1);
  assert.ok(msg instanceof IncomingMessage);
  completed(msg);
});

basics('readableHighWaterMark mirrors the socket', () => {
  const socket = new PassThrough({ highWaterMark: 1234 });
  const msg = new IncomingMessage(socket as never);
  assert.is(msg.readableHighWaterMark, 1234);
  assert.is(msg.socket, socket);
  assert.is(msg.connection, socket);
  assert.is(msg.client, socket);
  const other = new PassThrough();
  msg.connection = other as never;
  assert.is(msg.socket, other);
});

basics.run();

const headers = suite('headers and trailers');

headers('built lazily, on first read, from rawHeaders', () => {
  const msg = new IncomingMessage(null);
  msg.rawHeaders = ['Host', 'a', 'Set-Cookie', 'x', 'set-cookie', 'y'];
  assert.is(msg[kHeaders], null);
  const h = msg.headers;
  assert.is(msg[kHeaders], h);
  assert.is(msg.headers, h); // cached
  assert.equal(h, { host: 'a', 'set-cookie': ['x', 'y'] });
  assert.equal({ ...msg.headersDistinct }, { host: ['a'], 'set-cookie': ['x', 'y'] });
  assert.is(msg[kTrailers], null);
});

headers(
  '_addHeaderLines(list, n): raw lists whole, header objects from the first n entries, as node:http',
  () => {
    const head = ['Host', 'a', 'X-A', '1', 'X-B', '2'];
    const tail = ['T-1', 'x', 'T-2', 'y'];
    const seen = [];
    for (const Message of [http.IncomingMessage, IncomingMessage]) {
      // node:http's typings leave out _addHeaderLines (a Node-internal protocol member).
      const msg = new Message(null as never) as IncomingMessage;
      msg._addHeaderLines(head, 4);
      msg.complete = true;
      msg._addHeaderLines(tail, 2);
      seen.push(
        JSON.stringify([
          msg.rawHeaders,
          msg.headers,
          msg.headersDistinct,
          msg.rawTrailers,
          msg.trailers,
          msg.trailersDistinct,
        ]),
      );
    }
    assert.is(seen[1], seen[0]);
    assert.is(
      seen[1],
      JSON.stringify([
        head,
        { host: 'a', 'x-a': '1' },
        { host: ['a'], 'x-a': ['1'] },
        tail,
        { 't-1': 'x' },
        { 't-1': ['x'] },
      ]),
    );
  },
);

headers('headers, headersDistinct, trailers, trailersDistinct are assignable', () => {
  const msg = new IncomingMessage(null);
  msg.headers = { a: 'b' };
  msg.headersDistinct = { a: ['b'] };
  msg.trailers = { t: 'u' };
  msg.trailersDistinct = { t: ['u'] };
  assert.equal(msg.headers, { a: 'b' });
  assert.equal(msg.headersDistinct, { a: ['b'] });
  assert.equal(msg.trailers, { t: 'u' });
  assert.equal(msg.trailersDistinct, { t: ['u'] });
  // Like Node's prototype accessors: not own enumerable data.
  assert.not.ok(Object.keys(msg).includes('headers'));
});

/** What node:http builds for a request; ours is built from the same raw lists. */
async function nodeParsed(
  raw: string,
  joinDuplicateHeaders: boolean,
): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    const server = http.createServer({ joinDuplicateHeaders }, (req, res) => {
      req.resume();
      req.on('end', () => {
        resolve({
          rawHeaders: req.rawHeaders,
          rawTrailers: req.rawTrailers,
          headers: req.headers,
          headersDistinct: { ...req.headersDistinct },
          trailers: req.trailers,
          trailersDistinct: { ...req.trailersDistinct },
        });
        res.end();
        server.close();
      });
    });
    server.listen(0, '127.0.0.1', () => {
      const c = net.connect((server.address() as net.AddressInfo).port, '127.0.0.1', () =>
        c.end(raw),
      );
      c.resume();
    });
  });
}

const dupRequest =
  'POST / HTTP/1.1\r\nHost: one\r\nhost: two\r\nCookie: a=1\r\ncookie: b=2\r\n' +
  'Set-Cookie: s=1\r\nSET-COOKIE: s=2\r\nAccept: x\r\naccept: y\r\nUser-Agent: u1\r\n' +
  'user-agent: u2\r\nX-Custom: p\r\nx-custom: q\r\nTransfer-Encoding: chunked\r\n\r\n' +
  '3\r\nabc\r\n0\r\nX-Trail: 1\r\nx-trail: 2\r\nContent-MD5: m1\r\nEtag: e1\r\netag: e2\r\n\r\n';

for (const join of [false, true]) {
  headers(`same objects as node:http for duplicates (joinDuplicateHeaders=${join})`, async () => {
    const theirs = await nodeParsed(dupRequest, join);
    const msg = new IncomingMessage(null);
    msg.joinDuplicateHeaders = join;
    msg.rawHeaders = theirs.rawHeaders as string[];
    msg.push(Buffer.from('abc'));
    msg.rawTrailers = theirs.rawTrailers as string[];
    completed(msg);
    assert.equal(msg.headers, theirs.headers);
    assert.equal({ ...msg.headersDistinct }, theirs.headersDistinct);
    assert.equal(msg.trailers, theirs.trailers);
    assert.equal({ ...msg.trailersDistinct }, theirs.trailersDistinct);
  });
}

headers('_addHeaderLine / _addHeaderLineDistinct / _addHeaderLines (Node legacy API)', () => {
  const msg = new IncomingMessage(null);
  const dest: Record<string, string | string[] | undefined> = {};
  msg._addHeaderLine('Accept', 'a', dest);
  msg._addHeaderLine('accept', 'b', dest);
  msg._addHeaderLine('Host', 'h1', dest);
  msg._addHeaderLine('host', 'h2', dest);
  assert.equal(dest, { accept: 'a, b', host: 'h1' });
  const distinct: Record<string, string[]> = {};
  msg._addHeaderLineDistinct('X', '1', distinct);
  msg._addHeaderLineDistinct('x', '2', distinct);
  assert.equal(distinct, { x: ['1', '2'] });
  msg._addHeaderLines(['A', '1']);
  assert.equal(msg.rawHeaders, ['A', '1']);
  assert.equal(msg.headers, { a: '1' });
  msg.complete = true;
  msg._addHeaderLines(['T', '2']);
  assert.equal(msg.rawTrailers, ['T', '2']);
  assert.equal(msg.trailers, { t: '2' });
});

headers.run();

const streams = suite('a real Readable');

streams('async iteration, then end and close; destroyed after consumption', async () => {
  const msg = completed(new IncomingMessage(socketPair() as never), ['a', 'b']);
  const events: string[] = [];
  msg.on('end', () => events.push('end'));
  msg.on('close', () => events.push('close'));
  let body = '';
  for await (const c of msg) body += c;
  await delay(1);
  assert.is(body, 'ab');
  assert.equal(events, ['end', 'close']);
  assert.ok(msg.destroyed);
  assert.not.ok(msg.aborted);
});

streams('pipeline() into a Writable and finished()', async () => {
  const msg = completed(new IncomingMessage(socketPair() as never), ['x', 'y', 'z']);
  let body = '';
  const sink = new Writable({
    write(c, _e, cb) {
      body += c;
      cb();
    },
  });
  await new Promise<void>((resolve, reject) =>
    pipeline(msg, sink, (err) => (err ? reject(err) : resolve())),
  );
  assert.is(body, 'xyz');
  await new Promise<void>((resolve) => finished(msg, () => resolve()));
});

streams('_read() is not called before someone consumes; then resumes the socket', async () => {
  const socket = socketPair();
  socket.pause();
  const msg = new IncomingMessage(socket as never);
  msg.push(Buffer.from('a'));
  await delay(1);
  assert.not.ok(msg._consuming);
  assert.ok(socket.isPaused());
  msg.on('data', () => {});
  await delay(1);
  assert.ok(msg._consuming);
  assert.not.ok(socket.isPaused());
  completed(msg);
});

streams('_read() leaves a socket the owner holds back (_paused) alone', async () => {
  const socket = socketPair() as PassThrough & { _paused?: boolean };
  socket.pause();
  socket._paused = true;
  const msg = new IncomingMessage(socket as never);
  msg.resume();
  await delay(1);
  assert.ok(socket.isPaused());
  completed(msg);
});

streams('readStart / readStop (Node _http_incoming helpers)', () => {
  const socket = socketPair() as PassThrough & { _paused?: boolean };
  readStop(socket as never);
  assert.ok(socket.isPaused());
  socket._paused = true;
  readStart(socket as never);
  assert.ok(socket.isPaused());
  socket._paused = false;
  readStart(socket as never);
  assert.not.ok(socket.isPaused());
  readStart(null);
  readStop(undefined);
});

streams('_dump() drops data listeners and discards the body', async () => {
  const msg = new IncomingMessage(socketPair() as never);
  let data = 0;
  msg.on('data', () => data++);
  msg.push(Buffer.from('a'));
  msg._dump();
  assert.ok(msg._dumped);
  msg._dump(); // idempotent
  completed(msg, ['b']);
  const ended = await new Promise<boolean>((resolve) => msg.on('end', () => resolve(true)));
  assert.ok(ended);
  assert.is(data, 0);
});

/**
 * What a dump of a complete, bodyless message looks like: its events, each
 * with the round of a nextTick chain started just after _dump(), and its
 * readable state after. `setup` may listen before the dump.
 */
/**
 * A chain of up to `limit` nextTicks that counts its rounds, to place events
 * in ticks: `round()` is 0 until `start()`, then how many ticks have run.
 */
function tickRounds(limit: number) {
  let round = 0;
  const tick = () => {
    round++;
    if (round < limit) process.nextTick(tick);
  };
  return { round: () => round, start: () => process.nextTick(tick) };
}

async function dumpTimeline(
  Message: typeof IncomingMessage | typeof http.IncomingMessage,
  setup: (msg: IncomingMessage) => void = () => {},
) {
  const msg = new Message(socketPair() as never) as IncomingMessage;
  msg.complete = true;
  if (Message === IncomingMessage) pushEnd(msg);
  else msg.push(null);
  setup(msg);
  await delay(1);
  const seen: string[] = [];
  const ticks = tickRounds(10);
  for (const name of ['end', 'close']) msg.on(name, () => seen.push(`${name}@${ticks.round()}`));
  msg._dump();
  ticks.start();
  seen.push(`flowing=${msg.readableFlowing}`);
  await delay(5);
  seen.push(`ended=${msg.readableEnded} destroyed=${msg.destroyed} paused=${msg.isPaused()}`);
  return seen;
}

streams(
  "_dump() of an untouched complete message: 'end' and 'close' on node:http's ticks",
  async () => {
    // Ours reads the end one tick after _dump() instead of resume()'s four
    // ticks; what a listener sees is the same as with node:http's message.
    const ours = await dumpTimeline(IncomingMessage);
    assert.equal(ours, await dumpTimeline(http.IncomingMessage));
    assert.equal(ours, [
      'flowing=true',
      'end@1',
      'close@3',
      'ended=true destroyed=true paused=false',
    ]);
  },
);

streams("_dump() with a 'resume' listener: 'resume' too, on node:http's ticks", async () => {
  const timeline = async (Message: typeof IncomingMessage | typeof http.IncomingMessage) => {
    let resumed = 0;
    const seen = await dumpTimeline(Message, (msg) => {
      msg.on('resume', () => resumed++);
    });
    return [...seen, `resumed=${resumed}`];
  };
  const ours = await timeline(IncomingMessage);
  assert.equal(ours, await timeline(http.IncomingMessage));
  assert.ok(ours.includes('resumed=1'));
});

/** The 'end' and 'close' events `msg` emits within 2 ms of `start()`, in order. */
async function endAndClose(msg: IncomingMessage, start: () => void): Promise<string[]> {
  const seen: string[] = [];
  msg.on('end', () => seen.push('end'));
  msg.on('close', () => seen.push('close'));
  start();
  await delay(2);
  return seen;
}

/** A complete message on a fresh socket, after `setup`. */
function completeMessage(setup: (m: IncomingMessage) => void = () => {}): IncomingMessage {
  const msg = new IncomingMessage(socketPair() as never);
  setup(msg);
  msg.complete = true;
  return msg;
}

/** The same, ended by its owner (pushEnd). */
function endedMessage(setup?: (m: IncomingMessage) => void): IncomingMessage {
  const msg = completeMessage(setup);
  pushEnd(msg);
  return msg;
}

streams('dumpUnread(): only an ended, untouched message without a resume listener', async () => {
  const ended = endedMessage;
  const yes = ended();
  assert.ok(dumpUnread(yes));
  assert.ok(yes._dumped);
  assert.is(yes.readableFlowing, true, 'flowing, as after _dump()');
  assert.not.ok(dumpUnread(yes), 'once');
  let endedAt = '';
  yes.on('end', () => {
    endedAt = 'end';
  });
  yes.read();
  await delay(2);
  assert.is(endedAt, 'end', "read() then brings 'end'");

  const refused: [string, IncomingMessage][] = [
    ['not ended', new IncomingMessage(socketPair() as never)],
    ['body buffered', ended((m) => m.push(Buffer.from('x')))],
    ['paused', ended((m) => m.pause())],
    ["'resume' listener", ended((m) => m.on('resume', () => {}))],
    ["'data' listener", ended((m) => m.on('data', () => {}))],
  ];
  for (const [why, msg] of refused) {
    assert.not.ok(dumpUnread(msg), why);
    assert.not.ok(msg._dumped, why);
  }
});

/** Every field of a message's Readable state, accessors included. */
function readableState(msg: Readable): Record<string, unknown> {
  const state = (msg as unknown as { _readableState: Record<string, unknown> })._readableState;
  const out: Record<string, unknown> = {};
  for (const key of Object.getOwnPropertyNames(Object.getPrototypeOf(state))) {
    if (key !== 'constructor') out[key] = state[key];
  }
  for (const key of Object.keys(state)) out[key] = state[key];
  return out;
}

streams(
  "pushEnd(): a message nothing reads ends as push(null) leaves it, without the unheard 'readable'",
  async () => {
    // What push(null) leaves, through Readable's own path, for the same message.
    const made = completeMessage;
    const quiet = made();
    pushEnd(quiet);
    const long = made();
    (long as unknown as { _readableState: { sync: boolean } })._readableState.sync = false;
    long.push(null);
    assert.equal(readableState(quiet), readableState(long));
    assert.is(readableState(quiet).ended, true);
    assert.is(readableState(quiet).reading, false);
    // Also after a read(0) asked for more (needReadable and reading set).
    const asked = made((m) => m.read(0));
    const askedLong = made((m) => m.read(0));
    assert.is(readableState(asked).needReadable, true);
    pushEnd(asked);
    (askedLong as unknown as { _readableState: { sync: boolean } })._readableState.sync = false;
    askedLong.push(null);
    assert.equal(readableState(asked), readableState(askedLong));
    // It reads to its end as any ended message does.
    assert.equal(await endAndClose(quiet, () => quiet.resume()), ['end', 'close']);

    // Whatever could notice the skipped path gets Readable's own.
    const heard: string[] = [];
    const wrapped = made((m) => {
      const emit = m.emit;
      m.emit = function (this: IncomingMessage, event: string, ...args: never[]) {
        heard.push(event);
        return Reflect.apply(emit, this, [event, ...args]);
      } as never;
    });
    pushEnd(wrapped);
    assert.equal(heard, ['readable'], "a wrapped emit() sees the end-of-stream 'readable'");
    let pushed = 0;
    class Counting extends IncomingMessage {
      override push(chunk: unknown, encoding?: BufferEncoding): boolean {
        pushed++;
        return super.push(chunk, encoding);
      }
    }
    pushEnd(new Counting(socketPair() as never));
    assert.is(pushed, 1, 'a push() of its own is called');
    const decoded = made((m) => m.setEncoding('utf8'));
    pushEnd(decoded);
    assert.is(decoded.readableEnded, false);
    assert.is(readableState(decoded).ended, true);
  },
);

streams(
  'closeUnread(): a dumped message nobody listens to ends and closes at once, as its ticks would leave it',
  async () => {
    const dumped = (setup: (m: IncomingMessage) => void = () => {}) => {
      const msg = endedMessage();
      setup(msg);
      dumpUnread(msg);
      return msg;
    };
    const state = (m: IncomingMessage) => ({
      readable: m.readable,
      readableEnded: m.readableEnded,
      readableFlowing: m.readableFlowing,
      readableDidRead: m.readableDidRead,
      readableAborted: m.readableAborted,
      destroyed: m.destroyed,
      closed: m.closed,
      errored: m.errored,
      aborted: m.aborted,
    });
    // The long way, with Node's own Readable: read(), then its three ticks.
    const read = dumped();
    read.read();
    await delay(2);
    const quick = dumped();
    const socket = quick.socket as unknown as { parser: { incoming: unknown } };
    socket.parser = { incoming: quick };
    assert.ok(closeUnread(quick));
    assert.equal(state(quick), state(read));
    assert.equal(state(quick), {
      ...state(quick),
      readableEnded: true,
      destroyed: true,
      closed: true,
    });
    assert.is(socket.parser.incoming, null, 'the parser lets go, as _destroy() does');
    // Nothing comes later either: a listener added now hears nothing.
    let heard = 0;
    for (const name of ['end', 'close', 'error', 'aborted']) quick.on(name, () => heard++);
    await delay(2);
    assert.is(heard, 0);
    assert.not.ok(closeUnread(quick), 'once');

    const refused: [string, IncomingMessage][] = [
      ["an 'end' listener", dumped((m) => m.on('end', () => {}))],
      ["a 'close' listener", dumped((m) => m.on('close', () => {}))],
      ['any listener', dumped((m) => m.on('x', () => {}))],
      ['not dumped', endedMessage()],
      ['not ended', new IncomingMessage(socketPair() as never)],
      [
        'emit() wrapped (instrumentation)',
        dumped((m) => {
          const emit = m.emit;
          m.emit = function (this: IncomingMessage, ...args: never[]) {
            return Reflect.apply(emit, this, args);
          } as never;
        }),
      ],
    ];
    class Tracked extends IncomingMessage {
      destroyedBy = '';
      override _destroy(err: Error | null, cb: (error?: Error | null) => void): void {
        this.destroyedBy = 'subclass';
        super._destroy(err, cb);
      }
    }
    const tracked = new Tracked(socketPair() as never);
    tracked.complete = true;
    pushEnd(tracked);
    dumpUnread(tracked);
    refused.push(['_destroy() overridden (a subclass)', tracked]);
    for (const [why, msg] of refused) {
      assert.not.ok(closeUnread(msg), why);
      assert.not.ok(msg.destroyed, why);
    }
    tracked.read();
    await delay(2);
    assert.is(tracked.destroyedBy, 'subclass', "the subclass's _destroy() ran");
    // Refused with a listener: read() brings 'end' and 'close' as usual.
    const [, withEnd] = refused[0];
    assert.equal(await endAndClose(withEnd, () => withEnd.read()), ['end', 'close']);
  },
);

streams('setTimeout(msecs, cb) calls socket.setTimeout and listens to timeout', () => {
  const socket = socketPair() as PassThrough & { setTimeout?: (ms: number) => void };
  const calls: number[] = [];
  socket.setTimeout = (ms) => calls.push(ms);
  const msg = new IncomingMessage(socket as never);
  let fired = 0;
  assert.is(
    msg.setTimeout(42, () => fired++),
    msg,
  );
  assert.equal(calls, [42]);
  msg.emit('timeout');
  assert.is(fired, 1);
  // Any Duplex: no setTimeout on it, no throw.
  const plain = new IncomingMessage(
    new Duplex({
      read() {},
      write(_c, _e, cb) {
        cb();
      },
    }) as never,
  );
  plain.setTimeout(10);
});

streams.run();

const destroy = suite('destroy');

destroy('destroy() of an incomplete message: aborted, socket destroyed, returns this', async () => {
  const socket = socketPair();
  const msg = new IncomingMessage(socket as never);
  msg.push(Buffer.from('part'));
  const events: string[] = [];
  msg.on('aborted', () => events.push('aborted'));
  msg.on('close', () => events.push('close'));
  socket.on('close', () => events.push('socket close'));
  assert.is(msg.destroy(), msg);
  await delay(5);
  assert.ok(msg.aborted);
  assert.ok(socket.destroyed);
  assert.equal(events, ['aborted', 'socket close', 'close']);
});

destroy('destroy(err): the socket emits err; the message only if listened to', async () => {
  const socket = socketPair();
  const msg = new IncomingMessage(socket as never);
  const err = new Error('stop');
  const seen: unknown[] = [];
  socket.on('error', (e) => seen.push(['socket', e]));
  msg.destroy(err);
  await delay(5);
  assert.equal(seen, [['socket', err]]);

  const socket2 = socketPair();
  socket2.on('error', () => {});
  const msg2 = new IncomingMessage(socket2 as never);
  msg2.on('error', (e) => seen.push(['msg', e]));
  msg2.destroy(err);
  await delay(5);
  assert.equal(seen[1], ['msg', err]);
});

destroy('destroy() of a complete, consumed message leaves the socket open', async () => {
  const socket = socketPair();
  const msg = completed(new IncomingMessage(socket as never), ['a']);
  msg.resume();
  await new Promise((r) => msg.on('end', r));
  msg.destroy();
  await delay(2);
  assert.not.ok(msg.aborted);
  assert.not.ok(socket.destroyed);
});

destroy('destroy() of a complete but unread message aborts it (Node: !readableEnded)', async () => {
  const socket = socketPair();
  const msg = completed(new IncomingMessage(socket as never), ['a']);
  let aborted = 0;
  msg.on('aborted', () => aborted++);
  msg.destroy();
  await delay(2);
  assert.is(aborted, 1);
  assert.ok(socket.destroyed);
});

destroy.run();

const ending = suite('pushEnd (the owner ends a message)');

/** Which of 'readable', 'end', 'close' happened, each with the nextTick round it came in. */
async function endEvents(
  msg: IncomingMessage,
  end: (m: IncomingMessage) => void,
  events = ['readable', 'end', 'close'],
) {
  const seen: string[] = [];
  const ticks = tickRounds(12);
  for (const name of events) msg.on(name, () => seen.push(`${name}@${ticks.round()}`));
  msg.complete = true;
  end(msg);
  seen.push(`returned@${ticks.round()}`);
  ticks.start();
  await delay(5);
  return seen;
}

ending('an untouched message ends as with push(null): readable(), then end and close', async () => {
  // Same for both: a message nobody reads gets 'end' and 'close' only once read.
  for (const end of [pushEnd, (m: IncomingMessage) => m.push(null)]) {
    const msg = new IncomingMessage(socketPair() as never);
    let ended = false;
    msg.on('end', () => {
      ended = true;
    });
    end(msg);
    assert.ok(msg.readable);
    await delay(2);
    assert.not.ok(ended, 'nobody read: no end yet');
    assert.is(msg.read(), null);
    await delay(2);
    assert.ok(ended);
    assert.ok(msg.readableEnded);
    assert.ok(msg.destroyed);
  }
});

ending("with a 'readable' listener: same events, same ticks as push(null)", async () => {
  const ours = await endEvents(new IncomingMessage(socketPair() as never), pushEnd);
  const plain = await endEvents(new IncomingMessage(socketPair() as never), (m) => m.push(null));
  assert.equal(ours, plain);
  assert.equal(ours[0], 'returned@0', "no 'readable' while pushEnd() runs");
});

ending('a flowing message with buffered data: same events, same ticks as push(null)', async () => {
  const run = (end: (m: IncomingMessage) => void) => {
    const msg = new IncomingMessage(socketPair() as never);
    msg.push(Buffer.from('abc'));
    const chunks: string[] = [];
    msg.on('data', (d) => chunks.push(String(d)));
    return endEvents(msg, end, ['end', 'close']).then((seen) => [...chunks, ...seen]);
  };
  const ours = await run(pushEnd);
  assert.equal(ours, await run((m) => m.push(null)));
  assert.ok(ours.includes('abc'));
});

ending(
  "a 'readable' listener added once ended: the same as after push(null) (only 'end')",
  async () => {
    const late = async (end: (m: IncomingMessage) => void) => {
      const msg = new IncomingMessage(socketPair() as never);
      msg.complete = true;
      end(msg);
      await delay(2);
      const seen: string[] = [];
      msg.on('readable', () => {
        seen.push('readable');
        while (msg.read() !== null);
      });
      msg.on('end', () => seen.push('end'));
      await delay(5);
      return seen;
    };
    const ours = await late(pushEnd);
    assert.equal(ours, await late((m) => m.push(null)));
    assert.ok(ours.includes('end'));
  },
);

ending(
  "a server parser's `incoming` lets go of the message when it is destroyed, after 'end'",
  async () => {
    const socket = socketPair() as unknown as { parser: { incoming: unknown } };
    const msg = new IncomingMessage(socket as never);
    socket.parser = { incoming: msg };
    const during: unknown[] = [];
    msg.on('end', () => during.push(socket.parser.incoming));
    msg.complete = true;
    pushEnd(msg);
    msg.resume();
    await delay(5);
    assert.equal(during, [msg], "still set in the 'end' listeners");
    assert.ok(msg.destroyed);
    assert.is(socket.parser.incoming, null);
    // Another message on the parser is left alone.
    const other = new IncomingMessage(socket as never);
    socket.parser.incoming = 'next request';
    other.destroy();
    await delay(2);
    assert.is(socket.parser.incoming, 'next request');
  },
);

ending.run();
