/**
 * How 'request' reaches its listeners. With one listener, a function, on a
 * server whose emit() is EventEmitter's own, the connection calls the
 * listener itself (as emit() would); everything else goes through emit().
 * Each case runs against node:http too.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { type AnyServer, both, closeLeftovers, raw } from './helpers.ts';

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
  const source = path.join(__dirname, '../src/index.ts');
  const script = `
    // node:domain loaded before or after the server's module (it replaces EventEmitter's emit()).
    const early = process.argv[2] === 'early' ? require('node:domain') : null;
    const impl = process.argv[1] === 'node' ? require('node:http') : require(${JSON.stringify(source)});
    const domain = early ?? require('node:domain');
    const net = require('node:net');
    const d = domain.create();
    // Added to the domain after it was made: only emit() enters the domain.
    const server = impl.createServer((req, res) => {
      res.end(String(process.domain === d));
    });
    d.add(server);
    server.listen(0, '127.0.0.1', () => {
      const c = net.connect(server.address().port, '127.0.0.1', () =>
        c.end('GET / HTTP/1.1\\r\\nHost: h\\r\\nConnection: close\\r\\n\\r\\n'));
      let out = '';
      c.on('data', (b) => { out += b.toString('latin1'); });
      c.on('close', () => {
        console.log(out.slice(out.indexOf('\\r\\n\\r\\n') + 4));
        server.close();
      });
    });
  `;
  const run = (impl: string, order: string) =>
    new Promise<string>((resolve, reject) =>
      execFile(
        process.execPath,
        ['--no-deprecation', '--require', 'tsx/cjs', '-e', script, impl, order],
        { cwd: __dirname, encoding: 'utf8', timeout: 10000 },
        (err, stdout) => (err ? reject(err) : resolve(stdout.trim())),
      ),
    );
  for (const order of ['early', 'late']) {
    const [ours, node] = await Promise.all([run('ours', order), run('node', order)]);
    assert.is(ours, node, order);
    assert.is(ours, 'true', order);
  }
});

test.after(closeLeftovers);
test.run();
