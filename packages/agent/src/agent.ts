import type { Buffer } from 'node:buffer';
import { EventEmitter } from 'node:events';
import * as net from 'node:net';
import type { Duplex } from 'node:stream';
import {
  defineConstructor,
  ERR_INVALID_ARG_TYPE,
  ERR_INVALID_ARG_VALUE,
  ERR_OUT_OF_RANGE,
} from '@strata-http/headers';
import { parseKeepAliveTimeout } from './keep-alive-hint.js';
import {
  kAgent,
  kFreeErrorListener,
  kLastKey,
  kOnKeylog,
  kPlainOptions,
  kRequestOptions,
  kServerKeepAliveUntil,
  kSocketName,
  kSocketOptions,
  kSocketTimeout,
} from './symbols.js';

/** A socket as the agent sees it: any Duplex, usually a `net.Socket`. */
export type AgentSocket = Duplex & Record<PropertyKey, any>;

/**
 * What the agent needs from a request (Node's protocol between `_http_agent` and
 * `_http_client`): `onSocket(socket, err?)` hands it a socket or a connection error,
 * `shouldKeepAlive` tells whether the connection survives the exchange, `timeout` is
 * the request's own socket timeout, and the agent sets `reusedSocket`.
 */
export interface AgentRequest {
  onSocket(socket: AgentSocket | undefined, err?: Error | null): void;
  shouldKeepAlive?: boolean;
  timeout?: number;
  reusedSocket?: boolean;
  [key: PropertyKey]: any;
}

export interface AgentOptions {
  keepAlive?: boolean;
  keepAliveMsecs?: number;
  maxSockets?: number;
  maxTotalSockets?: number;
  maxFreeSockets?: number;
  scheduling?: 'lifo' | 'fifo';
  timeout?: number;
  /** Everything else is passed to `createConnection` (socket.connect options). */
  [key: string]: any;
}

export type ConnectionOptions = Record<string, any>;
export type CreateConnectionCallback = (err: Error | null, socket?: AgentSocket) => void;

type Pool<T> = { [name: string]: T[] };

function nullObject<T>(): Pool<T> {
  return Object.create(null);
}

/**
 * Connection pooling for HTTP clients, as `http.Agent`: one pool of sockets per origin
 * (`getName()`), requests queued per origin once `maxSockets`/`maxTotalSockets` are
 * reached, idle sockets kept (keepAlive) and handed out LIFO or FIFO.
 */
class HttpAgent extends EventEmitter {
  declare defaultPort: number;
  declare protocol: string;
  declare options: AgentOptions;
  /** Requests waiting for a socket, per origin. Null prototype. */
  declare requests: Pool<AgentRequest>;
  /** Sockets in use by requests, per origin. Null prototype. */
  declare sockets: Pool<AgentSocket>;
  /** Idle keep-alive sockets, per origin. Null prototype. */
  declare freeSockets: Pool<AgentSocket>;
  declare keepAliveMsecs: number;
  declare keepAlive: boolean;
  declare maxSockets: number;
  declare maxFreeSockets: number;
  declare scheduling: 'lifo' | 'fifo';
  declare maxTotalSockets: number;
  /** Sockets owned by this agent: in use, idle or being connected. */
  declare totalSocketCount: number;
  /** `options` when none of its keys can affect a pool key (see `addRequest`). */
  declare [kPlainOptions]: AgentOptions | null;
  /** Forwards a socket's 'keylog' to the agent; set by the first 'keylog' listener. */
  declare [kOnKeylog]: ((this: AgentSocket, line: Buffer) => void) | undefined;
  /** The last pool key computed on the hot path, with the fields it came from. */
  declare [kLastKey]: {
    host: unknown;
    port: unknown;
    localAddress: unknown;
    family: unknown;
    name: string;
  } | null;

  /**
   * Produces the socket for a request. Default: `net.createConnection(options)`.
   * Overrides may return any Duplex, or call `callback(err, stream)` instead.
   */
  createConnection(
    options: ConnectionOptions,
    callback?: CreateConnectionCallback,
  ): AgentSocket | undefined {
    void callback;
    return net.createConnection(options as net.NetConnectOpts) as unknown as AgentSocket;
  }

  /** The pool key: `host:port:localAddress[:family][:socketPath]`. */
  getName(options: ConnectionOptions = {}): string {
    let name = options.host || 'localhost';
    name += ':';
    if (options.port) name += options.port;
    name += ':';
    if (options.localAddress) name += options.localAddress;
    // Only the two valid families make a separate pool; anything else is ignored.
    if (options.family === 4 || options.family === 6) name += `:${options.family}`;
    if (options.socketPath) name += `:${options.socketPath}`;
    return name;
  }

  /**
   * Gives `req` a socket: an idle one of its origin, a new one if the limits allow, or
   * queues the request until one is freed. (`port`/`localAddress` for the legacy
   * `addRequest(req, host, port, localAddress)` form.)
   */
  addRequest(
    req: AgentRequest,
    options: ConnectionOptions | string,
    port?: number,
    localAddress?: string,
  ): void {
    let opts: ConnectionOptions;
    let name: string;
    if (typeof options === 'string') {
      opts = { __proto__: null, host: options, port, localAddress };
      name = this.getName(opts);
    } else if (this[kPlainOptions] === this.options && !options.socketPath) {
      // Hot path: the agent's own options cannot change the pool key, so the merged
      // connection options are only built when a socket has to be created.
      opts = options;
      name = poolKey(this, options);
    } else {
      opts = mergeOptions(options, this.options);
      name = this.getName(opts);
    }
    if (this.sockets[name] === undefined) this.sockets[name] = [];

    const socket = takeFreeSocket(this, name);
    if (socket !== undefined) {
      this.reuseSocket(socket, req);
      assignSocket(this, req, socket);
      this.sockets[name].push(socket);
      return;
    }
    if (opts === options) opts = mergeOptions(options, this.options);
    const free = this.freeSockets[name];
    const inUse = (free === undefined ? 0 : free.length) + this.sockets[name].length;
    if (inUse < this.maxSockets && this.totalSocketCount >= this.maxTotalSockets) {
      // The total limit is reached but another origin may hold idle sockets: close the
      // least recently used one; its 'close' then serves this origin's queue.
      evictIdleSocket(this);
    }
    if (inUse < this.maxSockets && this.totalSocketCount < this.maxTotalSockets) {
      this.createSocket(req, opts, (err, s) => {
        if (err) req.onSocket(s, err);
        else assignSocket(this, req, s!);
      });
      return;
    }
    req[kRequestOptions] = opts;
    const queue = this.requests[name];
    if (queue === undefined) this.requests[name] = [req];
    else queue.push(req);
  }

  /** Creates a pooled socket for `req` through `createConnection` and calls back with it. */
  createSocket(req: AgentRequest, options: ConnectionOptions, cb: CreateConnectionCallback): void {
    void req;
    const opts: ConnectionOptions = { __proto__: null, ...options, ...this.options };
    if (opts.socketPath) opts.path = opts.socketPath;
    const name = this.getName(opts);
    opts._agentKey = name;
    opts.encoding = null;
    if (this.keepAlive) {
      // TCP keep-alive from the first byte for sockets meant to be pooled.
      opts.keepAlive = true;
      opts.keepAliveInitialDelay = this.keepAliveMsecs;
    }
    this.totalSocketCount++;
    let called = false;
    const onCreate: CreateConnectionCallback = (err, s) => {
      if (called) return;
      called = true;
      if (err || s === undefined || s === null) {
        this.totalSocketCount--;
        cb(err || new Error('createConnection produced no socket'));
        return;
      }
      const list = this.sockets[name];
      if (list === undefined) this.sockets[name] = [s];
      else list.push(s);
      s[kAgent] = this;
      s[kSocketOptions] = opts;
      s[kSocketName] = name;
      const timeout = opts.timeout;
      if (timeout !== undefined && timeout > 0 && typeof s.setTimeout === 'function') {
        if (s.timeout !== timeout) s.setTimeout(timeout);
        s[kSocketTimeout] = timeout;
      }
      s.on('free', onSocketFree);
      s.on('close', onSocketClose);
      s.on('timeout', onSocketTimeout);
      s.on('agentRemove', onSocketAgentRemove);
      const onKeylog = this[kOnKeylog];
      if (onKeylog !== undefined) s.on('keylog', onKeylog);
      cb(null, s);
    };
    // A synchronous throw (bad port, bad lookup option) reaches the caller, as with Node.
    let created: AgentSocket | undefined;
    try {
      created = this.createConnection(opts, onCreate);
    } catch (err) {
      if (!called) {
        called = true;
        this.totalSocketCount--;
      }
      throw err;
    }
    if (created) onCreate(null, created);
  }

  /**
   * Forgets `socket` (closed, or removed with 'agentRemove') and, if requests wait
   * for its origin (or, under `maxTotalSockets`, for another), connects one for them.
   */
  removeSocket(socket: AgentSocket, options: ConnectionOptions): void {
    const name: string = socket[kSocketName] ?? this.getName(options);
    if (detach(this.sockets, name, socket) || detach(this.freeSockets, name, socket)) {
      this.totalSocketCount--;
    }
    serveQueue(this, name);
  }

  /**
   * Called when a socket is detached from a request and could be pooled. Enables TCP
   * keep-alive, unrefs it, and sets its idle timeout: the agent's `timeout`, shortened
   * to one second before the server's announced `Keep-Alive: timeout=N` so that the
   * pool drops the socket before the server does (the classic ECONNRESET on reuse).
   * Returns false (socket destroyed) when the server allows less than that second.
   */
  keepSocketAlive(socket: AgentSocket): boolean {
    if (typeof socket.setKeepAlive === 'function') socket.setKeepAlive(true, this.keepAliveMsecs);
    if (typeof socket.unref === 'function') socket.unref();
    let timeout: number = this.options.timeout || 0;
    const res = socket._httpMessage?.res;
    if (res) {
      const seconds = parseKeepAliveTimeout(keepAliveField(res));
      if (seconds >= 0) {
        const ms = seconds * 1000 - 1000;
        if (ms <= 0) return false;
        if (timeout === 0 || ms < timeout) timeout = ms;
      }
    }
    if (typeof socket.setTimeout === 'function') {
      if (socket.timeout !== timeout) socket.setTimeout(timeout);
      socket[kSocketTimeout] = timeout;
    }
    // Past this instant the socket is not handed out even if its timer has not run
    // yet (a blocked event loop): the server is about to close it.
    socket[kServerKeepAliveUntil] = timeout > 0 ? Date.now() + timeout : 0;
    return true;
  }

  /** Called when a pooled socket is handed to `req`: refs it and marks the request. */
  reuseSocket(socket: AgentSocket, req: AgentRequest): void {
    if (socket[kFreeErrorListener] === true) {
      socket[kFreeErrorListener] = false;
      socket.removeListener('error', onFreeSocketError);
    }
    req.reusedSocket = true;
    if (typeof socket.ref === 'function') socket.ref();
  }

  /** Destroys every socket of the agent, idle or in use. */
  destroy(): void {
    for (const pool of [this.freeSockets, this.sockets]) {
      for (const name of Object.keys(pool)) {
        const list = pool[name].slice();
        for (let i = 0; i < list.length; i++) list[i].destroy();
      }
    }
  }
}

/**
 * The response's `Keep-Alive` field. Read from `rawHeaders` (first occurrence, as the
 * joined `headers` value would start) so that an unread response does not have its
 * whole `headers` object built just for this.
 */
function keepAliveField(res: { rawHeaders?: unknown; headers?: Record<string, unknown> }) {
  const raw = res.rawHeaders;
  if (!Array.isArray(raw)) return res.headers?.['keep-alive'];
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i];
    if (typeof name === 'string' && name.length === 10 && name.toLowerCase() === 'keep-alive') {
      return raw[i + 1];
    }
  }
  return undefined;
}

/**
 * `agent.getName(options)`, remembering the last key: a request to the same origin as
 * the previous one gets the very same string, whose hash is already computed for the
 * pool lookups. Only for the built-in `getName` (a subclass may compute keys its way).
 */
function poolKey(agent: HttpAgent, options: ConnectionOptions): string {
  if (agent.getName !== HttpAgent.prototype.getName) return agent.getName(options);
  const last = agent[kLastKey];
  if (
    last !== null &&
    last.host === options.host &&
    last.port === options.port &&
    last.localAddress === options.localAddress &&
    last.family === options.family
  ) {
    return last.name;
  }
  const name = agent.getName(options);
  agent[kLastKey] = {
    host: options.host,
    port: options.port,
    localAddress: options.localAddress,
    family: options.family,
    name,
  };
  return name;
}

/** Agent options that never take part in `getName()`. */
const AGENT_ONLY_KEYS = new Set([
  'keepAlive',
  'keepAliveMsecs',
  'maxSockets',
  'maxTotalSockets',
  'maxFreeSockets',
  'scheduling',
  'timeout',
  'noDelay',
  'path',
]);

function onlyAgentKeys(options: AgentOptions): boolean {
  for (const key of Object.keys(options)) if (!AGENT_ONLY_KEYS.has(key)) return false;
  return true;
}

/** Request options overlaid with the agent's (Node's precedence), null prototype. */
function mergeOptions(options: ConnectionOptions, agentOptions: AgentOptions): ConnectionOptions {
  const opts: ConnectionOptions = { __proto__: null, ...options, ...agentOptions };
  if (opts.socketPath) opts.path = opts.socketPath;
  return opts;
}

/** An `http.Agent` instance. */
export type Agent = HttpAgent;

/** `http.Agent` as a constructor: with `new`, called plainly, or `Agent.call(this, options)`. */
export interface AgentConstructor {
  new (options?: AgentOptions): Agent;
  (options?: AgentOptions): Agent;
  readonly prototype: Agent;
  /** Default for `maxSockets` when the option is not given (read by each new agent). */
  defaultMaxSockets: number;
}

/**
 * `http.Agent`: a plain function, like Node's. Called without `new` it
 * returns a new agent (`http.Agent({ ... })`, which Node's own tests do);
 * called on an agent (`Agent.call(this, options)` in an old-style
 * `util.inherits` subclass, as forever-agent does) it sets that one up.
 * Subclassing with `class … extends` and `instanceof` work as with a class.
 */
const AgentFunction = function Agent(
  this: Agent | undefined,
  options?: AgentOptions,
): Agent | undefined {
  if (!(this instanceof AgentFunction)) {
    return new (AgentFunction as unknown as AgentConstructor)(options);
  }
  (EventEmitter as unknown as (this: unknown) => void).call(this);
  const agent = this as Agent;
  agent.defaultPort = 80;
  agent.protocol = 'http:';
  // Agent options are also connection options. `path` is cleared so a request's
  // path is never taken for a Unix socket path; Nagle is off by default (Node ≥ 18).
  const opts: AgentOptions = { __proto__: null, ...options } as AgentOptions;
  if (opts.noDelay === undefined) opts.noDelay = true;
  opts.path = null;
  agent.options = opts;
  agent.requests = nullObject();
  agent.sockets = nullObject();
  agent.freeSockets = nullObject();
  agent.keepAliveMsecs = opts.keepAliveMsecs || 1000;
  agent.keepAlive = opts.keepAlive || false;
  agent.maxSockets =
    opts.maxSockets || (AgentFunction as unknown as AgentConstructor).defaultMaxSockets;
  agent.maxFreeSockets = opts.maxFreeSockets || 256;
  const scheduling = opts.scheduling || 'lifo';
  if (scheduling !== 'lifo' && scheduling !== 'fifo') {
    throw new ERR_INVALID_ARG_VALUE('scheduling', scheduling, "must be one of: 'fifo', 'lifo'");
  }
  agent.scheduling = scheduling;
  const maxTotal = opts.maxTotalSockets;
  if (maxTotal !== undefined) {
    if (typeof maxTotal !== 'number') {
      throw new ERR_INVALID_ARG_TYPE('maxTotalSockets', 'number', maxTotal);
    }
    if (!(maxTotal >= 1)) throw new ERR_OUT_OF_RANGE('maxTotalSockets', '>= 1', maxTotal);
    agent.maxTotalSockets = maxTotal;
  } else {
    agent.maxTotalSockets = Number.POSITIVE_INFINITY;
  }
  agent.totalSocketCount = 0;
  agent[kPlainOptions] = onlyAgentKeys(opts) ? opts : null;
  agent[kLastKey] = null;
  agent.on('free', onAgentFree);
  // As Node's: sockets' TLS 'keylog' lines are forwarded only once someone listens.
  agent.on('newListener', maybeEnableKeylog);
  return undefined;
};

/**
 * Documented for https.Agent: 'keylog' (line, socket) for the key material of
 * every connection the agent manages. Armed by the first 'keylog' listener:
 * sockets open now and every later one forward their own 'keylog' events.
 */
function maybeEnableKeylog(this: Agent, eventName: string | symbol): void {
  if (eventName !== 'keylog') return;
  this.removeListener('newListener', maybeEnableKeylog);
  const agent = this;
  const onKeylog = function onKeylog(this: AgentSocket, line: Buffer): void {
    agent.emit('keylog', line, this);
  };
  this[kOnKeylog] = onKeylog;
  for (const pool of [this.sockets, this.freeSockets]) {
    for (const name in pool) for (const s of pool[name] ?? []) s.on('keylog', onKeylog);
  }
}
defineConstructor(AgentFunction, HttpAgent.prototype, EventEmitter);
(AgentFunction as unknown as AgentConstructor).defaultMaxSockets = Number.POSITIVE_INFINITY;

export const Agent = AgentFunction as unknown as AgentConstructor;

/** Hands `socket` to `req`; a request timeout other than the agent's applies to the socket. */
function assignSocket(agent: Agent, req: AgentRequest, socket: AgentSocket): void {
  req.onSocket(socket);
  const agentTimeout = agent.options.timeout || 0;
  if (req.timeout === undefined || req.timeout === agentTimeout) return;
  if (typeof socket.setTimeout === 'function') {
    socket.setTimeout(req.timeout);
    socket[kSocketTimeout] = req.timeout;
  }
}

/** Picks an idle socket of `name` (LIFO or FIFO), skipping any the server has closed. */
function takeFreeSocket(agent: Agent, name: string): AgentSocket | undefined {
  const free = agent.freeSockets[name];
  if (free === undefined) return undefined;
  let socket: AgentSocket | undefined;
  while (free.length > 0) {
    const s = agent.scheduling === 'fifo' ? free.shift()! : free.pop()!;
    const until: number = s[kServerKeepAliveUntil] || 0;
    if (!s.destroyed && s.writable && !s.readableEnded && (until === 0 || Date.now() < until)) {
      socket = s;
      break;
    }
    // Half-closed by the server (FIN already read), destroyed, or idle past its
    // timeout: never reuse it.
    agent.totalSocketCount--;
    s.removeListener('close', onSocketClose);
    s.destroy();
  }
  if (free.length === 0) delete agent.freeSockets[name];
  return socket;
}

function detach(pool: Pool<AgentSocket>, name: string, socket: AgentSocket): boolean {
  const list = pool[name];
  if (list === undefined) return false;
  const i = list.indexOf(socket);
  if (i === -1) return false;
  // In place, keeping the order (splice would allocate the removed-items array).
  const last = list.length - 1;
  for (let j = i; j < last; j++) list[j] = list[j + 1];
  list.pop();
  if (list.length === 0) delete pool[name];
  return true;
}

/** Starts a connection for the first waiting request, preferring origin `name`. */
function serveQueue(agent: Agent, name: string): void {
  let queue: AgentRequest[] | undefined = agent.requests[name];
  if (queue === undefined || queue.length === 0) {
    // A socket slot freed under maxTotalSockets may serve another origin's queue.
    queue = undefined;
    for (const other in agent.requests) {
      const active = agent.sockets[other];
      if (active !== undefined && active.length > 0) continue;
      queue = agent.requests[other];
      name = other;
      break;
    }
    if (queue === undefined || queue.length === 0) return;
  }
  const free = agent.freeSockets[name];
  const active = agent.sockets[name];
  const inUse = (free === undefined ? 0 : free.length) + (active === undefined ? 0 : active.length);
  if (inUse >= agent.maxSockets || agent.totalSocketCount >= agent.maxTotalSockets) return;
  // The request stays queued: the new socket announces itself with 'free' and the
  // agent's 'free' handler hands it to the head of the queue (Node emits 'free' here too).
  const req = queue[0];
  const waiting = queue;
  const waitingName = name;
  agent.createSocket(req, req[kRequestOptions], (err, s) => {
    if (!err) {
      s!.emit('free');
      return;
    }
    const i = waiting.indexOf(req);
    if (i !== -1) waiting.splice(i, 1);
    if (waiting.length === 0 && agent.requests[waitingName] === waiting) {
      delete agent.requests[waitingName];
    }
    req[kRequestOptions] = undefined;
    req.onSocket(s, err);
  });
}

/** Destroys the least recently used idle socket of any origin (to honour maxTotalSockets). */
function evictIdleSocket(agent: Agent): void {
  for (const name in agent.freeSockets) {
    const free = agent.freeSockets[name];
    const s = free.shift();
    if (free.length === 0) delete agent.freeSockets[name];
    if (s !== undefined) {
      agent.totalSocketCount--;
      s.removeListener('close', onSocketClose);
      s.destroy();
      return;
    }
  }
}

function waitingElsewhere(agent: Agent, name: string): boolean {
  if (agent.totalSocketCount < agent.maxTotalSockets) return false;
  for (const other in agent.requests) if (other !== name) return true;
  return false;
}

/**
 * The agent's 'free' listener: a request is done with `socket`. Serve the origin's
 * queue with it, pool it (keepAlive), or destroy it.
 */
function onAgentFree(this: Agent, socket: AgentSocket, options: ConnectionOptions): void {
  const name: string = socket[kSocketName] ?? this.getName(options);
  if (socket.destroyed || !socket.writable) {
    socket.destroy();
    return;
  }
  const queue = this.requests[name];
  if (queue !== undefined && queue.length > 0) {
    const req = queue.shift()!;
    req[kRequestOptions] = undefined;
    if (queue.length === 0) delete this.requests[name];
    assignSocket(this, req, socket);
    return;
  }
  const req = socket._httpMessage;
  if (!req?.shouldKeepAlive || !this.keepAlive) {
    socket.destroy();
    return;
  }
  const free = this.freeSockets[name];
  const active = this.sockets[name];
  const freeLen = free === undefined ? 0 : free.length;
  const count = freeLen + (active === undefined ? 0 : active.length);
  if (
    this.totalSocketCount > this.maxTotalSockets ||
    count > this.maxSockets ||
    freeLen >= this.maxFreeSockets ||
    waitingElsewhere(this, name) ||
    !this.keepSocketAlive(socket)
  ) {
    socket.destroy();
    return;
  }
  socket._httpMessage = null;
  detach(this.sockets, name, socket);
  if (free === undefined) this.freeSockets[name] = [socket];
  else free.push(socket);
  // An idle socket must not crash the process on error. A client that keeps its own
  // idle-aware 'error' listener on the socket (ours does) makes this one unnecessary.
  if (socket.listenerCount('error') === 0) {
    socket[kFreeErrorListener] = true;
    socket.on('error', onFreeSocketError);
  }
}

// Per-socket listeners: module-level functions with `this` = socket, so pooling a
// socket allocates no closures.
function onSocketFree(this: AgentSocket): void {
  this[kAgent].emit('free', this, this[kSocketOptions]);
}

function onSocketClose(this: AgentSocket): void {
  this[kAgent].removeSocket(this, this[kSocketOptions]);
}

function onSocketTimeout(this: AgentSocket): void {
  // Idle sockets time out in the pool; sockets in use belong to their request,
  // which only gets a 'timeout' event (the user decides).
  const free = (this[kAgent] as Agent).freeSockets[this[kSocketName]];
  if (free !== undefined && free.indexOf(this) !== -1) this.destroy();
}

function onSocketAgentRemove(this: AgentSocket): void {
  const agent: Agent = this[kAgent];
  this.removeListener('free', onSocketFree);
  this.removeListener('close', onSocketClose);
  this.removeListener('timeout', onSocketTimeout);
  this.removeListener('agentRemove', onSocketAgentRemove);
  agent.removeSocket(this, this[kSocketOptions]);
}

/** An idle socket has no request to report to: drop it from the pool quietly. */
function onFreeSocketError(this: AgentSocket): void {
  this[kFreeErrorListener] = false;
  this.removeListener('error', onFreeSocketError);
  this.destroy();
  this.emit('agentRemove');
}

/** The default agent of `request()`/`get()`: keep-alive with a 5 s idle timeout (Node ≥ 19). */
export let globalAgent: Agent = new Agent({
  keepAlive: true,
  scheduling: 'lifo',
  timeout: 5000,
});

const globalAgentWatchers: ((agent: Agent) => void)[] = [];

/**
 * Replaces `globalAgent` (what `http.globalAgent = agent` does): requests made afterwards
 * without an `agent` option use it. The `globalAgent` export is a live binding.
 */
export function setGlobalAgent(agent: Agent): void {
  globalAgent = agent;
  for (let i = 0; i < globalAgentWatchers.length; i++) globalAgentWatchers[i](agent);
}

/**
 * Calls `watcher(agent)` after every `setGlobalAgent()`. The ES module face of this package
 * (and of the client's) keeps its own `globalAgent` binding in step with it.
 */
export function watchGlobalAgent(watcher: (agent: Agent) => void): void {
  globalAgentWatchers.push(watcher);
}
