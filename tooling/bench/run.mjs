#!/usr/bin/env node
// Runs the benchmarks in this folder, each in its own process so one cannot
// warm or pollute another: `npm run bench` runs all, `npm run bench -- parser`
// runs tooling/bench/parser.bench.mjs only. Each benchmark prints ours next to
// the anchor its issue names, measured in the same run, with the ratio.
// Benchmarks are never part of `npm test`.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const wanted = process.argv.slice(2);
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.mjs'))
  .filter((f) => wanted.length === 0 || wanted.includes(f.replace('.bench.mjs', '')))
  .sort();
if (files.length === 0) {
  console.error(`no benchmark matches ${wanted.join(', ')}`);
  process.exit(1);
}
let failed = 0;
for (const file of files) {
  console.log(`\n## ${file.replace('.bench.mjs', '')}\n`);
  const r = spawnSync(process.execPath, ['--no-deprecation', join(here, file)], {
    stdio: 'inherit',
  });
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
