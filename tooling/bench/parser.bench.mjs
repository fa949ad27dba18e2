// Parser throughput: messages parsed per second, each scenario a large buffer
// of the same message repeated (pipelined), parsed with one execute() call.
// Ours vs Node's own llhttp binding (driven from JS through its kOn* callbacks,
// as Node's http server drives it) and vs the npm package http-parser-js.
// Same process, same inputs, CPU-time clock. `npm run bench -- parser`.
import { createRequire } from 'node:module';
import { HTTPParser } from '@strata-http/parser';
import { measure, table } from './lib.mjs';

const require = createRequire(import.meta.url);
const { HTTPParser: HttpParserJs } = require('http-parser-js');
const emit = process.emitWarning;
process.emitWarning = () => {};
const { HTTPParser: NodeParser } = process.binding('http_parser');
process.emitWarning = emit;

/** Pads the value of the header called `pad` so the message is exactly `size` bytes. */
function exact(size, head, body = '') {
  const text = head.replace('{pad}', '');
  const missing = size - Buffer.byteLength(text + body, 'latin1');
  if (missing < 0) throw new Error(`message already ${-missing} bytes over ${size}`);
  return Buffer.from(head.replace('{pad}', 'x'.repeat(missing)) + body, 'latin1');
}

// (a) an 81-byte `GET /`
const small = exact(
  81,
  'GET / HTTP/1.1\r\nHost: localhost:3000\r\nUser-Agent: curl/8.5.0{pad}\r\nAccept: */*\r\n\r\n',
);

// (b) a 706-byte browser GET with 12 header fields
const browser = exact(
  706,
  'GET /products/catalog/item.html?id=12345&ref=home HTTP/1.1\r\n' +
    'Host: www.example.com\r\n' +
    'Connection: keep-alive\r\n' +
    'Cache-Control: max-age=0\r\n' +
    'sec-ch-ua: "Chromium";v="124", "Google Chrome";v="124", "Not-A.Brand";v="99"\r\n' +
    'sec-ch-ua-mobile: ?0\r\n' +
    'sec-ch-ua-platform: "Linux"\r\n' +
    'Upgrade-Insecure-Requests: 1\r\n' +
    'User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36\r\n' +
    'Accept: text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8\r\n' +
    'Accept-Encoding: gzip, deflate, br, zstd\r\n' +
    'Accept-Language: en-US,en;q=0.9\r\n' +
    'Cookie: session=4f6a2c9e1b7d; theme=dark; {pad}\r\n' +
    '\r\n',
);

// (c) an 830-byte chunked response
const chunk = (s) => `${Buffer.byteLength(s).toString(16)}\r\n${s}\r\n`;
const chunkedBody =
  chunk('<!doctype html><html><head><title>Example</title></head><body>') +
  chunk('<p>'.padEnd(200, 'a')) +
  chunk('<p>'.padEnd(200, 'b')) +
  chunk('</body></html>') +
  '0\r\n\r\n';
const chunked = exact(
  830,
  'HTTP/1.1 200 OK\r\n' +
    'Date: Sat, 28 Nov 2026 01:00:00 GMT\r\n' +
    'Content-Type: text/html; charset=utf-8\r\n' +
    'Transfer-Encoding: chunked\r\n' +
    'Connection: keep-alive\r\n' +
    'X-Request-Id: {pad}\r\n' +
    '\r\n',
  chunkedBody,
);

const REPEAT = 1000;
const scenarios = [
  { name: `(a) GET / (${small.length} B)`, type: 'request', message: small },
  { name: `(b) browser GET, 12 headers (${browser.length} B)`, type: 'request', message: browser },
  { name: `(c) chunked response (${chunked.length} B)`, type: 'response', message: chunked },
];

// Every parser does the same small amount of work per message: count it and
// keep what Node's http layer would keep (headers, url, body bytes).
let messages = 0;
let bodyBytes = 0;
let kept;

function ours(type) {
  const p = new HTTPParser(type);
  p.onHeadersComplete = (_major, _minor, headers, _method, url) => {
    kept = headers;
    kept = url;
  };
  p.onBody = (b) => {
    bodyBytes += b.length;
  };
  p.onMessageComplete = () => {
    messages++;
  };
  return (buf) => p.execute(buf);
}

function llhttp(type) {
  const p = new NodeParser();
  p[NodeParser.kOnMessageBegin] = () => {};
  p[NodeParser.kOnHeaders] = (headers) => {
    kept = headers;
  };
  p[NodeParser.kOnHeadersComplete] = (_major, _minor, headers, _method, url) => {
    kept = headers;
    kept = url;
  };
  p[NodeParser.kOnBody] = (b) => {
    bodyBytes += b.length;
  };
  p[NodeParser.kOnMessageComplete] = () => {
    messages++;
  };
  p[NodeParser.kOnExecute] = () => {};
  p.initialize(type === 'request' ? NodeParser.REQUEST : NodeParser.RESPONSE, {}, 0, 0);
  return (buf) => p.execute(buf);
}

function httpParserJs(type) {
  const p = new HttpParserJs(type === 'request' ? HttpParserJs.REQUEST : HttpParserJs.RESPONSE);
  // http-parser-js adds a whole execute() call's length to its header budget
  // when the call ends inside a start-line; a 700 KB pipelined buffer would trip it.
  // (it re-reads the static after every message).
  HttpParserJs.maxHeaderSize = Number.POSITIVE_INFINITY;
  p[HttpParserJs.kOnHeadersComplete] = (info) => {
    kept = info.headers;
    kept = info.url;
  };
  p[HttpParserJs.kOnBody] = (_b, _start, len) => {
    bodyBytes += len;
  };
  p[HttpParserJs.kOnMessageComplete] = () => {
    messages++;
  };
  return (buf) => p.execute(buf);
}

// `node parser.bench.mjs --seconds 3` measures longer
const secondsArg = process.argv.indexOf('--seconds');
const seconds = secondsArg > 0 ? Number(process.argv[secondsArg + 1]) : 1.5;
const rowsLlhttp = [];
const rowsJs = [];
for (const s of scenarios) {
  const big = Buffer.concat(Array(REPEAT).fill(s.message));
  const run = (make) => {
    const exec = make(s.type);
    messages = 0;
    const r = exec(big);
    if (r instanceof Error) throw r;
    if (messages !== REPEAT) throw new Error(`${s.name}: parsed ${messages} of ${REPEAT}`);
    return measure(() => exec(big), { seconds, clock: 'cpu' }) * REPEAT;
  };
  const o = run(ours);
  const l = run(llhttp);
  const j = run(httpParserJs);
  rowsLlhttp.push({ name: s.name, ours: o, anchor: l });
  rowsJs.push({ name: s.name, ours: o, anchor: j });
}
if (bodyBytes === 0) throw new Error('no body parsed');
globalThis.parserBenchSink = kept;
console.log(
  'messages/s, one process, CPU-time clock (targets: >= 1.0x llhttp, >= 2x http-parser-js)\n',
);
table(rowsLlhttp, { anchorLabel: "Node's llhttp", unit: 'msg/s' });
console.log('');
table(rowsJs, { anchorLabel: 'http-parser-js', unit: 'msg/s' });
