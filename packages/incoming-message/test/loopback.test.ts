/**
 * IncomingMessage fed by a minimal owner over real loopback sockets:
 * premature close (events and their order compared with node:http's server),
 * and back-pressure against a slow consumer.
 */
import * as http from 'node:http';
import * as net from 'node:net';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { IncomingMessage } from '../src/index.ts';
import { close, delay, listen, type OwnerStats, ownerServer } from './owner.ts';

const PARTIAL = 'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc';

/** Resolves with `promise`, or rejects after `ms` (an unref'd timer: never holds the process). */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([
    promise,
    new Promise<T>((_, reject) =>
      setTimeout(() => reject(new Error(`${what}: timed out`)), ms).unref(),
    ),
  ]);
}

function record(req: IncomingMessage | http.IncomingMessage, withErrorListener: boolean) {
  const events: string[] = [];
  for (const e of ['aborted', 'end', 'close']) req.on(e, () => events.push(e));
  if (withErrorListener) {
    req.on('error', (err: NodeJS.ErrnoException) =>
      events.push(`error:${err.code}:${err.message}`),
    );
  }
  req.on('data', () => {});
  return events;
}

type Listener = (req: IncomingMessage | http.IncomingMessage) => void;

/**
 * Starts a server with `makeServer`, sends a request whose body never
 * completes, resets the connection once the request arrived, and reports
 * the request's events once it closed.
 */
async function abortVia(
  makeServer: (onRequest: Listener) => net.Server,
  withErrorListener: boolean,
) {
  let events: string[] = [];
  let req: IncomingMessage | http.IncomingMessage | undefined;
  let arrived!: () => void;
  let closed!: () => void;
  const requestArrived = new Promise<void>((r) => {
    arrived = r;
  });
  const requestClosed = new Promise<void>((r) => {
    closed = r;
  });
  const server = makeServer((r) => {
    req = r;
    events = record(r, withErrorListener);
    r.on('close', () => closed());
    arrived();
  });
  const port = await listen(server);
  const client = net.connect(port, '127.0.0.1', () => client.write(PARTIAL));
  client.on('error', () => {});
  await within(requestArrived, 5000, 'request');
  client.destroy();
  await within(requestClosed, 5000, "request 'close'");
  await delay(5); // anything emitted after 'close' would show up too
  await close(server);
  return { events, aborted: req?.aborted, complete: req?.complete, destroyed: req?.destroyed };
}

const viaNode = (onRequest: Listener) => http.createServer((r) => onRequest(r));
const viaOurs = (onRequest: Listener) => ownerServer((r) => onRequest(r));

const abort = suite('premature close: same events as node:http');

for (const withErrorListener of [true, false]) {
  abort(
    `'aborted' → ${withErrorListener ? "'error' (ECONNRESET aborted) → " : ''}'close'`,
    async () => {
      const theirs = await abortVia(viaNode, withErrorListener);
      const ours = await abortVia(viaOurs, withErrorListener);
      assert.equal(ours, theirs);
      assert.equal(
        ours.events,
        withErrorListener ? ['aborted', 'error:ECONNRESET:aborted', 'close'] : ['aborted', 'close'],
      );
      assert.equal([ours.aborted, ours.complete, ours.destroyed], [true, false, true]);
    },
  );
}

abort.run();

const pressure = suite('back-pressure against a slow consumer');

pressure('the socket is paused while the body is unread; memory stays bounded', async () => {
  const total = 4 * 1024 * 1024;
  const stats: OwnerStats = { maxReadableLength: 0, maxSocketRead: 0, pauses: 0 };
  let received = 0;
  let hwm = 0;
  let done!: () => void;
  const finished = new Promise<void>((r) => {
    done = r;
  });
  const server = ownerServer((msg, socket) => {
    hwm = msg.readableHighWaterMark;
    assert.is(hwm, socket.readableHighWaterMark);
    // A slow consumer: waits a millisecond after every chunk.
    (async () => {
      for await (const chunk of msg) {
        received += (chunk as Buffer).length;
        await delay(1);
      }
      socket.end();
      done();
    })();
  }, stats);
  const port = await listen(server);
  const client = net.connect(port, '127.0.0.1', () => {
    client.write(`POST / HTTP/1.1\r\nHost: x\r\nContent-Length: ${total}\r\n\r\n`);
    client.end(Buffer.alloc(total, 98));
  });
  client.resume();
  // If the socket were never resumed the body would stall: fail instead of hanging.
  await within(finished, 5000, 'body');
  client.destroy();
  await close(server);
  assert.is(received, total);
  assert.ok(stats.pauses > 0, 'the owner paused the socket');
  // Never more than the highWaterMark plus one socket read held by the message.
  assert.ok(
    stats.maxReadableLength <= hwm + stats.maxSocketRead,
    `${stats.maxReadableLength} > ${hwm} + ${stats.maxSocketRead}`,
  );
});

pressure.run();
