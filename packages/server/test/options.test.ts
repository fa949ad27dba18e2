/**
 * createServer() options: Node's defaults, and for every bad value the same
 * error (class, code, message) node:http throws.
 */
import http from 'node:http';
import net from 'node:net';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer, Server } from '../src/index.ts';

const test = suite('createServer options');

function thrown(fn: () => unknown): { name: string; code: string; message: string } | null {
  try {
    fn();
    return null;
  } catch (err) {
    const e = err as Error & { code: string };
    return { name: e.name, code: e.code, message: e.message };
  }
}

const bad: unknown[][] = [
  [{ connectionsCheckingInterval: 'x' }],
  [{ connectionsCheckingInterval: -1 }],
  [{ connectionsCheckingInterval: 1.5 }],
  [{ headersTimeout: 'x' }],
  [{ headersTimeout: -5 }],
  [{ headersTimeout: Number.NaN }],
  [{ highWaterMark: 'x' }],
  [{ insecureHTTPParser: 'x' }],
  [{ joinDuplicateHeaders: 1 }],
  [{ keepAliveInitialDelay: 'x' }],
  [{ keepAliveTimeout: 'x' }],
  [{ keepAliveTimeout: -1 }],
  [{ keepAliveTimeout: Number.POSITIVE_INFINITY }],
  [{ maxHeaderSize: 'x' }],
  [{ maxHeaderSize: -1 }],
  [{ maxHeaderSize: 1.5 }],
  [{ requestTimeout: 'x' }],
  [{ requestTimeout: -1 }],
  [{ requireHostHeader: 'x' }],
  [{ rejectNonStandardBodyWrites: 'x' }],
  [{ requestTimeout: 1000, headersTimeout: 2000 }],
  ['x'],
  [1],
  [true],
  [{}, 'not a function'],
];

for (const args of bad) {
  test(`throws like node:http for ${JSON.stringify(args)}`, () => {
    const ours = thrown(() => createServer(...(args as [any, any])));
    const node = thrown(() => http.createServer(...(args as [any, any])));
    assert.ok(node, 'node throws');
    assert.equal(ours, node);
  });
}

const good: unknown[][] = [
  [],
  [null],
  [{}],
  [{ requestTimeout: 1000 }],
  [{ requestTimeout: 0 }],
  [{ headersTimeout: 0, requestTimeout: 10 }],
  [{ connectionsCheckingInterval: 0 }],
  [{ keepAlive: true, keepAliveInitialDelay: 1000, noDelay: false }],
  [{ highWaterMark: 1024 }],
  [{ maxHeaderSize: 100, insecureHTTPParser: true, joinDuplicateHeaders: true }],
  [{ uniqueHeaders: ['a'] }],
  [{ uniqueHeaders: 'ignored' }],
  [{ requireHostHeader: false, rejectNonStandardBodyWrites: true }],
];
const props = [
  'headersTimeout',
  'requestTimeout',
  'keepAliveTimeout',
  'connectionsCheckingInterval',
  'maxHeadersCount',
  'maxRequestsPerSocket',
  'timeout',
  'requireHostHeader',
  'rejectNonStandardBodyWrites',
  'highWaterMark',
  'noDelay',
  'keepAlive',
  'keepAliveInitialDelay',
  'insecureHTTPParser',
  'maxHeaderSize',
  'joinDuplicateHeaders',
  'httpAllowHalfOpen',
  'listening',
];
for (const args of good) {
  test(`defaults and stored options like node:http for ${JSON.stringify(args)}`, () => {
    const ours: any = createServer(...(args as [any]));
    const node: any = http.createServer(...(args as [any]));
    for (const p of props) assert.equal(ours[p], node[p], p);
  });
}

test('headersTimeout defaults to min(60000, requestTimeout)', () => {
  assert.is(createServer().headersTimeout, 60000);
  assert.is(createServer({ requestTimeout: 1000 }).headersTimeout, 1000);
  assert.is(createServer().requestTimeout, 300000);
  assert.is(createServer().keepAliveTimeout, 5000);
});

test("a new server's listeners are node:http's, in its order", () => {
  const listener = () => {};
  assert.equal(createServer(listener).eventNames(), http.createServer(listener).eventNames());
  assert.equal(createServer().eventNames(), http.createServer().eventNames());
  assert.equal(createServer({}, listener).listeners('request'), [listener]);
});

test('Server is a net.Server; new Server() and createServer() alike; listener added', () => {
  const listener = () => {};
  const a = createServer(listener);
  const b = new Server({}, listener);
  assert.instance(a, Server);
  assert.ok(a.listeners('request').includes(listener));
  assert.ok(b.listeners('request').includes(listener));
  assert.ok((a as any).listen && (a as any).address);
});

test('Server works with new, without new, class extends, and Server.call(this) + inherits', async () => {
  const { inherits } = await import('node:util');
  const made: unknown[][] = [];
  function OldStyle(this: any) {
    (Server as unknown as Function).call(this, () => {});
  }
  inherits(OldStyle, Server as unknown as Function);
  class Modern extends Server {
    extra = 'x';
  }
  const called = (Server as any)();
  for (const server of [new Server(), called, new Modern(), new (OldStyle as any)()]) {
    const row: unknown[] = [
      server instanceof Server,
      server.headersTimeout,
      server.listenerCount('connection'),
    ];
    made.push(row);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    server.on('request', (_req: unknown, res: { end(s: string): void }) => res.end('ok'));
    const port = server.address().port;
    const reply = await new Promise<string>((resolve) => {
      const c = net.connect(port, '127.0.0.1', () => c.end('GET / HTTP/1.1\r\nHost: h\r\n\r\n'));
      let data = '';
      c.on('data', (d) => {
        data += d;
      });
      c.on('close', () => resolve(data));
    });
    row.push(/ok$/.test(reply));
    await new Promise((r) => server.close(r));
  }
  // The same for all four ways of making a server.
  assert.is(made.length, 4);
  for (const row of made) assert.equal(row, [true, 60000, 1, true]);
  assert.is(Server.name, 'Server');
  assert.is(new Modern().extra, 'x');
});

test('setTimeout sets timeout, adds the listener, returns this', () => {
  const s = createServer();
  const cb = () => {};
  assert.is(s.setTimeout(123, cb), s);
  assert.is(s.timeout, 123);
  assert.ok(s.listeners('timeout').includes(cb));
  assert.is(s.setTimeout(), s);
  assert.is(s.timeout, 0);
});

test('Symbol.asyncDispose closes the server', async () => {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  assert.is(s.listening, true);
  let closed = false;
  s.on('close', () => {
    closed = true;
  });
  await (s as any)[(Symbol as any).asyncDispose]();
  assert.is(s.listening, false);
  assert.is(closed, true);
});

test('Symbol.asyncDispose rejects like node:http when not listening', async () => {
  const dispose = (Symbol as any).asyncDispose;
  const codes: string[] = [];
  for (const s of [createServer(), http.createServer()] as any[]) {
    await s[dispose]().then(
      () => codes.push('resolved'),
      (e: { code: string }) => codes.push(e.code),
    );
  }
  assert.equal(codes, ['ERR_SERVER_NOT_RUNNING', 'ERR_SERVER_NOT_RUNNING']);
});

test.run();
