/**
 * `--insecure-http-parser` given to this process (in `process.execArgv` or
 * `NODE_OPTIONS`): servers created without an `insecureHTTPParser` option parse
 * leniently, as Node's do. Read once, at load.
 */
import process from 'node:process';

function readInsecureFlag(): boolean {
  for (const w of process.execArgv) if (w === '--insecure-http-parser') return true;
  const env = process.env.NODE_OPTIONS;
  if (env) for (const w of env.split(' ')) if (w === '--insecure-http-parser') return true;
  return false;
}

/** `--insecure-http-parser` was given to this process. */
export const insecureByDefault: boolean = readInsecureFlag();
