/**
 * `npm run fuzz -w @strata-http/parser -- --count N [--seed S]`
 *
 * Generates N cases (1-3 pipelined messages each, valid or mutated), feeds
 * each whole and in random splits to our parser and to Node's llhttp, and
 * writes a reproducer JSON file for every disagreement to
 * tooling/parser-fuzz-repro/ (gitignored). Exits 1 if any were found.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Disagreement, fuzz } from './differential.ts';

const args = process.argv.slice(2);
const arg = (name: string, fallback: number): number => {
  const k = args.indexOf(`--${name}`);
  return k >= 0 ? Number(args[k + 1]) : fallback;
};
const count = arg('count', 100_000);
const seed = arg('seed', Date.now() % 1_000_000);
const batch = 10_000;
const reproDir = join(
  dirname(fileURLToPath(import.meta.url)),
  '../../../tooling/parser-fuzz-repro',
);

let written = 0;
function save(d: Disagreement): void {
  mkdirSync(reproDir, { recursive: true });
  const file = join(reproDir, `seed-${d.seed}-case-${d.index}.json`);
  writeFileSync(
    file,
    `${JSON.stringify({ ...d, inputLatin1: Buffer.from(d.input, 'base64').toString('latin1') }, null, 2)}\n`,
  );
  written++;
  console.log(`disagreement: ${file}\n  ${d.diff.split('\n').join('\n  ')}`);
}

const started = Date.now();
let cases = 0;
let messages = 0;
let disagreements = 0;
// Batches with derived seeds keep memory flat and let a long run report progress.
for (let b = 0; cases < count; b++) {
  const n = Math.min(batch, count - cases);
  const stats = fuzz(seed * 1000 + b, n, save);
  cases += stats.cases;
  messages += stats.messages;
  disagreements += stats.disagreements.length;
  if (b % 10 === 9 || cases >= count) {
    const s = ((Date.now() - started) / 1000).toFixed(0);
    console.log(`${cases} cases, ${messages} messages, ${disagreements} disagreements, ${s}s`);
  }
}
console.log(
  `seed ${seed}: ${cases} cases (${messages} messages, each fed whole and split) — ${disagreements} disagreements${written ? `, reproducers in ${reproDir}` : ''}`,
);
process.exit(disagreements ? 1 : 0);
