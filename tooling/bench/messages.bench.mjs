// @strata-http/outgoing-message and @strata-http/incoming-message against
// node:http's ServerResponse / IncomingMessage, in one process and one run,
// writing to an in-memory socket that completes every write at once (so the
// message layer, not the kernel, is measured). A minimal response subclass
// plays the server's part (status line, assignSocket). Ratio = ours / node:http
// (higher is better). `npm run bench -- messages`; SECONDS=2 for longer runs.
import http from 'node:http';
import { Writable } from 'node:stream';
import { IncomingMessage } from '@strata-http/incoming-message';
import { kOutHeaders, OutgoingMessage } from '@strata-http/outgoing-message';
import { pinSelf, table } from './lib.mjs';

// biome-ignore lint/suspicious/noUndeclaredEnvVars: a bench knob, not a turbo build input
const seconds = Number(process.env.SECONDS) || 1;
pinSelf(0);

class Response extends OutgoingMessage {
  statusCode = 200;
  constructor() {
    super();
    this.sendDate = true;
  }
  writeHead(code, headers) {
    this.statusCode = code;
    this._storeHeader(`HTTP/1.1 ${code} OK\r\n`, headers ?? this[kOutHeaders]);
    return this;
  }
  _implicitHeader() {
    this.writeHead(this.statusCode);
  }
}

function sink() {
  // Like net.Socket: strings are handed to the writer as they are, not converted.
  const s = new Writable({
    decodeStrings: false,
    write(_c, _e, cb) {
      cb();
    },
    writev(_c, cb) {
      cb();
    },
  });
  s.setMaxListeners(0);
  return s;
}

const nodeReq = new http.IncomingMessage(null);
nodeReq.method = 'GET';
nodeReq.httpVersionMajor = 1;
nodeReq.httpVersionMinor = 1;

function attachOurs(socket) {
  const res = new Response();
  socket._httpMessage = res;
  res.socket = socket;
  return res;
}
function detachOurs(socket, res) {
  socket._httpMessage = null;
  res.socket = null;
}
function attachNode(socket) {
  const res = new http.ServerResponse(nodeReq);
  res.assignSocket(socket);
  return res;
}
function detachNode(socket, res) {
  res.detachSocket(socket);
}

const kb = Buffer.alloc(1024, 97);
const responseScenarios = [
  {
    name: 'end(small string)',
    run(res) {
      res.setHeader('Content-Type', 'text/plain');
      res.end('hello world');
    },
  },
  {
    name: 'writeHead(obj) + end(1 KiB Buffer)',
    run(res) {
      res.writeHead(200, {
        'Content-Type': 'application/octet-stream',
        'Cache-Control': 'no-store',
        ETag: '"abc"',
        'X-Request-Id': '12345',
        'Content-Length': 1024,
      });
      res.end(kb);
    },
  },
  {
    name: 'chunked: 3 writes + end',
    run(res) {
      res.setHeader('Content-Type', 'text/plain');
      res.write('first chunk ');
      res.write(kb);
      res.write('third');
      res.end();
    },
  },
];

/** ops/s of `op`, run in batches with the event loop turning between them. */
async function measureAsync(op) {
  const socket = sink();
  const batch = 500;
  const runFor = async (ms) => {
    let ops = 0;
    const start = process.hrtime.bigint();
    const budget = BigInt(ms) * 1_000_000n;
    let elapsed = 0n;
    while (elapsed < budget) {
      for (let i = 0; i < batch; i++) op(socket);
      ops += batch;
      await new Promise((r) => setImmediate(r));
      elapsed = process.hrtime.bigint() - start;
    }
    return ops / (Number(elapsed) / 1e9);
  };
  await runFor(Math.min(200, seconds * 100));
  return runFor(seconds * 500);
}

/**
 * The machine is shared: alternate ours and the anchor for a few rounds and
 * keep each one's best, so a burst of foreign load hurts neither side alone.
 */
async function compare(name, oursOp, anchorOp, rounds = 3) {
  let ours = 0;
  let anchor = 0;
  for (let i = 0; i < rounds; i++) {
    ours = Math.max(ours, await measureAsync(oursOp));
    anchor = Math.max(anchor, await measureAsync(anchorOp));
  }
  rows.push({ name, ours, anchor });
}

const rows = [];
for (const sc of responseScenarios) {
  await compare(
    `response: ${sc.name}`,
    (socket) => {
      const res = attachOurs(socket);
      sc.run(res);
      detachOurs(socket, res);
    },
    (socket) => {
      const res = attachNode(socket);
      sc.run(res);
      detachNode(socket, res);
    },
  );
}

// IncomingMessage: construct, read headers once, push a body, end, consume.
const raw = [
  'Host',
  'example.com',
  'User-Agent',
  'curl/8.5.0',
  'Accept',
  '*/*',
  'Content-Type',
  'application/json',
  'Content-Length',
  '11',
  'Cookie',
  'a=1',
  'cookie',
  'b=2',
];
const body = Buffer.from('{"a":"b"}\r\n');
await compare(
  'request: headers + body + end',
  () => {
    const msg = new IncomingMessage(null);
    msg.rawHeaders = raw;
    if (msg.headers.host === undefined) throw new Error('unreachable');
    msg.push(body);
    msg.complete = true;
    msg.push(null);
    msg.resume();
  },
  () => {
    const msg = new http.IncomingMessage(null);
    msg._addHeaderLines(raw, raw.length);
    if (msg.headers.host === undefined) throw new Error('unreachable');
    msg.push(body);
    msg.complete = true;
    msg.push(null);
    msg.resume();
  },
);

table(rows, { anchorLabel: 'node:http' });
