// Keep-alive GET throughput of the HTTP client: @strata-http/client vs node:http's
// client (keepAlive Agent) vs undici's Pool.request(), 50 requests in flight,
// against a minimal canned-response `net` server in another process pinned to the
// other CPU. Rounds alternate between the three clients; medians are reported, as
// requests/s and as client CPU time per request (steadier on a shared machine).
// The machine is shared: repeat, and distrust differences under 15%.
// `node client.bench.mjs [seconds] [rounds]` changes the round length and count.
import { spawn } from 'node:child_process';
import * as http from 'node:http';
import { Duplex } from 'node:stream';
import { Agent, get } from '@strata-http/client';
import { Pool } from 'undici';
import { pinned, pinSelf, table } from './lib.mjs';

const IN_FLIGHT = 50;
const SECONDS = Number(process.argv[2] || 2);
const ROUNDS = Number(process.argv[3] || 3);

// The server: answers every request head (GET, no body) with a canned response.
const SERVER = `
const net = require('node:net');
const RES = Buffer.from('HTTP/1.1 200 OK\\r\\nContent-Type: text/plain\\r\\nContent-Length: 12\\r\\n\\r\\nhello world!');
const server = net.createServer((s) => {
  s.setNoDelay(true);
  let tail = 0; // bytes of a request-head terminator seen so far ("\\r\\n\\r\\n")
  s.on('data', (d) => {
    let n = 0;
    for (let i = 0; i < d.length; i++) {
      const c = d[i];
      if (c === (tail & 1 ? 10 : 13)) { if (++tail === 4) { n++; tail = 0; } }
      else tail = c === 13 ? 1 : 0;
    }
    if (n === 1) s.write(RES);
    else if (n > 1) s.write(Buffer.concat(Array(n).fill(RES)));
  });
  s.on('error', () => {});
});
server.listen(0, '127.0.0.1', () => process.send(server.address().port));
`;

function startServer() {
  const [cmd, ...args] = pinned([process.execPath, '-e', SERVER], 1);
  const child = spawn(cmd, args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve) => child.once('message', (port) => resolve({ child, port })));
}

/** `{ rate, cpu }`: requests per wall second and client CPU microseconds per request. */
function result(completed, start, cpu0) {
  const cpu = process.cpuUsage(cpu0);
  return {
    rate: completed / (Number(process.hrtime.bigint() - start) / 1e9),
    cpu: (cpu.user + cpu.system) / completed,
  };
}

/** Runs `IN_FLIGHT` request loops with an http-like `get` for `seconds`. */
function runHttpLike(getFn, options, seconds) {
  return new Promise((resolve, reject) => {
    let completed = 0;
    let active = 0;
    let stop = false;
    const start = process.hrtime.bigint();
    const cpu0 = process.cpuUsage();
    function onEnd() {
      completed++;
      if (!stop) fire();
      else if (--active === 0) resolve(result(completed, start, cpu0));
    }
    function onResponse(res) {
      res.on('end', onEnd);
      res.resume();
    }
    function fire() {
      getFn(options, onResponse).on('error', reject);
    }
    setTimeout(() => {
      stop = true;
    }, seconds * 1000);
    for (let i = 0; i < IN_FLIGHT; i++) {
      active++;
      fire();
    }
  });
}

async function runUndici(pool, seconds) {
  let completed = 0;
  let stop = false;
  const start = process.hrtime.bigint();
  const cpu0 = process.cpuUsage();
  const timer = setTimeout(() => {
    stop = true;
  }, seconds * 1000);
  async function loop() {
    while (!stop) {
      const { body } = await pool.request({ path: '/', method: 'GET' });
      await body.dump();
      completed++;
    }
  }
  await Promise.all(Array.from({ length: IN_FLIGHT }, loop));
  clearTimeout(timer);
  return result(completed, start, cpu0);
}

// Second scenario: the same loop over an in-memory Duplex "connection" that answers each
// request with the canned response — the client machinery alone, without the kernel's
// loopback TCP cost (which dominates the first scenario for every client alike).
const CANNED = Buffer.from(
  'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 12\r\n\r\nhello world!',
);
class MemorySocket extends Duplex {
  _read() {}
  _write(_chunk, _encoding, callback) {
    setImmediate(pushCanned, this);
    callback();
  }
  // node:http's Agent calls these unguarded
  setKeepAlive() {
    return this;
  }
  setNoDelay() {
    return this;
  }
  setTimeout() {
    return this;
  }
  ref() {
    return this;
  }
  unref() {
    return this;
  }
}
function pushCanned(socket) {
  socket.push(CANNED);
}
function memoryAgent(AgentClass) {
  const agent = new AgentClass({ keepAlive: true });
  agent.createConnection = () => new MemorySocket();
  return agent;
}

const pinnedSelf = pinSelf(0);
const { child, port } = await startServer();
const options = { host: '127.0.0.1', port, path: '/' };
const oursAgent = new Agent({ keepAlive: true });
const nodeAgent = new http.Agent({ keepAlive: true });
const pool = new Pool(`http://127.0.0.1:${port}`, { connections: IN_FLIGHT });

const clients = {
  ours: (s) => runHttpLike(get, { ...options, agent: oursAgent }, s),
  node: (s) => runHttpLike(http.get, { ...options, agent: nodeAgent }, s),
  undici: (s) => runUndici(pool, s),
};

const memOptions = { host: 'memory', port: 80, path: '/' };
const oursMemory = memoryAgent(Agent);
const nodeMemory = memoryAgent(http.Agent);
clients.oursMemory = (s) => runHttpLike(get, { ...memOptions, agent: oursMemory }, s);
clients.nodeMemory = (s) => runHttpLike(http.get, { ...memOptions, agent: nodeMemory }, s);

// Warm-up: JIT, sockets, pools.
for (const run of Object.values(clients)) await run(0.5);

const rates = { ours: [], node: [], undici: [], oursMemory: [], nodeMemory: [] };
const cpus = { ours: [], node: [], undici: [], oursMemory: [], nodeMemory: [] };
for (let round = 0; round < ROUNDS; round++) {
  for (const [name, run] of Object.entries(clients)) {
    const { rate, cpu } = await run(SECONDS);
    rates[name].push(rate);
    cpus[name].push(cpu);
  }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const rate = (name) => median(rates[name]);
const cpu = (name) => median(cpus[name]);

console.log(
  `keep-alive GET, ${IN_FLIGHT} in flight, ${ROUNDS} rounds x ${SECONDS}s, medians` +
    (pinnedSelf ? ' (client CPU 0, server CPU 1)' : ' (taskset unavailable: not pinned)'),
);
table(
  [
    { name: 'vs node:http keepAlive Agent', ours: rate('ours'), anchor: rate('node') },
    { name: 'vs undici Pool.request()', ours: rate('ours'), anchor: rate('undici') },
  ],
  { unit: 'req/s', anchorLabel: 'anchor' },
);
console.log('');
table(
  [
    { name: 'vs node:http keepAlive Agent', ours: cpu('ours'), anchor: cpu('node') },
    { name: 'vs undici Pool.request()', ours: cpu('ours'), anchor: cpu('undici') },
  ],
  { unit: 'client CPU us/req', anchorLabel: 'anchor', lowerIsBetter: true },
);
console.log('\nin-memory Duplex connection (client machinery only, no kernel TCP):');
table([{ name: 'vs node:http', ours: rate('oursMemory'), anchor: rate('nodeMemory') }], {
  unit: 'req/s',
  anchorLabel: 'node:http',
});
table([{ name: 'vs node:http', ours: cpu('oursMemory'), anchor: cpu('nodeMemory') }], {
  unit: 'client CPU us/req',
  anchorLabel: 'node:http',
  lowerIsBetter: true,
});
const fmt = (xs) => xs.map((x) => Math.round(x)).join(' ');
console.log(
  `\nrounds (req/s): ours ${fmt(rates.ours)} | node ${fmt(rates.node)} | undici ${fmt(rates.undici)}`,
);
console.log('targets: >= 2.00x node:http, >= 1.00x undici (req/s)');

oursAgent.destroy();
nodeAgent.destroy();
await pool.close();
child.kill();
