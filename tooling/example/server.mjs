#!/usr/bin/env node
// The strata-http example server (`npm start`): node:http's API, served by @strata-http/http.
//
//   GET  /         a small HTML page
//   POST /echo     echoes a JSON body back (400 on invalid JSON, 413 past 1 MiB)
//   POST /upload   streams the body, counting bytes without buffering it
//   one log line per request: method, url, status, bytes, duration
//
// Listens on 127.0.0.1:3000; PORT (and HOST) override. Try it:
//   curl -i http://127.0.0.1:3000/
//   curl -i -X POST -H 'content-type: application/json' -d '{"hello":"world"}' http://127.0.0.1:3000/echo
//   head -c 50000000 /dev/zero | curl -sS -X POST -T - http://127.0.0.1:3000/upload
import http from '@strata-http/http';

const { env } = process;
const port = Number(env.PORT ?? 3000);
const host = env.HOST ?? '127.0.0.1';
const maxJsonBytes = 1024 * 1024;

const page = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>strata-http</title></head>
<body>
  <h1>Hello from strata-http</h1>
  <p>This page was served by <code>@strata-http/http</code>, Node's <code>http</code> API rebuilt
  as layered TypeScript packages.</p>
  <ul>
    <li><code>POST /echo</code> with a JSON body: the same JSON comes back.</li>
    <li><code>POST /upload</code> with any body: the number of bytes received.</li>
  </ul>
  <form method="post" action="/upload" enctype="multipart/form-data">
    <input type="file" name="file"> <button>Upload and count bytes</button>
  </form>
</body>
</html>
`;

function send(res, status, type, body) {
  // setHeader (not writeHead's object) keeps the headers readable for the request log.
  res.setHeader('content-type', type);
  res.setHeader('content-length', Buffer.byteLength(body));
  res.statusCode = status;
  res.end(body);
}

function sendJson(res, status, value) {
  send(res, status, 'application/json; charset=utf-8', `${JSON.stringify(value)}\n`);
}

/** POST /echo: buffer up to 1 MiB, parse it as JSON, send it back. */
function echo(req, res) {
  const chunks = [];
  let size = 0;
  req.on('data', (chunk) => {
    size += chunk.length;
    if (size > maxJsonBytes) {
      sendJson(res, 413, { error: 'payload too large', limit: maxJsonBytes });
      req.destroy();
      return;
    }
    chunks.push(chunk);
  });
  req.on('end', () => {
    if (res.headersSent) return;
    let value;
    try {
      value = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch (err) {
      sendJson(res, 400, { error: 'invalid JSON', detail: err.message });
      return;
    }
    sendJson(res, 200, value);
  });
}

/** POST /upload: count the bytes as they stream past; nothing is kept in memory. */
function upload(req, res) {
  let bytes = 0;
  req.on('data', (chunk) => {
    bytes += chunk.length;
  });
  req.on('end', () => sendJson(res, 200, { bytes }));
}

const server = http.createServer((req, res) => {
  const started = process.hrtime.bigint();
  res.on('finish', () => {
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    const length = res.getHeader('content-length') ?? '-';
    console.log(
      `${new Date().toISOString()} ${req.socket.remoteAddress} "${req.method} ${req.url} HTTP/${req.httpVersion}" ${res.statusCode} ${length} ${ms.toFixed(1)}ms`,
    );
  });
  req.on('error', (err) => console.error(`request error: ${err.message}`));

  const path = req.url.split('?')[0];
  if (path === '/' && (req.method === 'GET' || req.method === 'HEAD')) {
    send(res, 200, 'text/html; charset=utf-8', page);
  } else if (path === '/echo' && req.method === 'POST') {
    echo(req, res);
  } else if (path === '/upload' && (req.method === 'POST' || req.method === 'PUT')) {
    upload(req, res);
  } else if (path === '/' || path === '/echo' || path === '/upload') {
    res.setHeader('allow', path === '/' ? 'GET, HEAD' : path === '/echo' ? 'POST' : 'POST, PUT');
    sendJson(res, 405, { error: 'method not allowed' });
    req.resume();
  } else {
    sendJson(res, 404, { error: 'not found', path });
    req.resume();
  }
});

server.on('clientError', (err, socket) => {
  console.error(`client error: ${err.code ?? err.message}`);
  if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
  else socket.destroy();
});

server.listen(port, host, () => {
  const { address, port: actual } = server.address();
  console.log(`strata-http example listening on http://${address}:${actual}/`);
});

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    server.close(() => process.exit(0));
    server.closeAllConnections?.();
  });
}
