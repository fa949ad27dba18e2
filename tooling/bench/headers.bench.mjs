// @strata-http/headers against node:http's own, in one process and one run:
// header validation (validateHeaderName / validateHeaderValue and the
// underlying token / field-value checks) and header-object assembly
// (message.headers / headersDistinct from rawHeaders), plus the outgoing
// store + header-block serialisation. Ratio = ours / node:http (higher is
// better). `npm run bench -- headers`; SECONDS=2 for longer runs.
import http from 'node:http';
import { createRequire } from 'node:module';
import {
  buildHeaders,
  buildHeadersDistinct,
  checkInvalidHeaderChar,
  checkIsHttpToken,
  OutgoingHeaders,
  serializeHeaders,
  validateHeaderName,
  validateHeaderValue,
} from '@strata-http/headers';
import { measure, pinSelf, table } from './lib.mjs';

const require = createRequire(import.meta.url);
const nodeCommon = require('node:_http_common');
// biome-ignore lint/suspicious/noUndeclaredEnvVars: a knob for manual runs, not a build input
const seconds = Number(process.env.SECONDS) || 1;
pinSelf(0);

// What a browser sends, what curl sends, and a proxied request with
// duplicates: the names and values the validators and assembly see most.
const browser = [
  'Host',
  'example.com',
  'Connection',
  'keep-alive',
  'Cache-Control',
  'max-age=0',
  'sec-ch-ua',
  '"Chromium";v="120", "Not?A_Brand";v="24"',
  'sec-ch-ua-mobile',
  '?0',
  'Upgrade-Insecure-Requests',
  '1',
  'User-Agent',
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36',
  'Accept',
  'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8',
  'Sec-Fetch-Site',
  'none',
  'Sec-Fetch-Mode',
  'navigate',
  'Accept-Encoding',
  'gzip, deflate, br',
  'Accept-Language',
  'en-US,en;q=0.9',
  'Cookie',
  'session=abc123; theme=dark',
];
const curl = ['Host', 'localhost:3000', 'User-Agent', 'curl/8.5.0', 'Accept', '*/*'];
const proxied = [
  'host',
  'api.internal',
  'x-forwarded-for',
  '203.0.113.7',
  'X-Forwarded-For',
  '10.0.0.1',
  'x-forwarded-proto',
  'https',
  'content-type',
  'application/json',
  'content-length',
  '348',
  'authorization',
  'Bearer eyJhbGciOiJIUzI1NiJ9.e30.x',
  'cookie',
  'a=1',
  'cookie',
  'b=2',
  'Set-Cookie',
  'id=1',
  'set-cookie',
  'id=2',
  'x-request-id',
  '6f1c2d2e-8d8e-4a43-9c1b-9c3a8e6e2f10',
  'Host',
  'dropped.example',
];

const names = [];
const values = [];
for (const raw of [browser, curl, proxied]) {
  for (let i = 0; i < raw.length; i += 2) {
    names.push(raw[i]);
    values.push(raw[i + 1]);
  }
}

function loop(fn, list) {
  return () => {
    let n = 0;
    for (let i = 0; i < list.length; i++) if (fn(list[i])) n++;
    return n;
  };
}

function loopPairs(fn) {
  return () => {
    for (let i = 0; i < names.length; i++) fn(names[i], values[i]);
    return names.length;
  };
}

// node:http assembly: an IncomingMessage fed the raw list once; setting
// `headers` to null drops its cache so the next read assembles again —
// exactly the lazy work a request pays on first access.
function nodeAssembly(raw, distinct) {
  const msg = new http.IncomingMessage(null);
  msg._addHeaderLines(raw, raw.length);
  return distinct
    ? () => {
        msg.headersDistinct = null;
        return msg.headersDistinct;
      }
    : () => {
        msg.headers = null;
        return msg.headers;
      };
}

const rows = [];
// CPU time, not wall time: the machine is shared, and these are in-process
// microbenchmarks where waiting for a CPU is not the code's cost.
const opts = { seconds: seconds / 2, clock: 'cpu' };
function row(name, ours, anchor) {
  // Alternate and repeat so neither side always runs warm or cold.
  const a1 = measure(ours, opts);
  const b1 = measure(anchor, opts);
  const b2 = measure(anchor, opts);
  const a2 = measure(ours, opts);
  rows.push({ name, ours: (a1 + a2) / 2, anchor: (b1 + b2) / 2 });
}

console.log(`${names.length} names/values per op for the validators; ops/s, higher is better\n`);

row(
  'checkIsHttpToken (names)',
  loop(checkIsHttpToken, names),
  loop(nodeCommon._checkIsHttpToken, names),
);
row(
  'checkInvalidHeaderChar (values)',
  loop(checkInvalidHeaderChar, values),
  loop(nodeCommon._checkInvalidHeaderChar, values),
);
row(
  'validateHeaderName (names)',
  loop(validateHeaderName, names),
  loop(http.validateHeaderName, names),
);
row(
  'validateHeaderValue (pairs)',
  loopPairs(validateHeaderValue),
  loopPairs(http.validateHeaderValue),
);

for (const [label, raw] of [
  ['browser', browser],
  ['curl', curl],
  ['proxied+dups', proxied],
]) {
  row(`headers: ${label} (${raw.length / 2})`, () => buildHeaders(raw), nodeAssembly(raw, false));
}
row(
  `headersDistinct: browser (${browser.length / 2})`,
  () => buildHeadersDistinct(browser),
  nodeAssembly(browser, true),
);

// Outgoing: a typical response's setHeader calls and its header block.
const kOutHeaders = Object.getOwnPropertySymbols(new http.OutgoingMessage()).find(
  (s) => s.description === 'kOutHeaders',
);
const outNames = ['Content-Type', 'Content-Length', 'Cache-Control', 'ETag', 'Set-Cookie', 'Vary'];
const outValues = [
  'text/html; charset=utf-8',
  1234,
  'no-cache',
  'W/"4d2-abc"',
  ['a=1', 'b=2'],
  'Accept-Encoding',
];
const nodeMsg = new http.OutgoingMessage();
row(
  'setHeader x6 + getHeaders()',
  () => {
    const h = new OutgoingHeaders();
    for (let i = 0; i < outNames.length; i++) h.set(outNames[i], outValues[i]);
    return h.toObject();
  },
  () => {
    nodeMsg[kOutHeaders] = null;
    for (let i = 0; i < outNames.length; i++) nodeMsg.setHeader(outNames[i], outValues[i]);
    return nodeMsg.getHeaders();
  },
);
row(
  'setHeader x6 + header block',
  () => {
    const h = new OutgoingHeaders();
    for (let i = 0; i < outNames.length; i++) h.set(outNames[i], outValues[i]);
    return `HTTP/1.1 200 OK\r\n${serializeHeaders(h)}`;
  },
  () => {
    // _storeHeader also decides framing (it finds Content-Length here and
    // adds Connection: keep-alive): a few comparisons more than ours.
    nodeMsg[kOutHeaders] = null;
    nodeMsg._header = null;
    for (let i = 0; i < outNames.length; i++) nodeMsg.setHeader(outNames[i], outValues[i]);
    nodeMsg._storeHeader('HTTP/1.1 200 OK\r\n', nodeMsg[kOutHeaders]);
    return nodeMsg._header;
  },
);

table(rows, { oursLabel: '@strata-http/headers', anchorLabel: 'node:http' });
