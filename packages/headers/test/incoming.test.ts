// Header-object assembly against node:http: the same raw header lists sent
// over a loopback socket to a real node:http server (requests, trailers) and
// received by a real node:http client (responses), then compared with what we
// build from the message's rawHeaders; plus 10,000 generated raw lists
// against IncomingMessage's own assembly in the same process.
import http from 'node:http';
import net from 'node:net';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  addHeaderLine,
  addHeaderLineDistinct,
  buildHeaders,
  buildHeadersDistinct,
  buildTrailers,
  buildTrailersDistinct,
} from '../src/index.ts';
import { prng, randomString } from './helpers/random.ts';

// Names with every folding rule: first-wins, comma-joined, cookie, set-cookie,
// and names that collide with Object.prototype members.
const NAMES = [
  'Age',
  'Authorization',
  'Content-Type',
  'ETag',
  'Expires',
  'From',
  'If-Modified-Since',
  'If-Unmodified-Since',
  'Last-Modified',
  'Location',
  'Max-Forwards',
  'Proxy-Authorization',
  'Referer',
  'Retry-After',
  'Server',
  'User-Agent',
  'Set-Cookie',
  'Cookie',
  'Date',
  'Vary',
  'Accept',
  'Accept-Encoding',
  'Accept-Language',
  'Cache-Control',
  'Origin',
  'If-Match',
  'If-None-Match',
  'X-Forwarded-For',
  'X-Forwarded-Host',
  'X-Forwarded-Proto',
  'Content-Encoding',
  'X-Custom',
  'x-a',
  'constructor',
  'toString',
  'hasOwnProperty',
  '__proto__',
  'valueOf',
  '123',
  '0',
  "x-!#$%&'*+.^_`|~",
  'X-UPPER',
  'Sec-Fetch-Site',
  'sec-ch-ua',
  'X-Real-IP',
  'DNT',
  'TE',
  'WWW-Authenticate',
  'Upgrade-Insecure-Requests',
  'Priority',
  'content-length-x',
  'set-cookie2',
];

function randomCase(r: () => number, s: string): string {
  const mode = Math.floor(r() * 4);
  if (mode === 0) return s;
  if (mode === 1) return s.toLowerCase();
  if (mode === 2) return s.toUpperCase();
  let out = '';
  for (const ch of s) out += r() < 0.5 ? ch.toUpperCase() : ch.toLowerCase();
  return out;
}

/** A raw value the parser passes through unchanged: no leading/trailing OWS. */
function wireValue(r: () => number): string {
  const len = 1 + Math.floor(r() * 12);
  let s = '';
  for (let i = 0; i < len; i++) {
    const x = r();
    if (x < 0.8) s += String.fromCharCode(0x21 + Math.floor(r() * 0x5e));
    else if (x < 0.9) s += String.fromCharCode(0x80 + Math.floor(r() * 0x80));
    else if (i > 0 && i < len - 1) s += r() < 0.5 ? ' ' : '\t';
    else s += 'v';
  }
  return s;
}

function randomRaw(r: () => number, max: number, withFraming: boolean): string[] {
  const raw: string[] = [];
  const n = Math.floor(r() * max);
  for (let i = 0; i < n; i++) {
    const name =
      r() < 0.85
        ? NAMES[Math.floor(r() * NAMES.length)]
        : `x-${wireValue(r).replace(/[^a-z0-9]/gi, '') || 'z'}`;
    raw.push(randomCase(r, name), wireValue(r));
  }
  if (withFraming) {
    // One Host (required for HTTP/1.1 requests) somewhere, sometimes twice.
    const at = 2 * Math.floor(r() * (raw.length / 2 + 1));
    raw.splice(at, 0, randomCase(r, 'Host'), 'example.com');
    if (r() < 0.3) raw.push('host', 'second.example');
  }
  return raw;
}

function wire(raw: string[]): string {
  let s = '';
  for (let i = 0; i < raw.length; i += 2) s += `${raw[i]}: ${raw[i + 1]}\r\n`;
  return s;
}

function sendRaw(port: number, bytes: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const sock = net.connect(port, '127.0.0.1', () => sock.end(Buffer.from(bytes, 'latin1')));
    sock.on('error', reject);
    sock.resume();
    sock.on('close', () => resolve());
  });
}

/**
 * Ordered [key, value] pairs: compares content and key order, and is immune
 * to uvu's dequal reading `.constructor` (a header may be named that).
 */
function entries(o: object): [string, unknown][] {
  return Object.entries(o);
}

function checkMessage(msg: http.IncomingMessage, join: boolean, what: string) {
  const ours = buildHeaders(msg.rawHeaders, join);
  assert.equal(entries(ours), entries(msg.headers), `${what}: headers`);
  assert.equal(Object.keys(ours), Object.keys(msg.headers), `${what}: header order`);
  assert.is(Object.getPrototypeOf(ours), Object.getPrototypeOf(msg.headers), `${what}: proto`);
  const distinct = buildHeadersDistinct(msg.rawHeaders);
  assert.equal(entries(distinct), entries(msg.headersDistinct), `${what}: headersDistinct`);
  assert.equal(Object.keys(distinct), Object.keys(msg.headersDistinct));
  assert.is(Object.getPrototypeOf(distinct), Object.getPrototypeOf(msg.headersDistinct));
}

for (const join of [false, true]) {
  test(`requests from a real node:http server (joinDuplicateHeaders: ${join})`, async () => {
    const r = prng(join ? 7 : 3);
    let checked = 0;
    let trailersChecked = 0;
    const failures: unknown[] = [];
    const server = http.createServer({ joinDuplicateHeaders: join }, (req, res) => {
      try {
        checkMessage(req, join, `request ${checked}`);
        checked++;
      } catch (e) {
        failures.push(e);
      }
      req.resume();
      req.on('end', () => {
        try {
          const t = buildTrailers(req.rawTrailers, join);
          assert.equal(entries(t), entries(req.trailers), 'trailers');
          assert.equal(Object.keys(t), Object.keys(req.trailers));
          assert.is(Object.getPrototypeOf(t), Object.getPrototypeOf(req.trailers));
          const td = buildTrailersDistinct(req.rawTrailers);
          assert.equal(entries(td), entries(req.trailersDistinct), 'trailersDistinct');
          assert.is(Object.getPrototypeOf(td), Object.getPrototypeOf(req.trailersDistinct));
          if (req.rawTrailers.length) trailersChecked++;
        } catch (e) {
          failures.push(e);
        }
        res.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as net.AddressInfo;
    try {
      for (let i = 0; i < 150; i++) {
        const raw = randomRaw(r, 40, true);
        if (i % 3 === 0) {
          const trailers = randomRaw(r, 12, false);
          await sendRaw(
            port,
            `POST /t HTTP/1.1\r\n${wire(raw)}Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n3\r\nabc\r\n0\r\n${wire(trailers)}\r\n`,
          );
        } else {
          await sendRaw(port, `GET /${i} HTTP/1.1\r\n${wire(raw)}Connection: close\r\n\r\n`);
        }
      }
    } finally {
      server.close();
    }
    if (failures.length) throw failures[0];
    assert.is(checked, 150);
    assert.ok(trailersChecked > 20, `trailers checked: ${trailersChecked}`);
  });
}

test('responses received by a real node:http client', async () => {
  const r = prng(11);
  const raws: string[][] = [];
  const server = net.createServer((sock) => {
    const raw = raws.shift()!;
    sock.end(
      Buffer.from(
        `HTTP/1.1 200 OK\r\n${wire(raw)}Content-Length: 0\r\nConnection: close\r\n\r\n`,
        'latin1',
      ),
    );
    sock.on('error', () => {});
    sock.resume();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  try {
    for (let i = 0; i < 100; i++) {
      raws.push(randomRaw(r, 40, false));
      const join = i % 2 === 1;
      const res: http.IncomingMessage = await new Promise((resolve, reject) => {
        http
          .get({ port, host: '127.0.0.1', agent: false, joinDuplicateHeaders: join }, resolve)
          .on('error', reject);
      });
      checkMessage(res, join, `response ${i}`);
      res.resume();
    }
  } finally {
    server.close();
  }
});

test('10,000 generated raw lists against IncomingMessage._addHeaderLines', () => {
  const r = prng(99);
  for (let i = 0; i < 10000; i++) {
    // Assembly does not validate, so names here are anything at all.
    const raw = i % 2 ? randomRaw(r, 30, false) : [];
    if (i % 2 === 0) {
      const n = Math.floor(r() * 20);
      for (let k = 0; k < n; k++) {
        const name =
          r() < 0.5
            ? randomCase(r, NAMES[Math.floor(r() * NAMES.length)])
            : randomString(r, 12, 0.5);
        raw.push(name, randomString(r, 10, 0.5));
      }
    }
    for (const join of [false, true]) {
      const msg = new http.IncomingMessage(null as unknown as net.Socket);
      (msg as any).joinDuplicateHeaders = join;
      (msg as any)._addHeaderLines(raw, raw.length);
      const ours = buildHeaders(raw, join);
      assert.equal(entries(ours), entries(msg.headers), `case ${i} join ${join}`);
      assert.equal(Object.keys(ours), Object.keys(msg.headers), `case ${i} order`);
      const distinct = buildHeadersDistinct(raw);
      assert.equal(entries(distinct), entries(msg.headersDistinct), `case ${i} distinct`);
      assert.equal(Object.keys(distinct), Object.keys(msg.headersDistinct));
    }
  }
});

test('a count (maxHeadersCount) reads the first entries only, as _addHeaderLines(raw, n)', () => {
  const r = prng(7);
  for (let i = 0; i < 2000; i++) {
    const raw = randomRaw(r, 12, false);
    // n as Node's server passes it: an even number of entries, at most all of them.
    const count = 2 * Math.floor(r() * (raw.length / 2 + 1));
    for (const join of [false, true]) {
      const msg = new http.IncomingMessage(null as unknown as net.Socket);
      (msg as any).joinDuplicateHeaders = join;
      (msg as any)._addHeaderLines(raw, count);
      assert.equal(entries(buildHeaders(raw, join, count)), entries(msg.headers), `case ${i}`);
      assert.equal(
        entries(buildHeadersDistinct(raw, count)),
        entries(msg.headersDistinct),
        `case ${i} distinct`,
      );
    }
  }
  // Undefined or negative: all entries; more than there are: all of them.
  const raw = ['A', '1', 'B', '2'];
  for (const count of [undefined, -1, 4, 10]) {
    assert.equal(buildHeaders(raw, false, count), { a: '1', b: '2' });
  }
  assert.equal(buildTrailers(raw, false, 2), { a: '1' });
  assert.equal(entries(buildTrailersDistinct(raw, 2)), [['a', ['1']]]);
});

test('addHeaderLine extends a built object as _addHeaderLines does after headers were read', () => {
  const r = prng(123);
  for (let i = 0; i < 2000; i++) {
    const first = randomRaw(r, 10, false);
    const more = randomRaw(r, 10, false);
    const join = i % 2 === 0;
    const msg = new http.IncomingMessage(null as unknown as net.Socket);
    (msg as any).joinDuplicateHeaders = join;
    (msg as any)._addHeaderLines(first, first.length);
    void msg.headers; // materialise, so the next lines are added to it
    (msg as any)._addHeaderLines(more, more.length);
    const ours = buildHeaders(first, join);
    for (let k = 0; k < more.length; k += 2) addHeaderLine(ours, more[k], more[k + 1], join);
    assert.equal(entries(ours), entries(msg.headers), `case ${i}`);
  }
});

test('the documented rules, spelled out', () => {
  const h = buildHeaders([
    'Host',
    'a',
    'host',
    'b',
    'Content-Type',
    'text/plain',
    'content-type',
    'text/html',
    'Set-Cookie',
    's1',
    'set-cookie',
    's2',
    'Cookie',
    'c1',
    'COOKIE',
    'c2',
    'Accept',
    'x',
    'accept',
    'y',
    'X-Custom',
    '1',
    'x-custom',
    '2',
  ]);
  assert.equal(h, {
    host: 'a',
    'content-type': 'text/plain',
    'set-cookie': ['s1', 's2'],
    cookie: 'c1; c2',
    accept: 'x, y',
    'x-custom': '1, 2',
  });
  assert.is(Object.getPrototypeOf(h), Object.prototype);
  assert.equal(buildHeaders(['Host', 'a', 'host', 'b'], true), { host: 'a, b' });
  assert.equal(buildHeaders(['Set-Cookie', 'only']), { 'set-cookie': ['only'] });
  const d = buildHeadersDistinct(['Host', 'a', 'HOST', 'b', 'Set-Cookie', 'c']);
  assert.is(Object.getPrototypeOf(d), null);
  assert.equal({ ...d }, { host: ['a', 'b'], 'set-cookie': ['c'] });
  assert.equal(buildHeaders([]), {});
});

test('addHeaderLine extends an object already built', () => {
  const h = buildHeaders(['Accept', 'a']);
  addHeaderLine(h, 'Accept', 'b');
  addHeaderLine(h, 'Age', '1');
  addHeaderLine(h, 'age', '2');
  addHeaderLine(h, 'age', '3', true);
  assert.equal(h, { accept: 'a, b', age: '1, 3' });
  const d = buildHeadersDistinct(['Accept', 'a']);
  addHeaderLineDistinct(d, 'ACCEPT', 'b');
  assert.equal(d.accept, ['a', 'b']);
});

test.run();
