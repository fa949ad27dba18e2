// Every coded error against Node's own: the same argument lists are
// constructed here with our classes and in a child process with Node's
// internal/errors (`--expose-internals`), then compared field by field; and
// the common ones are provoked through node:http / node:stream / node:net
// and compared with ours.
import { execFileSync } from 'node:child_process';
import http from 'node:http';
import { createRequire } from 'node:module';
import net from 'node:net';
import { Readable, Writable } from 'node:stream';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as H from '../src/index.ts';

const require = createRequire(import.meta.url);
const fixture = require.resolve('./fixtures/error-cases.cjs');
const { cases, describe } = require(fixture) as {
  cases(): [string, string, unknown[]][];
  describe(e: unknown): Record<string, unknown>;
};

const nodeSide = JSON.parse(
  execFileSync(
    process.execPath,
    ['--expose-internals', require.resolve('./fixtures/node-errors.cjs')],
    {
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
    },
  ),
) as Record<string, unknown>[];

test('every case is built the same by our classes and by Node 20 internal/errors', () => {
  const all = cases();
  assert.is(nodeSide.length, all.length);
  assert.ok(all.length > 2000, `only ${all.length} cases`);
  let compared = 0;
  for (let i = 0; i < all.length; i++) {
    const [code, variant, args] = all[i];
    const base = (H as unknown as Record<string, any>)[code];
    assert.type(base, 'function', `${code} is exported`);
    const Cls = variant ? base[variant] : base;
    let ours: Record<string, unknown>;
    try {
      ours = JSON.parse(JSON.stringify(describe(new Cls(...args))));
    } catch (e) {
      ours = { threw: String(e) };
    }
    assert.equal(ours, nodeSide[i], `${code}${variant ? `.${variant}` : ''} case ${i}`);
    compared++;
  }
  assert.is(compared, all.length);
});

test('classes are named by their code and are instanceof themselves and their base', () => {
  const e = new H.ERR_INVALID_ARG_TYPE('x', 'string', 1);
  assert.is(H.ERR_INVALID_ARG_TYPE.name, 'ERR_INVALID_ARG_TYPE');
  assert.ok(e instanceof H.ERR_INVALID_ARG_TYPE);
  assert.ok(e instanceof TypeError);
  assert.is(e.constructor, TypeError);
  assert.is(Object.prototype.toString.call(e), '[object Error]');
  const r = new H.ERR_INVALID_ARG_VALUE.RangeError('x', 1);
  assert.ok(r instanceof RangeError);
  assert.is(r.code, 'ERR_INVALID_ARG_VALUE');
});

test('ERR_INVALID_URL is the one new URL() throws (natively, no code in toString)', () => {
  for (const args of [['http://['], ['/p', 'nope'], ['x', undefined], [''], ['a b', 'c d']]) {
    same(
      new H.ERR_INVALID_URL(...(args as [string, string?])),
      caught(() => new URL(...(args as [string, string?]))),
      `new URL(${args.join(', ')})`,
    );
  }
});

test('ERR_INVALID_DOMAIN_NAME (no longer in Node 20) keeps the historical message', () => {
  const e = new H.ERR_INVALID_DOMAIN_NAME();
  assert.is(String(e), 'TypeError [ERR_INVALID_DOMAIN_NAME]: Unable to determine the domain name');
  assert.ok(e instanceof TypeError);
});

function caught(fn: () => unknown): any {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('did not throw');
}

function same(ours: unknown, theirs: unknown, what: string) {
  assert.equal(
    JSON.parse(JSON.stringify(describe(ours))),
    JSON.parse(JSON.stringify(describe(theirs))),
    what,
  );
}

test('errors provoked through node:http match ours', () => {
  same(
    new H.ERR_INVALID_HTTP_TOKEN('Header name', 'a b'),
    caught(() => http.validateHeaderName('a b')),
    'validateHeaderName',
  );
  same(
    new H.ERR_HTTP_INVALID_HEADER_VALUE(undefined, 'x-my-header'),
    caught(() => http.validateHeaderValue('x-my-header', undefined as any)),
    'validateHeaderValue undefined',
  );
  same(
    new H.ERR_INVALID_CHAR('header content', 'x-my-header'),
    caught(() => http.validateHeaderValue('x-my-header', 'a\nb')),
    'validateHeaderValue char',
  );
  const msg = new http.OutgoingMessage();
  same(
    new H.ERR_METHOD_NOT_IMPLEMENTED('_implicitHeader()'),
    caught(() => (msg as any)._implicitHeader()),
    '_implicitHeader',
  );
  same(
    new H.ERR_INVALID_ARG_TYPE('name', 'string', 1),
    caught(() => msg.getHeader(1 as unknown as string)),
    'getHeader(1)',
  );
  same(
    new H.ERR_INVALID_ARG_TYPE('headers', ['Headers', 'Map'], {}),
    caught(() => msg.setHeaders({} as Headers)),
    'setHeaders({})',
  );
  same(
    new H.ERR_STREAM_CANNOT_PIPE(),
    caught(() => msg.pipe(new Writable())),
    'pipe',
  );
  (msg as any)._header = 'x';
  same(
    new H.ERR_HTTP_HEADERS_SENT('set'),
    caught(() => msg.setHeader('a', 'b')),
    'set',
  );
  same(
    new H.ERR_HTTP_HEADERS_SENT('append'),
    caught(() => msg.appendHeader('a', 'b')),
    'append',
  );
  same(
    new H.ERR_HTTP_HEADERS_SENT('remove'),
    caught(() => msg.removeHeader('a')),
    'remove',
  );

  const res = new http.ServerResponse(new http.IncomingMessage(null as any));
  same(
    new H.ERR_HTTP_INVALID_STATUS_CODE(99),
    caught(() => res.writeHead(99)),
    'writeHead(99)',
  );
  same(
    new H.ERR_HTTP_INVALID_STATUS_CODE('abc'),
    caught(() => res.writeHead('abc' as unknown as number)),
    "writeHead('abc')",
  );
  same(
    new H.ERR_INVALID_CHAR('statusMessage'),
    caught(() => res.writeHead(200, 'a\nb')),
    'statusMessage',
  );
  same(
    new H.ERR_INVALID_ARG_VALUE('headers', ['a', 'b', 'c']),
    caught(() =>
      new http.ServerResponse(new http.IncomingMessage(null as any)).writeHead(200, [
        'a',
        'b',
        'c',
      ] as unknown as http.OutgoingHttpHeaders),
    ),
    'odd raw headers',
  );
  const res2 = new http.ServerResponse(new http.IncomingMessage(null as any));
  res2.addTrailers({ 'X-T': 'ok' });
  same(
    new H.ERR_INVALID_HTTP_TOKEN('Trailer name', 'a b'),
    caught(() => res2.addTrailers({ 'a b': 'x' })),
    'trailer name',
  );
  same(
    new H.ERR_INVALID_CHAR('trailer content', 'X-T'),
    caught(() => res2.addTrailers({ 'X-T': 'a\r\nb' })),
    'trailer content',
  );

  same(
    new H.ERR_UNESCAPED_CHARACTERS('Request path'),
    caught(() => http.request({ path: '/a b', host: '127.0.0.1', port: 1 })),
    'unescaped path',
  );
  same(
    new H.ERR_INVALID_PROTOCOL('https:', 'http:'),
    caught(() => http.request({ protocol: 'https:', host: '127.0.0.1', port: 1 })),
    'protocol',
  );
  same(
    new H.ERR_INVALID_HTTP_TOKEN('Method', 'GE T'),
    caught(() => http.request({ method: 'GE T', host: '127.0.0.1', port: 1 })),
    'method',
  );
  same(
    new H.ERR_INVALID_ARG_TYPE('options.method', 'string', 1),
    caught(() => http.request({ method: 1 as unknown as string, host: '127.0.0.1', port: 1 })),
    'method type',
  );
  same(
    new H.ERR_INVALID_URL('http://['),
    caught(() => http.request('http://[')),
    'invalid URL',
  );
  same(
    new H.ERR_SOCKET_BAD_PORT('Port', 65536),
    caught(() => net.connect({ port: 65536, host: '127.0.0.1' })),
    'net bad port',
  );
  same(
    new H.ERR_SOCKET_BAD_PORT('options.port', -1),
    caught(() => http.createServer().listen({ port: -1 })),
    'listen bad port',
  );
  same(
    new H.ERR_OUT_OF_RANGE('maxHeaderSize', '>= 0 && <= 9007199254740991', -1),
    caught(() => http.createServer({ maxHeaderSize: -1 })),
    'maxHeaderSize',
  );
});

test('errors provoked through node:stream match ours', async () => {
  const w = new Writable({ write: (_c, _e, cb) => cb() });
  w.on('error', () => {});
  w.end();
  const afterEnd = await new Promise((resolve) => w.write('x', resolve));
  same(new H.ERR_STREAM_WRITE_AFTER_END(), afterEnd, 'write after end');
  const w2 = new Writable({ write: (_c, _e, cb) => cb() });
  same(
    new H.ERR_STREAM_NULL_VALUES(),
    caught(() => w2.write(null)),
    'null values',
  );
  w2.on('error', () => {});
  w2.destroy();
  const destroyed = await new Promise((resolve) => w2.write('x', resolve));
  same(new H.ERR_STREAM_DESTROYED('write'), destroyed, 'destroyed');
  const w3 = new Writable({ write: (_c, _e, cb) => cb() });
  w3.on('error', () => {});
  w3.end();
  await new Promise((r) => w3.on('finish', r));
  const finished = await new Promise((resolve) => w3.end(resolve));
  same(new H.ERR_STREAM_ALREADY_FINISHED('end'), finished, 'already finished');
  const r = new Readable({ read() {} });
  r.push(null);
  r.on('error', () => {});
  r.push('x');
  same(new H.ERR_STREAM_PUSH_AFTER_EOF(), (r as any).errored, 'push after eof');
});

test('connResetException matches node:http socket hang up', async () => {
  const server = net.createServer((s) => s.destroy());
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as net.AddressInfo;
  const err: any = await new Promise((resolve) => {
    http.get({ port, host: '127.0.0.1', agent: false }).on('error', resolve);
  });
  server.close();
  const ours = H.connResetException('socket hang up');
  same(ours, err, 'socket hang up');
  assert.ok(ours instanceof H.ConnResetException);
  assert.is(ours.constructor, Error);
});

test('AbortError matches the one node:stream throws', async () => {
  const ac = new AbortController();
  const r = new Readable({ read() {}, signal: ac.signal });
  const p = new Promise((resolve) => r.on('error', resolve));
  ac.abort();
  const theirs: any = await p;
  const ours = new H.AbortError(undefined, { cause: theirs.cause });
  same(ours, theirs, 'AbortError');
  assert.is(ours.cause, theirs.cause);
  assert.is(ours.message, 'The operation was aborted');
  assert.is(ours.name, 'AbortError');
  assert.is(ours.code, 'ABORT_ERR');
  same(
    new H.ERR_INVALID_ARG_TYPE('options', 'Object', 1),
    caught(() => new H.AbortError('x', 1 as unknown as object)),
    'options type',
  );
});

test('the first stack line is Node-style and the stack points at the caller', () => {
  const e = new H.ERR_HTTP_HEADERS_SENT('set');
  const lines = String(e.stack).split('\n');
  assert.is(
    lines[0],
    'Error [ERR_HTTP_HEADERS_SENT]: Cannot set headers after they are sent to the client',
  );
  assert.ok(lines[1].includes('errors.test.ts'), lines[1]);
  assert.is(e.name, 'Error');
  assert.not.ok(Object.hasOwn(e, 'name'));
});

test('validator errors start their stack at the caller, as Node hides its validator frames', () => {
  for (const fn of [
    () => H.validateHeaderName('a b'),
    () => H.validateHeaderValue('x', undefined),
    () => H.validateHeaderValue('x', '\n'),
  ]) {
    const lines = String(caught(fn).stack).split('\n');
    assert.ok(lines[0].includes(' [ERR_'), lines[0]);
    assert.ok(lines[1].includes('errors.test.ts'), lines[1]);
  }
});

test('with Error.stackTraceLimit = 0 the stack is the Node-style first line alone', () => {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    const ours = new H.ERR_INVALID_HTTP_TOKEN('Header name', 'a b');
    const theirs = caught(() => http.validateHeaderName('a b'));
    assert.is(ours.stack, theirs.stack);
    assert.is(ours.name, 'TypeError');
    same(ours, theirs, 'stackTraceLimit 0');
  } finally {
    Error.stackTraceLimit = limit;
  }
});

test('determineSpecificType and formatList', () => {
  assert.is(H.determineSpecificType(1), 'type number (1)');
  assert.is(H.determineSpecificType(new Map()), 'an instance of Map');
  assert.is(H.formatList(['a', 'b', 'c']), 'a, b, and c');
  assert.is(H.formatList(['a', 'b'], 'or'), 'a or b');
});

test.run();
