/**
 * How 'request' reaches its listeners. With one listener, a function, on a
 * server whose emit() is EventEmitter's own, the connection calls the
 * listener itself (as emit() would); everything else goes through emit().
 * Each case runs against node:http too.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import {
  type AnyServer,
  both,
  closeLeftovers,
  raw,
  requestOnceScript,
  runChild,
} from './helpers.ts';

const test = suite('request listener');
const GET = 'GET / HTTP/1.1\r\nHost: h\r\n\r\n';

test('the one listener is called with this = server and (req, res) only, as by emit()', async () => {
  const seen: unknown[] = [];
  let server: AnyServer;
  const { ours, node } = await both(
    {},
    function (this: unknown, ...args: unknown[]) {
      const [req, res] = args as [{ url: string }, { end(s: string): void }];
      seen.push([this === server, args.length, req.url]);
      res.end('ok');
      // A returned value is ignored (no captureRejections).
      return Promise.resolve('ignored');
    },
    (port) => raw(port, GET),
    (s) => {
      server = s;
    },
  );
  assert.equal(seen, [
    [true, 2, '/'],
    [true, 2, '/'],
  ]);
  assert.match(ours.data, /^HTTP\/1.1 200 OK\r\n[\s\S]*Content-Length: 2\r\n\r\nok$/);
  assert.is(ours.data.replace(/Date: .*\r\n/, ''), node.data.replace(/Date: .*\r\n/, ''));
});

test('several listeners, prepended and once(): the order and count emit() gives', async () => {
  const { ours, node } = await both({}, undefined, async (port, server) => {
    const seen: string[] = [];
    server.on('request', (_req: unknown, res: { end(): void }) => {
      seen.push('a');
      res.end();
    });
    server.prependListener('request', () => seen.push('first'));
    server.once('request', () => seen.push('once'));
    await raw(port, [GET, GET]);
    return seen;
  });
  assert.equal(ours, ['first', 'a', 'once', 'first', 'a']);
  assert.equal(ours, node);
});

test("an emit() wrapped on the server sees 'request' (and the listener still runs)", async () => {
  const { ours, node } = await both(
    {},
    (_req: unknown, res: { end(s: string): void }) => res.end('x'),
    async (port, server) => {
      const events: string[] = [];
      const emit = server.emit;
      server.emit = function (this: unknown, event: string, ...args: unknown[]) {
        if (typeof event === 'string') events.push(event);
        return emit.call(this, event, ...args);
      };
      const result = await raw(port, GET);
      return {
        events: events.filter((e) => e === 'request'),
        body: result.data.endsWith('\r\n\r\nx'),
      };
    },
  );
  assert.equal(ours, { events: ['request'], body: true });
  assert.equal(ours, node);
});

test("a server added to a domain runs its 'request' listener in that domain", async () => {
  // In a child process: loading node:domain changes every emitter of the process.
  // node:domain is loaded before ('early') or after the server's module (it
  // replaces EventEmitter's emit()); the server is added to the domain after
  // it was made, so only emit() enters the domain.
  const script = (order: string) =>
    requestOnceScript(
      `(() => {
        const d = require('node:domain').create();
        const s = impl.createServer((req, res) => res.end(String(process.domain === d)));
        d.add(s);
        return s;
      })()`,
      "'GET / HTTP/1.1\\r\\nHost: h\\r\\nConnection: close\\r\\n\\r\\n'",
      "out.slice(out.indexOf('\\r\\n\\r\\n') + 4)",
      order === 'early' ? "require('node:domain');" : '',
    );
  const run = (impl: string, order: string) => runChild(script(order), [impl]);
  for (const order of ['early', 'late']) {
    const [ours, node] = await Promise.all([run('ours', order), run('node', order)]);
    assert.is(ours, node, order);
    assert.is(ours, 'true', order);
  }
});

test.after(closeLeftovers);
test.run();
