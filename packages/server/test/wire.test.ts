/**
 * The same raw bytes sent to our server and to node:http, with the same
 * handler: the bytes that come back (Date normalised) and the handler's view
 * must be identical. Covers keep-alive, HTTP/1.0, Connection: close, HEAD,
 * 204/304, chunked request bodies, Expect, Host, malformed input and limits.
 */

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { type AnyServer, closeLeftovers, listen, normalize, raw, shut } from './helpers.ts';

const test = suite('wire: same bytes as node:http');

function handler(req: any, res: any): void {
  const chunks: Buffer[] = [];
  req.on('data', (d: Buffer) => chunks.push(d));
  req.on('end', () => {
    const body = Buffer.concat(chunks).toString('latin1');
    switch (req.url) {
      case '/204':
        res.writeHead(204).end();
        return;
      case '/304':
        res.statusCode = 304;
        res.end();
        return;
      case '/chunked':
        res.write('a');
        res.write('bc');
        res.end();
        return;
      case '/trailers':
        res.writeHead(200, { Trailer: 'X-T' });
        res.write('x');
        res.addTrailers({ 'X-T': '1' });
        res.end();
        return;
      case '/headers':
        res.setHeader('X-A', '1');
        res.setHeader('x-b', ['1', '2']);
        res.writeHead(201, 'Made', { 'X-A': '2', 'Content-Type': 'text/plain' });
        res.end('ok');
        return;
      case '/flat':
        res.writeHead(200, ['X-Z', '1', 'X-Z', '2', 'Content-Length', '2']);
        res.end('ok');
        return;
      case '/status':
        res.statusCode = 418;
        res.statusMessage = 'Teapot here';
        res.end();
        return;
      case '/unknown-status':
        res.writeHead(599).end('x');
        return;
      case '/nodate':
        res.sendDate = false;
        res.end('x');
        return;
      case '/close':
        res.setHeader('Connection', 'close');
        res.end('bye');
        return;
      default:
        res.end(
          `${req.method} ${req.url} ${req.httpVersion} ${JSON.stringify(req.headers)} ${body}`,
        );
    }
  });
}

const H = 'Host: h\r\n';
const scenarios: Record<string, string | (string | number)[]> = {
  'GET keep-alive': `GET / HTTP/1.1\r\n${H}\r\n`,
  'two requests in one packet': `GET /1 HTTP/1.1\r\n${H}\r\nGET /2 HTTP/1.1\r\n${H}\r\n`,
  'three requests in three packets': [
    `GET /1 HTTP/1.1\r\n${H}\r\n`,
    20,
    `GET /2 HTTP/1.1\r\n${H}\r\n`,
    20,
    `GET /3 HTTP/1.1\r\n${H}\r\n`,
  ],
  'HTTP/1.0': 'GET / HTTP/1.0\r\n\r\n',
  'HTTP/1.0 keep-alive': 'GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n',
  'HTTP/1.0 with TE: chunked': 'GET /chunked HTTP/1.0\r\nTE: chunked\r\n\r\n',
  'HTTP/1.0 streaming body': 'GET /chunked HTTP/1.0\r\n\r\n',
  // The parser takes "HTTP/2.0" in a request line; a minor version below 1 means
  // an HTTP/1.0-style answer (no chunked default, close-delimited), as Node's rule.
  'HTTP/2.0 request line (minor 0)': 'GET / HTTP/2.0\r\n\r\n',
  'HTTP/2.0 streaming body': 'GET /chunked HTTP/2.0\r\nConnection: keep-alive\r\n\r\n',
  'Connection: close stops the connection': `GET / HTTP/1.1\r\n${H}Connection: close\r\n\r\nGET /never HTTP/1.1\r\n${H}\r\n`,
  'response Connection: close': `GET /close HTTP/1.1\r\n${H}\r\nGET /never HTTP/1.1\r\n${H}\r\n`,
  HEAD: `HEAD / HTTP/1.1\r\n${H}\r\n`,
  'HEAD then GET': `HEAD /chunked HTTP/1.1\r\n${H}\r\nGET /chunked HTTP/1.1\r\n${H}\r\n`,
  '204': `GET /204 HTTP/1.1\r\n${H}\r\n`,
  '304': `GET /304 HTTP/1.1\r\n${H}\r\n`,
  'chunked response': `GET /chunked HTTP/1.1\r\n${H}\r\n`,
  trailers: `GET /trailers HTTP/1.1\r\n${H}\r\n`,
  'writeHead merges setHeader': `GET /headers HTTP/1.1\r\n${H}\r\n`,
  'writeHead flat array': `GET /flat HTTP/1.1\r\n${H}\r\n`,
  'statusCode/statusMessage': `GET /status HTTP/1.1\r\n${H}\r\n`,
  'unknown status': `GET /unknown-status HTTP/1.1\r\n${H}\r\n`,
  'sendDate false': `GET /nodate HTTP/1.1\r\n${H}\r\n`,
  'POST Content-Length': `POST /p HTTP/1.1\r\n${H}Content-Length: 5\r\n\r\nhello`,
  'POST body in pieces': [
    `POST /p HTTP/1.1\r\n${H}Content-Length: 6\r\n\r\nhe`,
    20,
    'llo',
    20,
    '!',
  ],
  'POST chunked with trailers': `POST /p HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2;x=y\r\nde\r\n0\r\nX-T: 1\r\n\r\n`,
  'duplicate headers': `GET / HTTP/1.1\r\n${H}X-D: 1\r\nX-D: 2\r\nCookie: a\r\nCookie: b\r\n\r\n`,
  'absolute-form target': 'GET http://h/x?y HTTP/1.1\r\nHost: h\r\n\r\n',
  'OPTIONS *': `OPTIONS * HTTP/1.1\r\n${H}\r\n`,
  'missing Host on HTTP/1.1': 'GET / HTTP/1.1\r\n\r\n',
  'missing Host on HTTP/1.0 is fine': 'GET / HTTP/1.0\r\n\r\n',
  'Expect: 100-continue, auto Continue': `POST /p HTTP/1.1\r\n${H}Expect: 100-continue\r\nContent-Length: 2\r\n\r\nhi`,
  'Expect: something else, 417': `POST /p HTTP/1.1\r\n${H}Expect: teapot\r\nContent-Length: 0\r\n\r\n`,
  // Repeated Expect fields count joined, as req.headers.expect reads them.
  'Expect twice, the second 100-continue: Continue': `POST /p HTTP/1.1\r\n${H}Expect: teapot\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\nhi`,
  'malformed request line': 'GET / HTP/1.1\r\n\r\n',
  'malformed header': `GET / HTTP/1.1\r\n${H}Bad Header: x\r\n\r\n`,
  'bad request after a good one': `GET /1 HTTP/1.1\r\n${H}\r\nGARBAGE\r\n\r\n`,
  'header too large (431)': `GET / HTTP/1.1\r\n${H}X: ${'a'.repeat(17000)}\r\n\r\n`,
  'invalid Content-Length': `POST / HTTP/1.1\r\n${H}Content-Length: abc\r\n\r\n`,
  'Content-Length and Transfer-Encoding (smuggling)': `POST / HTTP/1.1\r\n${H}Content-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`,
  'bare LF': `GET / HTTP/1.1\n${H}\n`,
  'Upgrade without a listener is served normally': `GET /u HTTP/1.1\r\n${H}Connection: Upgrade\r\nUpgrade: x\r\n\r\n`,
  // Node's parser stops after the upgrade request and resumes with the next read:
  // the rest of the same packet is not parsed, a later packet is.
  'Upgrade without a listener, then a request in the same packet (not parsed)': `GET /u HTTP/1.1\r\n${H}Connection: Upgrade\r\nUpgrade: x\r\n\r\nGET /lost HTTP/1.1\r\n${H}\r\n`,
  // ...and while no request head has completed since, a parse error gets no
  // answer (Node's parser still carries the upgrade flag): the connection goes quiet.
  'Upgrade without a listener, its packet cut mid-request, then the rest (no answer)': [
    `GET /u HTTP/1.1\r\n${H}Connection: Upgrade\r\nUpgrade: x\r\n\r\nGET /lo`,
    20,
    `st HTTP/1.1\r\n${H}\r\n`,
    20,
    `GET /third HTTP/1.1\r\n${H}\r\n`,
  ],
  'Upgrade without a listener, a stray byte, then a request (served)': [
    `GET /u HTTP/1.1\r\n${H}Connection: Upgrade\r\nUpgrade: x\r\n\r\nX`,
    20,
    `GET /third HTTP/1.1\r\n${H}\r\n`,
  ],
  'Upgrade without a listener, then requests in later packets (served)': [
    `GET /u HTTP/1.1\r\n${H}Connection: Upgrade\r\nUpgrade: x\r\n\r\n`,
    20,
    `GET /next HTTP/1.1\r\n${H}\r\n`,
    20,
    `POST /p HTTP/1.1\r\n${H}Content-Length: 2\r\n\r\nhi`,
  ],
  'CONNECT without a listener closes': `CONNECT h:80 HTTP/1.1\r\n${H}\r\n`,
};

const servers: { ours?: AnyServer; node?: AnyServer; oursPort: number; nodePort: number } = {
  oursPort: 0,
  nodePort: 0,
};

test.before(async () => {
  const ours = await listen('ours', {}, handler);
  const node = await listen('node', {}, handler);
  servers.ours = ours.server;
  servers.oursPort = ours.port;
  servers.node = node.server;
  servers.nodePort = node.port;
});

test.after(async () => {
  await shut(servers.ours);
  await shut(servers.node);
});

for (const [name, chunks] of Object.entries(scenarios)) {
  test(name, async () => {
    const [ours, node] = await Promise.all([
      raw(servers.oursPort, chunks, { idle: 80 }),
      raw(servers.nodePort, chunks, { idle: 80 }),
    ]);
    assert.is(normalize(ours.data), normalize(node.data));
    assert.is(ours.ended, node.ended, 'server closed the connection alike');
  });
}

test('a request split at every byte boundary gives the same response', async () => {
  const request = `POST /split HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\n4\r\nwiki\r\n0\r\n\r\nGET /next HTTP/1.1\r\n${H}\r\n`;
  const node = await raw(servers.nodePort, request, { idle: 80 });
  const splits = [];
  for (let i = 1; i < request.length; i++) {
    splits.push(raw(servers.oursPort, [request.slice(0, i), 10, request.slice(i)], { idle: 80 }));
  }
  const results = await Promise.all(splits);
  results.forEach((ours, i) => {
    assert.is(normalize(ours.data), normalize(node.data), `split at ${i + 1}`);
  });
});

test('a request sent one byte per packet gives the same response', async () => {
  const request = `POST /drip HTTP/1.1\r\n${H}Content-Length: 3\r\n\r\nabc`;
  const node = await raw(servers.nodePort, request, { idle: 80 });
  const drip: (string | number)[] = [];
  for (const ch of request) drip.push(ch, 1);
  const ours = await raw(servers.oursPort, drip, { idle: 80 });
  assert.is(normalize(ours.data), normalize(node.data));
});

test.after(closeLeftovers);
test.run();
