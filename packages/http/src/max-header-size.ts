/**
 * `http.maxHeaderSize`: the largest header block (in bytes) a parser accepts. Node reads it
 * from `--max-http-header-size` (command line or NODE_OPTIONS) and defaults to 16 KiB.
 */
import process from 'node:process';

export const kDefaultMaxHeaderSize = 16384;

const flagName = '--max-http-header-size';

/** The value of `--max-http-header-size` in `args`, or undefined when it is absent. */
function fromArgs(args: readonly string[]): number | undefined {
  let found: number | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    let value: string | undefined;
    if (arg === flagName || arg === '--max_http_header_size') value = args[i + 1];
    else if (arg.startsWith(`${flagName}=`) || arg.startsWith('--max_http_header_size=')) {
      value = arg.slice(arg.indexOf('=') + 1);
    }
    if (value !== undefined && /^\d+$/.test(value)) found = Number(value); // last one wins
  }
  return found;
}

/** The effective maximum header size of this process, as `node:http` reports it. */
export function readMaxHeaderSize(): number {
  // The command line overrides NODE_OPTIONS, as Node's option parser does.
  const fromCommandLine = fromArgs(process.execArgv);
  if (fromCommandLine !== undefined) return fromCommandLine;
  const nodeOptions = process.env.NODE_OPTIONS;
  if (nodeOptions) {
    const fromEnv = fromArgs(nodeOptions.split(/\s+/));
    if (fromEnv !== undefined) return fromEnv;
  }
  return kDefaultMaxHeaderSize;
}
