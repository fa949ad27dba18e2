// The request handler both server benchmarks serve (server.bench.mjs over
// loopback, server-icount.mjs in memory), so they measure the same work.
//
//   /echo  the request body back, with Content-Length
//   /64k   64 KiB in 16 writes of 4 KiB (chunked)
//   else   "Hello World", text/plain: writeHead() then end() (chunked, as node:http sends it)

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
