import { once } from 'node:events';
import * as http from 'node:http';
import * as net from 'node:net';
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
