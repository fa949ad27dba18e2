// Request-smuggling defences (RFC 9112 §6.1, §6.3, §11.2): each rejected with llhttp's code.
import { test } from 'uvu';
import { expectEvents } from './helpers.ts';

const begin = 'message begin';

test('Content-Length together with Transfer-Encoding', () => {
  expectEvents(
    'request',
    'POST / HTTP/1.1\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n',
    [
      begin,
      'error HPE_INVALID_TRANSFER_ENCODING "Transfer-Encoding can\'t be present with Content-Length" at 54',
    ],
  );
  expectEvents(
    'request',
    'POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n',
    [
      begin,
      'error HPE_INVALID_CONTENT_LENGTH "Content-Length can\'t be present with Transfer-Encoding" at 60',
    ],
  );
});

test('repeated or invalid Content-Length', () => {
  expectEvents('request', 'POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\n', [
    begin,
    'error HPE_UNEXPECTED_CONTENT_LENGTH "Duplicate Content-Length" at 52',
  ]);
  expectEvents('request', 'POST / HTTP/1.1\r\nContent-Length: 1,1\r\n\r\n', [
    begin,
    'error HPE_INVALID_CONTENT_LENGTH "Invalid character in Content-Length" at 34',
  ]);
  expectEvents('request', 'POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n', [
    begin,
    'error HPE_INVALID_CONTENT_LENGTH "Invalid character in Content-Length" at 33',
  ]);
  expectEvents('request', 'POST / HTTP/1.1\r\nContent-Length:\r\n\r\n', [
    begin,
    'error HPE_INVALID_CONTENT_LENGTH "Empty Content-Length" at 34',
  ]);
});

test('request Transfer-Encoding that does not end in chunked', () => {
  expectEvents('request', 'POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n', [
    begin,
    'headers complete POST / 1.1 ["Transfer-Encoding","gzip"] upgrade=false keep-alive=true',
    'error HPE_INVALID_TRANSFER_ENCODING "Request has invalid `Transfer-Encoding`" at 44',
  ]);
  expectEvents('request', 'POST / HTTP/1.1\r\nTransfer-Encoding: chunked, gzip\r\n\r\n', [
    begin,
    'error HPE_INVALID_TRANSFER_ENCODING "Invalid `Transfer-Encoding` header value" at 44',
  ]);
  expectEvents(
    'request',
    'POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: gzip\r\n\r\n',
    [begin, 'error HPE_INVALID_TRANSFER_ENCODING "Invalid `Transfer-Encoding` header value" at 65'],
  );
  // gzip first, chunked last is fine
  expectEvents('request', 'POST / HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n', [
    begin,
    'headers complete POST / 1.1 ["Transfer-Encoding","gzip, chunked"] upgrade=false keep-alive=true',
    'message complete',
  ]);
});

test('obs-fold (a field line starting with whitespace)', () => {
  expectEvents('request', 'GET / HTTP/1.1\r\nX: a\r\n b\r\n\r\n', [
    begin,
    'error HPE_INVALID_HEADER_TOKEN "Unexpected whitespace after header value" at 22',
  ]);
  expectEvents('request', 'GET / HTTP/1.1\r\n Host: a\r\n\r\n', [
    begin,
    'error HPE_UNEXPECTED_SPACE "Unexpected space after start line" at 17',
  ]);
});

test('bare CR or bare LF', () => {
  expectEvents('request', 'GET / HTTP/1.1\r\nX: a\rb\r\n\r\n', [
    begin,
    'error HPE_LF_EXPECTED "Missing expected LF after header value" at 21',
  ]);
  expectEvents('request', 'GET / HTTP/1.1\r\nX: a\nY: b\r\n\r\n', [
    begin,
    'error HPE_CR_EXPECTED "Missing expected CR after header value" at 20',
  ]);
  expectEvents('request', 'GET / HTTP/1.1\nX: a\r\n\r\n', [
    begin,
    'error HPE_INVALID_VERSION "Expected CRLF after version" at 15',
  ]);
  expectEvents('request', 'GET / HTTP/1.1\r\n\r\r\n', [
    begin,
    'error HPE_STRICT "Expected LF after headers" at 17',
  ]);
});

test('whitespace between field name and colon', () => {
  expectEvents('request', 'GET / HTTP/1.1\r\nHost : a\r\n\r\n', [
    begin,
    'error HPE_INVALID_HEADER_TOKEN "Invalid header token" at 20',
  ]);
  expectEvents('request', 'POST / HTTP/1.1\r\nContent-Length : 5\r\n\r\n', [
    begin,
    'error HPE_INVALID_HEADER_TOKEN "Invalid header field char" at 32',
  ]);
});

test('invalid bytes in field names and values', () => {
  expectEvents('request', 'GET / HTTP/1.1\r\nX(y): a\r\n\r\n', [
    begin,
    'error HPE_INVALID_HEADER_TOKEN "Invalid header token" at 17',
  ]);
  expectEvents('request', 'GET / HTTP/1.1\r\nX: a\x01b\r\n\r\n', [
    begin,
    'error HPE_INVALID_HEADER_TOKEN "Invalid header value char" at 20',
  ]);
  expectEvents('request', 'GET / HTTP/1.1\r\nX: a\x7fb\r\n\r\n', [
    begin,
    'error HPE_INVALID_HEADER_TOKEN "Invalid header value char" at 20',
  ]);
  expectEvents('request', 'GET / HTTP/1.1\r\n: a\r\n\r\n', [
    begin,
    'error HPE_INVALID_HEADER_TOKEN "Invalid header token" at 16',
  ]);
});

test('NUL anywhere is rejected', () => {
  expectEvents('request', '\x00GET / HTTP/1.1\r\n\r\n', [
    begin,
    'error HPE_INVALID_METHOD "Invalid method encountered" at 0',
  ]);
  expectEvents('request', 'GET /\x00 HTTP/1.1\r\n\r\n', [
    begin,
    'error HPE_INVALID_URL "Invalid char in url path" at 5',
  ]);
  expectEvents('request', 'GET / HTTP/1.1\r\nX\x00: a\r\n\r\n', [
    begin,
    'error HPE_INVALID_HEADER_TOKEN "Invalid header token" at 17',
  ]);
  expectEvents('request', 'GET / HTTP/1.1\r\nX: \x00\r\n\r\n', [
    begin,
    'error HPE_INVALID_HEADER_TOKEN "Invalid header value char" at 19',
  ]);
  expectEvents('request', 'POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5;\x00\r\n', [
    begin,
    'headers complete POST / 1.1 ["Transfer-Encoding","chunked"] upgrade=false keep-alive=true',
    'error HPE_STRICT "Invalid character in chunk extensions name" at 50',
  ]);
});

test.run();
