// Limits (maxHeaderSize, maxHeadersCount), error objects, pause/resume.

import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { bindingError, HTTPParser, LenientFlags, ParseError } from '../src/index.ts';
import { bytes, expectEvents, runPieces, sameWhenSplit } from './helpers.ts';

const begin = 'message begin';

test('maxHeaderSize counts request-target, reason, names and values; default 16384', () => {
  // url "/" (1) + "X" (1) + value: 19 bytes fit under 20, 20 do not (as Node's binding)
  expectEvents(
    'request',
    `GET / HTTP/1.1\r\nX: ${'a'.repeat(17)}\r\n\r\n`,
    [
      begin,
      `headers complete GET / 1.1 ["X","${'a'.repeat(17)}"] upgrade=false keep-alive=true`,
      'message complete',
    ],
    { maxHeaderSize: 20 },
  );
  // 20 bytes: overflow, counted when the value ends (its CR is byte 37, so at 38 as Node's binding)
  assert.equal(
    runPieces('request', [bytes(`GET / HTTP/1.1\r\nX: ${'a'.repeat(18)}\r\n\r\n`)], {
      maxHeaderSize: 20,
    }),
    [begin, 'error HPE_HEADER_OVERFLOW "Header overflow" at 38'],
  );
  const p = new HTTPParser('request');
  assert.is(p.maxHeaderSize, 16384);
  const r = p.execute(Buffer.from(`GET / HTTP/1.1\r\nX: ${'a'.repeat(16400)}\r\n\r\n`));
  assert.instance(r, ParseError);
  assert.is((r as ParseError).code, 'HPE_HEADER_OVERFLOW');
});

test('a header overflow is reported where Node’s binding reports it (so it follows the split)', () => {
  // Node's binding counts a span when it ends, or when the input does with the span open, and
  // fails there: bytesParsed is 1 past the CR ending a value, or the whole chunk.
  const text = `GET / HTTP/1.1\r\nX: ${'a'.repeat(16400)}\r\n\r\n`; // value: bytes 19..16418
  const at = (pieces: Buffer[]) => runPieces('request', pieces).at(-1);
  const whole = bytes(text);
  assert.is(at([whole]), 'error HPE_HEADER_OVERFLOW "Header overflow" at 16420');
  // url "/" + name "X" + 16382 bytes of value reach 16384 at byte 16400: that 1-byte chunk's end
  const single: Buffer[] = [];
  for (let k = 0; k < whole.length; k++) single.push(whole.subarray(k, k + 1));
  assert.is(at(single), 'error HPE_HEADER_OVERFLOW "Header overflow" at 16401');
  // test-http-header-overflow.js: the value still open at the end of the only chunk
  const open = bytes(`GET /blah HTTP/1.1\r\nCookie: ${'a'.repeat(16377)}`);
  const r = new HTTPParser('request').execute(open) as ParseError;
  assert.is(r.code, 'HPE_HEADER_OVERFLOW');
  assert.is(r.bytesParsed, open.length);
  assert.equal(r.rawPacket, open);
  // A name ends at ':' (counted 1 past it); a request-target at the SP after it (counted there).
  expectNodePosition(`GET / HTTP/1.1\r\n${'N'.repeat(25)}: a\r\n\r\n`, 20, 42);
  expectNodePosition(`GET /${'u'.repeat(33)} HTTP/1.1\r\nX: a\r\n\r\n`, 20, 38);
  // A value ended by a bare LF (lenient) is handed over at the LF itself.
  const lf = runPieces('request', [bytes(`GET / HTTP/1.1\r\nX: ${'a'.repeat(18)}\n\r\n`)], {
    maxHeaderSize: 20,
    lenient: LenientFlags.OPTIONAL_CR_BEFORE_LF,
  });
  assert.is(lf.at(-1), 'error HPE_HEADER_OVERFLOW "Header overflow" at 37');
  // A reason phrase ended by a bare LF is handed over once the LF is consumed (byte 28 here).
  const status = runPieces('response', [bytes('HTTP/1.0 101 weird \x01 reason\n\r\n')], {
    maxHeaderSize: 10,
  });
  assert.is(status.at(-1), 'error HPE_HEADER_OVERFLOW "Header overflow" at 28');
  // An error inside a value hands the value over first: the overflow wins, at the error.
  expectNodePosition(`GET / HTTP/1.1\r\nX: ${'a'.repeat(30)}\x00\r\n\r\n`, 20, 49);
  // An error inside a name comes first: the name is not counted.
  const bad = runPieces('request', [bytes(`GET / HTTP/1.1\r\n${'N'.repeat(30)}\x00: a\r\n\r\n`)], {
    maxHeaderSize: 20,
  });
  assert.is(bad.at(-1), 'error HPE_INVALID_HEADER_TOKEN "Invalid header token" at 46');
});

function expectNodePosition(text: string, maxHeaderSize: number, position: number): void {
  const events = runPieces('request', [bytes(text)], { maxHeaderSize });
  assert.is(events.at(-1), `error HPE_HEADER_OVERFLOW "Header overflow" at ${position}`, text);
}

test('the budget is per message', () => {
  const one = `GET / HTTP/1.1\r\nX: ${'a'.repeat(13)}\r\n\r\n`;
  expectEvents(
    'request',
    one + one,
    [
      begin,
      `headers complete GET / 1.1 ["X","${'a'.repeat(13)}"] upgrade=false keep-alive=true`,
      'message complete',
      begin,
      `headers complete GET / 1.1 ["X","${'a'.repeat(13)}"] upgrade=false keep-alive=true`,
      'message complete',
    ],
    { maxHeaderSize: 20 },
  );
});

test('chunk extensions are capped at 16 KiB per chunk (HPE_CHUNK_EXTENSIONS_OVERFLOW, as Node)', () => {
  const head = 'POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n';
  const p = new HTTPParser('request');
  assert.type(p.execute(Buffer.from(`${head}1;${'a'.repeat(16384)}\r\nx\r\n0\r\n\r\n`)), 'number');
  p.reset();
  const r = p.execute(Buffer.from(`${head}1;${'a'.repeat(16385)}\r\nx\r\n0\r\n\r\n`)) as ParseError;
  assert.is(r.code, 'HPE_CHUNK_EXTENSIONS_OVERFLOW');
  assert.is(r.reason, 'Chunk extensions overflow');
  const events = sameWhenSplit('request', `${head}1;${'a'.repeat(16385)}\r\nx\r\n0\r\n\r\n`);
  assert.is(
    events[events.length - 1],
    'error HPE_CHUNK_EXTENSIONS_OVERFLOW "Chunk extensions overflow" at 16434',
  ); // just after the 16385th byte
});

test('maxHeadersCount keeps the first N fields and drops the rest silently', () => {
  expectEvents(
    'request',
    'GET / HTTP/1.1\r\nA: 1\r\nB: 2\r\nContent-Length: 1\r\n\r\nx',
    [
      begin,
      'headers complete GET / 1.1 ["A","1","B","2"] upgrade=false keep-alive=true',
      'body "x"',
      'message complete',
    ],
    { maxHeadersCount: 2 },
  );
});

test('ParseError: code, reason, bytesParsed, rawPacket, message', () => {
  const p = new HTTPParser('request');
  const packet = Buffer.from('GET / HTTP/1.1\r\nHost : x\r\n\r\n');
  const err = p.execute(packet) as ParseError;
  assert.instance(err, ParseError);
  assert.instance(err, Error);
  assert.is(err.code, 'HPE_INVALID_HEADER_TOKEN');
  assert.is(err.reason, 'Invalid header token');
  assert.is(err.bytesParsed, 20);
  assert.is(err.rawPacket, packet);
  assert.is(err.message, 'Parse Error: Invalid header token');
  sameWhenSplit('request', packet);
  const eof = new HTTPParser('request');
  eof.execute(Buffer.from('GET / HTTP/1.1\r\n'));
  const e2 = eof.finish() as ParseError;
  assert.is(e2.code, 'HPE_INVALID_EOF_STATE');
  assert.is(e2.reason, 'Invalid EOF state');
  assert.is(e2.bytesParsed, 0);
});

test("bindingError: the failure in the form Node's binding returns it, before prepareError", () => {
  const eof = new HTTPParser('request');
  eof.execute(Buffer.from('POST / HTTP/1.1\r\nContent-Length: 9\r\n\r\nab'));
  const e = eof.finish() as ParseError;
  const plain = bindingError(e.code, e.reason, e.bytesParsed) as Error & Record<string, unknown>;
  assert.ok(plain instanceof Error && !(plain instanceof ParseError));
  assert.is(plain.message, 'Parse Error');
  // Own keys in the binding's order, and no rawPacket (node:http's EOF clientError).
  assert.equal(Object.keys(plain), ['bytesParsed', 'code', 'reason']);
  assert.equal(
    [plain.bytesParsed, plain.code, plain.reason],
    [0, 'HPE_INVALID_EOF_STATE', 'Invalid EOF state'],
  );
});

test('header values lose trailing whitespace; names keep their case; raw order kept', () => {
  expectEvents('request', 'GET / HTTP/1.1\r\nX-A:  one \t \r\nx-a:two\r\nEmpty:\r\n\r\n', [
    begin,
    'headers complete GET / 1.1 ["X-A","one","x-a","two","Empty",""] upgrade=false keep-alive=true',
    'message complete',
  ]);
});

test('pause() inside a callback stops execute after it; resume() continues', () => {
  const p = new HTTPParser('request');
  const events: string[] = [];
  p.onHeadersComplete = (_a, _b, _h, _m, url) => {
    events.push(`headers ${url}`);
    p.pause();
  };
  p.onBody = (b) => {
    events.push(`body ${b}`);
  };
  p.onMessageComplete = () => {
    events.push('complete');
  };
  const input = Buffer.from(
    'POST /1 HTTP/1.1\r\nContent-Length: 2\r\n\r\nhiGET /2 HTTP/1.1\r\n\r\n',
  );
  let at = 0;
  const steps: number[] = [];
  for (let guard = 0; at < input.length && guard < 10; guard++) {
    const r = p.execute(input.subarray(at));
    assert.type(r, 'number');
    steps.push(r as number);
    at += r as number;
    p.resume();
  }
  // paused in onHeadersComplete of /2: its completion waits for the next execute()
  assert.equal(steps, [39, 21]);
  assert.equal(events, ['headers /1', 'body hi', 'complete', 'headers /2']);
  assert.is(p.execute(Buffer.alloc(0)), 0);
  assert.equal(events, ['headers /1', 'body hi', 'complete', 'headers /2', 'complete']);
});

test('maxHeadersCount applies to trailers too', () => {
  expectEvents(
    'request',
    'POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nA: 1\r\nB: 2\r\n\r\n',
    [
      begin,
      'headers complete POST / 1.1 ["Transfer-Encoding","chunked"] upgrade=false keep-alive=true',
      'message complete trailers=["A","1"]',
    ],
    { maxHeadersCount: 1 },
  );
});

test('pause() in onBody and onMessageComplete', () => {
  const p = new HTTPParser('request');
  const seen: string[] = [];
  p.onBody = (b) => {
    seen.push(`body ${b}`);
    p.pause();
  };
  p.onMessageComplete = () => {
    seen.push('complete');
    p.pause();
  };
  const input = Buffer.from(
    'POST / HTTP/1.1\r\nContent-Length: 3\r\n\r\nabcGET / HTTP/1.1\r\n\r\n',
  );
  const steps: unknown[] = [];
  let at = 0;
  for (let guard = 0; guard < 6 && at <= input.length; guard++) {
    const r = p.execute(input.subarray(at)) as number;
    steps.push(r);
    at += r;
    p.resume();
    if (at === input.length && seen.length === 3) break;
  }
  assert.equal(seen, ['body abc', 'complete', 'complete']);
  // paused after the body: its completion comes with the next call
  assert.equal(steps, [41, 0, 18]);
});

test.run();
