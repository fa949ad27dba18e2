// Where llhttp 9.3.1 (in Node 20) and current llhttp differ, we follow
// current llhttp. Each case below shows both: the default (current llhttp)
// and `llhttp931 = true`, the switch the differential fuzzer uses to demand
// exact agreement with Node 20's binding.

import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { HTTPParser, type ParseError } from '../src/index.ts';
import { expectEvents, sameWhenSplit } from './helpers.ts';

function outcome(input: string, old: boolean, type: 'request' | 'response' = 'request'): string {
  const p = new HTTPParser(type);
  p.llhttp931 = old;
  let keep = '';
  p.onHeadersComplete = (_a, _b, headers, _m, _u, _s, _sm, _up, keepAlive) => {
    keep = `${JSON.stringify(headers)} keep-alive=${keepAlive}`;
  };
  const r = p.execute(Buffer.from(input, 'latin1'));
  if (!old) sameWhenSplit(type, input);
  return typeof r === 'number'
    ? `ok ${keep}`
    : `${r.code} ${(r as ParseError).reason} at ${r.bytesParsed}`;
}

test('HTAB after a Content-Length value is OWS (9.3.1: invalid character)', () => {
  const input = 'POST / HTTP/1.1\r\nContent-Length: 1\t\r\n\r\nx';
  assert.is(outcome(input, false), 'ok ["Content-Length","1"] keep-alive=true');
  assert.is(
    outcome(input, true),
    'HPE_INVALID_CONTENT_LENGTH Invalid character in Content-Length at 34',
  );
});

test('HTAB after a Connection option is OWS (9.3.1: the option is not recognised)', () => {
  const input = 'GET / HTTP/1.1\r\nConnection: close\t\r\n\r\n';
  assert.is(outcome(input, false), 'ok ["Connection","close"] keep-alive=false');
  assert.is(outcome(input, true), 'ok ["Connection","close"] keep-alive=true');
});

test('a request-line ended by a bare LF is HPE_CR_EXPECTED (9.3.1: an HTTP/0.9 request)', () => {
  expectEvents('request', 'GET /\n\n', [
    'message begin',
    'error HPE_CR_EXPECTED "Missing expected CR after request line" at 6',
  ]);
  assert.is(outcome('GET /\r\n\r\n', true), 'ok [] keep-alive=false');
});

test('an empty Transfer-Encoding is an error (9.3.1: ignored)', () => {
  const input = 'POST / HTTP/1.1\r\nTransfer-Encoding:\r\n\r\n';
  assert.is(outcome(input, false), 'HPE_INVALID_TRANSFER_ENCODING Empty Transfer-Encoding at 37');
  assert.is(outcome(input, true), 'ok ["Transfer-Encoding",""] keep-alive=true');
});

test('CR CR after a status-line is not a line end (9.3.1 took the second CR as LF)', () => {
  const input = 'HTTP/1.1 200 OK\r\rX: y\r\n\r\n';
  assert.is(outcome(input, false, 'response'), 'HPE_STRICT Expected LF after CR at 16');
  assert.is(outcome(input, true, 'response'), 'ok ["X","y"] keep-alive=false');
});

test('LenientFlags.HEADER_VALUE_RELAXED exists only in current llhttp (see lenient.test.ts)', () => {
  const p = new HTTPParser('request', { lenient: 0x400 });
  assert.type(p.execute(Buffer.from('GET / HTTP/1.1\r\nX: \x01\r\n\r\n', 'latin1')), 'number');
});

test.run();
