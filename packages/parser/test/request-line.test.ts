// RFC 9112 §3: request-line = method SP request-target SP HTTP-version CRLF
import { METHODS } from '@strata-http/headers';
import { test } from 'uvu';
import { expectEvents } from './helpers.ts';

const GET = (line: string) => [
  'message begin',
  `headers complete ${line} [] upgrade=false keep-alive=true`,
  'message complete',
];

test('origin-form: absolute-path [ "?" query ]', () => {
  expectEvents('request', 'GET /index.html?q=1&r=/?x HTTP/1.1\r\nHost: example.com\r\n\r\n', [
    'message begin',
    'headers complete GET /index.html?q=1&r=/?x 1.1 ["Host","example.com"] upgrade=false keep-alive=true',
    'message complete',
  ]);
});

test('absolute-form: scheme "://" authority path (proxies)', () => {
  expectEvents(
    'request',
    'GET http://user:pw@example.com:8080/a?b#c HTTP/1.1\r\n\r\n',
    GET('GET http://user:pw@example.com:8080/a?b#c 1.1'),
  );
});

test('authority-form: CONNECT host:port, and the parser stops (the rest is a tunnel)', () => {
  expectEvents(
    'request',
    'CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n\x16\x03\x01',
    [
      'message begin',
      'headers complete CONNECT example.com:443 1.1 ["Host","example.com:443"] upgrade=true keep-alive=true',
      'message complete',
      'upgrade at 59',
    ],
  );
});

test('asterisk-form: OPTIONS *', () => {
  expectEvents('request', 'OPTIONS * HTTP/1.1\r\n\r\n', GET('OPTIONS * 1.1'));
});

test('every method in METHODS is a method', () => {
  for (const m of METHODS) {
    const target = m === 'CONNECT' ? 'a:1' : '/';
    const events = [
      'message begin',
      `headers complete ${m} ${target} 1.1 [] upgrade=${m === 'CONNECT'} keep-alive=true`,
      'message complete',
    ];
    if (m === 'CONNECT') events.push(`upgrade at ${m.length + 17}`);
    expectEvents('request', `${m} ${target} HTTP/1.1\r\n\r\n`, events);
  }
});

test('HTTP/1.0 and HTTP/0.9 request-lines', () => {
  expectEvents('request', 'GET / HTTP/1.0\r\n\r\n', [
    'message begin',
    'headers complete GET / 1.0 [] upgrade=false keep-alive=false',
    'message complete',
  ]);
  // request-target CRLF with no version: HTTP/0.9
  expectEvents('request', 'GET /\r\n\r\n', [
    'message begin',
    'headers complete GET / 0.9 [] upgrade=false keep-alive=false',
    'message complete',
  ]);
});

test('leading empty lines before a request are ignored (RFC 9112 §2.2)', () => {
  expectEvents('request', '\r\n\r\nGET / HTTP/1.1\r\n\r\n', GET('GET / 1.1'));
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
  expectEvents('request', 'get / HTTP/1.1\r\n\r\n', [
    'message begin',
    'error HPE_INVALID_METHOD "Invalid method encountered" at 0',
  ]);
});

test('the protocol decides which methods are allowed', () => {
  expectEvents('request', 'DESCRIBE / HTTP/1.1\r\n\r\n', [
    'message begin',
    'error HPE_INVALID_CONSTANT "Invalid method for HTTP/x.x request" at 15',
  ]);
  expectEvents('request', 'GET / HTTX/1.1\r\n\r\n', [
    'message begin',
    'error HPE_INVALID_CONSTANT "Expected HTTP/, RTSP/ or ICE/" at 9',
  ]);
});

test('versions: only 0.9, 1.0, 1.1 and 2.0 without LenientFlags.VERSION', () => {
  expectEvents('request', 'GET / HTTP/1.2\r\n\r\n', [
    'message begin',
    'error HPE_INVALID_VERSION "Invalid HTTP version" at 14',
  ]);
  expectEvents('request', 'GET / HTTP/1.x\r\n\r\n', [
    'message begin',
    'error HPE_INVALID_VERSION "Invalid minor version" at 13',
  ]);
  expectEvents('request', 'GET / HTTP/1.1 \r\n\r\n', [
    'message begin',
    'error HPE_INVALID_VERSION "Expected CRLF after version" at 14',
  ]);
});

test('request-target bytes: controls, SP inside, DEL and obs-text are rejected', () => {
  expectEvents('request', 'GET /a\x7f HTTP/1.1\r\n\r\n', [
    'message begin',
    'error HPE_INVALID_URL "Invalid char in url path" at 6',
  ]);
  expectEvents('request', 'GET /\xff HTTP/1.1\r\n\r\n', [
    'message begin',
    'error HPE_INVALID_URL "Invalid char in url path" at 5',
  ]);
  expectEvents('request', 'GET /a\tb HTTP/1.1\r\n\r\n', [
    'message begin',
    'error HPE_INVALID_URL "Invalid characters in url" at 7',
  ]);
  expectEvents('request', 'GET /\x00 HTTP/1.1\r\n\r\n', [
    'message begin',
    'error HPE_INVALID_URL "Invalid char in url path" at 5',
  ]);
  expectEvents('request', 'GET http:/x HTTP/1.1\r\n\r\n', [
    'message begin',
    'error HPE_INVALID_URL "Unexpected char in url schema" at 10',
  ]);
  expectEvents('request', 'GET http://a@@b/ HTTP/1.1\r\n\r\n', [
    'message begin',
    'error HPE_INVALID_URL "Double @ in url" at 14',
  ]);
});

test('HTTP/2 connection preface after PRI * HTTP/2.0', () => {
  expectEvents('request', 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', [
    'message begin',
    'error HPE_PAUSED_H2_UPGRADE "Pause on PRI/Upgrade" at 24',
  ]);
});

test.run();
