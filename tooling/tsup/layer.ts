// The build every layer package shares (packages/*/tsup.config.ts): ESM + CommonJS + .d.ts
// from src/index.ts, for Node 20, and the CommonJS exports made direct (below).
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { defineConfig, type Options } from 'tsup';

// esbuild's CommonJS output gives `module.exports` one getter per export, `() => from[key]`,
// read through the bundle's namespace object, whose own getter then returns the binding. All
// those getters share one function, so `from[key]` sees every export name: a megamorphic keyed
// load and a second call on every use of an import from another layer (`(0,
// import_x.fn)(...)`), about 1,000 instructions per GET served (tooling/bench/server-icount.mjs
// with @strata-http/http). The umbrella loads every layer's CommonJS build, so it pays this.
const ESBUILD_TO_COMMONJS =
  'var __toCommonJS = (mod) => __copyProps(__defProp({}, "__esModule", { value: true }), mod);';
// Instead, each property of `module.exports` takes the namespace's own getter for that export
// (`() => binding`): the same live binding (agent's `globalAgent` is reassigned), one inlinable
// call, no lookup by name.
const DIRECT_TO_COMMONJS =
  'var __toCommonJS = (mod) => { var to = __defProp({}, "__esModule", { value: true }); for (var key of __getOwnPropNames(mod)) __defProp(to, key, { get: __getOwnPropDesc(mod, key).get, enumerable: true }); return to; };';

/** Rewrites the CommonJS bundle at `file` to direct exports; fails if esbuild's helper moved. */
export async function directCommonJsExports(file: string): Promise<void> {
  const source = await readFile(file, 'utf8');
  const at = source.indexOf(ESBUILD_TO_COMMONJS);
  if (at === -1 || source.indexOf(ESBUILD_TO_COMMONJS, at + 1) !== -1) {
    throw new Error(`${file}: esbuild's __toCommonJS helper not found once; update tooling/tsup`);
  }
  await writeFile(file, source.replace(ESBUILD_TO_COMMONJS, DIRECT_TO_COMMONJS));
}

/** A layer package's tsup configuration: src/index.ts to dist/index.{js,cjs,d.ts,d.cts}. */
export function layerConfig(): Options {
  return defineConfig({
    entry: ['src/index.ts'],
    format: ['esm', 'cjs'],
    dts: true,
    clean: true,
    target: 'node20',
    platform: 'node',
    sourcemap: false,
    splitting: false,
    onSuccess: () => directCommonJsExports(path.resolve('dist/index.cjs')),
  }) as Options;
}
