/**
 * events.captureRejections: an async request listener that rejects gets a 500
 * with the stored headers dropped, or its connection destroyed once the
 * response started — the same bytes as node:http.
 */
import { EventEmitter } from 'node:events';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { both, closeLeftovers, normalize, raw } from './helpers.ts';

const test = suite('captureRejections');
const H = 'Host: h\r\n';

test.before(() => {
  EventEmitter.captureRejections = true;
});
test.after(() => {
  EventEmitter.captureRejections = false;
});

test('rejected request listener before headers: 500 Internal Server Error, headers dropped', async () => {
  const { ours, node } = await both(
    {},
    async (_req: unknown, res: { setHeader(n: string, v: string): void }) => {
      res.setHeader('content-type', 'application/json');
      throw new Error('kaboom');
    },
    (port) => raw(port, `GET / HTTP/1.1\r\n${H}\r\n`),
  );
  assert.is(normalize(ours.data), normalize(node.data));
  assert.match(ours.data, /^HTTP\/1.1 500 Internal Server Error\r\n/);
  assert.not.match(ours.data, /content-type/i);
});

test('rejected request listener after headers: connection destroyed', async () => {
  const { ours, node } = await both(
    {},
    async (_req: unknown, res: { writeHead(s: number): void; write(s: string): void }) => {
      res.writeHead(200);
      res.write('partial');
      throw new Error('kaboom');
    },
    (port) => raw(port, `GET / HTTP/1.1\r\n${H}\r\n`),
  );
  assert.is(normalize(ours.data), normalize(node.data));
});

test.after(closeLeftovers);
test.run();
