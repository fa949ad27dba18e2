// RFC 9112 §4: status-line = HTTP-version SP status-code SP [ reason-phrase ] CRLF
import { test } from 'uvu';
import { expectEvents } from './helpers.ts';

test('status-line with a reason phrase', () => {
  expectEvents('response', 'HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n', [
    'message begin',
    'headers complete 1.1 404 "Not Found" ["Content-Length","0"] upgrade=false keep-alive=true',
    'message complete',
  ]);
});

test('empty reason phrase (SP then CRLF) and missing reason phrase (no SP)', () => {
  const expected = [
    'message begin',
    'headers complete 1.1 200 "" ["Content-Length","0"] upgrade=false keep-alive=true',
    'message complete',
  ];
  expectEvents('response', 'HTTP/1.1 200 \r\nContent-Length: 0\r\n\r\n', expected);
  expectEvents('response', 'HTTP/1.1 200\r\nContent-Length: 0\r\n\r\n', expected);
});

test('the reason phrase may hold any byte but CR and LF (as llhttp)', () => {
  expectEvents('response', 'HTTP/1.1 200 O\x00K\xe9\r\nContent-Length: 0\r\n\r\n', [
    'message begin',
    'headers complete 1.1 200 "O\\u0000Ké" ["Content-Length","0"] upgrade=false keep-alive=true',
    'message complete',
  ]);
});

test('status-code is exactly three digits', () => {
  expectEvents('response', 'HTTP/1.1 20\r\n\r\n', [
    'message begin',
    'error HPE_INVALID_STATUS "Invalid status code" at 11',
  ]);
  expectEvents('response', 'HTTP/1.1 2000 OK\r\n\r\n', [
    'message begin',
    'error HPE_INVALID_STATUS "Invalid response status" at 12',
  ]);
});

test('protocol must be HTTP/, RTSP/ or ICE/', () => {
  expectEvents('response', 'HTP/1.1 200 OK\r\n\r\n', [
    'message begin',
    'error HPE_INVALID_CONSTANT "Expected HTTP/, RTSP/ or ICE/" at 2',
  ]);
  expectEvents('response', 'HTTP/1.1200 OK\r\n\r\n', [
    'message begin',
    'error HPE_INVALID_VERSION "Expected space after version" at 8',
  ]);
});

test("'both' mode: HTTP/ starts a response, anything else a request", () => {
  expectEvents('both', 'HTTP/1.1 204 No Content\r\n\r\n', [
    'message begin',
    'headers complete 1.1 204 "No Content" [] upgrade=false keep-alive=true',
    'message complete',
  ]);
  expectEvents('both', 'HEAD / HTTP/1.1\r\n\r\n', [
    'message begin',
    'headers complete HEAD / 1.1 [] upgrade=false keep-alive=true',
    'message complete',
  ]);
  expectEvents('both', 'POST / HTTP/1.1\r\nContent-Length: 2\r\n\r\nhi', [
    'message begin',
    'headers complete POST / 1.1 ["Content-Length","2"] upgrade=false keep-alive=true',
    'body "hi"',
    'message complete',
  ]);
  expectEvents('both', 'HTXP/1.1 200 OK\r\n\r\n', [
    'message begin',
    'error HPE_INVALID_CONSTANT "Invalid word encountered" at 2',
  ]);
});

test.run();
