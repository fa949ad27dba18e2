// llhttp's lenient flags, each relaxing one strict rule on its own.

import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { LenientFlags } from '../src/index.ts';
import { expectEvents } from './helpers.ts';

const begin = 'message begin';
const L = LenientFlags;

test("flag values are llhttp's; INSECURE is what Node turns on for insecureHTTPParser", () => {
  assert.equal(
    [L.HEADERS, L.CHUNKED_LENGTH, L.KEEP_ALIVE, L.TRANSFER_ENCODING, L.VERSION, L.DATA_AFTER_CLOSE],
    [1, 2, 4, 8, 16, 32],
  );
  assert.equal(
    [
      L.OPTIONAL_LF_AFTER_CR,
      L.OPTIONAL_CRLF_AFTER_CHUNK,
      L.OPTIONAL_CR_BEFORE_LF,
      L.SPACES_AFTER_CHUNK_SIZE,
    ],
    [64, 128, 256, 512],
  );
  assert.is(L.HEADER_VALUE_RELAXED, 1024);
  // the constants of Node's own binding (Node 20: llhttp 9.3.1)
  const emit = process.emitWarning;
  process.emitWarning = (() => {}) as typeof process.emitWarning;
  const { HTTPParser: Node } = (process as any).binding('http_parser');
  process.emitWarning = emit;
  assert.equal(
    [
      Node.kLenientHeaders,
      Node.kLenientChunkedLength,
      Node.kLenientKeepAlive,
      Node.kLenientTransferEncoding,
      Node.kLenientVersion,
      Node.kLenientDataAfterClose,
      Node.kLenientOptionalLFAfterCR,
      Node.kLenientOptionalCRLFAfterChunk,
      Node.kLenientOptionalCRBeforeLF,
      Node.kLenientSpacesAfterChunkSize,
    ],
    [
      L.HEADERS,
      L.CHUNKED_LENGTH,
      L.KEEP_ALIVE,
      L.TRANSFER_ENCODING,
      L.VERSION,
      L.DATA_AFTER_CLOSE,
      L.OPTIONAL_LF_AFTER_CR,
      L.OPTIONAL_CRLF_AFTER_CHUNK,
      L.OPTIONAL_CR_BEFORE_LF,
      L.SPACES_AFTER_CHUNK_SIZE,
    ],
  );
  // insecureHTTPParser: Node passes kLenientAll
  assert.is(L.INSECURE, Node.kLenientAll);
});

test('HEADERS: obs-fold joins the value, any byte in values, spaces before a special colon', () => {
  expectEvents(
    'request',
    'GET / HTTP/1.1\r\nX: a\r\n b\r\n\r\n',
    [
      begin,
      'headers complete GET / 1.1 ["X","a b"] upgrade=false keep-alive=true',
      'message complete',
    ],
    { lenient: L.HEADERS },
  );
  expectEvents(
    'request',
    'GET / HTTP/1.1\r\nX: a\x01b\r\n\r\n',
    [
      begin,
      'headers complete GET / 1.1 ["X","a\\u0001b"] upgrade=false keep-alive=true',
      'message complete',
    ],
    { lenient: L.HEADERS },
  );
  expectEvents(
    'request',
    'POST / HTTP/1.1\r\nContent-Length : 2\r\n\r\nhi',
    [
      begin,
      'headers complete POST / 1.1 ["Content-Length ","2"] upgrade=false keep-alive=true',
      'body "hi"',
      'message complete',
    ],
    { lenient: L.HEADERS },
  );
});

test('CHUNKED_LENGTH: Content-Length with Transfer-Encoding (chunked wins)', () => {
  expectEvents(
    'request',
    'POST / HTTP/1.1\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhi\r\n0\r\n\r\n',
    [
      begin,
      'headers complete POST / 1.1 ["Content-Length","5","Transfer-Encoding","chunked"] upgrade=false keep-alive=true',
      'body "hi"',
      'message complete',
    ],
    { lenient: L.CHUNKED_LENGTH },
  );
});

test('KEEP_ALIVE: go on after Connection: close', () => {
  expectEvents(
    'request',
    'GET / HTTP/1.1\r\nConnection: close\r\n\r\nGET /2 HTTP/1.1\r\n\r\n',
    [
      begin,
      'headers complete GET / 1.1 ["Connection","close"] upgrade=false keep-alive=false',
      'message complete',
      begin,
      'headers complete GET /2 1.1 [] upgrade=false keep-alive=true',
      'message complete',
    ],
    { lenient: L.KEEP_ALIVE },
  );
});

test('TRANSFER_ENCODING: a request body not ending in chunked is read until EOF', () => {
  expectEvents(
    'request',
    'POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\nabc',
    [
      begin,
      'headers complete POST / 1.1 ["Transfer-Encoding","gzip"] upgrade=false keep-alive=true',
      'body "abc"',
      'message complete',
      'eof',
    ],
    { lenient: L.TRANSFER_ENCODING, eof: true },
  );
});

test('VERSION: any digit.digit', () => {
  expectEvents(
    'request',
    'GET / HTTP/1.2\r\n\r\n',
    [begin, 'headers complete GET / 1.2 [] upgrade=false keep-alive=true', 'message complete'],
    { lenient: L.VERSION },
  );
});

test('DATA_AFTER_CLOSE: bytes after a closing message are ignored', () => {
  expectEvents(
    'request',
    'GET / HTTP/1.1\r\nConnection: close\r\n\r\nGARBAGE',
    [
      begin,
      'headers complete GET / 1.1 ["Connection","close"] upgrade=false keep-alive=false',
      'message complete',
    ],
    { lenient: L.DATA_AFTER_CLOSE },
  );
});

test('OPTIONAL_LF_AFTER_CR: a CR alone ends a line', () => {
  expectEvents(
    'request',
    'GET / HTTP/1.1\rHost: a\r\n\r\n',
    [
      begin,
      'headers complete GET / 1.1 ["Host","a"] upgrade=false keep-alive=true',
      'message complete',
    ],
    { lenient: L.OPTIONAL_LF_AFTER_CR },
  );
});

test('OPTIONAL_LF_AFTER_CR: a CR alone before a body, a chunk and the next message (checked against llhttp)', () => {
  // Fed one byte at a time, the byte after each lone CR starts an execute()
  // call that goes straight on to the body, the chunk data or the next message.
  expectEvents(
    'request',
    'POST / HTTP/1.1\r\nContent-Length: 2\r\n\rhiGET / HTTP/1.1\r\n\rGET /b HTTP/1.1\r\n\r\n',
    [
      begin,
      'headers complete POST / 1.1 ["Content-Length","2"] upgrade=false keep-alive=true',
      'body "hi"',
      'message complete',
      begin,
      'headers complete GET / 1.1 [] upgrade=false keep-alive=true',
      'message complete',
      begin,
      'headers complete GET /b 1.1 [] upgrade=false keep-alive=true',
      'message complete',
    ],
    { lenient: L.OPTIONAL_LF_AFTER_CR },
  );
  expectEvents(
    'request',
    'POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n2\rhi\r\n0\r\r\rGET / HTTP/1.1\r\n\r\n',
    [
      begin,
      'headers complete POST / 1.1 ["Transfer-Encoding","chunked"] upgrade=false keep-alive=true',
      'body "hi"',
      'message complete',
      begin,
      'headers complete GET / 1.1 [] upgrade=false keep-alive=true',
      'message complete',
    ],
    { lenient: L.OPTIONAL_LF_AFTER_CR },
  );
});

test('OPTIONAL_CRLF_AFTER_CHUNK: chunk data not followed by CRLF', () => {
  expectEvents(
    'request',
    'POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhi0\r\n\r\n',
    [
      begin,
      'headers complete POST / 1.1 ["Transfer-Encoding","chunked"] upgrade=false keep-alive=true',
      'body "hi"',
      'message complete',
    ],
    { lenient: L.OPTIONAL_CRLF_AFTER_CHUNK },
  );
});

test('OPTIONAL_CR_BEFORE_LF: a bare LF ends a field line (the request-line still needs CR: llhttp)', () => {
  expectEvents(
    'request',
    'GET / HTTP/1.1\r\nHost: a\n\n',
    [
      begin,
      'headers complete GET / 1.1 ["Host","a"] upgrade=false keep-alive=true',
      'message complete',
    ],
    { lenient: L.OPTIONAL_CR_BEFORE_LF },
  );
  expectEvents(
    'request',
    'GET / HTTP/1.1\nHost: a\n\n',
    [begin, 'error HPE_STRICT "Expected CRLF after version" at 15'],
    { lenient: L.OPTIONAL_CR_BEFORE_LF },
  );
  // with OPTIONAL_LF_AFTER_CR as well (both are in INSECURE) bare LFs work everywhere
  expectEvents(
    'request',
    'GET / HTTP/1.1\nHost: a\n\n',
    [
      begin,
      'headers complete GET / 1.1 ["Host","a"] upgrade=false keep-alive=true',
      'message complete',
    ],
    { lenient: L.INSECURE },
  );
});

test('SPACES_AFTER_CHUNK_SIZE', () => {
  expectEvents(
    'request',
    'POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n2 \r\nhi\r\n0\r\n\r\n',
    [
      begin,
      'headers complete POST / 1.1 ["Transfer-Encoding","chunked"] upgrade=false keep-alive=true',
      'body "hi"',
      'message complete',
    ],
    { lenient: L.SPACES_AFTER_CHUNK_SIZE },
  );
});

test('HEADER_VALUE_RELAXED (current llhttp): control bytes but NUL, CR, LF in values', () => {
  expectEvents(
    'request',
    'GET / HTTP/1.1\r\nX: a\x01b\x7f\r\n\r\n',
    [
      begin,
      `headers complete GET / 1.1 ${JSON.stringify(['X', 'a\x01b\x7f'])} upgrade=false keep-alive=true`,
      'message complete',
    ],
    { lenient: L.HEADER_VALUE_RELAXED },
  );
  expectEvents(
    'request',
    'GET / HTTP/1.1\r\nX: a\x00b\r\n\r\n',
    [begin, 'error HPE_INVALID_HEADER_TOKEN "Invalid header value char" at 20'],
    { lenient: L.HEADER_VALUE_RELAXED },
  );
});

test('each flag alone leaves the other rules strict', () => {
  expectEvents(
    'request',
    'GET / HTTP/1.1\r\nX: a\r\n b\r\n\r\n',
    [begin, 'error HPE_INVALID_HEADER_TOKEN "Unexpected whitespace after header value" at 22'],
    { lenient: L.ALL & ~L.HEADERS },
  );
  expectEvents(
    'request',
    'GET / HTTP/1.2\r\n\r\n',
    [begin, 'error HPE_INVALID_VERSION "Invalid HTTP version" at 14'],
    { lenient: L.ALL & ~L.VERSION },
  );
});

test.run();
