import { Buffer } from 'node:buffer';
import * as net from 'node:net';
import process from 'node:process';
import { type Duplex, finished } from 'node:stream';
import { urlToHttpOptions } from 'node:url';
import { type Agent, globalAgent } from '@strata-http/agent';
import {
  AbortError,
  checkIsHttpToken,
  connResetException,
  defineConstructor,
  ERR_HTTP_HEADERS_SENT,
  ERR_INVALID_ARG_TYPE,
  ERR_INVALID_HTTP_TOKEN,
  ERR_INVALID_PROTOCOL,
  ERR_UNESCAPED_CHARACTERS,
  type OutgoingHeaderEntry,
  OutgoingHeaders,
} from '@strata-http/headers';
import type { IncomingMessage } from '@strata-http/incoming-message';
import {
  kOutHeaders,
  kUniqueHeaders,
  type OutgoingHttpHeader,
  OutgoingMessage,
} from '@strata-http/outgoing-message';
import {
  attachSocket,
  deferWrites,
  emitRequestTimeout,
  listenSocketTimeout,
  releaseBatched,
} from './connection.js';
import { kAbortEmitted, kError, kPlainHead, kSignal } from './symbols.js';
import {
  hasUnescapedCharacters,
  validateBoolean,
  validateHost,
  validateInteger,
  validateTimeout,
} from './validate.js';

/** Bound once, as Node's own modules do (the global `process` is an accessor). */
const { nextTick } = process;

export type ClientSocket = net.Socket & Record<PropertyKey, any>;

/** Options of `request()` (Node's documented `http.request` options, plus socket.connect's). */
export interface RequestOptions {
  agent?: Agent | false | null;
  auth?: string | null;
  createConnection?: (
    options: RequestOptions,
    callback: (err: Error | null, socket?: Duplex) => void,
  ) => Duplex | undefined | null;
  defaultPort?: number;
  family?: number;
  headers?: Record<string, number | string | readonly string[]> | readonly string[];
  hints?: number;
  host?: string | null;
  hostname?: string | null;
  insecureHTTPParser?: boolean;
  joinDuplicateHeaders?: boolean;
  localAddress?: string;
  localPort?: number;
  lookup?: (...args: any[]) => void;
  maxHeaderSize?: number;
  method?: string;
  path?: string | null;
  port?: number | string | null;
  protocol?: string | null;
  setDefaultHeaders?: boolean;
  setHost?: boolean;
  signal?: AbortSignal;
  socketPath?: string;
  timeout?: number;
  uniqueHeaders?: readonly (string | readonly string[])[];
  _defaultAgent?: Agent;
  [key: string]: any;
}

export type ResponseListener = (res: IncomingMessage) => void;

// Methods whose requests carry no body unless the caller writes one: no chunked
// framing by default (Node's list).
function bodylessByDefault(method: string): boolean {
  switch (method) {
    case 'GET':
    case 'HEAD':
    case 'DELETE':
    case 'OPTIONS':
    case 'TRACE':
    case 'CONNECT':
      return true;
    default:
      return false;
  }
}

/** `url[, options]` or `options` → one options object (Node's argument rules). */
function normalizeArguments(
  input: string | URL | RequestOptions | null | undefined,
  options: RequestOptions | ResponseListener | null | undefined,
  cb: ResponseListener | undefined,
): [RequestOptions, ResponseListener | undefined] {
  let base: RequestOptions | null;
  if (typeof input === 'string') {
    base = urlToHttpOptions(new URL(input)) as RequestOptions;
  } else if (input instanceof URL) {
    base = urlToHttpOptions(input) as RequestOptions;
  } else {
    cb = options as ResponseListener | undefined;
    options = input;
    base = null;
  }
  if (typeof options === 'function') {
    return [base || {}, options];
  }
  return [base ? Object.assign(base, options) : { ...options }, cb];
}

// The last Host value built, with what it was built from.
const lastHost = { host: '', port: null as unknown, defaultPort: null as unknown, value: '' };

/** The Host field value for `host` and `port` (the same string again for the same origin). */
function hostHeaderFor(host: string, port: unknown, defaultPort: unknown): string {
  const last = lastHost;
  if (host === last.host && port === last.port && defaultPort === last.defaultPort) {
    return last.value;
  }
  let value = host;
  // An IPv6 literal needs brackets in Host (RFC 9110 §7.2 / RFC 3986 IP-literal).
  const colon = value.indexOf(':');
  if (colon !== -1 && value.includes(':', colon + 1) && value.charCodeAt(0) !== 0x5b) {
    value = `[${value}]`;
  }
  if (port && +(port as number) !== defaultPort) value += `:${port}`;
  last.host = host;
  last.port = port;
  last.defaultPort = defaultPort;
  last.value = value;
  return value;
}

// The last Host value that passed setHeader's validation: the same string again is
// stored without validating it twice (most programs talk to one origin).
let validHost = '';

/** `setHeader('Host', value)` on a request that has no header yet. */
function setHostHeader(req: ClientRequest, value: string): void {
  if (value === validHost && req[kOutHeaders] === null) {
    const store = new OutgoingHeaders();
    const entry: OutgoingHeaderEntry = ['Host', value];
    store.map.host = entry;
    req[kOutHeaders] = store;
    req[kPlainHead] = entry;
    return;
  }
  const first = req[kOutHeaders] === null;
  req.setHeader('Host', value);
  validHost = value;
  if (first) req[kPlainHead] = (req[kOutHeaders] as OutgoingHeaders).map.host;
}

/**
 * The header block of a request whose only field is the Host it was given, and the
 * flags _storeHeader decided with it, remembered for the next such request. With
 * Host as the only field, the block and the flags depend only on the inputs compared
 * in plainHeadHit (and on defaults checked there), so a match is exactly what
 * _storeHeader would produce.
 */
const plainHead = {
  method: '',
  path: '',
  host: '' as OutgoingHttpHeader,
  shouldKeepAlive: false,
  chunkedDefault: false,
  agent: false,
  contentLength: null as number | null,
  hasBody: false,
  removedContLen: false,
  removedTE: false,
  lastIn: false,
  // outputs
  header: null as string | null,
  last: false,
  chunked: false,
};

const storeHeader = OutgoingMessage.prototype._storeHeader;

/** Inputs of _storeHeader other than the ones plainHead keys on are at their defaults. */
function plainHeadApplies(req: ClientRequest): boolean {
  return (
    req._storeHeader === storeHeader &&
    !req.sendDate &&
    !req.chunkedEncoding &&
    !req._removedConnection &&
    !req.maxRequestsOnConnectionReached &&
    req._keepAliveTimeout === 0 &&
    req._defaultKeepAlive &&
    req[kUniqueHeaders] === null
  );
}

function plainHeadHit(req: ClientRequest, host: OutgoingHttpHeader): boolean {
  const h = plainHead;
  return (
    h.header !== null &&
    h.method === req.method &&
    h.path === req.path &&
    h.host === host &&
    h.shouldKeepAlive === req.shouldKeepAlive &&
    h.chunkedDefault === req.useChunkedEncodingByDefault &&
    h.agent === !!req.agent &&
    h.contentLength === req._contentLength &&
    h.hasBody === req._hasBody &&
    h.removedContLen === req._removedContLen &&
    h.removedTE === req._removedTE &&
    h.lastIn === req._last
  );
}

/** _implicitHeader for a Host-only request: from plainHead, or built and remembered. */
function implicitPlainHeader(req: ClientRequest, entry: OutgoingHeaderEntry): void {
  const host = entry[1];
  if (plainHeadHit(req, host)) {
    req._header = plainHead.header;
    req._last = plainHead.last;
    req.chunkedEncoding = plainHead.chunked;
    req._headerSent = false;
    return;
  }
  const h = plainHead;
  h.header = null;
  h.method = req.method;
  h.path = req.path;
  h.host = host;
  h.shouldKeepAlive = req.shouldKeepAlive;
  h.chunkedDefault = req.useChunkedEncodingByDefault;
  h.agent = !!req.agent;
  h.contentLength = req._contentLength;
  h.hasBody = req._hasBody;
  h.removedContLen = req._removedContLen;
  h.removedTE = req._removedTE;
  h.lastIn = req._last;
  req._storeHeader(`${req.method} ${req.path} HTTP/1.1\r\n`, req[kOutHeaders]);
  // Remember it only if nothing but the block and these flags changed.
  if (
    req.shouldKeepAlive === h.shouldKeepAlive &&
    req._contentLength === h.contentLength &&
    req._removedContLen === h.removedContLen &&
    req._removedTE === h.removedTE &&
    !req._removedConnection &&
    req._defaultKeepAlive
  ) {
    h.last = req._last;
    h.chunked = req.chunkedEncoding;
    h.header = req._header;
  }
}

function defaultPortOf(agent: unknown): number | undefined {
  return agent ? (agent as Agent).defaultPort : undefined;
}

/**
 * The methods of `ClientRequest` (its instances are built by the
 * `ClientRequest` function below, callable as Node's is).
 */
class ClientRequestBase extends OutgoingMessage {
  declare agent: Agent | undefined;
  declare socketPath: string | undefined;
  declare method: string;
  declare maxHeaderSize: number | undefined;
  declare insecureHTTPParser: boolean | undefined;
  declare joinDuplicateHeaders: boolean | undefined;
  declare path: string;
  declare _ended: boolean;
  declare res: IncomingMessage | null;
  declare aborted: boolean;
  declare timeoutCb: (() => void) | null;
  declare upgradeOrConnect: boolean;
  declare parser: any;
  declare maxHeadersCount: number | null;
  declare reusedSocket: boolean;
  declare host: string;
  declare protocol: string;
  declare timeout: number | undefined;
  declare socket: ClientSocket | null;
  declare [kError]: Error | undefined;
  declare [kSignal]: (() => void) | undefined;
  declare [kAbortEmitted]: boolean;
  declare [kPlainHead]: OutgoingHeaderEntry | null;

  /** Builds the request line and header block from the stored headers. */
  override _implicitHeader(): void {
    if (this._header) throw new ERR_HTTP_HEADERS_SENT('render');
    const entry = this[kPlainHead];
    if (
      entry !== null &&
      (this[kOutHeaders] as OutgoingHeaders | null)?.map.host === entry &&
      plainHeadApplies(this)
    ) {
      implicitPlainHeader(this, entry);
      return;
    }
    this._storeHeader(`${this.method} ${this.path} HTTP/1.1\r\n`, this[kOutHeaders]);
  }

  // Any change to the headers ends the Host-only shortcut of _implicitHeader.
  override setHeader(name: string, value: OutgoingHttpHeader): this {
    this[kPlainHead] = null;
    return super.setHeader(name, value);
  }

  override appendHeader(name: string, value: OutgoingHttpHeader): this {
    this[kPlainHead] = null;
    return super.appendHeader(name, value);
  }

  override setHeaders(headers: Headers | Map<string, OutgoingHttpHeader>): this {
    this[kPlainHead] = null;
    return super.setHeaders(headers);
  }

  override removeHeader(name: string): void {
    this[kPlainHead] = null;
    super.removeHeader(name);
  }

  /** Deprecated: destroys the request after emitting 'abort' (once). */
  abort(): void {
    if (this.aborted) return;
    this.aborted = true;
    // Held bytes leave first, as they would have without batching: their write
    // callback ('finish') is then queued before 'abort', as in Node.
    if (this.socket) releaseBatched(this.socket);
    nextTick(emitAbort, this);
    this.destroy();
  }

  /**
   * Destroys the request and its socket; remaining response data is dropped. Before a
   * socket is assigned, the socket (when it comes) goes back to the agent unused.
   */
  override destroy(err?: Error): this {
    if (this.destroyed) return this;
    this.destroyed = true;
    if (this.res) this.res._dump();
    this[kError] = err;
    const socket = this.socket;
    if (socket) {
      // Bytes already handed to the socket leave before it closes, as without batching.
      releaseBatched(socket);
      socket.destroy(err);
    }
    return this;
  }

  /**
   * Called by the agent (or the constructor) with the request's socket, or with the
   * error that kept it from getting one. Acts on the next tick, as Node does.
   */
  onSocket(socket: ClientSocket | undefined, err?: Error | null): void {
    nextTick(onSocketNT, this, socket, err);
  }

  /** Runs `method(...args)` on the socket once it exists and is connected. */
  _deferToConnect(method: string | null, args: unknown[], cb?: () => void): void {
    const callSocketMethod = () => {
      const socket = this.socket!;
      if (method && typeof socket[method] === 'function') socket[method](...args);
      if (typeof cb === 'function') cb();
    };
    const onSocket = () => {
      if (this.socket!.writable && !this.socket!.connecting) callSocketMethod();
      else this.socket!.once('connect', callSocketMethod);
    };
    if (!this.socket) this.once('socket', onSocket);
    else onSocket();
  }

  /** `socket.setTimeout(ms)` once connected; `'timeout'` is emitted, nothing is destroyed. */
  override setTimeout(msecs: number, callback?: () => void): this {
    if (this._ended) return this;
    listenSocketTimeout(this);
    msecs = validateTimeout(msecs, 'msecs');
    if (callback) this.once('timeout', callback);
    if (this.socket) setSocketTimeout(this.socket, msecs);
    else this.once('socket', (socket: ClientSocket) => setSocketTimeout(socket, msecs));
    return this;
  }

  setNoDelay(noDelay?: boolean): void {
    this._deferToConnect('setNoDelay', [noDelay]);
  }

  setSocketKeepAlive(enable?: boolean, initialDelay?: number): void {
    this._deferToConnect('setKeepAlive', [enable, initialDelay]);
  }

  clearTimeout(cb?: () => void): void {
    this.setTimeout(0, cb);
  }
}

export type ClientRequest = ClientRequestBase;

/** `http.ClientRequest` as a constructor: with `new`, or `ClientRequest.call(this, …)` as Node's. */
export interface ClientRequestConstructor {
  new (
    input: string | URL | RequestOptions,
    options?: RequestOptions | ResponseListener,
    cb?: ResponseListener,
  ): ClientRequest;
  (
    this: ClientRequest,
    input: string | URL | RequestOptions,
    options?: RequestOptions | ResponseListener,
    cb?: ResponseListener,
  ): void;
  readonly prototype: ClientRequest;
}

/**
 * `http.ClientRequest`: an outgoing request (an `OutgoingMessage`) whose response is
 * read with the parser into an `IncomingMessage`. A plain function, like Node's,
 * so that old-style subclasses can call `ClientRequest.call(this, …)`.
 */
const ClientRequestFunction = function ClientRequest(
  this: ClientRequest,
  input: string | URL | RequestOptions,
  options?: RequestOptions | ResponseListener,
  cb?: ResponseListener,
): void {
  const [opts, callback] = normalizeArguments(input, options, cb);
  const uniqueHeaders = opts.uniqueHeaders as readonly string[] | undefined;
  OutgoingMessage.call(this, uniqueHeaders === undefined ? undefined : { uniqueHeaders });
  this._ended = false;
  this.res = null;
  this.aborted = false;
  this.timeoutCb = null;
  this.upgradeOrConnect = false;
  this.parser = null;
  this.maxHeadersCount = null;
  this.reusedSocket = false;
  this[kError] = undefined;
  this[kSignal] = undefined;
  this[kAbortEmitted] = false;
  this[kPlainHead] = null;

  let agent: Agent | false | null | undefined = opts.agent;
  const defaultAgent = opts._defaultAgent || globalAgent;
  if (agent === false) {
    const AgentClass = defaultAgent.constructor as typeof Agent;
    agent = new AgentClass();
  } else if (agent === null || agent === undefined) {
    if (typeof opts.createConnection !== 'function') agent = defaultAgent;
    // Explicitly pass through this statement as agent will not be used when
    // createConnection is provided.
    opts.defaultPort = opts.defaultPort || defaultPortOf(agent);
  } else if (typeof (agent as Agent).addRequest !== 'function') {
    throw new ERR_INVALID_ARG_TYPE(
      'options.agent',
      ['Agent-like Object', 'undefined', 'false'],
      agent,
    );
  }
  this.agent = agent || undefined;

  const protocol = opts.protocol || defaultAgent.protocol;
  const expectedProtocol = this.agent?.protocol || defaultAgent.protocol;
  if (opts.path) {
    const path = String(opts.path);
    if (hasUnescapedCharacters(path)) throw new ERR_UNESCAPED_CHARACTERS('Request path');
  }
  if (protocol !== expectedProtocol) throw new ERR_INVALID_PROTOCOL(protocol, expectedProtocol);

  const defaultPort = opts.defaultPort || defaultPortOf(this.agent);
  const port = (opts.port = opts.port || defaultPort || 80);
  const host = (opts.host =
    validateHost(opts.hostname, 'hostname') || validateHost(opts.host, 'host') || 'localhost');

  const setDefaultHeaders = opts.setDefaultHeaders !== false;
  const setHost = opts.setHost === undefined ? setDefaultHeaders : Boolean(opts.setHost);

  this.socketPath = opts.socketPath;
  if (opts.timeout !== undefined) this.timeout = validateTimeout(opts.timeout, 'timeout');

  let method = opts.method;
  const methodIsString = typeof method === 'string';
  if (method !== null && method !== undefined && !methodIsString) {
    throw new ERR_INVALID_ARG_TYPE('options.method', 'string', method);
  }
  if (methodIsString && method) {
    if (!checkIsHttpToken(method)) throw new ERR_INVALID_HTTP_TOKEN('Method', method);
    method = method.toUpperCase();
  } else {
    method = 'GET';
  }
  this.method = method;

  const maxHeaderSize = opts.maxHeaderSize;
  if (maxHeaderSize !== undefined) validateInteger(maxHeaderSize, 'maxHeaderSize', 0);
  this.maxHeaderSize = maxHeaderSize;

  const insecureHTTPParser = opts.insecureHTTPParser;
  if (insecureHTTPParser !== undefined) {
    validateBoolean(insecureHTTPParser, 'options.insecureHTTPParser');
  }
  this.insecureHTTPParser = insecureHTTPParser;

  if (opts.joinDuplicateHeaders !== undefined) {
    validateBoolean(opts.joinDuplicateHeaders, 'options.joinDuplicateHeaders');
  }
  this.joinDuplicateHeaders = opts.joinDuplicateHeaders;

  this.path = opts.path || '/';
  if (callback) this.once('response', callback);

  this.useChunkedEncodingByDefault = !bodylessByDefault(method);
  this.host = host;
  this.protocol = protocol;

  if (this.agent) {
    // An agent that neither keeps sockets nor limits them: every socket is used once.
    if (!this.agent.keepAlive && !Number.isFinite(this.agent.maxSockets)) {
      this._last = true;
      this.shouldKeepAlive = false;
    } else {
      this._last = false;
      this.shouldKeepAlive = true;
    }
  }

  if (!setDefaultHeaders) {
    // The caller frames the message itself: no Connection / Content-Length /
    // Transfer-Encoding of ours. Set before any header block is built: a
    // [name, value, …] list is stored right below.
    this._removedConnection = true;
    this._removedContLen = true;
    this._removedTE = true;
  }

  const headers = opts.headers;
  if (!Array.isArray(headers)) {
    if (headers) {
      const keys = Object.keys(headers);
      for (let i = 0; i < keys.length; i++) {
        const key = keys[i];
        this.setHeader(key, (headers as Record<string, string>)[key]);
      }
    }
    // Without caller headers there is no Host, Authorization or Expect to look up.
    const hasHeaders = this[kOutHeaders] !== null;
    const hostField = hasHeaders ? this.getHeader('host') : undefined;
    if (hostField !== undefined && typeof hostField !== 'string') {
      throw new ERR_INVALID_ARG_TYPE('options.headers.host', 'string', hostField);
    }
    if (host && setHost && !hostField) setHostHeader(this, hostHeaderFor(host, port, defaultPort));
    if (opts.auth && !(hasHeaders && this.getHeader('Authorization'))) {
      this.setHeader('Authorization', `Basic ${Buffer.from(opts.auth).toString('base64')}`);
    }
    if (hasHeaders && this.getHeader('expect')) {
      if (this._header) throw new ERR_HTTP_HEADERS_SENT('render');
      this._storeHeader(`${this.method} ${this.path} HTTP/1.1\r\n`, this[kOutHeaders]);
    }
  } else {
    this._storeHeader(`${this.method} ${this.path} HTTP/1.1\r\n`, headers);
  }

  let connectOptions = opts;
  const signal = opts.signal;
  if (signal !== undefined && signal !== null) {
    if (
      typeof signal !== 'object' ||
      typeof (signal as AbortSignal).aborted !== 'boolean' ||
      typeof (signal as AbortSignal).addEventListener !== 'function'
    ) {
      throw new ERR_INVALID_ARG_TYPE('signal', 'AbortSignal', signal);
    }
    connectOptions = { ...opts, signal: undefined };
    if (signal.aborted) {
      abortWithSignal(this, signal);
    } else {
      const onAbort = abortWithSignal.bind(undefined, this, signal);
      this[kSignal] = onAbort;
      signal.addEventListener('abort', onAbort, { once: true });
      this.once('close', removeSignalListener.bind(undefined, signal, onAbort));
    }
  }

  if (this.agent) {
    this.agent.addRequest(this as any, connectOptions);
    return;
  }
  // No agent: a connection of our own, used for this request only.
  this._last = true;
  this.shouldKeepAlive = false;
  if (connectOptions.path || connectOptions.socketPath) {
    // For the connection, `path` means a Unix socket path: never the request path.
    connectOptions = { ...connectOptions };
    connectOptions.path = connectOptions.socketPath || undefined;
  }
  if (typeof connectOptions.createConnection === 'function') {
    let called = false;
    const onCreate = (err: Error | null, socket?: Duplex) => {
      if (called) return;
      called = true;
      if (err) nextTick(emitError, this, err);
      else this.onSocket(socket as ClientSocket);
    };
    try {
      const socket = connectOptions.createConnection(connectOptions, onCreate);
      if (socket) onCreate(null, socket);
    } catch (err) {
      onCreate(err as Error);
    }
  } else {
    this.onSocket(net.createConnection(connectOptions as net.NetConnectOpts) as any);
  }
};
defineConstructor(ClientRequestFunction, ClientRequestBase.prototype, OutgoingMessage);

export const ClientRequest = ClientRequestFunction as unknown as ClientRequestConstructor;

function setSocketTimeout(socket: ClientSocket, msecs: number): void {
  if (typeof socket.setTimeout !== 'function') return;
  if (socket.connecting) socket.once('connect', () => socket.setTimeout(msecs));
  else socket.setTimeout(msecs);
}

/** 'abort' once, on the tick after abort() or right before 'close', whichever is first. */
function emitAbort(req: ClientRequest): void {
  if (req[kAbortEmitted]) return;
  req[kAbortEmitted] = true;
  req.emit('abort');
}

function emitError(req: ClientRequest, err: Error): void {
  req.emit('error', err);
}

function abortWithSignal(req: ClientRequest, signal: AbortSignal): void {
  req.destroy(new AbortError(undefined, { cause: signal.reason }));
}

function removeSignalListener(signal: AbortSignal, onAbort: () => void): void {
  signal.removeEventListener('abort', onAbort);
}

/** The request is over without a usable socket: 'error' (unless aborted) then 'close'. */
function closeWithoutSocket(req: ClientRequest, err: Error | null | undefined): void {
  // The documentation orders 'abort' before 'close' even when the socket's tick
  // comes first (Node 20 emits 'close' then 'abort' here).
  if (req.aborted) emitAbort(req);
  if (!req.aborted && !err) err = connResetException('socket hang up');
  if (err) req.emit('error', err);
  req._closed = true;
  req.emit('close');
}

function onSocketNT(
  req: ClientRequest,
  socket: ClientSocket | undefined,
  err: Error | null | undefined,
): void {
  if (req.destroyed || err) {
    req.destroyed = true;
    if (socket) {
      if (!err && req.agent && !socket.destroyed) {
        // Destroyed before it was sent: the socket is still good for the pool.
        socket.emit('free');
      } else {
        // Report the socket's own error (if it failed by itself) on the request.
        socket.destroy(err || req[kError]);
        finished(socket, (er?: NodeJS.ErrnoException | null) => {
          if (er?.code === 'ERR_STREAM_PREMATURE_CLOSE') er = null;
          closeWithoutSocket(req, er || err);
        });
        return;
      }
    }
    closeWithoutSocket(req, err || req[kError]);
    return;
  }
  attachSocket(req, socket!);
  deferWrites(req, socket!);
  req._flush();
}

export { emitRequestTimeout };
