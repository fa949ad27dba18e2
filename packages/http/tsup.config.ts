import path from 'node:path';
import { defineConfig } from 'tsup';
import { buildOptions, writeEsmFace } from '../../tooling/tsup/layer';

// Two entries: the umbrella (`.`) and the register hook (`./register`).
// The CommonJS umbrella ends in `module.exports = <the module object>`, so that
// `require('@strata-http/http')` has node:http's shape (plain, writable properties), not a
// namespace of read-only getters. dist/index.js (what `import '@strata-http/http'` loads) is
// then replaced by a thin ES module over dist/index.cjs, as every layer's is (writeEsmFace), with
// the module object as its default export: ES modules, CommonJS and the register hook share one
// instance. register.cjs loads ./index.cjs at run time (never bundles it), for the same reason.
export default defineConfig([
  {
    ...buildOptions,
    entry: ['src/index.ts'],
    clean: true,
    footer: ({ format }) =>
      format === 'cjs'
        ? {
            js: 'module.exports = module.exports.default;\nObject.defineProperty(module.exports, "default", { value: module.exports, enumerable: false, configurable: true, writable: true });',
          }
        : {},
    onSuccess: () => writeEsmFace(path.resolve('dist'), {}, { defaultExport: true }),
  },
  {
    ...buildOptions,
    entry: ['src/register.ts'],
    clean: false,
    shims: true,
  },
]);
