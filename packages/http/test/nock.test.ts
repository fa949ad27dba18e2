// nock 14, unchanged, on strata-http. nock intercepts through @mswjs/interceptors (msw's core),
// whose mock socket parses every intercepted request and every mocked response with
// `require('_http_common').HTTPParser`: through the register hook that is our binding-compatible
// parser (src/binding-parser.ts). The fixture runs once on node:http and once through the hook;
// the two reports must be the same.
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ensureBuilt, fixturesDir, lastJsonLine, registerCjs, runNode } from './helpers.ts';

test.before(() => ensureBuilt());

const fixture = path.join(fixturesDir, 'nock-app.cjs');

/** The cases whose code threw: case name → the first line of the exception. */
function thrown(report: Record<string, any>): Record<string, string> {
  const found: Record<string, string> = {};
  for (const [name, value] of Object.entries(report)) {
    if (value && typeof value === 'object' && 'thrown' in value) {
      found[name] = String(value.thrown).split('\n')[0];
    }
  }
  return found;
}

test('nock intercepts http.get and http.request on strata-http as on node:http', async () => {
  const [onNode, onStrata] = (
    await Promise.all([runNode([fixture]), runNode(['--require', registerCjs, fixture])])
  ).map(lastJsonLine);

  assert.equal(thrown(onNode), {}, 'node:http, the reference, ran every case');
  assert.is(onNode.httpIsStrata, false);
  assert.is(onStrata.httpIsStrata, true, "nock's require('http') is strata-http");
  assert.equal(thrown(onStrata), {});
  assert.is(onStrata.responseIsStrata, true, 'the intercepted response is a strata-http one');

  // GET: query and header matched, JSON reply with its headers.
  assert.is(onStrata.get.done, true, 'the interceptor was used');
  assert.is(onStrata.get.statusCode, 200);
  assert.equal(onStrata.get.rawHeaders, ['X-Reply', 'yes', 'Content-Type', 'application/json']);
  assert.is(onStrata.get.body, JSON.stringify({ id: 1, name: 'Ada' }));

  // POST: the body written in two pieces matched nock's JSON body and reached the reply function.
  assert.is(onStrata.postJson.done, true);
  assert.is(onStrata.postJson.statusCode, 201);
  assert.equal(JSON.parse(onStrata.postJson.body), {
    uri: '/items',
    body: { name: 'widget', tags: ['a', 'b'] },
    contentType: 'application/json',
  });

  // A chunked request body, reassembled.
  assert.is(onStrata.postChunked.done, true);
  assert.is(onStrata.postChunked.body, 'got 18 bytes: first,second,third');

  // A streamed reply with 40 header fields (the parser's kOnHeaders path).
  assert.is(onStrata.streamedManyHeaders.body, 'one,two,three');
  assert.is(onStrata.streamedManyHeaders.rawHeaders.length, 80);
  assert.is(onStrata.streamedManyHeaders.headers['x-field-39'], 'value-39');

  // Errors: replyWithError, and a request nothing matches with the network off.
  assert.equal(onStrata.replyWithError.error, {
    name: 'Error',
    message: 'connection refused by the mock',
  });
  assert.is(onStrata.notMatched.error.name, 'NetConnectNotAllowedError');

  // allowUnmocked: a real strata-http server answered through the mock socket.
  assert.equal(onStrata.passthrough, {
    statusCode: 200,
    body: 'real POST /real payload',
    real: 'yes',
  });

  // Everything else the fixture reports.
  const { httpIsStrata: _a, responseIsStrata: _b, ...strataCases } = onStrata;
  const { httpIsStrata: _c, responseIsStrata: _d, ...nodeCases } = onNode;
  assert.equal(strataCases, nodeCases);
});

test.run();
