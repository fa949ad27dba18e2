#!/usr/bin/env node
// Runs every package's `test` task through turbo (which builds each package's
// dependencies first), echoes the output, and sums uvu's per-package totals
// into the one line CI reads: `N passed, N failed`.
//
// A package whose test task fails without a readable uvu summary (a crash
// before uvu printed its totals) counts as one failed test, so a broken file
// can never look green. Extra turbo arguments (e.g. --filter) pass through.
import { spawn } from 'node:child_process';

const args = [
  'run',
  'test',
  '--continue',
  '--log-order=grouped',
  '--log-prefix=task',
  '--output-logs=full',
  '--concurrency=1',
  ...process.argv.slice(2),
];
// NO_COLOR alone: with FORCE_COLOR also set, Node warns in every child process.
const env = { ...process.env, TURBO_TELEMETRY_DISABLED: '1', NO_COLOR: '1' };
delete env.FORCE_COLOR;
const child = spawn('npx', ['turbo', ...args], {
  env,
  stdio: ['ignore', 'pipe', 'pipe'],
});

let output = '';
child.stdout.on('data', (d) => {
  output += d;
  process.stdout.write(d);
});
child.stderr.on('data', (d) => {
  output += d;
  process.stderr.write(d);
});

child.on('close', (code) => {
  const text = output.replace(/\x1b\[[0-9;]*m/g, '');
  const totals = new Map(); // task -> { total, passed, skipped }
  const linePattern = /^(\S+?#?\S*?):test: +(Total|Passed|Skipped): +(\d+)\s*$/;
  for (const line of text.split('\n')) {
    const m = linePattern.exec(line.trim());
    if (!m) continue;
    const entry = totals.get(m[1]) ?? { total: 0, passed: 0, skipped: 0 };
    entry[m[2].toLowerCase()] += Number(m[3]);
    totals.set(m[1], entry);
  }
  const failedTasks = new Set();
  for (const m of text.matchAll(/(@strata-http\/[\w-]+)#test/g)) failedTasks.add(m[1]);
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  for (const [task, t] of totals) {
    passed += t.passed;
    skipped += t.skipped;
    const taskFailed = t.total - t.passed - t.skipped;
    failed += taskFailed;
    if (taskFailed === 0 && failedTasks.has(task)) failed += 1; // crashed after its summary
  }
  for (const task of failedTasks) {
    if (!totals.has(task)) {
      console.error(`${task}: test task failed without a uvu summary; counted as 1 failure`);
      failed += 1;
    }
  }
  if (code !== 0 && failed === 0) failed = 1;
  console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
  process.exit(failed > 0 || code !== 0 ? 1 : 0);
});
