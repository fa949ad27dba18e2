// Fastify's test client, light-my-request, unchanged on strata-http. It builds a response
// without a server or a socket: `http.ServerResponse.call(this, req)` with
// `util.inherits(Response, http.ServerResponse)`, a null Writable handed to assignSocket(), and
// Date/Connection/Transfer-Encoding read back out of `_header`. The fixture runs once on
// node:http and once through the register hook; the two reports must be the same.
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ensureBuilt, fixturesDir, lastJsonLine, registerCjs, runNode } from './helpers.ts';

test.before(() => ensureBuilt());

const fixture = path.join(fixturesDir, 'light-my-request-app.cjs');

/** The injections that threw: case name → the error's first line. */
function errors(report: Record<string, any>): Record<string, string> {
  const found: Record<string, string> = {};
  for (const [name, value] of Object.entries(report)) {
    if (value && typeof value === 'object' && 'error' in value) {
      found[name] = String(value.error).split('\n')[0];
    }
  }
  return found;
}

/** The first failing case's whole stack, for the assertion message. */
function firstStack(report: Record<string, any>): string | undefined {
  const failed = Object.entries(report).find(([, v]) => v && typeof v === 'object' && 'error' in v);
  return failed && `${failed[0]}: ${failed[1].error}`;
}

test('light-my-request injects into a dispatch function on strata-http as on node:http', async () => {
  const [onNode, onStrata] = (
    await Promise.all([runNode([fixture]), runNode(['--require', registerCjs, fixture])])
  ).map(lastJsonLine);

  assert.equal(
    errors(onNode),
    {},
    firstStack(onNode) ?? 'node:http, the reference, ran every case',
  );
  assert.is(onNode.httpIsStrata, false);
  assert.is(onStrata.httpIsStrata, true, "light-my-request's require('node:http') is strata-http");
  assert.equal(errors(onStrata), {}, firstStack(onStrata));
  assert.is(onStrata.responseIsStrata, true, 'its Response is a strata-http ServerResponse');

  // GET: query and request header reach the handler; setHeader() and writeHead() merge.
  assert.equal(onStrata.get.seen, {
    method: 'GET',
    url: '/greet?name=ada&lang=en',
    requestId: 'abc-123',
    headersSent: true,
  });
  assert.is(onStrata.get.statusCode, 201);
  assert.is(onStrata.get.statusMessage, 'Created');
  assert.equal(onStrata.get.headers, {
    'x-set-header': 'from setHeader',
    'content-type': 'text/plain; charset=utf-8',
    'x-write-head': 'merged',
    date: '<IMF-fixdate>',
    connection: 'keep-alive',
    'transfer-encoding': 'chunked',
  });
  assert.is(onStrata.get.payload, 'hello ada (abc-123)');

  // POST: the JSON payload read through 'data'/'end' and echoed.
  assert.equal(onStrata.post.seen, { contentType: 'application/json', contentLength: '22' });
  assert.is(onStrata.post.statusCode, 200);
  assert.is(onStrata.post.payload, JSON.stringify({ got: { a: [1, 2, 3], b: 'ü' } }));

  // Streamed: no length known when the head goes out, so chunked; a declared length, not.
  assert.equal(onStrata.streamed.writes, [true, true, true]);
  assert.is(onStrata.streamed.payload, 'one,two,three,end');
  assert.is(onStrata.streamed.headers['transfer-encoding'], 'chunked');
  assert.is(onStrata.streamed.headers['content-length'], undefined);
  assert.is(onStrata.streamedWithLength.payload, 'one,two,!');
  assert.is(onStrata.streamedWithLength.headers['content-length'], '9');
  assert.is(onStrata.streamedWithLength.headers['transfer-encoding'], undefined);

  // Trailers: announced in the head, delivered through addTrailers().
  assert.is(onStrata.trailers.headers.trailer, 'X-Checksum');
  assert.equal(onStrata.trailers.trailers, { 'x-checksum': 'sum-42' });
  assert.is(onStrata.trailers.payload, 'body');

  // No body: statusCode and statusMessage assigned as properties.
  assert.is(onStrata.empty.statusCode, 404);
  assert.is(onStrata.empty.statusMessage, 'Nothing Here');
  assert.is(onStrata.empty.payload, '');

  // Everything else light-my-request reports (headers read out of `_header` included).
  const { httpIsStrata: _a, responseIsStrata: _b, ...strataCases } = onStrata;
  const { httpIsStrata: _c, responseIsStrata: _d, ...nodeCases } = onNode;
  assert.equal(strataCases, nodeCases);
});

test.run();
