/**
 * Options that change how requests are read, compared with node:http on the
 * same bytes: insecureHTTPParser, joinDuplicateHeaders, maxHeaderSize, and the
 * 413 Node answers when chunk extensions exceed their limit.
 */

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { both, closeLeftovers, normalize, raw, requestOnceScript, runChild } from './helpers.ts';

const test = suite('parser options');
const H = 'Host: h\r\n';

function echoHeaders(req: any, res: any): void {
  req.resume();
  req.on('end', () => res.end(JSON.stringify([req.headers, req.rawHeaders])));
}

test('insecureHTTPParser accepts what the strict parser rejects, like node:http', async () => {
  const lenientOnly = [
    `GET / HTTP/1.1\r\n${H}X-Bad: a\x01b\r\n\r\n`,
    `GET / HTTP/1.1\r\n${H}X-Fold: a\r\n b\r\n\r\n`,
    `POST / HTTP/1.1\r\n${H}Content-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`,
  ];
  for (const input of lenientOnly) {
    const strict = await both({}, echoHeaders, (port) => raw(port, input));
    assert.is(
      normalize(strict.ours.data),
      normalize(strict.node.data),
      `strict: ${JSON.stringify(input)}`,
    );
    assert.match(strict.ours.data, /^HTTP\/1.1 400 Bad Request/);
    const lenient = await both({ insecureHTTPParser: true }, echoHeaders, (port) =>
      raw(port, input),
    );
    assert.is(
      normalize(lenient.ours.data),
      normalize(lenient.node.data),
      `lenient: ${JSON.stringify(input)}`,
    );
  }
});

test('joinDuplicateHeaders joins repeated fields with ", " like node:http', async () => {
  const input = `GET / HTTP/1.1\r\n${H}Content-Type: a\r\nContent-Type: b\r\nX-A: 1\r\nX-A: 2\r\n\r\n`;
  for (const options of [{}, { joinDuplicateHeaders: true }]) {
    const r = await both(options, echoHeaders, (port) => raw(port, input));
    assert.is(normalize(r.ours.data), normalize(r.node.data), JSON.stringify(options));
  }
});

test("req.joinDuplicateHeaders and req.upgrade hold node:http's values", async () => {
  // Node: the server's setting when truthy, else null; upgrade false unless the server takes it.
  const report = (req: any, res: any) => {
    req.resume();
    res.end(JSON.stringify([req.joinDuplicateHeaders, req.upgrade]));
  };
  const inputs = [
    `GET / HTTP/1.1\r\n${H}\r\n`,
    // An Upgrade nobody listens for: served as a plain request.
    `GET / HTTP/1.1\r\n${H}Connection: Upgrade\r\nUpgrade: websocket\r\n\r\n`,
  ];
  for (const options of [{}, { joinDuplicateHeaders: false }, { joinDuplicateHeaders: true }]) {
    for (const input of inputs) {
      const r = await both(options, report, (port) => raw(port, input));
      assert.is(normalize(r.ours.data), normalize(r.node.data), JSON.stringify(options));
      const body = r.ours.data.slice(r.ours.data.indexOf('\r\n\r\n') + 4);
      const join = options.joinDuplicateHeaders === true ? 'true' : 'null';
      assert.ok(body.includes(`[${join},false]`), body);
    }
  }
  // Set on the server after it was created: read per request.
  const later = await both(
    {},
    report,
    (port) => raw(port, inputs[0]),
    (server) => {
      server.joinDuplicateHeaders = true;
    },
  );
  assert.is(normalize(later.ours.data), normalize(later.node.data));
  assert.match(later.ours.data, /\[true,false\]/);
});

test('chunk extensions beyond the limit: 413 like node:http', async () => {
  const ext = `;${'e'.repeat(20000)}`;
  const input = `POST / HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\n1${ext}\r\na\r\n0\r\n\r\n`;
  const r = await both({}, echoHeaders, (port) => raw(port, input));
  assert.is(normalize(r.ours.data), normalize(r.node.data));
  assert.match(r.ours.data, /^HTTP\/1.1 413 Payload Too Large\r\nConnection: close\r\n\r\n$/);
});

test('a huge Content-Length is read as a body, not an error, like node:http', async () => {
  const input = `POST / HTTP/1.1\r\n${H}Content-Length: 99999999999\r\n\r\nabc`;
  const r = await both(
    {},
    (_req: unknown, res: { end(s: string): void }) => res.end('started'),
    (port) => raw(port, input),
  );
  assert.is(normalize(r.ours.data), normalize(r.node.data));
});

test.after(closeLeftovers);
test('--insecure-http-parser (execArgv or NODE_OPTIONS) makes servers lenient, like node:http', async () => {
  const script = requestOnceScript(
    "impl.createServer((req, res) => res.end(JSON.stringify(req.headers['x-bad'])))",
    "'GET / HTTP/1.1\\r\\nHost: h\\r\\nX-Bad: a\\x01b\\r\\nConnection: close\\r\\n\\r\\n'",
    "out.split('\\r\\n')[0] + ' ' + out.slice(out.indexOf('\\r\\n\\r\\n') + 4)",
  );
  const run = (flags: string[], env: string | undefined, impl: string) =>
    runChild(script, [impl], { flags, nodeOptions: env ?? '' });
  const cases: [string[], string | undefined][] = [
    [[], undefined],
    [['--insecure-http-parser'], undefined],
    [[], '--insecure-http-parser'],
  ];
  const results: string[] = [];
  for (const [flags, env] of cases) {
    const theirs = await run(flags, env, 'node');
    const ours = await run(flags, env, 'ours');
    assert.is(ours, theirs, `${flags.join(' ')} NODE_OPTIONS=${env}`);
    results.push(ours);
  }
  assert.match(results[0], /^HTTP\/1.1 400 Bad Request/);
  assert.is(results[1], 'HTTP/1.1 200 OK "a\\u0001b"');
  assert.is(results[2], 'HTTP/1.1 200 OK "a\\u0001b"');
});

test.run();
