/**
 * The same scenario against node:http's ServerResponse and against
 * OutgoingMessage (through the test-local TestResponse), each over an
 * in-memory socket: the bytes on the wire (Date masked), the events, the
 * framing decisions and the errors must be identical. Our number of socket
 * write calls must never exceed Node's.
 */
// biome-ignore-all lint/complexity/noCommaOperator: one-line scenarios read as a list of steps
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { delay, nodeResponse, RecordingSocket, stripDate, TestResponse } from './helpers.ts';

type Res = any;

interface Scenario {
  name: string;
  method?: string;
  version?: [number, number];
  run(res: Res, socket: RecordingSocket): void | Promise<void>;
}

interface Observed {
  bytes: string;
  events: string[];
  thrown: string[];
  last: boolean;
  chunkedEncoding: boolean;
  shouldKeepAlive: boolean;
  headersSent: boolean;
  finished: boolean;
  writableEnded: boolean;
  contentLength: unknown;
}

async function observe(res: Res, sc: Scenario): Promise<Observed & { calls: number }> {
  const socket = new RecordingSocket();
  socket.on('error', () => {});
  const events: string[] = [];
  for (const e of ['prefinish', 'finish', 'drain', 'error', 'socket']) {
    res.on(e, (x: { code?: string } | undefined) =>
      events.push(x && e === 'error' ? `${e}:${x.code}` : e),
    );
  }
  const thrown: string[] = [];
  res.__thrown = thrown;
  try {
    await sc.run(res, socket);
  } catch (err) {
    const e = err as { code: string; message: string };
    thrown.push(`${e.code}: ${e.message}`);
  }
  await delay(5);
  return {
    bytes: stripDate(socket.bytes()),
    calls: socket.calls.length,
    events,
    thrown,
    last: res._last,
    chunkedEncoding: res.chunkedEncoding,
    shouldKeepAlive: res.shouldKeepAlive,
    headersSent: res.headersSent,
    finished: res.finished,
    writableEnded: res.writableEnded,
    contentLength: res._contentLength,
  };
}

/** Runs `fn`, recording a thrown error's code and message instead of failing. */
function attempt(res: Res, fn: () => void): void {
  try {
    fn();
  } catch (err) {
    const e = err as { code: string; message: string };
    res.__thrown.push(`${e.code}: ${e.message}`);
  }
}

const big = 'x'.repeat(5000);

const scenarios: Scenario[] = [
  { name: 'end(string)', run: (r, s) => (r.assignSocket(s), r.end('hello')) },
  { name: 'end(Buffer)', run: (r, s) => (r.assignSocket(s), r.end(Buffer.from('hello'))) },
  {
    name: 'end(Uint8Array)',
    run: (r, s) => (r.assignSocket(s), r.end(new Uint8Array([104, 105]))),
  },
  { name: 'end(big Buffer)', run: (r, s) => (r.assignSocket(s), r.end(Buffer.from(big))) },
  { name: 'end()', run: (r, s) => (r.assignSocket(s), r.end()) },
  {
    name: 'write, write, end: chunked with terminator',
    run: (r, s) => {
      r.assignSocket(s);
      r.write('a');
      r.write(Buffer.from('bb'));
      r.write(new Uint8Array([99, 99, 99]));
      r.end('dddd');
    },
  },
  {
    name: 'Buffer chunks in one tick, in the next, then end(Buffer) and a long string: same bytes',
    run: async (r, s) => {
      r.assignSocket(s);
      r.write(Buffer.alloc(4096, 97));
      r.write(Buffer.alloc(4096, 98));
      await delay(2);
      r.write(Buffer.from('c'));
      r.write('d'.repeat(17 * 1024));
      r.end(Buffer.from('ee'));
    },
  },
  {
    name: 'utf8 chunk sizes are byte counts',
    run: (r, s) => (r.assignSocket(s), r.write('héllo €'), r.end()),
  },
  {
    name: 'writes before the socket are queued and flushed in order',
    run: (r, s) => {
      r.setHeader('X-Order', '1');
      r.write('a');
      r.write(Buffer.from('bb'));
      r.end('ccc');
      r.assignSocket(s);
    },
  },
  {
    name: 'end() before the socket: prefinish waits for the socket',
    run: async (r, s) => {
      r.end('queued');
      await delay(2);
      r.__thrown.push(`finished-before-socket=${r.finished}`);
      r.assignSocket(s);
    },
  },
  {
    name: 'encodings: hex, base64, latin1, utf16le',
    run: (r, s) => {
      r.assignSocket(s);
      r.write('68656c6c6f', 'hex');
      r.write('aGk=', 'base64');
      r.write('\u00e9', 'latin1');
      r.end('ok', 'utf16le');
    },
  },
  {
    name: 'end(hex) with Content-Length',
    run: (r, s) => (
      r.assignSocket(s), r.setHeader('content-length', 5), r.end('68656c6c6f', 'hex')
    ),
  },
  {
    name: 'empty writes are not chunks',
    run: (r, s) => (
      r.assignSocket(s), r.write(''), r.write(Buffer.alloc(0)), r.write('a'), r.end('')
    ),
  },
  {
    name: 'trailers after the last chunk',
    run: (r, s) => {
      r.assignSocket(s);
      r.setHeader('Trailer', 'X-T, x-arr');
      r.write('a');
      r.addTrailers({ 'X-T': 'v', 'x-arr': ['1', '2'], 'X-Joined': ['only'] });
      r.end();
    },
  },
  {
    name: 'trailers as pairs',
    run: (r, s) => {
      r.assignSocket(s);
      r.write('a');
      r.addTrailers([
        ['X-A', '1'],
        ['X-B', 2],
      ]);
      r.end();
    },
  },
  {
    name: 'trailers dropped without chunked framing',
    run: (r, s) => (r.assignSocket(s), r.addTrailers({ 'X-T': 'v' }), r.end('abc')),
  },
  {
    name: 'Trailer header with Content-Length: ERR_HTTP_TRAILER_INVALID',
    run: (r, s) => {
      r.assignSocket(s);
      r.setHeader('Trailer', 'x');
      r.setHeader('Content-Length', 1);
      attempt(r, () => r.end('y'));
    },
  },
  { name: 'HEAD: no body', method: 'HEAD', run: (r, s) => (r.assignSocket(s), r.end('abc')) },
  {
    name: 'HEAD: write() is dropped, callback still runs',
    method: 'HEAD',
    run: async (r, s) => {
      r.assignSocket(s);
      await new Promise<void>((resolve) => r.write('abc', () => resolve()));
      r.end();
    },
  },
  { name: '204', run: (r, s) => (r.assignSocket(s), (r.statusCode = 204), r.end('abc')) },
  { name: '304', run: (r, s) => (r.assignSocket(s), (r.statusCode = 304), r.write('x'), r.end()) },
  {
    name: '204 with Transfer-Encoding: chunked closes the connection',
    run: (r, s) => {
      r.assignSocket(s);
      r.statusCode = 204;
      r.setHeader('Transfer-Encoding', 'chunked');
      r.end();
    },
  },
  {
    name: 'caller Transfer-Encoding containing chunked',
    run: (r, s) => {
      r.assignSocket(s);
      r.setHeader('Transfer-Encoding', 'gzip, chunked');
      r.write('ab');
      r.end();
    },
  },
  {
    name: 'caller Transfer-Encoding without chunked: raw body',
    run: (r, s) => (r.assignSocket(s), r.setHeader('Transfer-Encoding', 'gzip'), r.end('ab')),
  },
  {
    name: 'removeHeader(connection) keeps the connection open',
    run: (r, s) => (r.assignSocket(s), r.removeHeader('Connection'), r.end('x')),
  },
  {
    name: 'removeHeader(connection) with shouldKeepAlive=false',
    run: (r, s) => {
      r.assignSocket(s);
      r.shouldKeepAlive = false;
      r.removeHeader('connection');
      r.end('x');
    },
  },
  {
    name: 'removeHeader(content-length): chunked instead',
    run: (r, s) => (r.assignSocket(s), r.removeHeader('content-length'), r.end('y')),
  },
  {
    name: 'removeHeader(content-length + transfer-encoding): close-delimited',
    run: (r, s) => {
      r.assignSocket(s);
      r.removeHeader('Content-Length');
      r.removeHeader('Transfer-Encoding');
      r.write('x');
      r.end('y');
    },
  },
  {
    name: 'removeHeader(date) turns sendDate off',
    run: (r, s) => (r.assignSocket(s), r.removeHeader('date'), r.end('x')),
  },
  {
    name: 'caller Date header replaces the automatic one',
    run: (r, s) => (r.assignSocket(s), r.setHeader('Date', 'yesterday'), r.end()),
  },
  {
    name: 'Keep-Alive timeout and max',
    run: (r, s) => {
      r.assignSocket(s);
      r._keepAliveTimeout = 5500;
      r._maxRequestsPerSocket = 3;
      r.end('y');
    },
  },
  {
    name: 'Keep-Alive timeout without max',
    run: (r, s) => (r.assignSocket(s), (r._keepAliveTimeout = 5000), r.end('y')),
  },
  {
    name: 'caller Keep-Alive header suppresses the automatic one',
    run: (r, s) => {
      r.assignSocket(s);
      r._keepAliveTimeout = 5000;
      r.setHeader('Keep-Alive', 'timeout=1');
      r.end('y');
    },
  },
  {
    name: 'shouldKeepAlive=false: Connection: close',
    run: (r, s) => (r.assignSocket(s), (r.shouldKeepAlive = false), r.end('y')),
  },
  {
    name: 'HTTP/1.0 peer: close-delimited, no chunking',
    version: [1, 0],
    run: (r, s) => (r.assignSocket(s), r.write('y'), r.end('z')),
  },
  {
    name: 'HTTP/1.0 peer with Content-Length stays close',
    version: [1, 0],
    run: (r, s) => (r.assignSocket(s), r.setHeader('Content-Length', 1), r.end('z')),
  },
  {
    name: 'no chunking by default, keep-alive wanted: Connection: close',
    run: (r, s) => {
      r.assignSocket(s);
      r.useChunkedEncodingByDefault = false;
      r.write('y');
      r.end();
    },
  },
  {
    name: 'maxRequestsOnConnectionReached: Connection: close',
    run: (r, s) => (r.assignSocket(s), (r.maxRequestsOnConnectionReached = true), r.end('y')),
  },
  {
    name: 'caller Connection: close',
    run: (r, s) => (r.assignSocket(s), r.setHeader('Connection', 'close'), r.end('y')),
  },
  {
    name: 'caller Connection: keep-alive, Upgrade',
    run: (r, s) => {
      r.assignSocket(s);
      r.shouldKeepAlive = false;
      r.setHeader('Connection', 'keep-alive, Upgrade');
      r.end('y');
    },
  },
  {
    name: 'writeHead with a flat array (order and duplicates kept)',
    run: (r, s) => (r.assignSocket(s), r.writeHead(200, ['A', '1', 'b', '2', 'A', '3']), r.end()),
  },
  {
    name: 'writeHead with pairs',
    run: (r, s) => (
      r.assignSocket(s),
      r.writeHead(201, [
        ['A', '1'],
        ['b', ['2', '3']],
      ]),
      r.end()
    ),
  },
  {
    name: 'writeHead with an object and a reason',
    run: (r, s) => (r.assignSocket(s), r.writeHead(404, 'Nope', { 'X-Y': 'z', n: 5 }), r.end('q')),
  },
  {
    name: 'writeHead merges with stored headers (writeHead wins)',
    run: (r, s) => {
      r.assignSocket(s);
      r.setHeader('Content-Type', 'text/html');
      r.setHeader('X-Keep', '1');
      r.writeHead(200, { 'content-type': 'text/plain' });
      r.end('ok');
    },
  },
  {
    name: 'writeHead with an odd flat array: ERR_INVALID_ARG_VALUE',
    run: (r, s) => (r.assignSocket(s), attempt(r, () => r.writeHead(200, ['a', '1', 'b']))),
  },
  {
    name: 'writeHead with an invalid name: ERR_INVALID_HTTP_TOKEN',
    run: (r, s) => (r.assignSocket(s), attempt(r, () => r.writeHead(200, { 'a b': '1' }))),
  },
  {
    name: 'writeHead with an undefined value: ERR_HTTP_INVALID_HEADER_VALUE',
    run: (r, s) => (r.assignSocket(s), attempt(r, () => r.writeHead(200, { ab: undefined }))),
  },
  {
    name: 'Cookie list joined with "; ", other lists one line each',
    run: (r, s) => {
      r.assignSocket(s);
      r.setHeader('Cookie', ['a=1', 'b=2']);
      r.setHeader('Set-Cookie', ['c=3', 'd=4']);
      r.setHeader('X', ['1', '2']);
      r.setHeader('Y', ['1']);
      r.end();
    },
  },
  {
    name: 'header casing, order, numbers',
    run: (r, s) => {
      r.assignSocket(s);
      r.setHeader('x-LOWER', 'a');
      r.setHeader('X-Number', 42);
      r.setHeader('X-Arr', ['1', 'b']);
      r.setHeader('x-lower', 'replaced');
      r.end();
    },
  },
  {
    name: 'appendHeader',
    run: (r, s) => {
      r.assignSocket(s);
      r.appendHeader('X-A', '1');
      r.appendHeader('x-a', '2');
      r.appendHeader('X-b', ['1']);
      r.appendHeader('x-b', ['2', '3']);
      r.setHeader('X-C', 1);
      r.appendHeader('x-c', 'two');
      r.end();
    },
  },
  {
    name: 'setHeaders(Headers) keeps every Set-Cookie',
    run: (r, s) => {
      r.assignSocket(s);
      const h = new Headers();
      h.append('set-cookie', 'a=1');
      h.append('set-cookie', 'b=2');
      h.set('X-A', 'q');
      r.setHeaders(h);
      r.end();
    },
  },
  {
    name: 'setHeaders(Map)',
    run: (r, s) => {
      r.assignSocket(s);
      r.setHeaders(
        new Map<string, unknown>([
          ['Content-Type', 'text/plain'],
          ['X-List', ['a', 'b']],
        ]),
      );
      r.end('m');
    },
  },
  {
    name: 'Content-Disposition is re-encoded when Content-Length is set',
    run: (r, s) => {
      r.assignSocket(s);
      r.setHeader('Content-Length', 1);
      r.setHeader('Content-Disposition', 'attachment; filename="\u00e4.txt"');
      r.end('x');
    },
  },
  {
    name: 'latin1 header value, then a chunked utf8 body (header bytes stay latin1)',
    run: (r, s) => {
      r.assignSocket(s);
      r.writeHead(200, ['content-disposition', Buffer.from('b\u00e5r').toString('latin1')]);
      r.end('h\u00e9llo');
    },
  },
  {
    name: 'latin1 header value, then a chunked ASCII body via end() (joined into one write)',
    run: (r, s) => {
      r.assignSocket(s);
      r.writeHead(200, ['X-Name', '\u00e5\u00e9']);
      r.end('hello');
    },
  },
  {
    name: 'writeHead then end(latin1 string) with trailers: chunked, one write',
    run: (r, s) => {
      r.assignSocket(s);
      r.writeHead(200, { 'X-Name': '\u00e5', Trailer: 'X-T' });
      r.addTrailers({ 'X-T': 'v' });
      r.end('\u00e9\u00e5', 'latin1');
    },
  },
  {
    name: 'latin1 header value, then chunked write(ASCII), write(utf8), end()',
    run: (r, s) => {
      r.assignSocket(s);
      r.setHeader('X-Name', '\u00e5');
      r.write('ascii');
      r.write('\u00e9\u20ac');
      r.end();
    },
  },
  {
    name: 'latin1 header value with Content-Length and a small Buffer body (joined, bytes unchanged)',
    run: (r, s) => {
      r.assignSocket(s);
      r.writeHead(200, ['X-Name', '\u00e5\u00e9', 'Content-Length', '3']);
      r.end(Buffer.from([0xe9, 0x00, 0xff]));
    },
  },
  {
    name: 'a Buffer body just over the join limit (header written beside it)',
    run: (r, s) => (r.assignSocket(s), r.end(Buffer.alloc(16 * 1024 + 1, 120))),
  },
  {
    name: 'latin1 header value with write() before end()',
    run: (r, s) => {
      r.assignSocket(s);
      r.setHeader('X-Name', '\u00e5\u00e9');
      r.write('\u00e9');
      r.write('\u00e9', 'latin1');
      r.end();
    },
  },
  {
    name: 'latin1 header value with Content-Length and a utf8 body (as Node)',
    run: (r, s) => {
      r.assignSocket(s);
      r.writeHead(200, ['X-Name', '\u00e5', 'Content-Length', '2']);
      r.end('\u00e9');
    },
  },
  {
    name: 'flushHeaders() sends the block alone',
    run: (r, s) => (r.assignSocket(s), r.flushHeaders(), r.end('x')),
  },
  {
    name: 'flushHeaders() twice, then end()',
    run: (r, s) => (r.assignSocket(s), r.flushHeaders(), r.flushHeaders(), r.end()),
  },
  {
    name: 'Expect header flushes the block at once',
    run: async (r, s) => {
      r.assignSocket(s);
      r.setHeader('Expect', '100-continue');
      r.writeHead(200);
      await delay(2);
      r.__thrown.push(`bytes-before-end=${s.calls.length}`);
      r.end('late');
    },
  },
  {
    name: 'write after end: callback error then "error"',
    run: (r, s) => {
      r.assignSocket(s);
      r.end('x');
      r.__thrown.push(
        `ret=${r.write('y', (e: { code: string }) => r.__thrown.push(`cb:${e.code}`))}`,
      );
    },
  },
  {
    name: 'end(data) after end',
    run: (r, s) => (r.assignSocket(s), r.end('x'), r.end('y')),
  },
  {
    name: 'end(cb) after end: ERR_STREAM_ALREADY_FINISHED once finished',
    run: async (r, s) => {
      r.assignSocket(s);
      r.end('x', () => r.__thrown.push('first'));
      r.end((e?: { code: string }) => r.__thrown.push(`second:${e?.code}`));
      await delay(2);
      r.end((e?: { code: string }) => r.__thrown.push(`third:${e?.code}`));
    },
  },
  {
    name: 'write(null) and write(number) throw',
    run: (r, s) => {
      r.assignSocket(s);
      attempt(r, () => r.write(null));
      attempt(r, () => r.write(1));
      attempt(r, () => r.end(1));
      attempt(r, () => r.write({}));
      r.end();
    },
  },
  {
    name: 'strictContentLength: too much on write, too little on end',
    run: (r, s) => {
      r.assignSocket(s);
      r.strictContentLength = true;
      r.setHeader('Content-Length', 3);
      r.write('ab');
      attempt(r, () => r.write('cd'));
      attempt(r, () => r.end());
    },
  },
  {
    name: 'strictContentLength: end(data) must match exactly',
    run: (r, s) => {
      r.assignSocket(s);
      r.strictContentLength = true;
      r.setHeader('Content-Length', 3);
      attempt(r, () => r.end('ab'));
    },
  },
  {
    name: 'strictContentLength: exact body passes',
    run: (r, s) => {
      r.assignSocket(s);
      r.strictContentLength = true;
      r.setHeader('Content-Length', 4);
      r.write('ab');
      r.end('cd');
    },
  },
  {
    name: 'strictContentLength ignored with chunked framing',
    run: (r, s) => (r.assignSocket(s), (r.strictContentLength = true), r.write('ab'), r.end('cd')),
  },
  {
    name: 'headers after they are sent',
    run: (r, s) => {
      r.assignSocket(s);
      r.setHeader('a', 'b');
      r.write('x');
      attempt(r, () => r.setHeader('c', 'd'));
      attempt(r, () => r.appendHeader('a', 'x'));
      attempt(r, () => r.removeHeader('a'));
      attempt(r, () => r.setHeaders(new Map()));
      attempt(r, () => r._renderHeaders());
      r.__thrown.push(JSON.stringify({ ...r.getHeaders() }));
      r.end();
    },
  },
  {
    name: 'cork() before the socket is handed over',
    run: (r, s) => {
      r.cork();
      r.write('a');
      r.assignSocket(s);
      r.write('b');
      r.__thrown.push(`corked=${r.writableCorked}`);
      r.uncork();
      r.end();
    },
  },
  {
    name: 'cork/uncork around writes',
    run: async (r, s) => {
      r.assignSocket(s);
      r.write('x');
      await delay(2);
      r.cork();
      r.write('a');
      r.write('b');
      r.__thrown.push(`corked=${r.writableCorked}`);
      r.uncork();
      r.end();
    },
  },
  {
    name: 'getters over a life cycle',
    run: async (r, s) => {
      const snap = () =>
        r.__thrown.push(
          JSON.stringify([
            r.headersSent,
            r.writableEnded,
            r.writableFinished,
            r.writableLength,
            r.writableHighWaterMark,
            r.writableCorked,
            r.writableObjectMode,
            r.writableNeedDrain,
            r.finished,
            r.connection === r.socket,
          ]),
        );
      snap();
      r.write('abc');
      snap();
      r.assignSocket(s);
      snap();
      r.end();
      snap();
      await delay(2);
      snap();
    },
  },
  {
    name: 'destroy() before the socket: destroyed when it arrives',
    run: (r, s) => {
      s.on('close', () => r.__thrown.push('socket closed'));
      r.destroy();
      r.__thrown.push(`destroyed=${r.destroyed}`);
      r.assignSocket(s);
    },
  },
  {
    name: 'write after destroy: ERR_STREAM_DESTROYED to the callback, no "error"',
    run: (r, s) => {
      r.assignSocket(s);
      r.destroy();
      r.__thrown.push(
        `ret=${r.write('x', (e: { code: string }) => r.__thrown.push(`cb:${e.code}`))}`,
      );
    },
  },
  {
    name: 'caller sets both Transfer-Encoding: chunked and Content-Length',
    run: (r, s) => {
      r.assignSocket(s);
      r.setHeader('Transfer-Encoding', 'chunked');
      r.setHeader('Content-Length', 3);
      r.write('abc');
      r.end();
    },
  },
  {
    name: 'Content-Length given as a string',
    run: (r, s) => (r.assignSocket(s), r.setHeader('Content-Length', '5'), r.end('hello')),
  },
  {
    name: '101 Switching Protocols: no body, no framing',
    run: (r, s) => {
      r.assignSocket(s);
      r.writeHead(101, { Connection: 'Upgrade', Upgrade: 'websocket' });
      r.end();
    },
  },
  {
    name: 'addTrailers twice: the last call wins',
    run: (r, s) => {
      r.assignSocket(s);
      r.write('a');
      r.addTrailers({ 'X-One': '1' });
      r.addTrailers({ 'X-Two': '2' });
      r.end();
    },
  },
  {
    name: 'nested cork(): data waits for the last uncork()',
    run: async (r, s) => {
      r.assignSocket(s);
      r.write('x');
      await new Promise((resolve) => setImmediate(resolve));
      r.cork();
      r.cork();
      r.write('a');
      r.uncork();
      r.__thrown.push(`calls-while-corked=${s.calls.length}`);
      r.write('b');
      r.uncork();
      r.__thrown.push(`calls-after-uncork=${s.calls.length}`);
      r.end();
    },
  },
  {
    name: 'write callbacks and end callback run in order, after the data left',
    run: async (r, s) => {
      r.assignSocket(s);
      r.write('a', () => r.__thrown.push('cb a'));
      r.write(Buffer.from('b'), () => r.__thrown.push('cb b'));
      r.end('c', () => r.__thrown.push('cb end'));
      r.on('finish', () => r.__thrown.push('finish'));
      r.__thrown.push('sync done');
    },
  },
  {
    name: 'write callbacks of output queued before the socket',
    run: async (r, s) => {
      r.write('a', () => r.__thrown.push('cb a'));
      r.end(() => r.__thrown.push('cb end'));
      await delay(2);
      r.__thrown.push('assigning');
      r.assignSocket(s);
    },
  },
  {
    name: 'destroy() after end(): no error, socket destroyed',
    run: async (r, s) => {
      r.assignSocket(s);
      r.end('x');
      r.destroy();
      await delay(2);
      r.__thrown.push(`socket destroyed=${s.destroyed} errored=${r.errored}`);
    },
  },
  {
    name: 'pipe() emits ERR_STREAM_CANNOT_PIPE',
    run: (r, s) => (r.assignSocket(s), r.on('error', () => {}), r.pipe()),
  },
];

const compare = suite('same bytes and events as node:http');

for (const sc of scenarios) {
  compare(sc.name, async () => {
    const [major, minor] = sc.version ?? [1, 1];
    const method = sc.method ?? 'GET';
    const theirs = await observe(nodeResponse(method, major, minor), sc);
    const ours = await observe(
      new TestResponse({ method, httpVersionMajor: major, httpVersionMinor: minor }),
      sc,
    );
    const { calls: ourCalls, ...oursRest } = ours;
    const { calls: theirCalls, ...theirsRest } = theirs;
    assert.equal(oursRest, theirsRest);
    assert.ok(ourCalls <= theirCalls, `socket writes: ours ${ourCalls} > node ${theirCalls}`);
  });
}

compare.run();
