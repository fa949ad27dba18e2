import { defineConfig } from 'tsup';

// Two entries: the umbrella (`.`) and the register hook (`./register`).
// The CommonJS umbrella ends in `module.exports = <the module object>`, so that
// `require('@strata-http/http')` has node:http's shape (plain, writable properties), not a
// namespace of read-only getters. register.cjs loads ./index.cjs at run time (never bundles
// it), so the hook and `require('@strata-http/http')` share one instance.
export default defineConfig([
  {
    entry: ['src/index.ts'],
    format: ['esm', 'cjs'],
    dts: true,
    clean: true,
    target: 'node20',
    platform: 'node',
    sourcemap: false,
    splitting: false,
    footer: ({ format }) =>
      format === 'cjs'
        ? {
            js: 'module.exports = module.exports.default;\nObject.defineProperty(module.exports, "default", { value: module.exports, enumerable: false, configurable: true, writable: true });',
          }
        : {},
  },
  {
    entry: ['src/register.ts'],
    format: ['esm', 'cjs'],
    dts: true,
    clean: false,
    target: 'node20',
    platform: 'node',
    sourcemap: false,
    splitting: false,
    shims: true,
  },
]);
