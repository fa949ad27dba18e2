#!/usr/bin/env node
// @strata-http/websocket against the `ws` client (issue 8's anchor), same run, same server:
// echo round trips per second and MB/s for 64-byte and 64 KiB binary messages over loopback.
// The `ws` echo server runs in a child process pinned to CPU 1 (taskset, when present); this
// process pins itself to CPU 0. One connection per client, one message in flight: a round trip
// is send -> the server's echo arrives. MB/s counts payload bytes echoed (size x round trips / s,
// one direction). Both clients receive ArrayBuffers (binaryType 'arraybuffer'), compression is
// off on the server, so both do the same work. Rounds alternate ours/ws (and who goes first);
// the table shows the ratio of the best rounds and the median of the per-round ratios, against
// the noise of a shared 2-core machine: distrust differences under 15%.
// Usage: node tooling/bench/websocket.bench.mjs [seconds per measurement = 2] [rounds = 3]
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { WebSocket as Ours } from '@strata-http/websocket';
import { WebSocket as WsClient } from 'ws';

const require = createRequire(import.meta.url);
const wsPath = require.resolve('ws');
const hasTaskset = spawnSync('taskset', ['-V']).status === 0;
if (hasTaskset) spawnSync('taskset', ['-pc', '0', String(process.pid)], { stdio: 'ignore' });

const SECONDS = Number(process.argv[2] ?? 2);
const ROUNDS = Number(process.argv[3] ?? 3);

const serverSource = `
  const { WebSocketServer } = require(${JSON.stringify(wsPath)});
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false, maxPayload: 1 << 30 });
  wss.on('connection', (s) => s.on('message', (d, isBinary) => s.send(d, { binary: isBinary })));
  wss.on('listening', () => process.stdout.write(String(wss.address().port) + '\\n'));
`;
const serverArgs = [process.execPath, '-e', serverSource];
const server = hasTaskset
  ? spawn('taskset', ['-c', '1', ...serverArgs], { stdio: ['ignore', 'pipe', 'inherit'] })
  : spawn(serverArgs[0], serverArgs.slice(1), { stdio: ['ignore', 'pipe', 'inherit'] });
const port = await new Promise((resolve) =>
  server.stdout.once('data', (d) => resolve(Number(String(d).trim()))),
);
const url = `ws://127.0.0.1:${port}`;

/**
 * Sequential echo for SECONDS: returns round trips per second and the CPU time this process
 * (the client alone: the server is another process) spent per round trip, in microseconds.
 * CPU per round trip is the steadier figure on a loaded machine.
 */
async function echo(Ctor, size) {
  const ws = new Ctor(url);
  ws.binaryType = 'arraybuffer';
  await new Promise((resolve, reject) => {
    ws.onopen = resolve;
    ws.onerror = reject;
  });
  const payload = new Uint8Array(size).fill(97);
  // Warm up.
  await run(ws, payload, 0.3);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const trips = await run(ws, payload, SECONDS);
  const elapsed = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  await new Promise((resolve) => {
    ws.onclose = resolve;
    ws.close();
  });
  return { rate: trips / elapsed, cpuPerTrip: (cpu.user + cpu.system) / trips };
}

function run(ws, payload, seconds) {
  return new Promise((resolve) => {
    let trips = 0;
    const end = performance.now() + seconds * 1000;
    ws.onmessage = () => {
      trips++;
      if ((trips & 63) === 0 && performance.now() >= end) {
        ws.onmessage = null;
        resolve(trips);
        return;
      }
      ws.send(payload);
    };
    ws.send(payload);
  });
}

const scenarios = [
  ['64 B binary', 64],
  ['64 KiB binary', 64 * 1024],
];
const median = (xs) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const rows = [];
for (const [name, size] of scenarios) {
  const ours = [];
  const theirs = [];
  for (let r = 0; r < ROUNDS; r++) {
    // Alternate which client goes first, so that neither always gets the warmer machine.
    if (r % 2 === 0) {
      ours.push(await echo(Ours, size));
      theirs.push(await echo(WsClient, size));
    } else {
      theirs.push(await echo(WsClient, size));
      ours.push(await echo(Ours, size));
    }
  }
  const best = (xs, key, pick) => pick(...xs.map((x) => x[key]));
  const oursRate = best(ours, 'rate', Math.max);
  const theirsRate = best(theirs, 'rate', Math.max);
  const pairedRate = median(ours.map((o, i) => o.rate / theirs[i].rate));
  const oursCpu = best(ours, 'cpuPerTrip', Math.min);
  const theirsCpu = best(theirs, 'cpuPerTrip', Math.min);
  const pairedCpu = median(ours.map((o, i) => theirs[i].cpuPerTrip / o.cpuPerTrip));
  const mb = (rt) => ((rt * size) / 1e6).toFixed(1);
  rows.push([
    `${name}: round trips/s`,
    oursRate.toFixed(0),
    theirsRate.toFixed(0),
    (oursRate / theirsRate).toFixed(2),
    pairedRate.toFixed(2),
  ]);
  rows.push([
    `${name}: MB/s`,
    mb(oursRate),
    mb(theirsRate),
    (oursRate / theirsRate).toFixed(2),
    pairedRate.toFixed(2),
  ]);
  rows.push([
    `${name}: client CPU us/round trip *`,
    oursCpu.toFixed(1),
    theirsCpu.toFixed(1),
    (theirsCpu / oursCpu).toFixed(2),
    pairedCpu.toFixed(2),
  ]);
}
server.kill();

console.log(
  `Node ${process.version}, ${SECONDS}s x ${ROUNDS} rounds, taskset ${hasTaskset ? 'on' : 'off'}\n`,
);
const header = [
  'scenario',
  '@strata-http/websocket',
  'ws client',
  'ratio (best)',
  'ratio (median of rounds)',
];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (cells) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
console.log(line(header));
console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
for (const r of rows) console.log(line(r));
console.log('\nRatios: higher is better for ours. * CPU rows: lower is better, ratio = ws / ours.');
