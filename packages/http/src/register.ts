// @strata-http/http/register — swaps strata-http in for node:http in a whole process tree.
//
//   node --require @strata-http/http/register app.js
//   node --import  @strata-http/http/register app.mjs
//
// After it ran, `require('http')`, `require('node:http')`, `process.getBuiltinModule('http')`,
// `import 'node:http'` and `import http from 'http'` all return the module object of
// `require('@strata-http/http')` (one instance, the CommonJS build, for CJS and ESM alike), and
// Node's undocumented `_http_*` module ids return stand-ins built from the same layers. Child
// processes inherit it through NODE_OPTIONS. The original node:http is never loaded by the hook.

import Module, { createRequire, register as registerLoaderHooks } from 'node:module';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath, pathToFileURL } from 'node:url';

type Loader = (request: unknown, parent: unknown, isMain: boolean) => unknown;
type ModuleInternals = { _load: Loader };

const kInstalled = Symbol.for('strata-http.register');
const kLegacyModules = Symbol.for('strata-http.legacyModules');

/** The built umbrella and this hook's CommonJS file, next to this file in dist/. */
const distDir = path.dirname(fileURLToPath(import.meta.url));
const umbrellaPath = path.join(distDir, 'index.cjs');
const registerCjsPath = path.join(distDir, 'register.cjs');

const legacyIds = [
  '_http_agent',
  '_http_client',
  '_http_common',
  '_http_incoming',
  '_http_outgoing',
  '_http_server',
];

/** `http`, `https`, `node:http`, `_http_agent`, `node:_http_agent` … → the bare id, else undefined. */
function swappedId(request: unknown): string | undefined {
  if (typeof request !== 'string') return undefined;
  const id = request.startsWith('node:') ? request.slice(5) : request;
  return id === 'http' || id === 'https' || legacyIds.includes(id) ? id : undefined;
}

function install(): void {
  const http = createRequire(umbrellaPath)(umbrellaPath) as Record<PropertyKey, unknown>;
  const legacy = http[kLegacyModules] as () => Map<string, unknown>;
  const replacement = (id: string): unknown => (id === 'http' ? http : legacy().get(id));

  // CommonJS: every require() (and createRequire()) goes through Module._load, builtins too.
  const internals = Module as unknown as ModuleInternals;
  const originalLoad = internals._load;
  internals._load = function load(this: unknown, request, parent, isMain) {
    const id = swappedId(request);
    if (id !== undefined) {
      const swapped = replacement(id);
      if (swapped !== undefined) return swapped;
    }
    return originalLoad.call(this, request, parent, isMain);
  };

  // process.getBuiltinModule (Node >= 20.16) bypasses Module._load.
  const proc = process as unknown as { getBuiltinModule?: (id: string) => unknown };
  const originalGetBuiltin = proc.getBuiltinModule;
  if (typeof originalGetBuiltin === 'function') {
    proc.getBuiltinModule = function getBuiltinModule(id: string) {
      const swapped = swappedId(id);
      if (swapped !== undefined) {
        const value = replacement(swapped);
        if (value !== undefined) return value;
      }
      return originalGetBuiltin.call(process, id);
    };
  }

  registerEsmHooks(http, legacy());
  propagateToChildren();
}

/**
 * ESM: a resolve hook maps the swapped ids to small `data:` modules that re-export the same
 * CommonJS instance (default export + node:http's named exports).
 */
function registerEsmHooks(http: Record<string, unknown>, legacy: Map<string, unknown>): void {
  if (typeof registerLoaderHooks !== 'function') return; // Node < 20.6: CommonJS only
  const umbrellaUrl = pathToFileURL(umbrellaPath).href;
  const shims: Record<string, string> = {};
  const entries: Array<[string, Record<string, unknown>]> = [
    ['http', http],
    ...[...legacy].map(([id, m]) => [id, m as Record<string, unknown>] as [string, typeof http]),
  ];
  for (const [id, value] of entries) {
    const names = Object.keys(value).filter((n) => /^[A-Za-z_$][\w$]*$/.test(n) && n !== 'default');
    const source = [
      "import { createRequire } from 'node:module';",
      `const m = createRequire(${JSON.stringify(umbrellaUrl)})(${JSON.stringify(id)});`,
      'export default m;',
      names.length ? `export const { ${names.join(', ')} } = m;` : '',
    ].join('\n');
    const url = `data:text/javascript,${encodeURIComponent(source)}`;
    shims[id] = url;
    shims[`node:${id}`] = url;
  }
  const hooks = [
    'let shims = {};',
    'export function initialize(data) { shims = data.shims; }',
    'export async function resolve(specifier, context, next) {',
    '  const url = shims[specifier];',
    "  if (url !== undefined) return { url, format: 'module', shortCircuit: true };",
    '  return next(specifier, context);',
    '}',
  ].join('\n');
  registerLoaderHooks(`data:text/javascript,${encodeURIComponent(hooks)}`, {
    parentURL: umbrellaUrl,
    data: { shims },
  });
}

/** Child processes that inherit the environment preload the hook too. */
function propagateToChildren(): void {
  const current = process.env.NODE_OPTIONS ?? '';
  if (current.includes(registerCjsPath)) return;
  const quoted = /[\s"\\]/.test(registerCjsPath)
    ? `"${registerCjsPath.replace(/(["\\])/g, '\\$1')}"`
    : registerCjsPath;
  process.env.NODE_OPTIONS = `${current ? `${current} ` : ''}--require ${quoted}`;
}

const registry = globalThis as unknown as Record<symbol, boolean>;
if (!registry[kInstalled]) {
  Object.defineProperty(globalThis, kInstalled, { value: true, enumerable: false });
  install();
}
