import { Duplex } from 'node:stream';

// What both server benchmarks share (server.bench.mjs over loopback and in
// memory, server-icount.mjs in memory), so they measure the same work: the
// request handler, and in-memory connections.
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
