// RFC 9112 §6: message body length
import { test } from 'uvu';
import { LenientFlags } from '../src/index.ts';
import { expectEvents } from './helpers.ts';

test('Content-Length: exactly that many bytes, the rest is the next message', () => {
  expectEvents(
    'request',
    'POST / HTTP/1.1\r\nContent-Length: 5\r\n\r\nhelloGET / HTTP/1.1\r\n\r\n',
    [
      'message begin',
      'headers complete POST / 1.1 ["Content-Length","5"] upgrade=false keep-alive=true',
      'body "hello"',
      'message complete',
      'message begin',
      'headers complete GET / 1.1 [] upgrade=false keep-alive=true',
      'message complete',
    ],
  );
});

test('Content-Length overflow: more than 2^64 - 1', () => {
  expectEvents('request', 'POST / HTTP/1.1\r\nContent-Length: 18446744073709551615\r\n\r\n', [
    'message begin',
    'headers complete POST / 1.1 ["Content-Length","18446744073709551615"] upgrade=false keep-alive=true',
  ]);
  expectEvents('request', 'POST / HTTP/1.1\r\nContent-Length: 18446744073709551616\r\n\r\n', [
    'message begin',
    'error HPE_INVALID_CONTENT_LENGTH "Content-Length overflow" at 53',
  ]);
});

test('chunked: chunk-size in hex, chunk extensions (token and quoted values), trailers', () => {
  expectEvents(
    'request',
    'POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n' +
      '5;name=value;q="a \\"quoted\\" ;value"\r\nhello\r\n' +
      'A\r\n0123456789\r\n' +
      '0\r\nExpires: never\r\nX-Checksum: abc\r\n\r\n',
    [
      'message begin',
      'headers complete POST / 1.1 ["Transfer-Encoding","chunked"] upgrade=false keep-alive=true',
      'body "hello0123456789"',
      'message complete trailers=["Expires","never","X-Checksum","abc"]',
    ],
  );
});

test('chunk-size overflow: more than 16 significant hex digits', () => {
  expectEvents(
    'request',
    'POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n00ffffffffffffffff0\r\n',
    [
      'message begin',
      'headers complete POST / 1.1 ["Transfer-Encoding","chunked"] upgrade=false keep-alive=true',
      'error HPE_INVALID_CHUNK_SIZE "Chunk size overflow" at 66',
    ],
  );
});

test('chunk-size: invalid characters and bad chunk extensions', () => {
  const head = 'POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n';
  const hc =
    'headers complete POST / 1.1 ["Transfer-Encoding","chunked"] upgrade=false keep-alive=true';
  expectEvents('request', `${head}x\r\n`, [
    'message begin',
    hc,
    'error HPE_INVALID_CHUNK_SIZE "Invalid character in chunk size" at 47',
  ]);
  expectEvents('request', `${head}5 \r\nhello\r\n`, [
    'message begin',
    hc,
    // SP after the size is not allowed (LenientFlags.SPACES_AFTER_CHUNK_SIZE allows it)
    'error HPE_INVALID_CHUNK_SIZE "Invalid character in chunk size" at 49',
  ]);
  expectEvents('request', `${head}5;a=\x01\r\n`, [
    'message begin',
    hc,
    'error HPE_STRICT "Invalid character in chunk extensions value" at 52',
  ]);
  expectEvents('request', `${head}5\r\nhelloX`, [
    'message begin',
    hc,
    'body "hello"',
    'error HPE_STRICT "Expected LF after chunk data" at 55',
  ]);
});

test('chunk extensions end at ";" or CRLF: the error names the part that ended badly', () => {
  const head = 'POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n';
  const hc =
    'headers complete POST / 1.1 ["Transfer-Encoding","chunked"] upgrade=false keep-alive=true';
  const cases: [string, string][] = [
    ['5;a\n', 'HPE_CR_EXPECTED "Missing expected CR after chunk extension name" at 50'],
    ['5;a"', 'HPE_STRICT "Invalid character in chunk extensions name" at 51'],
    ['5;a=b\n', 'HPE_CR_EXPECTED "Missing expected CR after chunk extension value" at 52'],
    ['5;a=b=', 'HPE_STRICT "Invalid character in chunk extensions value" at 53'],
    ['5;a="b"\n', 'HPE_CR_EXPECTED "Missing expected CR after chunk extension value" at 54'],
    // after a quoted value the offset is the bad byte's own, not the one after it
    ['5;a="b"x', 'HPE_STRICT "Invalid character in chunk extensions quote value" at 54'],
  ];
  for (const [chunkLine, error] of cases) {
    expectEvents('request', head + chunkLine, ['message begin', hc, `error ${error}`]);
  }
  const done = ['message begin', hc, 'body "hello"', 'message complete'];
  for (const ext of [';a=b;c;d="e\\"f"', ';a', ';a=b', ';a="b"']) {
    expectEvents('request', `${head}5${ext}\r\nhello\r\n0\r\n\r\n`, done);
    // a bare LF ends the chunk-size line only with OPTIONAL_CR_BEFORE_LF
    expectEvents('request', `${head}5${ext}\nhello\r\n0\r\n\r\n`, done, {
      lenient: LenientFlags.OPTIONAL_CR_BEFORE_LF,
    });
  }
});

test('response without Content-Length or chunked: body until EOF, finish() completes it', () => {
  expectEvents(
    'response',
    'HTTP/1.1 200 OK\r\n\r\nall of this, until the connection closes',
    [
      'message begin',
      'headers complete 1.1 200 "OK" [] upgrade=false keep-alive=false',
      'body "all of this, until the connection closes"',
      'message complete',
      'eof',
    ],
    { eof: true },
  );
});

test('no body: response to HEAD (onHeadersComplete returns 1), 1xx, 204, 304', () => {
  expectEvents(
    'response',
    'HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n',
    [
      'message begin',
      'headers complete 1.1 200 "OK" ["Content-Length","5"] upgrade=false keep-alive=true',
      'message complete',
      'message begin',
      'headers complete 1.1 200 "OK" ["Content-Length","5"] upgrade=false keep-alive=true',
      'message complete',
    ],
    { headersReturn: 1 },
  );
  for (const status of ['100 Continue', '103 Early Hints', '204 No Content', '304 Not Modified']) {
    expectEvents('response', `HTTP/1.1 ${status}\r\nContent-Length: 5\r\n\r\n`, [
      'message begin',
      `headers complete 1.1 ${status.slice(0, 3)} "${status.slice(4)}" ["Content-Length","5"] upgrade=false keep-alive=true`,
      'message complete',
    ]);
  }
});

test('Upgrade: the parser stops after the headers and says how many bytes were HTTP', () => {
  expectEvents(
    'request',
    'GET /chat HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n\x81\x05hello',
    [
      'message begin',
      'headers complete GET /chat 1.1 ["Upgrade","websocket","Connection","Upgrade"] upgrade=true keep-alive=true',
      'message complete',
      'upgrade at 63',
    ],
  );
  // a 101 response stops too; a 2xx to CONNECT is signalled with return 2
  expectEvents(
    'response',
    'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: upgrade\r\n\r\nxx',
    [
      'message begin',
      'headers complete 1.1 101 "Switching Protocols" ["Upgrade","websocket","Connection","upgrade"] upgrade=true keep-alive=true',
      'message complete',
      'upgrade at 77',
    ],
  );
  expectEvents(
    'response',
    'HTTP/1.1 200 Connection established\r\n\r\ntunnel bytes',
    [
      'message begin',
      'headers complete 1.1 200 "Connection established" [] upgrade=false keep-alive=false',
      'message complete',
      'upgrade at 39',
    ],
    { headersReturn: 2 },
  );
});

test('an Upgrade request with a body: the body first, then the stop', () => {
  expectEvents(
    'request',
    'POST / HTTP/1.1\r\nUpgrade: h2c\r\nConnection: upgrade\r\nContent-Length: 2\r\n\r\nhiPRI',
    [
      'message begin',
      'headers complete POST / 1.1 ["Upgrade","h2c","Connection","upgrade","Content-Length","2"] upgrade=true keep-alive=true',
      'body "hi"',
      'message complete',
      'upgrade at 75',
    ],
  );
});

test('EOF inside a message is HPE_INVALID_EOF_STATE', () => {
  expectEvents(
    'request',
    'POST / HTTP/1.1\r\nContent-Length: 5\r\n\r\nab',
    [
      'message begin',
      'headers complete POST / 1.1 ["Content-Length","5"] upgrade=false keep-alive=true',
      'body "ab"',
      'eof error HPE_INVALID_EOF_STATE',
    ],
    { eof: true },
  );
  expectEvents(
    'request',
    'GET / HTTP/1.1\r\n\r\n\r\n',
    [
      'message begin',
      'headers complete GET / 1.1 [] upgrade=false keep-alive=true',
      'message complete',
      'eof',
    ],
    { eof: true },
  );
});

test.run();
