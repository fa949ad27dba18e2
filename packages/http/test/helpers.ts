// Shared by the umbrella's tests: the built package (the register hook and the CommonJS
// `module.exports` shape exist only in dist/), and running node in a child process.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const packageDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const repoRoot = path.resolve(packageDir, '../..');
export const fixturesDir = path.join(packageDir, 'test/fixtures');
export const registerCjs = path.join(packageDir, 'dist/register.cjs');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : fs.statSync(p).mtimeMs);
  }
  return newest;
}

/**
 * Builds dist/ when it is missing or older than src/ (turbo's `test` task builds only the
 * dependencies, and these tests exercise this package's own build output).
 */
export function ensureBuilt(): void {
  const outputs = ['index.cjs', 'index.js', 'register.cjs', 'register.js'].map((f) =>
    path.join(packageDir, 'dist', f),
  );
  const inputs = Math.max(
    newestMtime(path.join(packageDir, 'src')),
    fs.statSync(path.join(packageDir, 'tsup.config.ts')).mtimeMs,
    newestMtime(path.join(repoRoot, 'tooling/tsup')),
  );
  const fresh = outputs.every((f) => fs.existsSync(f) && fs.statSync(f).mtimeMs >= inputs);
  if (fresh) return;
  const r = spawnSync('npx', ['tsup', '--silent'], { cwd: packageDir, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`building @strata-http/http failed:\n${r.stdout}${r.stderr}`);
}

export interface NodeResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs `node ...args` (cwd: the repo root unless given) with a hard timeout. */
export function runNode(
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<NodeResult> {
  const env = { ...process.env, ...options.env };
  if (!options.env || !('NODE_OPTIONS' in options.env)) delete env.NODE_OPTIONS;
  // Plain output: the runner of these tests may force colours (console.log(true) is yellow then).
  delete env.FORCE_COLOR;
  env.NODE_DISABLE_COLORS = '1';
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: options.cwd ?? repoRoot,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 10_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** The last line of stdout parsed as JSON (fixtures report their findings that way). */
export function lastJsonLine(result: NodeResult): any {
  const lines = result.stdout.trim().split('\n');
  try {
    return JSON.parse(lines[lines.length - 1]);
  } catch {
    throw new Error(
      `no JSON result (exit ${result.code} ${result.signal ?? ''})\nstdout:\n${result.stdout}\nstderr:\n${result.stderr}`,
    );
  }
}
