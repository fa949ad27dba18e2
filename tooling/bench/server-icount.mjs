#!/usr/bin/env node
// Deterministic cost per request: user-space instructions, counted by
// valgrind, for @strata-http/server and node:http serving the same requests
// over injected in-memory Duplex connections (no kernel, no load generator,
// no wall clock). Wall-clock req/s on the shared 2-CPU machine moves ±20%
// between runs; these counts repeat within a few instructions (fixed seeds), so they show what a
// change does to the server's own work. (Not the target figure:
// that is req/s over loopback, from server.bench.mjs.)
//
//   node tooling/bench/server-icount.mjs                     GET keep-alive
//   node tooling/bench/server-icount.mjs --scenario 64k      64 KiB written in 4 KiB chunks
//   node tooling/bench/server-icount.mjs --scenario echo     POST 4 KiB echo
//   node tooling/bench/server-icount.mjs --n1 20000 --n2 60000
//   BENCH_OURS=server node tooling/bench/server-icount.mjs   (@strata-http/server itself)
//
// Needs valgrind (`apt-get install -y valgrind`) and the built packages
// (`npx turbo run build --filter=@strata-http/server...`). Takes a few minutes.
//
// How: the same file is the driver (`--drive ours|node <requests> <scenario>`):
// 10 connections, requests pushed in lock-step rounds, each round drained by
// setImmediate; the handler is server.bench.mjs's (server-handler.mjs). It runs under `valgrind --tool=cachegrind --cache-sim=no`
// twice, with n1 and n2 requests; (I refs(n2) - I refs(n1)) / (n2 - n1) is the
// marginal count per request, without start-up and JIT warm-up. V8 runs with
// --single-threaded (no background compiler or GC threads), a fixed 16 MB
// young generation and fixed hash and random seeds, so its decisions do not
// follow wall time or chance.
import { fileURLToPath } from 'node:url';
import { collect, onPath, table } from './lib.mjs';
import { createServerOf, handler, memoryConnection, oursModule } from './server-handler.mjs';

const self = fileURLToPath(import.meta.url);
const CONNECTIONS = 10;

const SCENARIOS = {
  get: {
    name: 'GET keep-alive',
    request: 'GET / HTTP/1.1\r\nHost: bench\r\nAccept: */*\r\n\r\n',
    last: '0\r\n\r\n', // writeHead() then end(text): chunked, in both
  },
  '64k': {
    name: '64 KiB chunked response',
    request: 'GET /64k HTTP/1.1\r\nHost: bench\r\n\r\n',
    last: '0\r\n\r\n',
  },
  echo: {
    name: 'POST 4 KiB echo',
    request: `POST /echo HTTP/1.1\r\nHost: bench\r\nContent-Length: 4096\r\n\r\n${'x'.repeat(4096)}`,
    last: 'xxxx', // Content-Length: the body is the last piece
  },
};

// ---------------------------------------------------------------------------
// Driver (runs under valgrind)

async function drive(impl, total, scenario) {
  const createServer = await createServerOf(impl);
  // No timer of the server's may fire during the run.
  const server = createServer({ connectionsCheckingInterval: 1e9, keepAliveTimeout: 1e9 }, handler);
  const request = Buffer.from(SCENARIOS[scenario].request, 'latin1');
  let finished = 0;
  const connections = [];
  for (let i = 0; i < CONNECTIONS; i++) {
    const socket = memoryConnection(server, (data) => {
      if (data.length > 0) count(data);
    });
    connections.push(socket);
  }
  // A response is over when the piece that ends it went out (checked afterwards).
  const last = SCENARIOS[scenario].last;
  function count(data) {
    if (typeof data === 'string') {
      if (data.endsWith(last)) finished++;
      return;
    }
    const at = data.length - last.length;
    if (at < 0) return;
    for (let i = 0; i < last.length; i++) if (data[at + i] !== last.charCodeAt(i)) return;
    finished++;
  }
  const turn = () => new Promise((resolve) => setImmediate(resolve));
  for (let sent = 0; sent < total; sent += CONNECTIONS) {
    for (const socket of connections) socket.push(request);
    await turn();
    await turn();
  }
  if (finished !== total) {
    console.error(`${impl}: ${finished} responses for ${total} requests`);
    process.exit(1);
  }
  process.exit(0);
}

// ---------------------------------------------------------------------------
// Main

async function instructions(impl, requests, scenario) {
  const args = [
    '--tool=cachegrind',
    '--cache-sim=no',
    '--cachegrind-out-file=/dev/null',
    process.execPath,
    // Fixed seeds: V8's hash tables and random numbers come out the same in
    // every run, so repeated counts agree within a few instructions (±150 without).
    '--random-seed=1',
    '--hash-seed=1',
    '--single-threaded',
    '--min-semi-space-size=16',
    '--max-semi-space-size=16',
    self,
    '--drive',
    impl,
    String(requests),
    scenario,
  ];
  const { code, err } = await collect(['valgrind', ...args]);
  const refs = /I\s+refs:\s+([\d,]+)/.exec(err);
  if (code !== 0 || !refs) throw new Error(`valgrind ${impl} ${requests}: exit ${code}\n${err}`);
  return Number(refs[1].replaceAll(',', ''));
}

async function main() {
  const opts = { scenario: 'get', n1: 20000, n2: 60000 };
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i++) {
    const value = argv[++i];
    if (argv[i - 1] === '--scenario') opts.scenario = value;
    else if (argv[i - 1] === '--n1') opts.n1 = Number(value);
    else if (argv[i - 1] === '--n2') opts.n2 = Number(value);
    else throw new Error(`unknown option ${argv[i - 1]}`);
  }
  if (!SCENARIOS[opts.scenario]) throw new Error(`--scenario: one of ${Object.keys(SCENARIOS)}`);
  if (!onPath('valgrind')) {
    console.log('server-icount: valgrind is not installed (apt-get install -y valgrind); skipped');
    return;
  }
  const perRequest = {};
  // Two valgrind processes at a time (the machine has 2 CPUs); counts do not depend on load.
  for (const impl of ['ours', 'node']) {
    const [a, b] = await Promise.all([
      instructions(impl, opts.n1, opts.scenario),
      instructions(impl, opts.n2, opts.scenario),
    ]);
    perRequest[impl] = Math.round((b - a) / (opts.n2 - opts.n1));
  }
  console.log(
    `\nUser-space instructions per request (valgrind, marginal over ${opts.n1}..${opts.n2} requests; ours: ${oursModule()}; ratio = node / ours, > 1 means ours does less)`,
  );
  table([{ name: SCENARIOS[opts.scenario].name, ours: perRequest.ours, anchor: perRequest.node }], {
    unit: 'instr/req',
    anchorLabel: 'node:http',
    lowerIsBetter: true,
  });
}

if (process.argv[2] === '--drive') {
  await drive(process.argv[3], Number(process.argv[4]), process.argv[5]);
} else {
  await main();
}
