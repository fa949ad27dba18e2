import { once } from 'node:events';
import * as http from 'node:http';
import * as net from 'node:net';
import * as assert from 'uvu/assert';
import * as ours from '../src/index.ts';

/** The two implementations a scenario runs against. */
export interface Impl {
  name: 'node' | 'ours';
  request: typeof http.request;
  get: typeof http.get;
  Agent: typeof http.Agent;
}

export const NODE: Impl = { name: 'node', request: http.request, get: http.get, Agent: http.Agent };
export const OURS: Impl = {
  name: 'ours',
  request: ours.request as unknown as typeof http.request,
  get: ours.get as unknown as typeof http.get,
  Agent: ours.Agent as unknown as typeof http.Agent,
};

/** A raw TCP server; `onConnection` writes exact bytes. Returns its port and a closer. */
export async function rawServer(onConnection: (socket: net.Socket, index: number) => void) {
  const sockets = new Set<net.Socket>();
  let n = 0;
  const server = net.createServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => {});
    onConnection(s, n++);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    port: (server.address() as net.AddressInfo).port,
    get connections() {
      return n;
    },
    sockets,
    async close() {
      for (const s of sockets) s.destroy();
      server.close();
      await once(server, 'close');
    },
  };
}

/** A node:http server (interop). */
export async function httpServer(handler: http.RequestListener) {
  const server = http.createServer(handler);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    server,
    port: (server.address() as net.AddressInfo).port,
    async close() {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

/** Reads until the end of a request header block, then calls `reply`. */
export function onRequestHead(socket: net.Socket, reply: (head: string) => void) {
  let buf = '';
  const onData = (d: Buffer) => {
    buf += d.toString('latin1');
    const end = buf.indexOf('\r\n\r\n');
    if (end !== -1) {
      socket.removeListener('data', onData);
      reply(buf.slice(0, end + 4));
    }
  };
  socket.on('data', onData);
}

export function describeError(err: any): string {
  return `${err?.name}:${err?.code}:${err?.message}`;
}

const REQ_EVENTS = [
  'socket',
  'response',
  'finish',
  'close',
  'error',
  'abort',
  'timeout',
  'continue',
  'information',
] as const;
const RES_EVENTS = ['data', 'end', 'close', 'aborted', 'error'] as const;

/** Records request events (and its response's) into `log`, in order. */
export function record(req: http.ClientRequest, log: string[], opts: { response?: boolean } = {}) {
  for (const e of REQ_EVENTS) {
    if (e === 'response' && opts.response === false) continue;
    req.on(e, (arg: any) => {
      if (e === 'error') log.push(`error ${describeError(arg)}`);
      else if (e === 'information') log.push(`information ${arg.statusCode}`);
      else log.push(e);
      if (e === 'response') {
        for (const r of RES_EVENTS) {
          arg.on(r, (x: any) => {
            if (r === 'error') log.push(`res.error ${describeError(x)}`);
            else log.push(`res.${r}`);
          });
        }
      }
    });
  }
}

export function tick(ms = 0) {
  return new Promise((r) => setTimeout(r, ms));
}

/** Resolves once `emitter` emitted `event`, or after `ms` (so a test never hangs). */
export function settle(emitter: NodeJS.EventEmitter, event: string, ms = 2000) {
  return new Promise<void>((resolve) => {
    if (event === 'close' && (emitter as any).closed === true) {
      resolve();
      return;
    }
    const t = setTimeout(() => {
      if (process.env.DEBUG_SETTLE) console.log(`settle timeout: ${event}`);
      resolve();
    }, ms);
    emitter.once(event, () => {
      clearTimeout(t);
      resolve();
    });
  });
}

/**
 * Runs `scenario` with node:http, then with ours: the two results must be equal
 * (and equal `expected` when given). Returns ours.
 */
export async function compare<T>(scenario: (impl: Impl) => Promise<T>, expected?: T): Promise<T> {
  const theirs = await scenario(NODE);
  const mine = await scenario(OURS);
  assert.equal(mine, theirs);
  if (expected !== undefined) assert.equal(mine, expected);
  return mine;
}

/** A raw server that answers each request head with `reply` (bytes, or a function writing them). */
export function replying(reply: string | ((s: net.Socket) => void)) {
  return rawServer((s) => {
    onRequestHead(s, () => {
      if (typeof reply === 'string') s.write(reply);
      else reply(s);
    });
  });
}

/** Waits for the request's 'close' and, if a response came, the response's; then a few ms. */
export async function done(req: http.ClientRequest) {
  await settle(req, 'close');
  const res = (req as http.ClientRequest & { res?: http.IncomingMessage }).res;
  if (res && !res.closed) await settle(res, 'close');
  await tick(5);
}

/** What a scenario does with its request once it is recorded: by default, `end()` it. */
export type Act = (req: http.ClientRequest, log: string[]) => void;
const end: Act = (req) => req.end();

/** An `Act`: ends the request and calls `action` on its 'socket'. */
export function onSocket(action: (req: http.ClientRequest) => void): Act {
  return (req) => {
    req.on('socket', () => action(req));
    req.end();
  };
}

/** An `Act`: ends the request and calls `action` on the first response body chunk. */
export function onFirstData(action: (req: http.ClientRequest) => void): Act {
  return (req) => {
    req.on('response', (res) => res.once('data', () => action(req)));
    req.end();
  };
}

/**
 * Makes one request with `options`, records its events (see `record`), lets `act`
 * drive it, and waits until it is done. Returns the request and the recording (`log`,
 * a new one unless given).
 */
export async function recordRequest(
  impl: Impl,
  options: http.RequestOptions,
  act: Act = end,
  log: string[] = [],
) {
  const req = impl.request(options);
  record(req, log);
  act(req, log);
  await done(req);
  return { req, log };
}

/**
 * One recorded exchange with a raw server that answers with `reply`: the request goes
 * to it with `options` (plus its host and port), `act` drives the request, and `after`
 * runs once the request is done, before the server closes. Returns the recording.
 */
export async function recordExchange(
  impl: Impl,
  reply: Parameters<typeof replying>[0],
  {
    options = {},
    act = end,
    after,
  }: {
    options?: http.RequestOptions;
    act?: Act;
    after?: (req: http.ClientRequest, log: string[], port: number) => unknown;
  } = {},
): Promise<string[]> {
  const srv = await replying(reply);
  const { req, log } = await recordRequest(
    impl,
    { port: srv.port, host: '127.0.0.1', ...options },
    act,
  );
  await after?.(req, log, srv.port);
  await srv.close();
  return log;
}
