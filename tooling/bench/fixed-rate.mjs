#!/usr/bin/env node
// An open-loop load generator for keep-alive HTTP/1.1, for latency at a given
// load: requests go out on a fixed schedule (`rate` per second over all
// connections, evenly spaced), whatever the server does, and each request's
// latency runs from the moment it was due, not from when it could be sent. A
// server that stalls for 20 ms is charged for every request due in those
// 20 ms (what wrk 4.1 estimates afterwards with its coordinated-omission
// correction, and wrk2 does this way).
//
//   node tooling/bench/fixed-rate.mjs --port 3000 --rate 40000 \
//     [--path /echo --method POST --body-bytes 4096] [--connections 50] [--warmup 1] [--seconds 5]
//
// prints one JSON line: { rate (measured), completed, p50, p90, p99, p999,
// max, lagP99, lagMax (all ms), late (requests due while their connection was
// busy), errors (null, or why the run stopped) }; exits 1 on errors.
//
// Why it exists (tooling/bench/README.md, "Latency at a fixed rate"): wrk
// opens its connections when a run starts, and a Node server (libuv ≥ 1.45,
// Node ≥ 20) accepts one connection per event-loop turn, so while the first
// connections already load the server the last ones wait 40-180 ms to be
// accepted. Those first requests, multiplied by wrk's correction, set the p99
// of a 5 s run. Here the connections are opened and each has answered one
// request before the schedule starts, the warm-up runs on the same
// connections, and only requests due in the measured window count.
//
// At most one request is in flight per connection (no pipelining): a request
// that falls due while its connection still waits for a response goes out as
// soon as that response is complete, late, and its latency shows it. `lagP99`
// is how late the generator itself sent requests whose connection was free:
// if it is not far below the servers' latencies, this process could not keep
// the rate and the figures are not the server's.
//
// Responses must be 200 and the same length on a connection (a fixed body and
// a Date of fixed length): the first one on each connection is parsed, later
// ones are counted by length, with the status checked at each start.
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import { parseResponse, requestText } from './server-handler.mjs';

const US_BUCKETS = 100_000; // 1 µs buckets up to 100 ms,
const MS_BUCKETS = 10_000; //  then 1 ms buckets up to 10.1 s (and one for above).

/** Latencies in ms, 1 µs resolution up to 100 ms. */
export class Histogram {
  counts = new Float64Array(US_BUCKETS + MS_BUCKETS + 1);
  count = 0;
  max = 0;

  record(ms) {
    const i =
      ms < 100 ? Math.floor(ms * 1000) : US_BUCKETS + Math.min(MS_BUCKETS, Math.floor(ms - 100));
    this.counts[i]++;
    this.count++;
    if (ms > this.max) this.max = ms;
  }

  /** The upper bound of the bucket holding the p-th percentile (ms). */
  percentile(p) {
    if (this.count === 0) return Number.NaN;
    const want = Math.max(1, Math.ceil((this.count * p) / 100));
    let seen = 0;
    for (let i = 0; i < this.counts.length; i++) {
      seen += this.counts[i];
      if (seen >= want) {
        const top = i < US_BUCKETS ? (i + 1) / 1000 : 100 + (i - US_BUCKETS + 1);
        return Math.min(top, this.max);
      }
    }
    return this.max;
  }
}

/** Length of the complete response at the start of `buf`, 0 if incomplete; throws if not 200. */
function responseLength(buf) {
  const r = parseResponse(buf, 0);
  if (r === null) return 0;
  if (r.status !== 200) throw new Error(`status ${r.status}`);
  if (r.end < 0) throw new Error('response without Content-Length or chunked framing');
  return r.end;
}

class Connection {
  constructor(run, index) {
    this.run = run;
    this.index = index;
    this.due = []; // schedule times (ms) of requests owed, oldest first
    this.inFlight = Number.NaN; // schedule time of the request awaiting its response
    this.length = 0; // response length, once learned
    this.got = 0;
    this.first = null; // bytes of the first response while learning its length
    this.socket = null;
  }

  open() {
    return new Promise((resolve, reject) => {
      // Reads land in one buffer per connection (`onread`): no Buffer per
      // read, so this process's own garbage collections stay rare and short.
      const s = net.connect({
        port: this.run.port,
        host: this.run.host,
        noDelay: true,
        onread: { buffer: Buffer.allocUnsafe(65536), callback: (n, buf) => this.onData(buf, n) },
      });
      this.socket = s;
      this.primed = resolve;
      s.on('connect', () => {
        this.inFlight = performance.now();
        s.write(this.run.request);
      });
      s.on('error', (e) => {
        this.run.fail(`connection ${this.index}: ${e.code ?? e.message}`);
        reject(e);
      });
      s.on('close', () => {
        if (!this.run.closing) this.run.fail(`connection ${this.index} closed by the server`);
      });
    });
  }

  onData(d, n) {
    if (this.length === 0) {
      const copy = Buffer.from(d.subarray(0, n));
      this.first = this.first ? Buffer.concat([this.first, copy]) : copy;
      let length;
      try {
        length = responseLength(this.first);
      } catch (e) {
        this.run.fail(`connection ${this.index}: ${e.message}`);
        return;
      }
      if (length === 0) return;
      if (length !== this.first.length) {
        const extra = this.first.length - length;
        this.run.fail(`connection ${this.index}: ${extra} bytes after the response`);
        return;
      }
      this.length = length;
      this.first = null;
      this.inFlight = Number.NaN;
      this.primed();
      return;
    }
    if (this.got === 0 && n > 11 && (d[9] !== 0x32 || d[10] !== 0x30 || d[11] !== 0x30)) {
      this.run.fail(`connection ${this.index}: status ${d.toString('latin1', 9, 12)}`);
      return;
    }
    this.got += n;
    if (this.got < this.length) return;
    if (this.got > this.length) {
      this.run.fail(
        `connection ${this.index}: response of ${this.got} bytes, ${this.length} expected`,
      );
      return;
    }
    this.got = 0;
    const now = performance.now();
    this.run.completed(this.inFlight, now);
    this.inFlight = Number.NaN;
    if (this.due.length) this.send(now);
  }

  send(now) {
    const at = this.due.shift();
    this.inFlight = at;
    this.socket.write(this.run.request);
    return now - at;
  }
}

/**
 * Runs the schedule against 127.0.0.1:`port` (or `host`) and resolves to the
 * result object described at the top of the file.
 */
export async function fixedRate({
  port,
  host = '127.0.0.1',
  request,
  connections = 50,
  rate,
  warmup = 1,
  seconds = 5,
}) {
  // [warm-up, measured window, after the window] for latency and for lag.
  const hists = [new Histogram(), new Histogram(), new Histogram()];
  const lags = [new Histogram(), new Histogram(), new Histogram()];
  const hist = hists[1];
  const lag = lags[1];
  let failure = null;
  const late = [0, 0, 0]; // requests due while their connection was busy
  let finish;
  let failed;
  const failure$ = new Promise((resolve) => {
    failed = resolve;
  });
  const run = {
    port,
    host,
    request,
    closing: false,
    fail(reason) {
      failure ??= reason;
      failed();
      finish?.();
    },
    completed(at, now) {
      // Warm-up, window and after go to their own histograms through one
      // call site: no branch is first taken (and deoptimised) as the window opens.
      hists[(at >= measureFrom) + (at >= measureTo)].record(now - at);
      pending--;
      if (pending === 0 && scheduledAll) finish?.();
    },
  };
  let measureFrom = Number.POSITIVE_INFINITY;
  let measureTo = Number.POSITIVE_INFINITY;
  let pending = 0;
  let scheduledAll = false;

  const conns = Array.from({ length: connections }, (_, i) => new Connection(run, i));
  try {
    await Promise.race([Promise.all(conns.map((c) => c.open())), failure$]);
  } catch {}
  if (failure) return close(conns, { errors: failure });

  const gap = 1000 / rate; // ms between requests over all connections
  const t0 = performance.now() + 1;
  measureFrom = t0 + warmup * 1000;
  measureTo = measureFrom + seconds * 1000;
  const total = Math.round(((warmup + seconds) * 1000) / gap);
  let next = 0;
  const done = new Promise((resolve) => {
    finish = resolve;
  });
  const tick = () => {
    if (failure) return;
    const now = performance.now();
    while (next < total) {
      const at = t0 + next * gap;
      if (at > now) break;
      const c = conns[next % connections];
      c.due.push(at);
      pending++;
      next++;
      const phase = (at >= measureFrom) + (at >= measureTo);
      if (Number.isNaN(c.inFlight)) lags[phase].record(c.send(now));
      else late[phase]++;
    }
    if (next < total) setImmediate(tick);
    else {
      scheduledAll = true;
      if (pending === 0) finish();
    }
  };
  setImmediate(tick);
  const timeout = setTimeout(
    () => run.fail(`${pending} responses missing 5 s after the last request was due`),
    (warmup + seconds) * 1000 + 5000,
  );
  await done;
  clearTimeout(timeout);
  return close(conns, {
    rate: hist.count / seconds,
    completed: hist.count,
    p50: hist.percentile(50),
    p90: hist.percentile(90),
    p99: hist.percentile(99),
    p999: hist.percentile(99.9),
    max: hist.max,
    lagP99: lag.percentile(99),
    lagMax: lag.max,
    late: late[1],
    errors: failure,
  });

  function close(list, result) {
    run.closing = true;
    for (const c of list) c.socket?.destroy();
    return result;
  }
}

function parseArgs(argv) {
  const o = { connections: 50, warmup: 1, seconds: 5, path: '/', method: 'GET', bodyBytes: 0 };
  for (let i = 0; i < argv.length; i += 2) {
    const [k, v] = [argv[i], argv[i + 1]];
    if (v === undefined) throw new Error(`${k} needs a value`);
    if (k === '--port') o.port = Number(v);
    else if (k === '--rate') o.rate = Number(v);
    else if (k === '--connections') o.connections = Number(v);
    else if (k === '--warmup') o.warmup = Number(v);
    else if (k === '--seconds') o.seconds = Number(v);
    else if (k === '--path') o.path = v;
    else if (k === '--method') o.method = v;
    else if (k === '--body-bytes') o.bodyBytes = Number(v);
    else if (k === '--header') (o.headers ??= []).push(v);
    else throw new Error(`unknown option ${k}`);
  }
  if (!(o.port > 0) || !(o.rate > 0)) throw new Error('--port and --rate are required');
  return o;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const o = parseArgs(process.argv.slice(2));
  const host = '127.0.0.1';
  const headers = (o.headers ?? []).map((h) => [
    h.slice(0, h.indexOf(':')),
    h.slice(h.indexOf(':') + 1).trim(),
  ]);
  const body = 'b'.repeat(o.bodyBytes);
  const request = Buffer.from(
    requestText({ host, port: o.port, method: o.method, path: o.path, headers, body }),
    'latin1',
  );
  const r = await fixedRate({ ...o, host, request });
  process.stdout.write(`${JSON.stringify(r)}\n`);
  process.exitCode = r.errors ? 1 : 0;
}
