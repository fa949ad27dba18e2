/**
 * Back-pressure both ways and highWaterMark: a client that does not read makes
 * res.write() return false and 'drain' follow; a handler that does not read
 * stops the server reading the socket; unread pipelined responses stop the
 * server taking more requests.
 */
import net from 'node:net';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { both, closeLeftovers, delay, listen, raw, shut } from './helpers.ts';

const test = suite('back-pressure');
const H = 'Host: h\r\n';

test('highWaterMark option reaches the socket, the request and the response (as node:http)', async () => {
  const seen: Record<string, unknown> = {};
  let impl = 'ours';
  await both(
    { highWaterMark: 1024 },
    (req: any, res: any) => {
      seen[impl] = [
        req.socket.writableHighWaterMark,
        req.socket.readableHighWaterMark,
        req.readableHighWaterMark,
        res.writableHighWaterMark,
      ];
      res.end();
    },
    async (port, _s, i) => {
      impl = i;
      await raw(port, `GET / HTTP/1.1\r\n${H}\r\n`, { idle: 40 });
    },
  );
  assert.equal(seen.ours, seen.node);
  assert.equal(seen.ours, [1024, 1024, 1024, 1024]);
});

test("slow client: res.write() returns false, then 'drain' once the client reads", async () => {
  const events: string[] = [];
  const chunk = Buffer.alloc(64 * 1024, 'x');
  let total = 0;
  const { server, port } = await listen('ours', {}, (_req, res) => {
    const pump = () => {
      while (total < 64 * 1024 * 1024) {
        total += chunk.length;
        if (!res.write(chunk)) {
          events.push('write false');
          res.once('drain', () => {
            events.push('drain');
            pump();
          });
          return;
        }
      }
      res.end();
    };
    pump();
  });
  const client = net.connect(port, '127.0.0.1');
  client.write(`GET / HTTP/1.1\r\n${H}\r\n`);
  client.pause();
  await delay(100);
  // The kernel buffers absorb some megabytes; then the response waits for the client.
  assert.is(events[events.length - 1], 'write false', 'blocked while the client does not read');
  assert.ok(total < 64 * 1024 * 1024);
  let received = 0;
  const done = new Promise<void>((resolve) => {
    client.on('data', (d) => {
      received += d.length;
      if (received > 64 * 1024 * 1024) resolve();
    });
  });
  client.resume();
  await done;
  assert.ok(events.includes('drain'));
  client.destroy();
  await shut(server);
});

test('slow handler: the server stops reading the socket until the body is read', async () => {
  let request: { socket: net.Socket; resume(): void; on: Function } | undefined;
  const { server, port } = await listen('ours', {}, (req: any, res: any) => {
    request = req;
    let n = 0;
    req.on('end', () => res.end(`read ${n}`));
    req.pause();
    req.on('data', (d: Buffer) => {
      n += d.length;
    });
  });
  const size = 8 * 1024 * 1024;
  const client = net.connect(port, '127.0.0.1');
  let reply = '';
  client.on('data', (d) => {
    reply += d;
  });
  client.write(`POST / HTTP/1.1\r\n${H}Content-Length: ${size}\r\n\r\n`);
  let clientBlocked = false;
  const body = Buffer.alloc(1024 * 1024, 'y');
  for (let i = 0; i < 8; i++) if (!client.write(body)) clientBlocked = true;
  await delay(150);
  assert.ok(request, 'request emitted');
  assert.is(request?.socket.isPaused(), true, 'socket paused while the handler does not read');
  assert.ok(clientBlocked, "the client's writes back up");
  request?.resume();
  while (!reply.includes(`read ${size}`)) await delay(10);
  client.destroy();
  await shut(server);
});

test('unread pipelined responses: the server stops taking requests, then serves them all in order', async () => {
  const count = 200;
  const big = Buffer.alloc(256 * 1024, 'z');
  const taken: Record<string, number> = {};
  let requests = 0;
  await both(
    {},
    (req: any, res: any) => {
      requests++;
      res.setHeader('X-Url', req.url);
      res.end(big);
    },
    async (port, _s, impl) => {
      requests = 0;
      const client = net.connect(port, '127.0.0.1');
      client.pause();
      // Batches over time: a paused server socket stops reading the later ones.
      for (let b = 0; b < 20; b++) {
        let batch = '';
        for (let i = b * 10; i < b * 10 + 10; i++) batch += `GET /${i} HTTP/1.1\r\n${H}\r\n`;
        client.write(batch);
        await delay(5);
      }
      await delay(100);
      taken[impl] = requests;
      const urls: string[] = [];
      let text = '';
      const done = new Promise<void>((resolve) => {
        client.on('data', (d) => {
          text += d.toString('latin1');
          const re = /X-Url: (\/\d+)\r\n/g;
          let consumed = 0;
          let m: RegExpExecArray | null = re.exec(text);
          while (m !== null) {
            urls.push(m[1]);
            consumed = re.lastIndex;
            m = re.exec(text);
          }
          // Keep only what may hold the start of a field not matched yet.
          text = text.slice(Math.max(consumed, text.length - 64));
          if (urls.length === count) resolve();
        });
      });
      client.resume();
      await done;
      assert.equal(
        urls,
        Array.from({ length: count }, (_, i) => `/${i}`),
      );
      client.destroy();
    },
  );
  assert.ok(taken.node < count, `node:http took ${taken.node}`);
  assert.ok(taken.ours < count, `ours took ${taken.ours} of ${count} while nothing was read`);
});

test.after(closeLeftovers);
test.run();
