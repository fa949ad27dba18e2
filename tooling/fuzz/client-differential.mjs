#!/usr/bin/env node
// Client-level differential fuzzer: a raw server answers every request with
// the same bytes, valid and mutated responses, and a node:http request and a
// @strata-http/http request (agent: false) each record what they see: the
// events in order ('information', 'response', the body, 'end', 'aborted',
// errors with code and message, 'close') and the response's status, version,
// rawHeaders, headers and trailers. The two records must be equal. The
// request is a GET, a HEAD or a POST with a body, sent alone (agent: false)
// or twice in a row on a keep-alive agent (the second may reuse the socket).
//
//   npx turbo run build --filter=@strata-http/http...
//   node tooling/fuzz/client-differential.mjs                  1,000 cases, seed 1
//   node tooling/fuzz/client-differential.mjs --cases 5000 --seed 7
//   node tooling/fuzz/client-differential.mjs --replay 1234    one case, both records
//
// Each case is a response template (Content-Length, chunked with trailers,
// close-delimited, 204, 304, 1xx before the answer, HTTP/1.0, duplicate and
// conflicting lengths, Set-Cookie lists, bytes after the response) with 0-3
// mutations like the server fuzzer's, sent in 1-3 writes 5 ms apart, then the
// server closes. The last line is `N cases, N differ, N by an llhttp version
// rule, N crashes`; exit 1 when any differ otherwise or crash.
import net from 'node:net';

const { caseRandom, collectCrashes, fuzzArgs, llhttpVersionRule, mutate, runAll, writes } =
  await import('./lib.mjs');
const args = fuzzArgs();

const nodeHttp = await import('node:http');
const ours = await import('@strata-http/http');

const crashes = collectCrashes();

const TEMPLATES = [
  'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello',
  'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n3;x=y\r\nabc\r\n0\r\nX-Trailer: t\r\n\r\n',
  'HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nuntil the end',
  'HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n',
  'HTTP/1.1 304 Not Modified\r\nETag: "x"\r\n\r\n',
  'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok',
  'HTTP/1.1 103 Early Hints\r\nLink: </a>; rel=preload\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n',
  'HTTP/1.0 200 OK\r\n\r\nold style',
  'HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\nhi',
  'HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhi\r\n0\r\n\r\n',
  'HTTP/1.1 200 OK\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2\r\nX-A: 1\r\nX-A: 2\r\nContent-Length: 0\r\n\r\n',
  'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhiEXTRA BYTES',
  'HTTP/1.1 404 Not Found\r\nContent-Length: 9\r\nKeep-Alive: timeout=5\r\n\r\nnot found',
  'HTTP/1.1 500\r\nContent-Length: 0\r\n\r\n',
  'HTTP/1.1 200 OK\r\nX-Fold: a\r\n b\r\nContent-Length: 0\r\n\r\n',
  `HTTP/1.1 200 OK\r\nX-Big: ${'v'.repeat(17000)}\r\nContent-Length: 0\r\n\r\n`,
  'HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\nraw until close',
];
function makeCase(n) {
  const random = caseRandom(args.seed, n);
  const data = mutate(random.pick(TEMPLATES), random);
  return { data, pieces: writes(data, random, 3) };
}

/**
 * A raw server that answers each request head it reads with `pieces`, and
 * closes its side after the `answers`-th answer on a connection.
 */
function rawServer(pieces, answers) {
  const server = net.createServer((socket) => {
    socket.on('error', () => {});
    let seen = '';
    let answered = 0;
    let busy = Promise.resolve();
    socket.on('data', (d) => {
      seen += d.toString('latin1');
      let at = seen.indexOf('\r\n\r\n');
      while (at >= 0) {
        seen = seen.slice(at + 4);
        const n = ++answered;
        busy = busy.then(async () => {
          for (const p of pieces) {
            if (socket.destroyed) return;
            socket.write(p);
            await new Promise((r) => setTimeout(r, 5));
          }
          if (n >= answers && !socket.destroyed) socket.end();
        });
        at = seen.indexOf('\r\n\r\n');
      }
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** Case n's request: GET, HEAD or POST with a body; alone, or twice on a keep-alive agent. */
function requestShape(n) {
  return { method: ['GET', 'HEAD', 'POST'][n % 3], keepAlive: Math.floor(n / 3) % 2 === 1 };
}

async function recordCase(http, port, shape) {
  if (!shape.keepAlive) return record(http, port, shape.method, false, 'a');
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const first = await record(http, port, shape.method, agent, 'a');
  const second = await record(http, port, shape.method, agent, 'b');
  agent.destroy();
  return [...first, ...second];
}

function record(http, port, method, agent, label) {
  return new Promise((resolve) => {
    const log = [label];
    let timer = null;
    const done = () => {
      clearTimeout(timer);
      resolve(log);
    };
    timer = setTimeout(() => {
      log.push('timeout');
      req.destroy();
      setTimeout(done, 20);
    }, 1000);
    const req = http.request({ port, host: '127.0.0.1', agent, method, path: '/f' });
    req.on('socket', () => log.push(`socket reused ${req.reusedSocket}`));
    req.on('information', (i) =>
      log.push(`information ${i.statusCode} ${JSON.stringify(i.rawHeaders)}`),
    );
    req.on('response', (res) => {
      log.push(
        `response ${res.statusCode} ${JSON.stringify(res.statusMessage)} ${res.httpVersion} ` +
          `${JSON.stringify(res.rawHeaders)} ${JSON.stringify(res.headers)}`,
      );
      let body = '';
      res.on('data', (d) => {
        body += d.toString('latin1');
      });
      res.on('end', () =>
        log.push(
          `end ${JSON.stringify(body)} ${JSON.stringify(res.rawTrailers)} complete ${res.complete}`,
        ),
      );
      res.on('aborted', () => log.push('aborted'));
      res.on('error', (e) => log.push(`res error ${e.code} ${e.message}`));
      res.on('close', () => log.push(`res close ${JSON.stringify(body)}`));
    });
    req.on('error', (e) => log.push(`req error ${e.code} ${e.message}`));
    req.on('close', () => {
      log.push('req close');
      setTimeout(done, 20);
    });
    req.end(method === 'POST' ? 'abc' : undefined);
  });
}

async function runCase(n) {
  const { data, pieces } = makeCase(n);
  const shape = requestShape(n);
  const records = [];
  for (const http of [nodeHttp, ours]) {
    const server = await rawServer(pieces, shape.keepAlive ? 2 : 1);
    records.push(await recordCase(http, server.address().port, shape));
    server.close();
  }
  const [a, b] = records.map((l) => l.join('\n'));
  const same = a === b;
  // As the client parses: no body after a HEAD request or in a 1xx.
  const skipBody = (head) => shape.method === 'HEAD' || (head[5] >= 100 && head[5] < 200);
  const known = same ? null : llhttpVersionRule('response', data, { skipBody }) ? 'llhttp' : null;
  return { n, same, known, data, pieces, node: a, ours: b };
}

const show = (s) => JSON.stringify(s);

if (args.replay !== undefined) {
  const r = await runCase(Number(args.replay));
  console.log(
    `case ${r.n} (${JSON.stringify(requestShape(r.n))}): ${r.pieces.map((p) => show(p.toString('latin1'))).join(' + ')}`,
  );
  console.log(`node:\n${r.node}`);
  console.log(`ours:\n${r.ours}`);
  console.log(r.same ? 'same' : r.known ? `different (known: ${r.known})` : 'DIFFERENT');
} else {
  await runAll(Number(args.cases), runCase, {
    verbose: args.verbose,
    crashes,
    kinds: { llhttp: 'by an llhttp version rule' },
    show: (r) => {
      console.log(`case ${r.n}: ${show(r.data.toString('latin1').slice(0, 300))}`);
      console.log(`  node: ${show(r.node.slice(0, 600))}`);
      console.log(`  ours: ${show(r.ours.slice(0, 600))}`);
    },
  });
}
