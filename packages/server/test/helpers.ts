/**
 * Test helpers: raw TCP clients that send exact bytes and collect exact bytes,
 * and a runner that plays the same scenario against our server and node:http.
 */
import { execFile } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { createServer, type Server } from '../src/index.ts';

export type Chunk = string | Buffer | number; // a number = pause that many ms

export interface RawResult {
  data: string; // latin1
  ended: boolean; // the server half-closed (FIN)
  error: string | null; // e.g. ECONNRESET
}

/**
 * Connects, writes `chunks` (numbers are pauses), and resolves with every byte
 * received when the server closes, or after `idle` ms of silence once all
 * chunks are written (`firstByte` ms if nothing came yet), or at `timeout` at
 * the latest. Never hangs.
 */
export function raw(
  port: number,
  chunks: Chunk[] | Chunk,
  {
    idle = 150,
    timeout = 3000,
    end = false,
    firstByte = 1000,
  }: { idle?: number; timeout?: number; end?: boolean; firstByte?: number } = {},
): Promise<RawResult> {
  const list = Array.isArray(chunks) ? chunks : [chunks];
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    let data = '';
    let ended = false;
    let error: string | null = null;
    let idleTimer: NodeJS.Timeout | undefined;
    let done = false;
    let written = false;
    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(idleTimer);
      clearTimeout(hard);
      socket.destroy();
      resolve({ data, ended, error });
    };
    const hard = setTimeout(finish, timeout);
    // Silence ends the exchange: `idle` ms after the last byte, or `firstByte`
    // ms after the last write when nothing came back (a loaded machine is slow).
    const armIdle = () => {
      if (!written) return;
      clearTimeout(idleTimer);
      idleTimer = setTimeout(finish, data.length > 0 ? idle : Math.max(idle, firstByte));
    };
    socket.on('data', (d) => {
      data += d.toString('latin1');
      armIdle();
    });
    socket.on('end', () => {
      ended = true;
    });
    socket.on('error', (e: NodeJS.ErrnoException) => {
      error = e.code ?? e.message;
    });
    socket.on('close', finish);
    socket.on('connect', async () => {
      for (const chunk of list) {
        if (done) return;
        if (typeof chunk === 'number') await new Promise((r) => setTimeout(r, chunk));
        else socket.write(chunk);
      }
      if (end) socket.end();
      written = true;
      armIdle();
    });
  });
}

/** Replaces Date field values, which differ between two runs. */
export function normalize(text: string): string {
  return text.replace(/\r\nDate: [^\r]*\r\n/g, '\r\nDate: <date>\r\n');
}

export type Impl = 'ours' | 'node';
export type AnyServer = Server | http.Server | any;

/** Starts a server of either implementation on 127.0.0.1:0. */
export async function listen(
  impl: Impl,
  options: any,
  handler?: (req: any, res: any) => void,
): Promise<{ server: AnyServer; port: number }> {
  const server: AnyServer =
    impl === 'ours' ? createServer(options, handler) : http.createServer(options, handler);
  started.add(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as net.AddressInfo).port };
}

const started = new Set<AnyServer>();

/** For `test.after`: closes what a failed test left open, so the run never hangs. */
export async function closeLeftovers(): Promise<void> {
  for (const server of started) if (server.listening) await shut(server);
  started.clear();
}

/** Closes a server and every connection it still has. */
export async function shut(server: AnyServer): Promise<void> {
  started.delete(server);
  if (!server.listening) {
    server.closeAllConnections();
    return;
  }
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/**
 * Runs `scenario` against our server and node:http set up identically
 * (`setup` may add listeners), and returns both results for comparison.
 */
export async function both<T>(
  options: any,
  handler: ((req: any, res: any) => void) | undefined,
  scenario: (port: number, server: AnyServer, impl: Impl) => Promise<T>,
  setup?: (server: AnyServer, impl: Impl) => void,
): Promise<{ ours: T; node: T }> {
  const results = {} as { ours: T; node: T };
  for (const impl of ['ours', 'node'] as const) {
    const { server, port } = await listen(impl, options, handler);
    setup?.(server, impl);
    try {
      results[impl] = await scenario(port, server, impl);
    } finally {
      await shut(server);
    }
  }
  return results;
}

export const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Source of a CommonJS script for runChild(): `setup` runs first; `impl` is
 * then node:http when the script's first argument is 'node', else this
 * package (its TypeScript source); `create` (JS source of an expression over
 * `impl`) makes the server, which listens; one connection sends `request` (JS
 * source of a string) and, when the server closes it, `print` (JS source of an
 * expression over the response text `out`) is logged and the server closed.
 */
export function requestOnceScript(
  create: string,
  request: string,
  print: string,
  setup = '',
): string {
  const source = path.join(__dirname, '../src/index.ts');
  return `
    ${setup}
    const impl = process.argv[1] === 'node' ? require('node:http') : require(${JSON.stringify(source)});
    const net = require('node:net');
    const server = ${create};
    server.listen(0, '127.0.0.1', () => {
      const c = net.connect(server.address().port, '127.0.0.1', () => c.end(${request}));
      let out = '';
      c.on('data', (b) => { out += b.toString('latin1'); });
      c.on('close', () => {
        console.log(${print});
        server.close();
      });
    });
  `;
}

/**
 * Runs `script` in a child Node process (for what changes a whole process:
 * node:domain, parser flags) with `args`, tsx loaded so it can require
 * TypeScript; resolves with its standard output, trimmed.
 */
export function runChild(
  script: string,
  args: string[],
  { flags = [], nodeOptions = '' }: { flags?: string[]; nodeOptions?: string } = {},
): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile(
      process.execPath,
      [...flags, '--no-deprecation', '--require', 'tsx/cjs', '-e', script, ...args],
      {
        cwd: __dirname,
        encoding: 'utf8',
        timeout: 10000,
        env: { ...process.env, NODE_OPTIONS: nodeOptions },
      },
      (err, stdout) => (err ? reject(err) : resolve(stdout.trim())),
    ),
  );
}
