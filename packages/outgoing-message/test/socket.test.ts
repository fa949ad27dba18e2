/**
 * OutgoingMessage and its socket: how many writes reach the socket, queueing
 * before the socket exists and while another message owns it, back-pressure
 * and 'drain', timeouts and destroy over any Duplex.
 */
import { EventEmitter } from 'node:events';
import * as http from 'node:http';
import { Stream, Writable } from 'node:stream';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { drainOutgoing, kOnFinish, OutgoingMessage } from '../src/index.ts';
import { delay, RecordingSocket, TestResponse } from './helpers.ts';

function response(): TestResponse {
  const res = new TestResponse();
  res.sendDate = false;
  return res;
}

/** A response that owns a fresh RecordingSocket (made with `options`). */
function attached(options?: { decodeStrings?: boolean }): {
  res: TestResponse;
  socket: RecordingSocket;
} {
  const res = response();
  const socket = new RecordingSocket(options);
  res.assignSocket(socket);
  return { res, socket };
}

const writes = suite('socket writes');

writes('an OutgoingMessage is a legacy Stream, not a Writable (as Node)', () => {
  const msg = new OutgoingMessage();
  assert.ok(msg instanceof Stream);
  assert.not.ok(msg instanceof Writable);
});

writes('header block and first chunk leave in one socket write (string)', async () => {
  const { res, socket } = attached();
  res.write('first');
  res.write('second');
  await delay(2);
  // Both writes of this tick were corked together: one writev call.
  assert.is(socket.calls.length, 1);
  assert.ok(socket.calls[0][0].startsWith('HTTP/1.1 200 OK\r\n'));
  // ASCII data travels (as latin1) in one string with the header block and size line.
  assert.ok(socket.calls[0][0].endsWith('\r\n\r\n5\r\nfirst\r\n'));
  assert.equal(socket.calls[0].slice(1), ['6\r\nsecond\r\n']);
  res.end();
});

writes('header block and a framed Buffer chunk: one writev, the buffer not copied', async () => {
  const { res, socket } = attached();
  const body = Buffer.from('buf');
  res.write(body);
  await delay(2);
  assert.equal(socket.calls, [
    [
      'HTTP/1.1 200 OK\r\nConnection: keep-alive\r\nTransfer-Encoding: chunked\r\n\r\n3\r\n',
      'buf',
      '\r\n',
    ],
  ]);
  res.end();
});

writes(
  'end(Buffer) on a small response is one plain socket write (body copied behind the header)',
  async () => {
    const { res, socket } = attached();
    res.end(Buffer.from('hello'));
    await delay(2);
    assert.equal(socket.calls, [
      // A small buffer is joined to the block; 'finish' rides on it (no empty piece).
      ['HTTP/1.1 200 OK\r\nConnection: keep-alive\r\nContent-Length: 5\r\n\r\nhello'],
    ]);
  },
);

writes(
  "over a Writable without writev: data, then the empty write carrying 'finish' (Node's test-http-outgoing-message-inheritance)",
  async () => {
    const res = response();
    const seen: string[] = [];
    const socket = new Writable({
      write(chunk: Buffer, _e, cb) {
        seen.push(chunk.toString());
        setImmediate(cb);
      },
    });
    res.socket = socket as never;
    (socket as unknown as { _httpMessage: unknown })._httpMessage = res;
    let finished = false;
    // Waits for 'finish' (at most a second), not for a fixed time: a loaded machine is slow.
    const over = new Promise<void>((resolve) => {
      const late = setTimeout(resolve, 1000);
      res.on('finish', () => {
        finished = true;
        clearTimeout(late);
        resolve();
      });
    });
    res.end('hello world');
    await over;
    assert.is(seen.length, 2);
    assert.ok(seen[0].endsWith('hello world'));
    assert.is(seen[1], '');
    assert.ok(finished);
  },
);

writes(
  'a large chunk is framed without copying: size line, chunk, CRLF in one writev',
  async () => {
    const { res, socket } = attached();
    res.write('x');
    await delay(2);
    const body = Buffer.alloc(8192, 98);
    res.write(body);
    await delay(2);
    assert.is(socket.calls.length, 2);
    assert.equal(
      socket.calls[1].map((c) => c.length),
      [6, 8192, 2],
    );
    assert.is(socket.calls[1][0], '2000\r\n');
    res.end();
  },
);

writes(
  'Buffer chunks of a chunked body: every piece, framing included, reaches the socket as a Buffer',
  async () => {
    // A writev batch with a string entry makes Node's socket read an encoding
    // and copy the strings entry by entry; all Buffers go out as they are.
    // The sockets keep strings strings (decodeStrings: false), as a net.Socket does.
    const { res, socket } = attached({ decodeStrings: false });
    res.addTrailers({ 'X-Sum': '7' });
    res.setHeader('Trailer', 'X-Sum');
    for (const text of ['one', 'two', 'three']) res.write(Buffer.from(text));
    res.end(Buffer.from('four'));
    await delay(2);
    assert.equal(socket.kinds, [Array(9).fill('buffer')], 'one writev of Buffers');
    assert.is(
      socket.bytes(),
      'HTTP/1.1 200 OK\r\nTrailer: X-Sum\r\nConnection: keep-alive\r\nTransfer-Encoding: chunked\r\n\r\n' +
        '3\r\none\r\n3\r\ntwo\r\n5\r\nthree\r\n4\r\nfour\r\n0\r\nX-Sum: 7\r\n\r\n',
    );

    // Across ticks: the CRLF a chunk owes goes out at the end of its tick, and
    // the next size line and the terminating chunk are Buffers of their own.
    const later = attached({ decodeStrings: false });
    later.res.write(Buffer.from('ab'));
    await delay(2);
    later.res.write(Buffer.from('cd'));
    await delay(2);
    later.res.end();
    await delay(2);
    assert.ok(later.socket.kinds.slice(0, 2).every((call) => call.every((k) => k === 'buffer')));
    assert.is(
      later.socket.bytes(),
      'HTTP/1.1 200 OK\r\nConnection: keep-alive\r\nTransfer-Encoding: chunked\r\n\r\n' +
        '2\r\nab\r\n2\r\ncd\r\n0\r\n\r\n',
    );
  },
);

writes('a long string chunk is written beside its framing, not concatenated', async () => {
  const { res, socket } = attached();
  res.write('x');
  await delay(2);
  const long = 'y'.repeat(20000);
  res.write(long);
  await delay(2);
  assert.equal(
    socket.calls[1].map((c) => c.length),
    [6, 20000, 2],
  );
  res.end();
});

writes(
  'joined header and Buffer body, 4 to 16 KiB: each written Buffer keeps its bytes while later responses are joined',
  async () => {
    // Around Node's pool limit (4 KiB), across many slabs' worth, and past 16 KiB in all.
    const sizes = [100, 4000, 4096, 4097, 5000, 8191, 12_000, 16_000, 16_384];
    const sent: { socket: RecordingSocket; expected: Buffer }[] = [];
    for (let round = 0; round < 12; round++) {
      for (let i = 0; i < sizes.length; i++) {
        const { res, socket } = attached();
        const body = Buffer.alloc(sizes[i], 65 + ((round * sizes.length + i) % 26));
        res.end(body);
        const head = `HTTP/1.1 200 OK\r\nConnection: keep-alive\r\nContent-Length: ${body.length}\r\n\r\n`;
        sent.push({ socket, expected: Buffer.concat([Buffer.from(head, 'latin1'), body]) });
      }
    }
    await delay(2);
    for (const { socket, expected } of sent) {
      // One plain write: the header and the body in one Buffer, and the very Buffer the
      // socket was given still holds them after all the later joins.
      assert.equal(socket.kinds, [['buffer']], `${expected.length} bytes`);
      const kept = socket.chunks[0][0] as Buffer;
      assert.ok(kept.equals(expected), `${expected.length} bytes`);
    }
  },
);

writes('a large first Buffer is not copied: header and body go out in one writev', async () => {
  const { res, socket } = attached();
  const body = Buffer.alloc(64 * 1024, 97);
  res.end(body);
  await delay(2);
  assert.is(socket.calls.length, 1);
  assert.is(socket.calls[0].length, 2);
  assert.is(socket.calls[0][1].length, body.length);
});

writes('end(chunk) that takes several pieces still leaves in one socket call', async () => {
  // end() corks only when its pieces are more than one write; each case here is.
  const cases: [string, (res: TestResponse) => void, number][] = [
    // Non-latin1 text cannot share the latin1 header string: block+size, text, CRLF+terminator.
    [
      'chunked, non-latin1 string',
      (res) => {
        res.writeHead(200);
        res.end('h\u00e9llo \u2603');
      },
      3,
    ],
    // A hex-encoded string is not joined with the block.
    ['Content-Length, hex string', (res) => res.end('616263', 'hex'), 2],
    // Something written earlier in the tick is still corked with it.
    [
      'write() then end() in one tick',
      (res) => {
        res.write('a');
        res.end('b');
      },
      2,
    ],
  ];
  for (const [name, send, pieces] of cases) {
    const { res, socket } = attached();
    send(res);
    await delay(2);
    assert.is(socket.calls.length, 1, name);
    assert.is(socket.calls[0].length, pieces, name);
  }
});

writes(
  'end(chunk) that is one write: exactly one socket call with the whole response',
  async () => {
    const cases: [string, (res: TestResponse) => void, string][] = [
      ['implicit head, string', (res) => res.end('abc'), 'Content-Length: 3\r\n\r\nabc'],
      [
        'chunked head, ASCII string',
        (res) => {
          res.writeHead(200);
          res.end('abc');
        },
        '\r\n\r\n3\r\nabc\r\n0\r\n\r\n',
      ],
      ['small Buffer', (res) => res.end(Buffer.from('xyz')), 'Content-Length: 3\r\n\r\nxyz'],
    ];
    for (const [name, send, tail] of cases) {
      const { res, socket } = attached();
      let finished = false;
      res.on('finish', () => {
        finished = true;
      });
      send(res);
      await delay(2);
      assert.is(socket.calls.length, 1, name);
      assert.is(socket.calls[0].length, 1, name);
      assert.ok(socket.bytes().endsWith(tail), name);
      assert.ok(finished, name);
    }
  },
);

writes('everything queued before the socket is flushed in one writev, in order', async () => {
  const res = response();
  res.setHeader('X-A', '1');
  res.write('a');
  res.write(Buffer.from('bb'));
  res.end('ccc');
  assert.ok(res.outputData.length > 0);
  assert.ok(res.outputSize > 0);
  const socket = new RecordingSocket();
  res.assignSocket(socket);
  assert.is(res.outputData.length, 0);
  assert.is(res.outputSize, 0);
  await delay(2);
  assert.is(socket.calls.length, 1);
  assert.is(
    socket.bytes(),
    'HTTP/1.1 200 OK\r\nX-A: 1\r\nConnection: keep-alive\r\nTransfer-Encoding: chunked\r\n\r\n' +
      '1\r\na\r\n2\r\nbb\r\n3\r\nccc\r\n0\r\n\r\n',
  );
});

writes('while another message owns the socket, output is queued (pipelining)', async () => {
  const socket = new RecordingSocket();
  const first = response();
  const second = response();
  first.assignSocket(socket);
  // The owner has not handed the socket to `second` yet.
  second.socket = socket as never;
  second.end('two');
  assert.is(socket.calls.length, 0);
  assert.ok(second.outputData.length > 0);
  first.end('one');
  await delay(2);
  assert.ok(socket.bytes().endsWith('one'));
  const events: string[] = [];
  second.on('prefinish', () => events.push('prefinish'));
  second.on('finish', () => events.push('finish'));
  second.assignSocket(socket);
  await delay(2);
  assert.equal(events, ['prefinish', 'finish']);
  assert.ok(socket.bytes().endsWith('Content-Length: 3\r\n\r\ntwo'));
});

writes('an interim response queued before the socket stays ahead of the header block', async () => {
  const res = response();
  // What ServerResponse.writeContinue() does: a raw write ahead of the response.
  // (Node 20 puts its header block in front of the queue here, ahead of the
  // 100 Continue, when the body is a Buffer: a corrupt stream. We keep order.)
  res._writeRaw('HTTP/1.1 100 Continue\r\n\r\n', 'latin1');
  res.end(Buffer.from('body'));
  const socket = new RecordingSocket();
  res.assignSocket(socket);
  await delay(2);
  assert.is(
    socket.bytes(),
    'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nConnection: keep-alive\r\nContent-Length: 4\r\n\r\nbody',
  );
});

writes('_onPendingData reports queued bytes and their release', () => {
  const res = response();
  const deltas: number[] = [];
  res._onPendingData = (d) => deltas.push(d);
  res.write('abc');
  res.assignSocket(new RecordingSocket());
  const sum = deltas.reduce((a, b) => a + b, 0);
  assert.ok(deltas[0] > 0);
  assert.is(sum, 0);
});

writes('works over a Duplex without setTimeout/setNoDelay', () => {
  const res = response();
  const socket = new RecordingSocket();
  (socket as unknown as { setTimeout: unknown }).setTimeout = undefined;
  res.setTimeout(100);
  res.assignSocket(socket);
  res.setTimeout(50, () => {});
  assert.is(res.listenerCount('timeout'), 1);
  res.end();
});

writes('setTimeout before the socket: applied when the socket is assigned', () => {
  const res = response();
  const socket = new RecordingSocket();
  const calls: number[] = [];
  (socket as unknown as { setTimeout: (ms: number) => void }).setTimeout = (ms) => calls.push(ms);
  assert.is(
    res.setTimeout(100, () => {}),
    res,
  );
  assert.equal(calls, []);
  res.assignSocket(socket);
  assert.equal(calls, [100]);
  res.setTimeout(200);
  assert.equal(calls, [100, 200]);
  assert.is(res.listenerCount('timeout'), 1);
});

writes('destroy(err) destroys the socket with the error; returns this; once only', async () => {
  const { res, socket } = attached();
  const seen: string[] = [];
  socket.on('error', (e) => seen.push(`socket error ${e.message}`));
  socket.on('close', () => seen.push('socket close'));
  const err = new Error('boom');
  assert.is(res.destroy(err), res);
  assert.is(res.destroy(new Error('again')), res);
  assert.ok(res.destroyed);
  assert.is(res.errored, err);
  await delay(2);
  assert.equal(seen, ['socket error boom', 'socket close']);
});

writes('errored: null before destroy, undefined after a plain destroy() (as node:http)', () => {
  const ours = response();
  const theirs = new http.OutgoingMessage();
  assert.is(ours.errored, theirs.errored);
  ours.destroy();
  theirs.destroy();
  assert.is(ours.errored, undefined);
  assert.is(ours.errored, theirs.errored);
});

writes('captureRejections: a rejected async listener destroys message and socket', async () => {
  // As Node's test-http-outgoing-message-capture-rejection: the flag is read at construction.
  EventEmitter.captureRejections = true;
  let res: TestResponse;
  try {
    res = response();
  } finally {
    EventEmitter.captureRejections = false;
  }
  const socket = new RecordingSocket();
  const seen: unknown[] = [];
  socket.on('error', (e) => seen.push(e));
  res.assignSocket(socket);
  const err = new Error('kaboom');
  res.on('drain', async () => {
    throw err;
  });
  res.emit('drain');
  await delay(5);
  assert.ok(res.destroyed);
  assert.is(res.errored, err);
  assert.equal(seen, [err]);
  assert.ok(socket.destroyed);
});

writes('rejectNonStandardBodyWrites: ERR_HTTP_BODY_NOT_ALLOWED for HEAD bodies', () => {
  const res = new TestResponse(
    { method: 'HEAD', httpVersionMajor: 1, httpVersionMinor: 1 },
    { rejectNonStandardBodyWrites: true },
  );
  res.assignSocket(new RecordingSocket());
  assert.throws(
    () => res.write('x'),
    (e: { code: string; message: string }) =>
      e.code === 'ERR_HTTP_BODY_NOT_ALLOWED' &&
      e.message === 'Adding content for this request method or response status is not allowed.',
  );
});

writes('uniqueHeaders joins list values with "; " in headers and trailers', async () => {
  const res = new TestResponse(undefined, { uniqueHeaders: ['X-U'] });
  res.sendDate = false;
  const socket = new RecordingSocket();
  res.assignSocket(socket);
  res.setHeader('x-u', ['a', 'b']);
  res.setHeader('X-Other', ['c', 'd']);
  res.write('z');
  res.addTrailers({ 'X-U': ['e', 'f'] });
  res.end();
  await delay(2);
  assert.is(
    socket.bytes(),
    'HTTP/1.1 200 OK\r\nx-u: a; b\r\nX-Other: c\r\nX-Other: d\r\nConnection: keep-alive\r\n' +
      'Transfer-Encoding: chunked\r\n\r\n1\r\nz\r\n0\r\nX-U: e; f\r\n\r\n',
  );
});

writes('_implicitHeader is abstract: ERR_METHOD_NOT_IMPLEMENTED', () => {
  const msg = new OutgoingMessage();
  assert.throws(
    () => msg.write('x'),
    (e: { code: string; message: string }) =>
      e.code === 'ERR_METHOD_NOT_IMPLEMENTED' &&
      e.message === 'The _implicitHeader() method is not implemented',
  );
});

writes(
  "kOnFinish: the owner's hook runs once, after the last write and before 'finish' listeners",
  async () => {
    const { res, socket } = attached();
    const order: string[] = [];
    res[kOnFinish] = (msg) => {
      order.push(msg === res ? 'hook' : 'hook(wrong message)');
      order.push(`bytes on socket: ${socket.calls.length}`);
    };
    res.on('finish', () => order.push('finish'));
    res.end('hello');
    assert.equal(order, []);
    await delay(2);
    assert.equal(order, ['hook', 'bytes on socket: 1', 'finish']);
  },
);

const HEAD = 'HTTP/1.1 200 OK\r\nConnection: keep-alive\r\nTransfer-Encoding: chunked\r\n\r\n';

writes(
  'Buffer chunks written in one tick: the CRLF closing each joins the next size line, the last joins the terminating chunk',
  async () => {
    const { res, socket } = attached();
    const order: string[] = [];
    res.on('finish', () => order.push('finish'));
    res.write(Buffer.from('aaa'), () => order.push('cb a'));
    res.write(Buffer.from('bbbb'), () => order.push('cb b'));
    res.end(Buffer.from('cc'), () => order.push('cb end'));
    await delay(5);
    assert.equal(socket.calls, [
      [`${HEAD}3\r\n`, 'aaa', '\r\n4\r\n', 'bbbb', '\r\n2\r\n', 'cc', '\r\n0\r\n\r\n'],
    ]);
    assert.equal(order, ['cb a', 'cb b', 'finish', 'cb end']);
  },
);

writes(
  'a Buffer chunk whose tick ends without another write leaves whole, CRLF included, in that tick',
  async () => {
    const { res, socket } = attached();
    res.write(Buffer.from('aaa'));
    await delay(2);
    // A streaming client has the complete chunk without waiting for the next write.
    assert.equal(socket.calls, [[`${HEAD}3\r\n`, 'aaa', '\r\n']]);
    res.write(Buffer.from('bb'));
    await delay(2);
    assert.equal(socket.calls[1], ['2\r\n', 'bb', '\r\n']);
    res.end();
    await delay(2);
    assert.equal(socket.calls[2], ['0\r\n\r\n']);
  },
);

writes(
  'chunks of a long string (over 16 KiB, not joined to their framing) save the same piece',
  async () => {
    const { res, socket } = attached();
    const x = 'x'.repeat(20_000);
    const y = 'y'.repeat(20_000);
    res.write(x);
    res.end(y);
    await delay(5);
    assert.equal(socket.calls, [[`${HEAD}4e20\r\n`, x, '\r\n4e20\r\n', y, '\r\n0\r\n\r\n']]);
  },
);

writes("under the caller's own cork nothing is held back: each chunk keeps its CRLF", async () => {
  const { res, socket } = attached();
  res.cork();
  res.write(Buffer.from('aaa'));
  res.write(Buffer.from('bb'));
  res.uncork();
  await delay(2);
  assert.equal(socket.calls, [[`${HEAD}3\r\n`, 'aaa', '\r\n', '2\r\n', 'bb', '\r\n']]);
  res.end();
});

writes('a response queued before its socket: the owed CRLF is queued in order too', async () => {
  const res = response();
  res.write(Buffer.from('aaa'));
  res.end(Buffer.from('bb'));
  const socket = new RecordingSocket();
  res.assignSocket(socket);
  await delay(5);
  assert.is(socket.bytes(), `${HEAD}3\r\naaa\r\n2\r\nbb\r\n0\r\n\r\n`);
});

writes.run();

const pressure = suite('back-pressure');

pressure('without a socket: false at the highWaterMark', () => {
  const res = new TestResponse(undefined, { highWaterMark: 100 });
  assert.is(res.writableHighWaterMark, 100);
  let n = 0;
  while (res.write(Buffer.alloc(30))) n++;
  assert.ok(res.writableLength >= 100);
  assert.ok(n < 5);
  assert.ok(res.writableNeedDrain);
});

pressure(
  'a slow socket: write() returns false, then drainOutgoing() emits drain once',
  async () => {
    const res = response();
    const socket = new RecordingSocket({ highWaterMark: 1024 });
    socket.hold = true;
    socket.on('drain', () => drainOutgoing(socket._httpMessage as OutgoingMessage));
    res.assignSocket(socket);
    let drains = 0;
    res.on('drain', () => drains++);
    let ok = true;
    let n = 0;
    while (ok && n < 100) {
      ok = res.write(Buffer.alloc(300));
      n++;
    }
    assert.is(ok, false);
    assert.ok(res.writableNeedDrain);
    assert.ok(res.writableLength > 0);
    assert.is(res.writableHighWaterMark, 1024);
    await delay(2);
    assert.is(drains, 0);
    socket.release();
    await delay(2);
    assert.is(drains, 1);
    assert.not.ok(res.writableNeedDrain);
    drainOutgoing(res); // no pending need: no second 'drain'
    assert.is(drains, 1);
    res.end();
  },
);

pressure('queued before the socket: _flush() emits drain when the socket takes it all', () => {
  const res = new TestResponse(undefined, { highWaterMark: 10 });
  assert.is(res.write('x'.repeat(20)), false);
  let drains = 0;
  res.on('drain', () => drains++);
  res.assignSocket(new RecordingSocket());
  assert.is(drains, 1);
});

pressure.run();
