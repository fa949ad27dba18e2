/**
 * The two command-line options of Node that change the client's parser defaults:
 * `--insecure-http-parser` (lenient parsing unless a request says otherwise) and
 * `--max-http-header-size=N` (the default `maxHeaderSize`). Read once, from
 * `process.execArgv` and then `NODE_OPTIONS`, as Node's option parser does.
 */
import process from 'node:process';

function optionWords(): string[] {
  const words = process.execArgv.slice();
  const env = process.env.NODE_OPTIONS;
  if (env) for (const w of env.split(' ')) if (w) words.push(w);
  return words;
}

function readFlags(): { insecure: boolean; maxHeaderSize: number | undefined } {
  const words = optionWords();
  let insecure = false;
  let maxHeaderSize: number | undefined;
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    if (w === '--insecure-http-parser') insecure = true;
    let value: string | undefined;
    if (w === '--max-http-header-size' || w === '--max_http_header_size') value = words[i + 1];
    else if (w.startsWith('--max-http-header-size=') || w.startsWith('--max_http_header_size=')) {
      value = w.slice(w.indexOf('=') + 1);
    }
    if (value !== undefined) {
      const n = Number(value);
      if (Number.isInteger(n) && n > 0 && maxHeaderSize === undefined) maxHeaderSize = n;
    }
  }
  return { insecure, maxHeaderSize };
}

const flags = readFlags();

/** `--insecure-http-parser` was given to this process. */
export const insecureByDefault: boolean = flags.insecure;
/** `--max-http-header-size` of this process, or undefined (the parser's 16 KiB). */
export const defaultMaxHeaderSize: number | undefined = flags.maxHeaderSize;
