import { EventEmitter, once } from 'node:events';
import * as net from 'node:net';

/**
 * A stand-in for ClientRequest speaking the agent protocol (onSocket, shouldKeepAlive,
 * timeout, reusedSocket, socket._httpMessage), so the same scenario can drive our
 * Agent and node:http's Agent and the two runs can be compared.
 */
export class FakeRequest extends EventEmitter {
  shouldKeepAlive = true;
  timeout: number | undefined = undefined;
  reusedSocket = false;
  socket: any = null;
  error: Error | null = null;
  res: any = undefined;
  constructor(public id: string) {
    super();
  }
  onSocket(socket: any, err?: Error | null): void {
    process.nextTick(() => {
      if (err) {
        this.error = err;
        this.emit('error', err);
        return;
      }
      this.socket = socket;
      socket._httpMessage = this;
      this.emit('socket', socket);
    });
  }
  getHeader(): undefined {
    return undefined;
  }
  /** The exchange is over: hand the socket back as the client does. */
  done(): void {
    const s = this.socket;
    s.emit('free');
  }
}

export async function socketOf(req: FakeRequest) {
  if (req.socket) return req.socket;
  await once(req, 'socket');
  return req.socket;
}

export function tick(ms = 0) {
  return new Promise((r) => setTimeout(r, ms));
}

/** A TCP server that accepts and holds connections; `conns` counts accepted sockets. */
export async function holdServer() {
  const sockets = new Set<net.Socket>();
  let conns = 0;
  const server = net.createServer((s) => {
    conns++;
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => {});
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    sockets,
    get conns() {
      return conns;
    },
    async close() {
      for (const s of sockets) s.destroy();
      server.close();
      await once(server, 'close');
    },
  };
}

/** `{ name: count }` for a pool object, for snapshots. */
export function counts(pool: Record<string, any[]>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of Object.keys(pool)) out[k.replace(/:\d+:/, ':PORT:')] = pool[k].length;
  return out;
}

export function snapshot(agent: any) {
  return {
    sockets: counts(agent.sockets),
    freeSockets: counts(agent.freeSockets),
    requests: counts(agent.requests),
    total: agent.totalSocketCount,
  };
}

/** Polls `cond` every millisecond for up to `ms`; returns whether it became true. */
export async function waitFor(cond: () => boolean, ms = 1000): Promise<boolean> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) return false;
    await tick(1);
  }
  return true;
}

export type Origin = { host: string; port: number };

/** The agent options for a request to `srv` on the loopback address. */
export function origin(srv: { port: number }): Origin {
  return { host: '127.0.0.1', port: srv.port };
}

/**
 * Runs `body` with a fresh holding server and a `new A(options)` agent; afterwards
 * destroys the agent and closes the server (even when `body` throws).
 */
export async function withAgent<T>(
  A: new (o?: any) => any,
  options: object,
  body: (agent: any, opts: Origin, srv: Awaited<ReturnType<typeof holdServer>>) => Promise<T>,
): Promise<T> {
  const srv = await holdServer();
  const agent = new A(options);
  try {
    return await body(agent, origin(srv), srv);
  } finally {
    agent.destroy();
    await srv.close();
  }
}

/** Adds one stand-in request per id to `agent` (all before any gets its socket). */
export function addRequests(agent: any, opts: Origin, ...ids: string[]): FakeRequest[] {
  return ids.map((id) => {
    const r = new FakeRequest(id);
    agent.addRequest(r, opts);
    return r;
  });
}

/** Adds a stand-in request (`prepare` sets it up first) and waits for its socket. */
export async function acquire(
  agent: any,
  opts: Origin,
  id: string,
  prepare?: (r: FakeRequest) => void,
): Promise<[FakeRequest, any]> {
  const r = new FakeRequest(id);
  prepare?.(r);
  agent.addRequest(r, opts);
  return [r, await socketOf(r)];
}
