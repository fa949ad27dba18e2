// RFC 9112 §3: request-line = method SP request-target SP HTTP-version CRLF
import { test } from 'uvu';
import { expectEvents } from './helpers.ts';

test('origin-form GET', () => {
  expectEvents('request', 'GET /index.html?q=1 HTTP/1.1\r\nHost: example.com\r\n\r\n', [
    'message begin',
    'headers complete GET /index.html?q=1 1.1 ["Host","example.com"] upgrade=false keep-alive=true',
    'message complete',
  ]);
});

test('an invalid method fails at the first byte that leaves every method name', () => {
  expectEvents('request', 'GEX / HTTP/1.1\r\n\r\n', [
    'message begin',
    'error HPE_INVALID_METHOD "Invalid method encountered" at 2',
  ]);
  expectEvents('request', 'GETX / HTTP/1.1\r\n\r\n', [
    'message begin',
    'error HPE_INVALID_METHOD "Expected space after method" at 3',
  ]);
});

test.run();
