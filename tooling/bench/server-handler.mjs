import { Duplex } from 'node:stream';

// What the server benchmarks share (server.bench.mjs over loopback and in
// memory, server-icount.mjs in memory, fixed-rate.mjs's generator), so they
// measure the same work: the request handler, in-memory connections, and a
// request's bytes and a response's framing on the wire.
//
//   /echo  the request body back, with Content-Length
//   /64k   64 KiB in 16 writes of 4 KiB (chunked)
//   else   "Hello World", text/plain: writeHead() then end() (chunked, as node:http sends it)

/**
 * `createServer` of `impl`: 'node' (node:http) or 'ours'. Ours is the drop-in,
 * `@strata-http/http`, unless BENCH_OURS=server picks `@strata-http/server`
 * itself. (Either way the layers' CommonJS builds run: each layer's ES module
 * entry is a face over its CommonJS build.)
 */
export async function createServerOf(impl) {
  if (impl === 'node') return (await import('node:http')).createServer;
  const ours = oursModule();
  return (await import(ours)).createServer;
}

/** The module measured as 'ours' (BENCH_OURS: http, the default, or server). */
export function oursModule() {
  const which = process.env.BENCH_OURS ?? 'http';
  if (which !== 'http' && which !== 'server') {
    throw new Error(`BENCH_OURS must be http or server, not ${which}`);
  }
  return `@strata-http/${which}`;
}

export const HELLO = 'Hello World';
export const CHUNK = Buffer.alloc(4096, 'x');
export const CHUNKS = 16;

export function handler(req, res) {
  switch (req.url) {
    case '/echo': {
      const parts = [];
      req.on('data', (d) => parts.push(d));
      req.on('end', () => {
        const body = Buffer.concat(parts);
        res.writeHead(200, {
          'Content-Type': 'application/octet-stream',
          'Content-Length': body.length,
        });
        res.end(body);
      });
      return;
    }
    case '/64k':
      res.writeHead(200, { 'Content-Type': 'application/octet-stream' });
      for (let i = 0; i < CHUNKS - 1; i++) res.write(CHUNK);
      res.end(CHUNK);
      return;
    default:
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.end(HELLO);
  }
}

/**
 * An in-memory connection to `server`: a Duplex handed to it as a
 * 'connection', whose every write (each piece of a writev) goes to
 * `onWrite(data, socket)`. Strings reach it as written, as with net.Socket.
 */
export function memoryConnection(server, onWrite) {
  const socket = new Duplex({
    decodeStrings: false,
    read() {},
    write(data, _encoding, callback) {
      onWrite(data, socket);
      callback();
    },
    writev(chunks, callback) {
      for (const { chunk } of chunks) onWrite(chunk, socket);
      callback();
    },
  });
  socket.setTimeout = () => socket;
  server.emit('connection', socket);
  return socket;
}

/** The bytes of a request as wrk sends it (`headers` as [name, value] pairs), as a latin1 string. */
export function requestText({ host, port, method = 'GET', path = '/', headers = [], body = '' }) {
  const head = [`${method} ${path} HTTP/1.1`, `Host: ${host}:${port}`];
  for (const [k, v] of headers) head.push(`${k}: ${v}`);
  if (body) head.push(`Content-Length: ${Buffer.byteLength(body)}`);
  return `${head.join('\r\n')}\r\n\r\n${body}`;
}

/** Parses one response at `buf[at..]`; null while incomplete. */
export function parseResponse(buf, at) {
  const headEnd = buf.indexOf('\r\n\r\n', at, 'latin1');
  if (headEnd < 0) return null;
  const lines = buf.toString('latin1', at, headEnd).split('\r\n');
  const status = Number(lines[0].split(' ')[1]);
  const headers = {};
  for (const line of lines.slice(1)) {
    const c = line.indexOf(':');
    headers[line.slice(0, c).trim().toLowerCase()] = line.slice(c + 1).trim();
  }
  let pos = headEnd + 4;
  const parts = [];
  if (headers['content-length'] !== undefined) {
    const n = Number(headers['content-length']);
    if (buf.length < pos + n) return null;
    parts.push(buf.subarray(pos, pos + n));
    pos += n;
  } else if (/chunked/i.test(headers['transfer-encoding'] ?? '')) {
    for (;;) {
      const lineEnd = buf.indexOf('\r\n', pos, 'latin1');
      if (lineEnd < 0) return null;
      const size = Number.parseInt(buf.toString('latin1', pos, lineEnd), 16);
      pos = lineEnd + 2;
      if (size === 0) {
        const trailerEnd = buf.indexOf('\r\n', pos, 'latin1');
        if (trailerEnd < 0) return null;
        // Skip trailer lines, if any, up to the empty line.
        if (trailerEnd !== pos) {
          const end = buf.indexOf('\r\n\r\n', pos, 'latin1');
          if (end < 0) return null;
          pos = end + 4;
        } else pos += 2;
        break;
      }
      if (buf.length < pos + size + 2) return null;
      parts.push(buf.subarray(pos, pos + size));
      pos += size + 2;
    }
  } else {
    return { status, headers, body: buf.subarray(pos), end: -1 }; // body until close
  }
  return { status, headers, body: Buffer.concat(parts), end: pos };
}
