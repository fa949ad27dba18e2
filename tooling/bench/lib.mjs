// Shared helpers for tooling/bench/*.bench.mjs. Small and stable: other
// benchmarks import these, so change signatures only additively.
//
//   import { measure, table, pinned, pinSelf } from './lib.mjs';
//   const ours = measure(() => ourThing(), { seconds: 1 });
//   const anchor = measure(() => nodeThing(), { seconds: 1 });
//   table([{ name: 'scenario', ours, anchor }], { anchorLabel: 'node:http' });
//   spawn(...pinned([process.execPath, 'server.mjs'], 1));
import { spawn, spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { availableParallelism } from 'node:os';
import { delimiter, join } from 'node:path';

/** Keeps results alive so the JIT cannot drop the measured work. */
export let sink;

// Nanoseconds of this process's CPU time (user + system, all threads).
function cpuNow() {
  const u = process.cpuUsage();
  return BigInt(u.user + u.system) * 1000n;
}

/**
 * Runs `fn()` (synchronous) repeatedly for about `seconds` after a short warm-up
 * and returns operations per second. `fn` may return a value; it is kept in
 * `sink` so the work is not optimised away.
 *
 * `clock: 'cpu'` measures the process's CPU time instead of wall time: on a
 * shared machine it does not count the time the process waited for a CPU,
 * which makes ratios of in-process microbenchmarks much steadier.
 */
export function measure(
  fn,
  { seconds = 1, warmup = Math.min(0.5, seconds / 4), clock = 'wall' } = {},
) {
  const now = clock === 'cpu' ? cpuNow : process.hrtime.bigint;
  // Warm up and find a batch size that takes about 10 ms, so the clock is
  // read rarely compared to the work.
  let batch = 1;
  const warmEnd = now() + BigInt(Math.round(warmup * 1e9));
  for (;;) {
    const t0 = now();
    for (let i = 0; i < batch; i++) sink = fn();
    const dt = now() - t0;
    if (dt < 10_000_000n) batch *= 2;
    if (now() >= warmEnd && dt >= 1_000_000n) break;
  }
  const budget = BigInt(Math.round(seconds * 1e9));
  let ops = 0;
  const start = now();
  let elapsed = 0n;
  while (elapsed < budget) {
    for (let i = 0; i < batch; i++) sink = fn();
    ops += batch;
    elapsed = now() - start;
  }
  return ops / (Number(elapsed) / 1e9);
}

function formatNumber(n) {
  if (typeof n !== 'number') return String(n);
  if (n >= 100) return Math.round(n).toLocaleString('en-US');
  return n.toFixed(2);
}

/**
 * Prints rows `{ name, ours, anchor }` as an aligned table with the ratio
 * ours / anchor (higher is better for rates; pass `lowerIsBetter: true` for
 * latencies and sizes, which prints anchor / ours instead so that > 1 still
 * means "ours is better"). Returns the ratios in row order.
 */
export function table(
  rows,
  { oursLabel = 'ours', anchorLabel = 'anchor', unit = 'ops/s', lowerIsBetter = false } = {},
) {
  const head = ['scenario', `${oursLabel} (${unit})`, `${anchorLabel} (${unit})`, 'ratio'];
  const ratios = [];
  const body = rows.map((r) => {
    const ratio = lowerIsBetter ? r.anchor / r.ours : r.ours / r.anchor;
    ratios.push(ratio);
    return [r.name, formatNumber(r.ours), formatNumber(r.anchor), `${ratio.toFixed(2)}x`];
  });
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  console.log(line(head));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const b of body) console.log(line(b));
  return ratios;
}

let hasTaskset;
function tasksetAvailable() {
  if (hasTaskset === undefined) {
    hasTaskset = spawnSync('taskset', ['-c', '0', 'true'], { stdio: 'ignore' }).status === 0;
  }
  return hasTaskset;
}

/** How many CPUs this process may use. */
export function cpuCount() {
  return availableParallelism();
}

/**
 * `args` (a command and its arguments) prefixed with `taskset -c <cpu>` when
 * taskset exists and the CPU is there; otherwise `args` unchanged. Use as
 * `const [cmd, ...rest] = pinned([...]); spawn(cmd, rest)`.
 */
export function pinned(args, cpu = 0) {
  if (!tasksetAvailable() || cpu >= cpuCount()) return args;
  return ['taskset', '-c', String(cpu), ...args];
}

/** Pins the current process to `cpu` when taskset exists. Returns whether it did. */
export function pinSelf(cpu = 0) {
  if (!tasksetAvailable() || cpu >= cpuCount()) return false;
  return (
    spawnSync('taskset', ['-p', '-c', String(cpu), String(process.pid)], { stdio: 'ignore' })
      .status === 0
  );
}

/** Full path of executable `name` on PATH, or null (e.g. `onPath('wrk')`). */
export function onPath(name) {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const file = join(dir, name);
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {}
  }
  return null;
}

/** Median of a non-empty array of numbers (mean of the middle two when even). */
export function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/**
 * Runs `[cmd, ...args]` (as `pinned()` returns it) and resolves with its exit
 * code and everything it wrote: `{ code, out, err }`.
 */
export function collect([cmd, ...args]) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      err += d;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out, err }));
  });
}
