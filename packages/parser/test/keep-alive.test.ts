// Persistence (RFC 9112 §9.3) decided as llhttp decides it, pipelining, reuse.

import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { HTTPParser } from '../src/index.ts';
import { expectEvents, sameWhenSplit } from './helpers.ts';

const keepAlive = (type: 'request' | 'response', head: string): boolean => {
  let result: boolean | undefined;
  const p = new HTTPParser(type);
  p.onHeadersComplete = (...args) => {
    result = args[8];
  };
  const r = p.execute(Buffer.from(`${head}\r\n\r\n`, 'latin1'));
  assert.type(r, 'number');
  sameWhenSplit(type, `${head}\r\n\r\n`);
  return result as boolean;
};

test('HTTP/1.1 persists unless Connection: close', () => {
  assert.is(keepAlive('request', 'GET / HTTP/1.1'), true);
  assert.is(keepAlive('request', 'GET / HTTP/1.1\r\nConnection: close'), false);
  assert.is(keepAlive('request', 'GET / HTTP/1.1\r\nConnection: x, Close'), false);
  assert.is(keepAlive('request', 'GET / HTTP/1.1\r\nProxy-Connection: close'), false);
  assert.is(keepAlive('request', 'GET / HTTP/1.1\r\nConnection: closed'), true);
});

test('HTTP/1.0 persists only with Connection: keep-alive', () => {
  assert.is(keepAlive('request', 'GET / HTTP/1.0'), false);
  assert.is(keepAlive('request', 'GET / HTTP/1.0\r\nConnection: keep-alive'), true);
  assert.is(keepAlive('request', 'GET / HTTP/1.0\r\nConnection: Keep-Alive, TE'), true);
});

test('a response without a length cannot persist (its body ends at EOF)', () => {
  assert.is(keepAlive('response', 'HTTP/1.1 200 OK'), false);
  assert.is(keepAlive('response', 'HTTP/1.1 200 OK\r\nContent-Length: 0'), true);
  assert.is(keepAlive('response', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked'), true);
  assert.is(keepAlive('response', 'HTTP/1.1 204 No Content'), true);
  assert.is(keepAlive('response', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip'), false);
  assert.is(
    keepAlive('response', 'HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0'),
    true,
  );
});

test('pipelined requests in one buffer', () => {
  expectEvents(
    'request',
    'GET /1 HTTP/1.1\r\n\r\nPOST /2 HTTP/1.1\r\nContent-Length: 3\r\n\r\nabcGET /3 HTTP/1.1\r\nConnection: close\r\n\r\n',
    [
      'message begin',
      'headers complete GET /1 1.1 [] upgrade=false keep-alive=true',
      'message complete',
      'message begin',
      'headers complete POST /2 1.1 ["Content-Length","3"] upgrade=false keep-alive=true',
      'body "abc"',
      'message complete',
      'message begin',
      'headers complete GET /3 1.1 ["Connection","close"] upgrade=false keep-alive=false',
      'message complete',
    ],
  );
});

test('after a message that closes the connection, more data is an error', () => {
  expectEvents('request', 'GET / HTTP/1.1\r\nConnection: close\r\n\r\nGET / HTTP/1.1\r\n\r\n', [
    'message begin',
    'headers complete GET / 1.1 ["Connection","close"] upgrade=false keep-alive=false',
    'message complete',
    'error HPE_CLOSED_CONNECTION "Data after `Connection: close`" at 38',
  ]);
});

test('reset() makes a parser reusable (pooled, like http.setMaxIdleHTTPParsers)', () => {
  const p = new HTTPParser('request');
  const urls: string[] = [];
  p.onHeadersComplete = (_a, _b, _h, _m, url) => {
    urls.push(url as string);
  };
  const bad = p.execute(Buffer.from('BAD\x00'));
  assert.instance(bad, Error);
  assert.is(
    p.execute(Buffer.from('GET / HTTP/1.1\r\n\r\n')),
    bad,
    'an errored parser stays errored',
  );
  p.reset();
  assert.is(p.execute(Buffer.from('GET /a HTTP/1.1\r\n\r\n')), 19);
  p.reset('response', { maxHeaderSize: 100 });
  let status = 0;
  p.onHeadersComplete = (_a, _b, _h, _m, _u, code) => {
    status = code;
  };
  assert.is(p.execute(Buffer.from('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n')), 45);
  assert.is(status, 404);
  assert.equal(urls, ['/a']);
});

test('free() and close() (Node compatibility) drop a half-parsed message, keep type, options and callbacks', () => {
  for (const method of ['free', 'close'] as const) {
    const p = new HTTPParser('request', { maxHeaderSize: 64 });
    const urls: string[] = [];
    p.onHeadersComplete = (_a, _b, _h, _m, url) => {
      urls.push(url as string);
    };
    assert.is(p.execute(Buffer.from('GET /half HTTP/1.1\r\nHost: a')), 27);
    p[method]();
    // A fresh message parses from its start line: the half one is gone.
    assert.is(p.execute(Buffer.from('GET /b HTTP/1.1\r\n\r\n')), 19);
    assert.equal(urls, ['/b']);
    // maxHeaderSize kept: a head over 64 bytes still overflows.
    const big = p.execute(Buffer.from(`GET /c HTTP/1.1\r\nX: ${'v'.repeat(80)}\r\n\r\n`));
    assert.is((big as { code?: string }).code, 'HPE_HEADER_OVERFLOW');
  }
});

test.run();
