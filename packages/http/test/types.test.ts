// Code typed against node:http compiles with @strata-http/http swapped in (its built .d.ts),
// and values flow between the two sets of types in both directions.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ensureBuilt, packageDir, repoRoot } from './helpers.ts';

const tsc = path.join(repoRoot, 'node_modules/typescript/bin/tsc');

function compile(config: string): { status: number | null; output: string } {
  const r = spawnSync(process.execPath, [tsc, '-p', path.join(packageDir, 'test/types', config)], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

test.before(() => ensureBuilt());

test('the fixtures compile against node:http itself (the reference)', () => {
  const r = compile('tsconfig.node.json');
  assert.is(r.status, 0, r.output);
});

test('the same code compiles against @strata-http/http', () => {
  const r = compile('tsconfig.strata.json');
  assert.is(r.status, 0, r.output);
});

test('a type error in such code is still reported (the check is live)', () => {
  const r = spawnSync(
    process.execPath,
    [
      tsc,
      '--noEmit',
      '--strict',
      '--types',
      'node',
      '--module',
      'nodenext',
      '--moduleResolution',
      'nodenext',
      path.join(packageDir, 'test/types/broken.ts'),
    ],
    { encoding: 'utf8', timeout: 60_000, cwd: packageDir },
  );
  assert.is.not(r.status, 0);
  assert.match(r.stdout, /broken\.ts\(5,\d+\): error TS2769/);
});

test.run();
