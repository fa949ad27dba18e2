/**
 * `Server`: node:http's server, a `net.Server` whose connections (accepted, or
 * injected with `server.emit('connection', duplex)`) speak HTTP/1.x.
 */
import net from 'node:net';
import { defineConstructor, ERR_OUT_OF_RANGE, STATUS_CODES } from '@strata-http/headers';
import { IncomingMessage } from '@strata-http/incoming-message';
import { LenientFlags } from '@strata-http/parser';
import { checkConnections, connectionListener, type HttpConnection } from './connection';
import { ConnectionList } from './connection-list';
import { insecureByDefault } from './process-flags';
import { ServerResponse } from './server-response';
import {
  kClosing,
  kConnections,
  kConnectionsCheckingInterval,
  kIncomingMessage,
  kParserOptions,
  kServerResponse,
  kUniqueHeadersOption,
} from './symbols';
import { validateBoolean, validateFunction, validateInteger, validateObject } from './validators';

/** Every option `http.createServer()` documents (Node v23.8). */
export interface ServerOptions {
  connectionsCheckingInterval?: number;
  headersTimeout?: number;
  highWaterMark?: number;
  insecureHTTPParser?: boolean;
  IncomingMessage?: any;
  joinDuplicateHeaders?: boolean;
  keepAlive?: boolean;
  keepAliveInitialDelay?: number;
  keepAliveTimeout?: number;
  maxHeaderSize?: number;
  noDelay?: boolean;
  requestTimeout?: number;
  requireHostHeader?: boolean;
  ServerResponse?: any;
  uniqueHeaders?: Array<string | string[]>;
  rejectNonStandardBodyWrites?: boolean;
}

export type RequestListener = (req: any, res: any) => void;

/** What Node's insecureHTTPParser turns on (its kLenientAll). */
const kLenientAll = LenientFlags.INSECURE;

const kRejection = Symbol.for('nodejs.rejection');

const asyncDispose: symbol =
  (Symbol as unknown as { asyncDispose?: symbol }).asyncDispose ??
  Symbol.for('nodejs.asyncDispose');

/**
 * The methods and fields of `Server`. The exported `Server` is a classic
 * constructor function sharing this prototype (see below), so that both
 * `new Server()` / `class X extends Server` and the pre-ES2015 pattern
 * `http.Server.call(this)` + `util.inherits` work, as with node:http.
 */
class HttpServer extends net.Server {
  declare maxHeaderSize: number | undefined;
  declare insecureHTTPParser: boolean | undefined;
  declare requestTimeout: number;
  declare headersTimeout: number;
  declare keepAliveTimeout: number;
  declare connectionsCheckingInterval: number;
  declare requireHostHeader: boolean;
  declare joinDuplicateHeaders: boolean | undefined;
  declare rejectNonStandardBodyWrites: boolean;
  declare httpAllowHalfOpen: boolean;
  /** Socket inactivity timeout for new connections, ms; 0 = none. */
  declare timeout: number;
  /** null means Node's default, 2000; 0 = no limit. */
  declare maxHeadersCount: number | null;
  declare maxRequestsPerSocket: number;
  declare [kIncomingMessage]: any;
  declare [kServerResponse]: any;
  declare [kUniqueHeadersOption]: string[] | null;
  declare [kParserOptions]: { maxHeaderSize: number; maxHeadersCount: number; lenient: number };
  declare [kConnections]: ConnectionList<HttpConnection>;
  declare [kConnectionsCheckingInterval]: ReturnType<typeof setInterval> | undefined;
  declare [kClosing]: boolean;

  /** Sets `server.timeout` (new connections) and optionally adds a 'timeout' listener. */
  setTimeout(msecs?: number | (() => void), callback?: () => void): this {
    if (typeof msecs === 'function') {
      callback = msecs;
      msecs = undefined;
    }
    this.timeout = msecs ?? 0;
    if (callback !== undefined) {
      validateFunction(callback, 'listener');
      this.on('timeout', callback);
    }
    return this;
  }

  /** Stops accepting connections, closes the idle ones; the others close after their last response. */
  override close(callback?: (err?: Error) => void): this {
    this[kClosing] = true;
    this.stopConnectionsChecking();
    this.closeIdleConnections();
    return super.close(callback);
  }

  /** Destroys every HTTP connection, busy or idle (not upgraded sockets: those are no longer ours). */
  closeAllConnections(): void {
    for (const c of this[kConnections].toArray()) c.socket.destroy();
  }

  /** Destroys the connections that are neither receiving a request nor owing a response. */
  closeIdleConnections(): void {
    for (const c of this[kConnections].toArray()) {
      if (c.isIdle()) c.socket.destroy();
    }
  }

  /**
   * Starts the single periodic headersTimeout/requestTimeout check unless it
   * runs (or the server is closing). The timer stays readable at
   * `server[kConnectionsCheckingInterval]` after it is cleared, as in Node.
   */
  startConnectionsChecking(): void {
    const current = this[kConnectionsCheckingInterval] as { _destroyed?: boolean } | undefined;
    if (current !== undefined && !current._destroyed) return;
    if (this[kClosing]) return;
    if (!(this.headersTimeout > 0) && !(this.requestTimeout > 0)) return;
    const timer = setInterval(checkConnections, this.connectionsCheckingInterval, this);
    timer.unref();
    this[kConnectionsCheckingInterval] = timer;
  }

  stopConnectionsChecking(): void {
    const timer = this[kConnectionsCheckingInterval];
    if (timer !== undefined) clearInterval(timer);
  }

  /**
   * With `captureRejections`, a request listener whose promise rejects gets a
   * 500 with the stored headers dropped (they may be half-built), or, when the
   * response already started, its connection destroyed — as node:http does.
   */
  [kRejection](err: Error, event: string, ...args: unknown[]): void {
    if (event === 'request') {
      const res = args[1] as ServerResponse;
      if (!res.headersSent && !res.writableEnded) {
        for (const name of res.getHeaderNames()) res.removeHeader(name);
        res.statusCode = 500;
        res.end(STATUS_CODES[500] as string);
      } else {
        res.destroy();
      }
      return;
    }
    this.emit('error', err);
  }

  /** `server.close()` as a promise: `await using server = createServer()`. */
  [asyncDispose](): Promise<void> {
    return new Promise((resolve, reject) => {
      this.close((err) => (err ? reject(err) : resolve()));
    });
  }
}

type ServerConstructor = {
  new (requestListener?: RequestListener): HttpServer;
  new (options: ServerOptions | null | undefined, requestListener?: RequestListener): HttpServer;
  (requestListener?: RequestListener): HttpServer;
  (options: ServerOptions | null | undefined, requestListener?: RequestListener): HttpServer;
  prototype: HttpServer;
};

/** `http.Server`: callable with or without `new`, and with `Server.call(this, …)`. */
const ServerFunction = function Server(
  this: HttpServer | undefined,
  options?: ServerOptions | RequestListener | null,
  requestListener?: RequestListener,
): HttpServer | undefined {
  if (!(this instanceof ServerFunction)) {
    return new (ServerFunction as unknown as ServerConstructor)(
      options as ServerOptions,
      requestListener,
    );
  }
  const [opts, listener] = serverArguments(options, requestListener);
  requestListener = listener;
  // HTTP options are checked before net.Server sees its own, as Node does.
  const http = readHttpOptions(opts);
  (net.Server as unknown as (this: unknown, options: net.ServerOpts) => void).call(this, {
    allowHalfOpen: true,
    noDelay: opts.noDelay ?? true,
    keepAlive: opts.keepAlive,
    keepAliveInitialDelay: opts.keepAliveInitialDelay,
    highWaterMark: opts.highWaterMark,
  } as net.ServerOpts);

  const server = this as HttpServer;
  initHttpServerState(server);
  server.maxRequestsPerSocket = 0; // an https server leaves it undefined, as Node's
  applyHttpOptions(server, http, opts);

  // Listeners in node:http's order ('request', 'connection', 'listening').
  if (requestListener !== undefined) {
    validateFunction(requestListener, 'listener');
    server.on('request', requestListener);
  }
  server.on('connection', connectionListener);
  server.on('listening', httpServerListening);
  return undefined;
};

/**
 * A server constructor's `([options][, requestListener])`: the options (validated as an
 * object, `{}` when absent) and the listener, as Node's http and https servers take them.
 */
export function serverArguments(
  options: ServerOptions | RequestListener | null | undefined,
  requestListener: RequestListener | undefined,
): [ServerOptions, RequestListener | undefined] {
  if (typeof options === 'function') return [{}, options];
  if (options == null) return [{}, requestListener];
  validateObject(options, 'options');
  return [options, requestListener];
}

/**
 * The connection state and defaults of an HTTP server, on `server`: an
 * http.Server, or a server of another net.Server class (an https server: a
 * tls.Server whose secure connections go to connectionListener) after
 * storeHTTPOptions(). Such a server also listens with httpServerListening.
 */
export function initHttpServerState(server: Server): void {
  server.httpAllowHalfOpen = false;
  server.timeout = 0;
  server.maxHeadersCount = null;
  server[kConnections] = new ConnectionList();
  server[kConnectionsCheckingInterval] = undefined;
  server[kClosing] = false;
}

/**
 * What a server of another class borrows from http.Server's prototype to serve HTTP (not the
 * captureRejections handler: an https server keeps tls.Server's, as Node's does).
 */
export const httpServerMethods: readonly PropertyKey[] = [
  'setTimeout',
  'close',
  'closeAllConnections',
  'closeIdleConnections',
  'startConnectionsChecking',
  'stopConnectionsChecking',
  asyncDispose,
];
defineConstructor(ServerFunction, HttpServer.prototype, net.Server);

export const Server = ServerFunction as unknown as ServerConstructor;
export type Server = HttpServer;

/** An HTTP server's 'listening' listener: (re)starts the periodic timeout check. */
export function httpServerListening(this: Server): void {
  this[kClosing] = false;
  // A new 'listening' replaces the previous check timer.
  this.stopConnectionsChecking();
  this.startConnectionsChecking();
}

/** Stores validated HTTP options on `server` (shared by the constructor and storeHTTPOptions). */
function applyHttpOptions(server: Server, http: HttpOptions, options: ServerOptions): void {
  server[kIncomingMessage] = options.IncomingMessage || IncomingMessage;
  server[kServerResponse] = options.ServerResponse || ServerResponse;
  server.maxHeaderSize = http.maxHeaderSize;
  server.insecureHTTPParser = http.insecureHTTPParser;
  server.requestTimeout = http.requestTimeout;
  server.headersTimeout = http.headersTimeout;
  server.keepAliveTimeout = http.keepAliveTimeout;
  server.connectionsCheckingInterval = http.connectionsCheckingInterval;
  server.requireHostHeader = http.requireHostHeader;
  server.joinDuplicateHeaders = http.joinDuplicateHeaders;
  server.rejectNonStandardBodyWrites = http.rejectNonStandardBodyWrites;
  server[kUniqueHeadersOption] = parseUniqueHeadersOption(options.uniqueHeaders);
  server[kParserOptions] = {
    maxHeaderSize: http.maxHeaderSize ?? 16384,
    maxHeadersCount: 0, // applied to req.headers by the connection, as Node does
    lenient: (http.insecureHTTPParser ?? insecureByDefault) ? kLenientAll : 0,
  };
}

/**
 * Node's `_http_server.storeHTTPOptions`, called with `this` = a server (https
 * servers and libraries that build servers by hand use it): validates and
 * stores the HTTP options.
 */
export function storeHTTPOptions(this: Server, options: ServerOptions): void {
  applyHttpOptions(this, readHttpOptions(options ?? {}), options ?? {});
}

/** Node's `_http_server.setupConnectionsTracking`, `this` = a server: starts the timeout check. */
export function setupConnectionsTracking(this: Server): void {
  this.startConnectionsChecking();
}

interface HttpOptions {
  maxHeaderSize: number | undefined;
  insecureHTTPParser: boolean | undefined;
  requestTimeout: number;
  headersTimeout: number;
  keepAliveTimeout: number;
  connectionsCheckingInterval: number;
  requireHostHeader: boolean;
  joinDuplicateHeaders: boolean | undefined;
  rejectNonStandardBodyWrites: boolean;
}

/** Validates the HTTP options with Node's errors and fills in Node's defaults. */
function readHttpOptions(options: ServerOptions): HttpOptions {
  const maxHeaderSize = options.maxHeaderSize;
  if (maxHeaderSize !== undefined) validateInteger(maxHeaderSize, 'maxHeaderSize', 0);

  const insecureHTTPParser = options.insecureHTTPParser;
  if (insecureHTTPParser !== undefined) {
    validateBoolean(insecureHTTPParser, 'options.insecureHTTPParser');
  }

  let requestTimeout = options.requestTimeout;
  if (requestTimeout === undefined) requestTimeout = 300_000;
  else validateInteger(requestTimeout, 'requestTimeout', 0);

  let headersTimeout = options.headersTimeout;
  if (headersTimeout === undefined) headersTimeout = Math.min(60_000, requestTimeout);
  else validateInteger(headersTimeout, 'headersTimeout', 0);
  if (requestTimeout > 0 && headersTimeout > 0 && headersTimeout > requestTimeout) {
    throw new ERR_OUT_OF_RANGE('headersTimeout', '<= requestTimeout', headersTimeout);
  }

  let keepAliveTimeout = options.keepAliveTimeout;
  if (keepAliveTimeout === undefined) keepAliveTimeout = 5000;
  else validateInteger(keepAliveTimeout, 'keepAliveTimeout', 0);

  let connectionsCheckingInterval = options.connectionsCheckingInterval;
  if (connectionsCheckingInterval === undefined) connectionsCheckingInterval = 30_000;
  else validateInteger(connectionsCheckingInterval, 'connectionsCheckingInterval', 0);

  let requireHostHeader = options.requireHostHeader;
  if (requireHostHeader === undefined) requireHostHeader = true;
  else validateBoolean(requireHostHeader, 'options.requireHostHeader');

  const joinDuplicateHeaders = options.joinDuplicateHeaders;
  if (joinDuplicateHeaders !== undefined) {
    validateBoolean(joinDuplicateHeaders, 'options.joinDuplicateHeaders');
  }

  let rejectNonStandardBodyWrites = options.rejectNonStandardBodyWrites;
  if (rejectNonStandardBodyWrites === undefined) rejectNonStandardBodyWrites = false;
  else validateBoolean(rejectNonStandardBodyWrites, 'options.rejectNonStandardBodyWrites');

  return {
    maxHeaderSize,
    insecureHTTPParser,
    requestTimeout,
    headersTimeout,
    keepAliveTimeout,
    connectionsCheckingInterval,
    requireHostHeader,
    joinDuplicateHeaders,
    rejectNonStandardBodyWrites,
  };
}

/** `uniqueHeaders`: names (or arrays of names) lower-cased; anything but an array means none. */
function parseUniqueHeadersOption(headers: unknown): string[] | null {
  if (!Array.isArray(headers)) return null;
  const names: string[] = [];
  for (const entry of headers) {
    if (Array.isArray(entry)) for (const name of entry) names.push(String(name).toLowerCase());
    else names.push(String(entry).toLowerCase());
  }
  return names;
}

/** `http.createServer([options][, requestListener])`. */
export function createServer(requestListener?: RequestListener): Server;
export function createServer(
  options: ServerOptions | null | undefined,
  requestListener?: RequestListener,
): Server;
export function createServer(
  options?: ServerOptions | RequestListener | null,
  requestListener?: RequestListener,
): Server {
  return new Server(options as ServerOptions, requestListener);
}
