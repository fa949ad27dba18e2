// `_http_common.HTTPParser`, the binding API (initialize, callback slots, execute, finish) that
// nock and msw drive, run side by side with Node's own binding: the same bytes in must give the
// same callbacks, arguments, return values and errors out.
import { createRequire } from 'node:module';
import net from 'node:net';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { freeParser, HTTPParser, isLenient, prepareError } from '../src/binding-parser.ts';
import http from '../src/index.ts';
import { buildLegacyModules } from '../src/legacy-modules.ts';

// Node's own `_http_*` modules (tests may load them; the package never does), and its binding.
const requireNode = createRequire(import.meta.url);
const nodeCommon = requireNode('_http_common');
const NodeParser = nodeCommon.HTTPParser;

type AnyParser = any;
type Event = unknown[];

interface TraceOptions {
  /** initialize() arguments after type and resource. */
  args?: unknown[];
  /** What kOnHeadersComplete returns. */
  headersComplete?: (parser: AnyParser) => unknown;
  /** Called at the start of each callback, to pause, throw, or look around. */
  during?: (parser: AnyParser, event: string) => void;
  /** Slots left empty. */
  without?: number[];
  finish?: boolean;
}

/** A parse error as the test compares it; `bytesParsed` only where Node's is meaningful. */
function describeError(err: any, withOffset: boolean): object {
  return {
    isError: err instanceof Error,
    message: err.message,
    keys: Object.keys(err),
    code: err.code,
    reason: err.reason,
    // A paused parser's refusal has no meaningful offset in Node either.
    ...(withOffset && err.reason !== 'Paused' ? { bytesParsed: err.bytesParsed } : {}),
  };
}

/**
 * Feeds `chunks` to a parser of class `Parser` and records every callback (name, `this` is the
 * parser, arguments) and every return value. After the first error Node's `bytesParsed` is a
 * distance between unrelated buffers, so only the first error's offset is recorded.
 */
function trace(
  Parser: AnyParser,
  type: number,
  chunks: Array<string | Buffer>,
  o: TraceOptions = {},
) {
  const events: Event[] = [];
  const parser = new Parser();
  parser.initialize(type, {}, ...(o.args ?? []));
  const slot = (n: number, name: string, fn: (...args: any[]) => unknown) => {
    if (o.without?.includes(n)) return;
    parser[n] = function (this: AnyParser, ...args: any[]) {
      o.during?.(parser, name);
      return fn.call(this, ...args);
    };
  };
  slot(Parser.kOnMessageBegin, 'begin', function (this: AnyParser, ...args) {
    events.push(['begin', this === parser, args.length]);
  });
  slot(Parser.kOnHeaders, 'headers', function (this: AnyParser, ...args) {
    events.push(['headers', this === parser, ...args]);
  });
  slot(Parser.kOnHeadersComplete, 'headersComplete', function (this: AnyParser, ...args) {
    events.push(['headersComplete', this === parser, ...args]);
    return o.headersComplete?.(parser);
  });
  slot(Parser.kOnBody, 'body', function (this: AnyParser, ...args) {
    const [chunk] = args;
    // A copy in memory of its own, not a view of the input.
    const ownMemory = chunk.byteOffset === 0 && chunk.buffer.byteLength === chunk.length;
    events.push(['body', this === parser, args.length, chunk.toString('latin1'), ownMemory]);
  });
  slot(Parser.kOnMessageComplete, 'messageComplete', function (this: AnyParser, ...args) {
    events.push(['messageComplete', this === parser, args.length]);
  });
  let failed = false;
  const outcome = (r: unknown) => {
    if (!(r instanceof Error)) return r;
    const described = describeError(r, !failed);
    failed = true;
    return described;
  };
  for (const chunk of chunks) {
    const input = typeof chunk === 'string' ? Buffer.from(chunk, 'latin1') : chunk;
    try {
      events.push(['execute', input.length, outcome(parser.execute(input))]);
    } catch (err) {
      events.push(['threw', (err as Error).message]);
      failed = true;
    }
  }
  if (o.finish !== false) {
    try {
      events.push(['finish', outcome(parser.finish())]);
    } catch (err) {
      events.push(['threw', (err as Error).message]);
    }
  }
  return events;
}

/** The same run on Node's binding and on ours must record the same events. */
function same(type: 'REQUEST' | 'RESPONSE', chunks: Array<string | Buffer>, o?: TraceOptions) {
  const theirs = trace(NodeParser, NodeParser[type], chunks, o);
  const ours = trace(HTTPParser, HTTPParser[type], chunks, o);
  assert.equal(ours, theirs);
  return ours;
}

/** Every way of cutting `message` in two, then one byte at a time. */
function splits(message: string): string[][] {
  const ways: string[][] = [];
  for (let i = 0; i <= message.length; i++) ways.push([message.slice(0, i), message.slice(i)]);
  ways.push(message.split(''));
  return ways;
}

const chunkedRequest =
  'POST /upload?x=1 HTTP/1.1\r\nHost: example.com\r\nTransfer-Encoding: chunked\r\n\r\n' +
  '5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\nX-Checksum: 42\r\nX-Other: yes\r\n\r\n';

test('the constants are the binding’s: types, callback slots, lenient flags', () => {
  const statics = (C: AnyParser) =>
    Object.fromEntries(
      Object.getOwnPropertyNames(C)
        .filter((k) => !['length', 'name', 'prototype', 'arguments', 'caller'].includes(k))
        .map((k) => [k, C[k]]),
    );
  assert.equal(statics(HTTPParser), statics(NodeParser));
  assert.equal(Object.keys(HTTPParser), Object.keys(NodeParser), 'in the same order');
});

test('a request with a Content-Length body', () => {
  const events = same('REQUEST', [
    'POST /items?page=2 HTTP/1.1\r\nHost: example.com\r\nContent-Type: application/json\r\n' +
      'Content-Length: 7\r\n\r\n{"a":1}',
  ]);
  // The arguments kOnHeadersComplete gets: method as llhttp's number (POST = 3), no status.
  assert.equal(events[1], [
    'headersComplete',
    true,
    1,
    1,
    ['Host', 'example.com', 'Content-Type', 'application/json', 'Content-Length', '7'],
    3,
    '/items?page=2',
    undefined,
    undefined,
    false,
    true,
  ]);
});

test('every method number is llhttp’s', () => {
  for (const method of ['DELETE', 'GET', 'HEAD', 'PUT', 'OPTIONS', 'PATCH', 'M-SEARCH', 'QUERY']) {
    same('REQUEST', [`${method} / HTTP/1.1\r\nHost: a\r\n\r\n`]);
  }
  same('REQUEST', ['CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n']);
});

test('a response: status code and message, no method or url', () => {
  const events = same('RESPONSE', [
    'HTTP/1.1 404 Not Found\r\nContent-Length: 4\r\nX-A: b  \r\n\r\nnope',
  ]);
  assert.equal(events[1], [
    'headersComplete',
    true,
    1,
    1,
    ['Content-Length', '4', 'X-A', 'b'],
    undefined,
    undefined,
    404,
    'Not Found',
    false,
    true,
  ]);
  same('RESPONSE', ['HTTP/1.0 200 \r\n\r\n']);
});

test('chunked with trailers: trailers through kOnHeaders right before kOnMessageComplete', () => {
  const events = same('REQUEST', [chunkedRequest]);
  // Node hands the request-target over again with the trailers.
  assert.equal(events.slice(4, 6), [
    ['headers', true, ['X-Checksum', '42', 'X-Other', 'yes'], '/upload?x=1'],
    ['messageComplete', true, 0],
  ]);
  same('RESPONSE', [
    'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\nT: 1\r\n\r\n',
  ]);
});

test('a message split at every byte, and fed one byte at a time', () => {
  for (const chunks of splits(chunkedRequest)) same('REQUEST', chunks);
  const response = 'HTTP/1.1 200 OK\r\nContent-Length: 5\r\nServer: x\r\n\r\nhello';
  for (const chunks of splits(response)) same('RESPONSE', chunks);
});

test('keep-alive: two messages in one buffer, then one that closes', () => {
  same('REQUEST', [
    'GET /1 HTTP/1.1\r\nHost: a\r\n\r\nPOST /2 HTTP/1.1\r\nContent-Length: 1\r\n\r\nx',
  ]);
  same('REQUEST', ['GET /1 HTTP/1.1\r\n\r\nGET /2 HTTP/1.0\r\n\r\n']);
  // Data after `Connection: close` is an error (HPE_CLOSED_CONNECTION).
  same('REQUEST', ['GET /1 HTTP/1.1\r\nConnection: close\r\n\r\nGET /2 HTTP/1.1\r\n\r\n']);
  same('RESPONSE', [
    'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok',
    'HTTP/1.1 204 No Content\r\n\r\n',
  ]);
});

test('upgrade: execute() stops after the head, and parses HTTP again when called again', () => {
  const events = same('REQUEST', [
    'GET /chat HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n\x81\x05hello',
    'GET /next HTTP/1.1\r\n\r\n',
  ]);
  assert.equal(events[3], ['execute', 70, 63]);
  same('RESPONSE', [
    'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: upgrade\r\n\r\nframes',
  ]);
  same('REQUEST', ['CONNECT a.example:443 HTTP/1.1\r\n\r\ntunnel bytes']);
});

test('kOnHeadersComplete’s return value: 1 no body, 2 no body and upgrade, else an error', () => {
  const responses = [
    'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokHTTP/1.1 204 No\r\n\r\n',
    'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok',
  ];
  for (const value of [0, 1, 2, -1, 3, undefined, true, '2', 21]) {
    same('RESPONSE', responses, { headersComplete: () => value });
  }
  // A response to HEAD announces a length it does not send.
  same('RESPONSE', ['HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nHTTP/1.1 200 OK\r\n\r\n'], {
    headersComplete: () => 1,
  });
});

test('a parse error: code, reason, bytesParsed; then the same error on every execute()', () => {
  const events = same('REQUEST', ['GET / HTTP/1.1\r\nHost: a\r\nBad Header: x\r\n\r\n', 'more']);
  assert.equal(events[1], [
    'execute',
    42,
    {
      isError: true,
      message: 'Parse Error',
      keys: ['bytesParsed', 'code', 'reason'],
      code: 'HPE_INVALID_HEADER_TOKEN',
      reason: 'Invalid header token',
      bytesParsed: 28,
    },
  ]);
  same('REQUEST', ['GET / HTTP/1.1\r\nHost: a\r\n', 'X\x01: c\r\n\r\n']);
  same('RESPONSE', ['HTTP/1.1 abc OK\r\n\r\n']);
  same('REQUEST', ['POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n']);
  // maxHeaderSize (third initialize() argument) and the lenient flags (fourth).
  same('REQUEST', [`GET / HTTP/1.1\r\nHost: ${'x'.repeat(60)}\r\n\r\n`], { args: [40] });
  same('REQUEST', ['GET / HTTP/1.1\r\nA: \x01b\r\n\r\n']);
  same('REQUEST', ['GET / HTTP/1.1\r\nA: \x01b\r\n\r\n'], { args: [0, NodeParser.kLenientAll] });
});

test('prepareError completes the error as Node’s does', () => {
  const ours = new HTTPParser();
  ours.initialize(HTTPParser.REQUEST, {});
  const theirs = new NodeParser();
  theirs.initialize(NodeParser.REQUEST, {});
  const input = Buffer.from('GET / HTTP/1.1\r\nBad Header: x\r\n\r\n');
  const a = ours.execute(input) as Error & Record<string, unknown>;
  const b = theirs.execute(input);
  prepareError(a, ours, input);
  nodeCommon.prepareError(b, theirs, input);
  assert.equal({ ...a, message: a.message }, { ...b, message: b.message });
  assert.is(a.message, 'Parse Error: Invalid header token');
  // Outside execute() the current buffer is empty.
  const c = new Error('x') as Error & Record<string, unknown>;
  prepareError(c, ours);
  assert.equal(c.rawPacket, Buffer.alloc(0));
  assert.is(c.message, 'x');
});

test('finish(): a body read to the end of the connection, or a message cut short', () => {
  same('RESPONSE', ['HTTP/1.1 200 OK\r\n\r\nuntil', ' close']);
  same('REQUEST', ['POST / HTTP/1.1\r\nContent-Length: 5\r\n\r\nab']);
  same('REQUEST', ['GET / HTTP/1.1\r\nHost']);
});

test('more than 31 header fields go through kOnHeaders, 31 at a time, and stay that way', () => {
  const fields = (n: number, name = 'H') =>
    Array.from({ length: n }, (_, i) => `${name}${i}: v${i}\r\n`).join('');
  for (const n of [30, 31, 32, 62, 63, 70]) {
    same('REQUEST', [`GET /long HTTP/1.1\r\n${fields(n)}\r\nGET /short HTTP/1.1\r\nA: 1\r\n\r\n`]);
    same('RESPONSE', [`HTTP/1.1 200 OK\r\n${fields(n)}Content-Length: 0\r\n\r\n`]);
    same('REQUEST', [
      `POST /t HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nx\r\n0\r\n${fields(n, 'T')}\r\n`,
    ]);
  }
  // Without a kOnHeaders callback the first fields are lost, as in Node.
  same('REQUEST', [`GET /long HTTP/1.1\r\n${fields(40)}\r\n`], {
    without: [NodeParser.kOnHeaders],
  });
  // Without kOnHeadersComplete the fields go out with kOnMessageComplete.
  same('REQUEST', ['POST /x HTTP/1.1\r\nA: 1\r\nContent-Length: 1\r\n\r\nx'], {
    without: [NodeParser.kOnHeadersComplete],
  });
});

test('initialize() starts over: kOnHeaders mode, failure and pause are gone', () => {
  for (const Parser of [HTTPParser, NodeParser] as AnyParser[]) {
    const parser = new Parser();
    const seen: unknown[] = [];
    parser.initialize(Parser.REQUEST, {});
    parser[Parser.kOnHeadersComplete] = (_a: number, _b: number, headers: unknown) => {
      seen.push(headers);
    };
    parser[Parser.kOnHeaders] = () => {};
    const many = Array.from({ length: 33 }, (_, i) => `H${i}: v\r\n`).join('');
    parser.execute(Buffer.from(`GET / HTTP/1.1\r\n${many}\r\n`));
    parser.execute(Buffer.from('BAD'));
    parser.pause();
    parser.initialize(Parser.REQUEST, {});
    assert.is(parser.execute(Buffer.from('GET / HTTP/1.1\r\nA: 1\r\n\r\n')), 24);
    assert.equal(seen, [undefined, ['A', '1']]);
  }
});

test('pause() from a callback takes effect when execute() returns; resume() lifts it', () => {
  const pauseInHead = {
    during: (parser: AnyParser, event: string) => {
      if (event === 'headersComplete') parser.pause();
    },
  };
  same(
    'REQUEST',
    [
      'POST / HTTP/1.1\r\nContent-Length: 2\r\n\r\nabGET /2 HTTP/1.1\r\n\r\n',
      'GET /3 HTTP/1.1\r\n\r\n',
    ],
    pauseInHead,
  );
  for (const Parser of [HTTPParser, NodeParser] as AnyParser[]) {
    const parser = new Parser();
    parser.initialize(Parser.REQUEST, {});
    parser.pause();
    const err = parser.execute(Buffer.from('GET / HTTP/1.1\r\n\r\n'));
    assert.equal([err.code, err.reason], ['HPE_PAUSED', 'Paused']);
    assert.is(parser.finish(), undefined);
    parser.resume();
    assert.is(parser.execute(Buffer.from('GET / HTTP/1.1\r\n\r\n')), 18);
  }
});

test('an exception in a callback leaves execute() and fails the parser', () => {
  const boom = (at: string) => ({
    during: (_parser: AnyParser, event: string) => {
      if (event === at) throw new Error(`boom in ${at}`);
    },
  });
  const message = 'POST /x HTTP/1.1\r\nContent-Length: 2\r\n\r\nab';
  for (const at of ['headersComplete', 'body', 'messageComplete']) {
    same('REQUEST', [message, 'GET / HTTP/1.1\r\n\r\n'], boom(at));
  }
  // finish() runs kOnMessageComplete for a body that ends with the connection.
  same('RESPONSE', ['HTTP/1.1 200 OK\r\n\r\nbody'], boom('messageComplete'));
});

test('kOnBody gets a copy; getCurrentBuffer() a copy of the input; headersCompleted()', () => {
  for (const Parser of [HTTPParser, NodeParser] as AnyParser[]) {
    const parser = new Parser();
    parser.initialize(Parser.REQUEST, {});
    const input = Buffer.from('POST /p HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc');
    const seen: unknown[] = [];
    let body: Buffer | undefined;
    parser[Parser.kOnHeadersComplete] = function (this: AnyParser) {
      const current = this.getCurrentBuffer();
      seen.push(current.equals(input), current.buffer !== input.buffer, this.headersCompleted());
    };
    parser[Parser.kOnBody] = (chunk: Buffer) => {
      body = chunk;
    };
    parser[Parser.kOnMessageBegin] = function (this: AnyParser) {
      seen.push(this.headersCompleted());
    };
    parser.execute(input);
    input.fill(0);
    assert.equal(seen, [false, true, true, true]);
    assert.is(body?.toString(), 'abc');
    assert.equal(parser.getCurrentBuffer(), Buffer.alloc(0));
    assert.is(parser.headersCompleted(), true);
    assert.is(parser.duration(), 0, 'no message open');
    parser.execute(Buffer.from('GET / HTTP/1.1\r\n'));
    assert.ok(parser.duration() > 0, 'a message open');
    assert.is(parser.headersCompleted(), false);
  }
});

test('execute() reads any ArrayBufferView; free() and remove() keep the parse state', () => {
  for (const Parser of [HTTPParser, NodeParser] as AnyParser[]) {
    const parser = new Parser();
    parser.initialize(Parser.REQUEST, {});
    const urls: string[] = [];
    parser[Parser.kOnHeadersComplete] = (...args: any[]) => {
      urls.push(args[4]);
    };
    const bytes = new Uint8Array(Buffer.from('xxGET /u8 HTTP/1.1\r\n\r\n')).subarray(2);
    assert.is(parser.execute(bytes), 20);
    parser.execute(Buffer.from('GET /freed HTTP/1.1\r\nA: 1'));
    parser.remove();
    parser.free();
    assert.is(parser.execute(Buffer.from('\r\n\r\n')), 4);
    assert.type(parser.consume, 'function');
    assert.type(parser.unconsume, 'function');
    assert.equal(urls, ['/u8', '/freed']);
  }
});

test('misuse that aborts Node’s process throws here', () => {
  const parser = new HTTPParser();
  assert.throws(() => parser.execute(Buffer.from('GET / HTTP/1.1\r\n\r\n')), /initialize/);
  assert.throws(
    () => parser.initialize(3, {}),
    (e: any) => e.code === 'ERR_INVALID_ARG_VALUE',
  );
  assert.throws(
    () => parser.initialize(HTTPParser.REQUEST, undefined as never),
    (e: any) => e.code === 'ERR_INVALID_ARG_TYPE',
  );
  parser.initialize(HTTPParser.REQUEST, {});
  assert.throws(
    () => parser.execute('GET' as never),
    (e: any) => e.code === 'ERR_INVALID_ARG_TYPE',
  );
  parser.close();
  assert.throws(
    () => parser.execute(Buffer.alloc(0)),
    (e: any) => e.code === 'ERR_INVALID_STATE',
  );
});

test('_http_common: Node’s keys, methods in llhttp order, freeParser, isLenient', () => {
  const common = buildLegacyModules(http).get('_http_common') as Record<string, any>;
  assert.equal(Object.keys(common), Object.keys(nodeCommon));
  assert.equal(common.methods, nodeCommon.methods);
  assert.is(common.HTTPParser, HTTPParser);
  assert.is(common.kIncomingMessage.description, nodeCommon.kIncomingMessage.description);
  assert.is(isLenient(), nodeCommon.isLenient());

  const clean = (Parser: AnyParser, free: (...args: any[]) => void) => {
    const parser = new Parser();
    parser.initialize(Parser.RESPONSE, {});
    for (let slot = 0; slot <= 6; slot++) parser[slot] = () => {};
    Object.assign(parser, { _headers: ['a', 'b'], _url: '/x', socket: {}, maxHeaderPairs: 5 });
    const req = { parser };
    const socket = { parser };
    free(parser, req, socket);
    // Own properties, functions (the kOnHeaders … kOnMessageComplete slots) by type.
    const own = Object.entries(parser).map(([k, v]) => [k, typeof v === 'function' ? 'fn' : v]);
    return { own, req, socket };
  };
  const nodeFreed = clean(NodeParser, nodeCommon.freeParser);
  // freeParser pooled that half-set-up parser: take it back out of Node's pool, or a later
  // node:http / node:https client in this process would parse with it.
  nodeCommon.parsers.alloc();
  assert.equal(clean(HTTPParser, freeParser), nodeFreed);
});

test('every _http_* stand-in has the keys of Node’s module', () => {
  const modules = buildLegacyModules(http);
  for (const id of [
    '_http_agent',
    '_http_client',
    '_http_incoming',
    '_http_outgoing',
    '_http_server',
  ]) {
    const ours = Object.keys(modules.get(id) as object).sort();
    assert.equal(ours, Object.keys(requireNode(id)).sort(), id);
  }
});

test('_http_server.httpServerPreClose: idle connections closed, the periodic check stopped', async () => {
  const server = buildLegacyModules(http).get('_http_server') as Record<string, any>;
  const srv: any = http.createServer((_req: any, res: any) => res.end('ok'));
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const { port } = srv.address();
  const socket = net.connect(port, '127.0.0.1');
  socket.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
  await new Promise((resolve) => socket.once('data', resolve));
  const closed = new Promise((resolve) => socket.once('close', resolve));
  assert.ok(srv[server.kConnectionsCheckingInterval], 'checking before');
  server.httpServerPreClose(srv);
  await closed; // the idle keep-alive connection was closed
  assert.is(srv[server.kConnectionsCheckingInterval]._destroyed, true, 'interval cleared');
  srv.close();
});

test.run();
