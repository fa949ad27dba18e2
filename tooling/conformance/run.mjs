#!/usr/bin/env node
// Runs Node.js's own `test/parallel/test-http-*.js` files with strata-http swapped in for
// node:http (through `@strata-http/http/register`), the way Node's tools/test.py runs them:
// one process per file, cwd at the suite root, the file's `// Flags:` honoured, a per-file
// timeout, exit code 0 = pass, `1..0 # Skipped` = skipped.
//
// The test files are never committed: the runner fetches them for the running Node's major
// version (Debian's source archive first, then a Node source tarball) and caches them under
// ~/.cache/strata-http/node-vX.Y.Z/. See tooling/conformance/README.md for every option.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../..');
let hookPath = path.join(repoRoot, 'packages/http/dist/register.cjs');
const scopePath = path.join(here, 'scope.json');
const passingPath = path.join(here, 'passing.txt');
const nodeMajor = process.versions.node.split('.')[0];
// Settings read from the environment (documented in the usage text).
const userEnv = process.env;

const usage = `usage: node tooling/conformance/run.mjs [options] [file-substring ...]
  (no option)     run every in-scope file with strata-http; files that also fail with the
                  runtime's own node:http (native baseline, computed once and cached) count
                  as skipped
  --native        run the same files with the runtime's own node:http and cache the baseline
  --ci            run only the files in tooling/conformance/passing.txt; exit 1 if any fails
                  (up to 10 failures get one serial retry; a pass then is reported as FLAKY)
  --update        full run, then re-run the passing files once more; rewrite passing.txt
                  with the files that passed both times
  --jobs N        parallel processes (default 2)
  --timeout S     per-file timeout in seconds (default 60)
  --json FILE     write per-file results (status, duration, output tail) to FILE
  --verbose       print the output tail of every failing file
  --fetch-only    obtain and cache the test files, then exit
env: STRATA_NODE_SOURCE=<node source tarball or unpacked source dir> to skip downloading;
     STRATA_CONFORMANCE_CACHE=<dir> to move the cache (default ~/.cache/strata-http)`;

function parseArgs(argv) {
  const opts = {
    native: false,
    ci: false,
    update: false,
    jobs: 2,
    timeout: 60,
    json: null,
    verbose: false,
    fetchOnly: false,
    filters: [],
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--native') opts.native = true;
    else if (a === '--ci') opts.ci = true;
    else if (a === '--update') opts.update = true;
    else if (a === '--verbose' || a === '-v') opts.verbose = true;
    else if (a === '--fetch-only') opts.fetchOnly = true;
    else if (a === '--jobs' || a === '-j') opts.jobs = Math.max(1, Number(argv[++i]) || 1);
    else if (a === '--timeout') opts.timeout = Math.max(1, Number(argv[++i]) || 60);
    else if (a === '--json') opts.json = path.resolve(argv[++i]);
    else if (a === '--help' || a === '-h') {
      console.log(usage);
      process.exit(0);
    } else if (a.startsWith('-')) {
      console.error(`unknown option ${a}\n${usage}`);
      process.exit(2);
    } else opts.filters.push(a);
  }
  if (opts.update && (opts.ci || opts.native || opts.filters.length)) {
    console.error('--update needs a full strata-http run: no --ci, --native or file filters');
    process.exit(2);
  }
  return opts;
}

// ---------------------------------------------------------------------------------------------
// Obtaining the suite
// ---------------------------------------------------------------------------------------------

const cacheBase =
  userEnv.STRATA_CONFORMANCE_CACHE ||
  path.join(userEnv.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'strata-http');

/** Compares dotted numeric versions ("20.19.2"); returns <0, 0 or >0. */
function compareVersions(a, b) {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] || 0) - (pb[i] || 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** The newest complete cached suite for this Node major, or undefined. */
function findCachedSuite() {
  if (!fs.existsSync(cacheBase)) return undefined;
  const candidates = fs
    .readdirSync(cacheBase)
    .map((name) => /^node-v(\d+\.\d+\.\d+)$/.exec(name))
    .filter((m) => m && m[1].split('.')[0] === nodeMajor)
    .filter((m) => fs.existsSync(path.join(cacheBase, m[0], '.complete')))
    .sort((a, b) => compareVersions(b[1], a[1]));
  return candidates.length ? path.join(cacheBase, candidates[0][0]) : undefined;
}

const extractPatterns = ['*/test/common/*', '*/test/fixtures/*', '*/test/parallel/test-http-*'];

/** Unpacks the parts of a Node source tarball we need into the cache; returns the suite dir. */
function extractTarball(tarball, source) {
  fs.mkdirSync(cacheBase, { recursive: true });
  const tmp = fs.mkdtempSync(path.join(cacheBase, '.extract-'));
  try {
    const r = spawnSync('tar', ['-xf', tarball, '-C', tmp, '--wildcards', ...extractPatterns], {
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    const top = fs.readdirSync(tmp).find((n) => /^node-v\d+\.\d+\.\d+$/.test(n));
    if (r.status !== 0 || !top || !fs.existsSync(path.join(tmp, top, 'test/common/index.js'))) {
      throw new Error(`could not unpack test/ from ${tarball}`);
    }
    return installSuite(path.join(tmp, top), top, source);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

function installSuite(dir, name, source) {
  const dest = path.join(cacheBase, name);
  fs.rmSync(dest, { recursive: true, force: true });
  fs.renameSync(dir, dest);
  fs.writeFileSync(path.join(dest, '.complete'), `${source}\n`);
  return dest;
}

function copySourceDir(dir) {
  // The version: src/node_version.h of a full checkout, else the directory's node-vX.Y.Z name.
  const header = path.join(dir, 'src/node_version.h');
  let version = /node-v(\d+\.\d+\.\d+)/.exec(path.basename(dir))?.[1];
  if (fs.existsSync(header)) {
    const text = fs.readFileSync(header, 'utf8');
    version = ['MAJOR', 'MINOR', 'PATCH']
      .map((k) => new RegExp(`#define NODE_${k}_VERSION (\\d+)`).exec(text)?.[1] ?? '0')
      .join('.');
  }
  if (!version) throw new Error(`${dir}: no src/node_version.h and not named node-vX.Y.Z`);
  const name = `node-v${version}`;
  fs.mkdirSync(cacheBase, { recursive: true });
  const tmp = fs.mkdtempSync(path.join(cacheBase, '.copy-'));
  const out = path.join(tmp, name);
  for (const sub of ['test/common', 'test/fixtures']) {
    fs.cpSync(path.join(dir, sub), path.join(out, sub), { recursive: true });
  }
  fs.mkdirSync(path.join(out, 'test/parallel'), { recursive: true });
  for (const f of fs.readdirSync(path.join(dir, 'test/parallel'))) {
    if (f.startsWith('test-http-')) {
      fs.copyFileSync(path.join(dir, 'test/parallel', f), path.join(out, 'test/parallel', f));
    }
  }
  const dest = installSuite(out, name, `directory ${dir}`);
  fs.rmSync(tmp, { recursive: true, force: true });
  return dest;
}

function run(cmd, args, options = {}) {
  return spawnSync(cmd, args, { encoding: 'utf8', ...options });
}

/** nodejs source versions apt knows about, e.g. ["20.19.2+dfsg-1+deb13u3", ...]. */
function aptSourceVersions() {
  const r = run('apt-cache', ['showsrc', 'nodejs']);
  if (r.status !== 0 || !r.stdout) return [];
  return [...r.stdout.matchAll(/^Version: (\S+)$/gm)].map((m) => m[1]);
}

function upstreamOf(debVersion) {
  return /^(?:\d+:)?(\d+\.\d+\.\d+)/.exec(debVersion)?.[1];
}

const debSrcFile = '/etc/apt/sources.list.d/strata-http-nodejs-src.sources';
// trixie carries nodejs 20.x, sid the next LTS line; deb-src only, so installs are unaffected.
const debSrcEntry = `# Added by strata-http's conformance runner (tooling/conformance/run.mjs):
# Debian's source archive serves Node's upstream tarball, which holds Node's test suite.
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: trixie sid
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
`;

/** The Debian route: `apt-get source --download-only nodejs=<version>`. */
function fetchWithApt() {
  if (run('sh', ['-c', 'command -v apt-get && command -v apt-cache']).status !== 0) {
    return { error: 'apt-get is not available' };
  }
  const matching = () =>
    aptSourceVersions()
      .filter((v) => upstreamOf(v)?.split('.')[0] === nodeMajor)
      .sort((a, b) => compareVersions(upstreamOf(b), upstreamOf(a)));
  let versions = matching();
  if (!versions.length) {
    const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
    if (!isRoot) {
      return {
        error: `apt knows no nodejs ${nodeMajor}.x source package, and adding a deb-src entry needs root`,
      };
    }
    if (!fs.existsSync(debSrcFile)) {
      console.log(`conformance: adding ${debSrcFile} (deb-src for trixie and sid)`);
      fs.writeFileSync(debSrcFile, debSrcEntry);
    }
    console.log('conformance: apt-get update');
    run('apt-get', ['update'], { stdio: ['ignore', 'ignore', 'inherit'] });
    versions = matching();
    if (!versions.length) return { error: `no nodejs ${nodeMajor}.x source package in apt` };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-nodejs-src-'));
  try {
    for (const version of versions) {
      console.log(`conformance: apt-get source --download-only nodejs=${version}`);
      // The .dsc and .debian.tar.xz of security updates often answer 404 while the upstream
      // tarball downloads fine, so apt exits non-zero: judge by the tarball, not the exit code.
      run('apt-get', ['source', '--download-only', `nodejs=${version}`], {
        cwd: dir,
        stdio: ['ignore', 'ignore', 'ignore'],
      });
      const tarball = fs
        .readdirSync(dir)
        .find((n) => /^nodejs_[^_]+\.orig\.tar\.(xz|gz|bz2)$/.test(n));
      if (tarball) {
        return { suite: extractTarball(path.join(dir, tarball), `debian nodejs=${version}`) };
      }
    }
    return { error: 'apt-get source left no nodejs_*.orig.tar.* tarball' };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Fallback: the official source tarball of exactly the running version. */
async function fetchFromNodeDist() {
  const mirror = (userEnv.NODEJS_ORG_MIRROR || 'https://nodejs.org/dist').replace(/\/$/, '');
  const url = `${mirror}/${process.version}/node-${process.version}.tar.gz`;
  console.log(`conformance: downloading ${url}`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-node-src-'));
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(120_000) });
    if (!res.ok) return { error: `${url} answered ${res.status}` };
    const file = path.join(dir, `node-${process.version}.tar.gz`);
    fs.writeFileSync(file, Buffer.from(await res.arrayBuffer()));
    return { suite: extractTarball(file, url) };
  } catch (err) {
    return { error: `${url}: ${err.cause?.code || err.message}` };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function ensureSuite() {
  const fromEnv = userEnv.STRATA_NODE_SOURCE;
  if (fromEnv) {
    const src = path.resolve(fromEnv);
    if (fs.statSync(src).isDirectory()) return copySourceDir(src);
    return extractTarball(src, `tarball ${src}`);
  }
  const cached = findCachedSuite();
  if (cached) return cached;
  console.log(`conformance: no cached Node ${nodeMajor}.x test suite in ${cacheBase}; fetching it`);
  const errors = [];
  for (const attempt of [fetchWithApt, fetchFromNodeDist]) {
    const r = await attempt();
    if (r.suite) return r.suite;
    errors.push(r.error);
  }
  console.error(`conformance: could not obtain Node's test files:
  - ${errors.join('\n  - ')}
Provide them yourself: download a Node ${nodeMajor}.x source tarball (node-v${nodeMajor}.x.y.tar.gz
from https://nodejs.org/dist/ or Debian's nodejs_${nodeMajor}.*.orig.tar.xz) and run
  STRATA_NODE_SOURCE=/path/to/node-vX.tar.gz npm run conformance
(an unpacked Node source directory works too).`);
  console.log('conformance: 0 passed, 1 failed, 0 skipped');
  process.exit(2);
}

// ---------------------------------------------------------------------------------------------
// Choosing and running files
// ---------------------------------------------------------------------------------------------

function loadScope() {
  const scope = JSON.parse(fs.readFileSync(scopePath, 'utf8'));
  return { excluded: scope.excluded ?? {} };
}

function suiteFiles(suite) {
  return fs
    .readdirSync(path.join(suite, 'test/parallel'))
    .filter((f) => /^test-http-.*\.(js|mjs|cjs)$/.test(f))
    .sort();
}

function readPassing() {
  if (!fs.existsSync(passingPath)) return [];
  return fs
    .readFileSync(passingPath, 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
}

/** The flags of every `// Flags:` line, as tools/test.py collects them. */
function testFlags(file) {
  const source = fs.readFileSync(file, 'utf8');
  const flags = [];
  for (const m of source.matchAll(/\/\/\s+Flags:(.*)/g)) flags.push(...m[1].trim().split(/\s+/));
  return flags.filter(Boolean);
}

const skipPattern = /^1\.\.0 # Skipped:?(.*)$/m;

function runFile(suite, name, mode, timeoutSec, workerId) {
  const file = path.join(suite, 'test/parallel', name);
  const args = testFlags(file);
  if (mode === 'strata') args.push('--require', hookPath);
  args.push(file);
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  delete env.NODE_TEST_DIR;
  env.TEST_THREAD_ID = String(workerId);
  env.NODE_COMMON_PORT = String(12346 + workerId * 100);
  env.NODE_DISABLE_COLORS = '1';
  delete env.FORCE_COLOR;
  const started = Date.now();
  return new Promise((resolve) => {
    // detached: the test gets its own process group, so a timeout kills its children too.
    const child = spawn(process.execPath, args, {
      cwd: suite,
      env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const collect = (d) => {
      out += d;
      if (out.length > 200_000) out = out.slice(-100_000);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid);
    }, timeoutSec * 1000);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      killGroup(child.pid); // leftovers the test spawned and did not reap
      const duration = (Date.now() - started) / 1000;
      let status;
      let reason;
      if (timedOut) {
        status = 'fail';
        reason = `timeout after ${timeoutSec}s`;
      } else if (code === 0) {
        const skip = skipPattern.exec(out);
        status = skip ? 'skip' : 'pass';
        reason = skip ? skip[1].trim() : undefined;
      } else {
        status = 'fail';
        reason = signal ? `killed by ${signal}` : `exit code ${code}`;
      }
      resolve({ name, status, reason, duration, output: out.slice(-4000) });
    });
  });
}

function killGroup(pid) {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

async function runAll(suite, names, mode, opts, label) {
  const results = new Map();
  let next = 0;
  let done = 0;
  const width = String(names.length).length;
  async function worker(id) {
    while (next < names.length) {
      const name = names[next++];
      const r = await runFile(suite, name, mode, opts.timeout, id);
      results.set(name, r);
      done++;
      const tag = { pass: 'ok  ', fail: 'FAIL', skip: 'skip' }[r.status];
      const extra = r.reason ? ` — ${r.reason}` : '';
      console.log(
        `${label} ${String(done).padStart(width)}/${names.length} ${tag} ${name} (${r.duration.toFixed(1)}s)${extra}`,
      );
      if (r.status === 'fail' && (opts.verbose || opts.ci)) {
        console.log(
          r.output
            .trimEnd()
            .split('\n')
            .slice(-25)
            .map((l) => `    | ${l}`)
            .join('\n'),
        );
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(opts.jobs, names.length) }, (_, i) => worker(i)));
  return names.map((n) => results.get(n));
}

function count(results) {
  const c = { pass: 0, fail: 0, skip: 0 };
  for (const r of results) c[r.status]++;
  return c;
}

function baselinePath(suite) {
  return path.join(suite, `native-baseline-${process.version}.json`);
}

/**
 * Copies every package's package.json + dist/ into a private node_modules, so that a run
 * measures one consistent build even while packages are rebuilt in the checkout meanwhile.
 * Returns the snapshot's register hook.
 */
async function snapshotPackages() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-conformance-'));
  process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  const packagesDir = path.join(repoRoot, 'packages');
  for (const name of fs.readdirSync(packagesDir)) {
    const src = path.join(packagesDir, name);
    const pkgFile = path.join(src, 'package.json');
    if (!fs.existsSync(pkgFile)) continue;
    const pkg = JSON.parse(fs.readFileSync(pkgFile, 'utf8'));
    // A package being rebuilt right now has no dist/index.cjs for a moment: wait for it.
    for (let i = 0; i < 60 && !fs.existsSync(path.join(src, 'dist/index.cjs')); i++) {
      await new Promise((r) => setTimeout(r, 1000));
    }
    const dest = path.join(dir, 'node_modules', pkg.name);
    fs.mkdirSync(dest, { recursive: true });
    fs.copyFileSync(pkgFile, path.join(dest, 'package.json'));
    if (fs.existsSync(path.join(src, 'dist'))) {
      fs.cpSync(path.join(src, 'dist'), path.join(dest, 'dist'), { recursive: true });
    }
  }
  return path.join(dir, 'node_modules/@strata-http/http/dist/register.cjs');
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const suite = await ensureSuite();
  console.log(
    `conformance: suite ${path.basename(suite)} (${fs.readFileSync(path.join(suite, '.complete'), 'utf8').trim()}), runtime ${process.version}`,
  );
  if (opts.fetchOnly) return;

  const { excluded } = loadScope();
  const all = suiteFiles(suite);
  const inScope = all.filter((f) => !(f in excluded));
  let names;
  let missing = [];
  if (opts.ci) {
    const passing = readPassing();
    names = passing.filter((f) => all.includes(f));
    missing = passing.filter((f) => !all.includes(f));
    for (const f of missing) console.log(`conformance: ${f} is not in this suite; skipped`);
  } else {
    names = inScope;
  }
  if (opts.filters.length) names = names.filter((n) => opts.filters.some((f) => n.includes(f)));
  console.log(
    `conformance: ${all.length} test-http files, ${inScope.length} in scope, ${Object.keys(excluded).length} excluded by scope.json; running ${names.length}`,
  );

  if (opts.native) {
    const results = await runAll(suite, names, 'native', opts, 'native');
    const c = count(results);
    if (!opts.filters.length) {
      fs.writeFileSync(
        baselinePath(suite),
        JSON.stringify(Object.fromEntries(results.map((r) => [r.name, r.status])), null, 1),
      );
    }
    writeJson(opts, results);
    const failing = results.filter((r) => r.status === 'fail').map((r) => r.name);
    if (failing.length) console.log(`fail natively: ${failing.join(', ')}`);
    console.log(
      `conformance (native node:http): ${c.pass} passed, ${c.fail} failed, ${c.skip} skipped`,
    );
    return;
  }

  if (!fs.existsSync(hookPath)) {
    console.error(`conformance: ${hookPath} is missing; build first (npm run build)`);
    console.log(`conformance: 0 passed, ${names.length} failed, 0 skipped`);
    process.exit(1);
  }

  hookPath = await snapshotPackages();

  // Files that fail with the runtime's own node:http are not counted against strata-http.
  let baseline = {};
  if (!opts.ci) {
    if (!fs.existsSync(baselinePath(suite))) {
      console.log('conformance: no native baseline for this runtime yet; computing it first');
      const nat = await runAll(suite, inScope, 'native', opts, 'native');
      fs.writeFileSync(
        baselinePath(suite),
        JSON.stringify(Object.fromEntries(nat.map((r) => [r.name, r.status])), null, 1),
      );
    }
    baseline = JSON.parse(fs.readFileSync(baselinePath(suite), 'utf8'));
  }

  const results = await runAll(suite, names, 'strata', opts, 'strata');
  if (opts.ci) {
    // A ratchet file that fails once on a loaded CI machine gets one more run, one at a time;
    // passing then counts, but is reported as flaky so timing-sensitive regressions show.
    const failed = results.filter((r) => r.status === 'fail');
    if (failed.length && failed.length <= 10) {
      console.log(`conformance: re-running ${failed.length} failed file(s) once, serially`);
      const again = await runAll(
        suite,
        failed.map((r) => r.name),
        'strata',
        { ...opts, jobs: 1 },
        'retry ',
      );
      for (const r of again) {
        if (r.status !== 'pass') continue;
        const first = results.find((x) => x.name === r.name);
        Object.assign(first, { status: 'pass', reason: `flaky: failed once (${first.reason})` });
        console.log(`conformance: FLAKY ${r.name}: failed once, passed on retry`);
      }
    }
  }
  for (const r of results) {
    if (r.status === 'fail' && baseline[r.name] === 'fail') {
      r.status = 'skip';
      r.reason = `fails natively too (${r.reason})`;
    }
  }
  writeJson(opts, results);
  const c = count(results);
  c.skip += missing.length;

  if (opts.update) {
    const firstPass = results.filter((r) => r.status === 'pass').map((r) => r.name);
    console.log(`conformance: re-running the ${firstPass.length} passing files to weed out flakes`);
    const again = await runAll(suite, firstPass, 'strata', opts, 'again ');
    const flaky = again.filter((r) => r.status !== 'pass').map((r) => r.name);
    if (flaky.length)
      console.log(`conformance: flaky (left out of passing.txt): ${flaky.join(', ')}`);
    const stable = again.filter((r) => r.status === 'pass').map((r) => r.name);
    const before = new Set(readPassing());
    const added = stable.filter((f) => !before.has(f));
    const removed = [...before].filter((f) => !stable.includes(f));
    fs.writeFileSync(passingPath, stable.length ? `${stable.join('\n')}\n` : '');
    console.log(
      `conformance: passing.txt now lists ${stable.length} files (+${added.length} -${removed.length})`,
    );
    if (removed.length) console.log(`conformance: no longer passing: ${removed.join(', ')}`);
  }

  const failing = results.filter((r) => r.status === 'fail').map((r) => r.name);
  if (failing.length && !opts.ci) console.log(`failing: ${failing.join(' ')}`);
  if (!opts.ci && !opts.filters.length) {
    const pct = inScope.length ? ((100 * c.pass) / (inScope.length - c.skip || 1)).toFixed(1) : '0';
    console.log(`conformance: ${pct}% of the non-skipped in-scope files pass`);
  }
  console.log(`conformance: ${c.pass} passed, ${c.fail} failed, ${c.skip} skipped`);
  process.exitCode = c.fail ? 1 : 0;
}

function writeJson(opts, results) {
  if (opts.json) fs.writeFileSync(opts.json, JSON.stringify(results, null, 1));
}

main().catch((err) => {
  console.error(err);
  console.log('conformance: 0 passed, 1 failed, 0 skipped');
  process.exit(1);
});
