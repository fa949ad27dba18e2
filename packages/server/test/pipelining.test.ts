/**
 * Keep-alive and pipelining: responses in request order even when a later
 * handler finishes first, event order per request ('finish' then 'close'),
 * and the same order of events as node:http.
 */

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { both, closeLeftovers, delay, normalize, raw } from './helpers.ts';

const test = suite('pipelining');
const H = 'Host: h\r\n';

function makeHandler(log: string[]) {
  return (req: any, res: any) => {
    const url = req.url;
    log.push(`request ${url}`);
    res.on('finish', () => log.push(`finish ${url}`));
    res.on('close', () => log.push(`close ${url}`));
    req.on('end', () => log.push(`end ${url}`));
    req.on('close', () => log.push(`req close ${url}`));
    const wait = Number(new URL(url, 'http://h').searchParams.get('wait') ?? 0);
    req.resume();
    setTimeout(() => {
      log.push(`respond ${url}`);
      res.end(`body of ${url}`);
    }, wait);
  };
}

test('responses follow request order; a later fast handler waits for the slow one', async () => {
  const logs = { ours: [] as string[], node: [] as string[] };
  let current: string[] = logs.ours;
  const { ours, node } = await both(
    {},
    (req: any, res: any) => makeHandler(current)(req, res),
    async (port, _s, impl) => {
      current = logs[impl];
      return raw(
        port,
        `GET /1?wait=60 HTTP/1.1\r\n${H}\r\nGET /2?wait=0 HTTP/1.1\r\n${H}\r\nGET /3?wait=20 HTTP/1.1\r\n${H}\r\n`,
        { idle: 150 },
      );
    },
  );
  assert.is(normalize(ours.data), normalize(node.data));
  const bodies = ours.data.match(/body of \/\d/g);
  assert.equal(bodies, ['body of /1', 'body of /2', 'body of /3']);
  // Every request is emitted at once (Node does not hold pipelined requests back);
  // /2 responds first but its bytes wait in its queue until /1 finished.
  assert.equal(logs.ours, logs.node);
  assert.equal(logs.ours.slice(0, 3), [
    'request /1?wait=60',
    'request /2?wait=0',
    'request /3?wait=20',
  ]);
  assert.ok(logs.ours.indexOf('respond /2?wait=0') < logs.ours.indexOf('finish /1?wait=60'));
  assert.ok(logs.ours.indexOf('finish /1?wait=60') < logs.ours.indexOf('finish /2?wait=0'));
});

test('pipelined requests split at random points: same bytes as node:http', async () => {
  const request = [1, 2, 3, 4, 5]
    .map((i) => `POST /${i} HTTP/1.1\r\n${H}Content-Length: ${i}\r\n\r\n${'x'.repeat(i)}`)
    .join('');
  const handler = (req: any, res: any) => {
    let n = 0;
    req.on('data', (d: Buffer) => {
      n += d.length;
    });
    req.on('end', () => res.end(`${req.url}:${n}`));
  };
  const cuts = [3, 17, 40, 41, 60, 90, 130, 131, 200];
  const chunks: (string | number)[] = [];
  let at = 0;
  for (const cut of cuts) {
    chunks.push(request.slice(at, cut), 3);
    at = cut;
  }
  chunks.push(request.slice(at));
  const { ours, node } = await both({}, handler, (port) => raw(port, chunks, { idle: 100 }));
  assert.is(normalize(ours.data), normalize(node.data));
  assert.is((ours.data.match(/HTTP\/1.1 200 OK/g) ?? []).length, 5);
});

test('keep-alive: many sequential requests on one connection', async () => {
  const handler = (req: any, res: any) => res.end(req.url);
  const chunks: (string | number)[] = [];
  for (let i = 0; i < 10; i++) chunks.push(`GET /${i} HTTP/1.1\r\n${H}\r\n`, 5);
  const { ours, node } = await both({}, handler, (port) => raw(port, chunks, { idle: 100 }));
  assert.is(normalize(ours.data), normalize(node.data));
  assert.is(ours.ended, false);
});

test("'close' after 'finish' on each response, then the request's end and close, as node:http", async () => {
  const logs = { ours: [] as string[], node: [] as string[] };
  let current = logs.ours;
  await both(
    {},
    (req: any, res: any) => makeHandler(current)(req, res),
    async (port, _s, impl) => {
      current = logs[impl];
      await raw(port, `POST /a HTTP/1.1\r\n${H}Content-Length: 2\r\n\r\nhi`, { idle: 80 });
      await delay(20);
    },
  );
  assert.equal(logs.ours, logs.node);
  assert.ok(logs.ours.indexOf('finish /a') < logs.ours.indexOf('close /a'));
});

test('HTTP/1.0 request: response is close-delimited and the connection ends', async () => {
  const handler = (_req: any, res: any) => {
    res.write('a');
    res.end('b');
  };
  const { ours, node } = await both({}, handler, (port) =>
    raw(port, 'GET / HTTP/1.0\r\n\r\nGET /ignored HTTP/1.0\r\n\r\n'),
  );
  assert.is(normalize(ours.data), normalize(node.data));
  assert.ok(ours.ended);
  assert.match(ours.data, /Connection: close\r\n\r\nab$/);
});

test.after(closeLeftovers);
test.run();
