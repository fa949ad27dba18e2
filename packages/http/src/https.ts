// `https` on strata-http's layers, for the register hook: with only `http` swapped, an app that
// also serves HTTPS mixed the two stacks (Express gives every request and response it handles
// prototypes built on `http`'s classes, so Node's https objects met methods that expect
// strata-http's fields). Here the server is a tls.Server whose secure connections go to the
// HTTP server's connection listener, the Agent is the HTTP Agent with TLS sockets (a pool key
// with the TLS options, SNI, a cache of TLS sessions), and request()/get() are ClientRequest
// with that agent as the default. node:tls and node:vm are loaded on first use of the module.
import type { Buffer } from 'node:buffer';
import { createRequire } from 'node:module';
import net from 'node:net';
import path from 'node:path';
import type * as Tls from 'node:tls';
import type * as Vm from 'node:vm';
import { ERR_INVALID_ARG_TYPE } from '@strata-http/headers';
import * as serverLayer from '@strata-http/server';
import type { HttpModule } from './http.js';

type Any = any;
type Options = Record<string, any>;

/** The module's names, in Node's order. */
const NAMES = ['Agent', 'globalAgent', 'Server', 'createServer', 'get', 'request'] as const;

/**
 * The `https` module object. Its properties are accessors that build the module on first
 * use (node:tls is not loaded before), and assignments (`https.globalAgent = …`) stick.
 */
export function buildHttps(http: HttpModule): Record<string, unknown> {
  let built: Options | undefined;
  const module: Options = {};
  const load = (): Options => {
    built ??= makeHttps(http, module);
    return built;
  };
  for (const name of NAMES) {
    Object.defineProperty(module, name, {
      enumerable: true,
      configurable: true,
      get: () => load()[name],
      set: (value) => {
        load()[name] = value;
      },
    });
  }
  return module;
}

/**
 * The TLS options that make a different connection, in the order Node's https.Agent appends
 * them to the pool key, each with when it is appended: when truthy, when not undefined,
 * when it differs from the host (servername), or as JSON when truthy (sigalgs).
 */
type KeyRule = 'truthy' | 'defined' | 'notHost' | 'json';
const TLS_KEY_FIELDS: ReadonlyArray<readonly [string, KeyRule]> = [
  ['ca', 'truthy'],
  ['cert', 'truthy'],
  ['clientCertEngine', 'truthy'],
  ['ciphers', 'truthy'],
  ['key', 'truthy'],
  ['pfx', 'truthy'],
  ['rejectUnauthorized', 'defined'],
  ['servername', 'notHost'],
  ['minVersion', 'truthy'],
  ['maxVersion', 'truthy'],
  ['secureProtocol', 'truthy'],
  ['crl', 'truthy'],
  ['honorCipherOrder', 'defined'],
  ['ecdhCurve', 'truthy'],
  ['dhparam', 'truthy'],
  ['secureOptions', 'defined'],
  ['sessionIdContext', 'truthy'],
  ['sigalgs', 'json'],
  ['privateKeyIdentifier', 'truthy'],
  ['privateKeyEngine', 'truthy'],
];

/** The pool-key text of one TLS option: '' when its rule leaves it out. */
function keyPart(options: Options, field: string, rule: KeyRule): string {
  const value = options[field];
  const kept =
    rule === 'defined'
      ? value !== undefined
      : rule === 'notHost'
        ? value && value !== options.host
        : value;
  if (!kept) return '';
  // `'' + value`, as Node's `name += value` converts it (not String(value)).
  return rule === 'json' ? JSON.stringify(value) : '' + value;
}

/**
 * The SNI name for a connection: the Host header's name (without port or IPv6 brackets) or
 * else the host; none ('') for an IP address.
 */
function serverNameFor(options: Options, req: Any): string {
  let name: string = options.host;
  const hostHeader = typeof req?.getHeader === 'function' ? req.getHeader('host') : undefined;
  if (hostHeader) {
    if (typeof hostHeader !== 'string') {
      throw new ERR_INVALID_ARG_TYPE('options.headers.host', 'string', hostHeader);
    }
    if (hostHeader.startsWith('[')) {
      const end = hostHeader.indexOf(']');
      name = end === -1 ? hostHeader : hostHeader.slice(1, end);
    } else {
      name = hostHeader.split(':', 1)[0];
    }
  }
  return net.isIP(name) ? '' : name;
}

/** Options with `servername` filled in when the caller gave none (an empty one means none). */
function withServerName(options: Options, req: Any): Options {
  if (options.servername || options.servername === '') return options;
  return { ...options, servername: serverNameFor(options, req) };
}

function makeHttps(http: HttpModule, module: Options): Options {
  // A builtin resolves from any base path; this works from both builds and on every runtime.
  const requireBuiltin = createRequire(path.resolve('/'));
  const tls = requireBuiltin('node:tls') as typeof Tls;
  const vm = requireBuiltin('node:vm') as typeof Vm;
  const HttpAgent = http.Agent as unknown as new (options?: Options) => Any;

  class Agent extends HttpAgent {
    maxCachedSessions: number;
    _sessionCache: { map: Record<string, Buffer>; list: string[] };

    constructor(options?: Options) {
      super(options);
      this.defaultPort = 443;
      this.protocol = 'https:';
      const max = this.options.maxCachedSessions;
      this.maxCachedSessions = max === undefined ? 100 : max;
      this._sessionCache = { map: {}, list: [] };
    }

    addRequest(req: Any, options: Any, ...rest: unknown[]): void {
      const opts =
        options !== null && typeof options === 'object' ? withServerName(options, req) : options;
      super.addRequest(req, opts, ...rest);
    }

    createSocket(req: Any, options: Options, cb: Any): void {
      super.createSocket(req, withServerName(options, req), cb);
    }

    /** A TLS socket, resuming the origin's cached session when there is one. */
    createConnection(port: Any, host?: Any, options?: Any): Tls.TLSSocket {
      let opts: Options;
      if (port !== null && typeof port === 'object') opts = port;
      else if (host !== null && typeof host === 'object') opts = { ...host };
      else if (options === null || typeof options !== 'object') opts = {};
      else opts = { ...options };
      if (typeof port === 'number') opts.port = port;
      if (typeof host === 'string') opts.host = host;
      const key: string | undefined = opts._agentKey;
      if (key) {
        const session = this._getSession(key);
        if (session) opts = { session, ...opts };
      }
      const socket = tls.connect(opts as Tls.ConnectionOptions);
      if (key) {
        socket.on('session', (session: Buffer) => this._cacheSession(key, session));
        socket.once('close', (hadError: boolean) => {
          if (hadError) this._evictSession(key);
        });
      }
      return socket;
    }

    /** The pool key: the HTTP one, then every TLS option that makes a different connection. */
    getName(options: Options = {}): string {
      let name: string = super.getName(options);
      for (const [field, rule] of TLS_KEY_FIELDS) name += `:${keyPart(options, field, rule)}`;
      return name;
    }

    _getSession(key: string): Buffer | undefined {
      return this._sessionCache.map[key];
    }

    _cacheSession(key: string, session: Buffer): void {
      if (this.maxCachedSessions === 0) return;
      const cache = this._sessionCache;
      if (cache.map[key]) {
        cache.map[key] = session;
        return;
      }
      if (cache.list.length >= this.maxCachedSessions) {
        const oldest = cache.list.shift() as string;
        delete cache.map[oldest];
      }
      cache.list.push(key);
      cache.map[key] = session;
    }

    _evictSession(key: string): void {
      const cache = this._sessionCache;
      const at = cache.list.indexOf(key);
      if (at === -1) return;
      cache.list.splice(at, 1);
      delete cache.map[key];
    }
  }

  const HttpServer = http.Server as unknown as { prototype: Options };
  const {
    _connectionListener: connectionListener,
    httpServerListening,
    initHttpServerState,
    storeHTTPOptions,
  } = serverLayer;

  /** `https.Server`: a tls.Server serving HTTP/1.1 (callable with or without `new`). */
  const Server = function Server(this: Any, options?: Any, requestListener?: Any): Any {
    if (!((this as unknown) instanceof Server))
      return new (Server as Any)(options, requestListener);
    const [opts, listener] = serverLayer.serverArguments(options, requestListener);
    requestListener = listener;
    storeHTTPOptions.call(this, opts);
    (tls.Server as unknown as (this: unknown, o: Options, l: unknown) => void).call(
      this,
      { noDelay: true, ALPNProtocols: ['http/1.1'], ...opts },
      connectionListener,
    );
    initHttpServerState(this);
    if (requestListener) this.on('request', requestListener);
    // (named as Node's listener is)
    this.on('tlsClientError', function addListener(this: Any, err: Error, socket: Any) {
      if (!this.emit('clientError', err, socket)) socket.destroy(err);
    });
    this.on('listening', httpServerListening);
    return undefined;
  } as unknown as Any;
  Object.setPrototypeOf(Server.prototype, tls.Server.prototype);
  Object.setPrototypeOf(Server, tls.Server);
  for (const key of serverLayer.httpServerMethods) {
    Object.defineProperty(Server.prototype, key, {
      value: HttpServer.prototype[key as string],
      writable: true,
      configurable: true,
      enumerable: false,
    });
  }

  function createServer(options?: Any, requestListener?: Any): Any {
    return new Server(options, requestListener);
  }

  // The bundle may rename these bindings (Server4, Agent3): the names are Node's.
  for (const [fn, name] of [
    [Agent, 'Agent'],
    [Server, 'Server'],
    [createServer, 'createServer'],
  ] as const) {
    Object.defineProperty(fn, 'name', { value: name, configurable: true });
  }

  /** Node's argument forms: (url[, options][, cb]) or (options[, cb]), with https' agent. */
  const ClientRequest = http.ClientRequest as unknown as new (...a: Any[]) => Any;
  function makeRequest(args: Any[]): Any {
    const [input, second, third] = args;
    const _defaultAgent = module.globalAgent;
    if (typeof input === 'string' || input instanceof URL) {
      if (second !== null && typeof second === 'object') {
        return new ClientRequest(input, { ...second, _defaultAgent }, third);
      }
      return new ClientRequest(input, { _defaultAgent }, second);
    }
    return new ClientRequest({ ...input, _defaultAgent }, second);
  }

  function makeGetRequest(args: Any[]): Any {
    const req = makeRequest(args);
    req.end();
    return req;
  }

  // request() and get() are compiled as code of `node:https`, so their stack frames read as
  // Node's own: libraries that tell an https request from an http one by the call stack
  // (agent-base, under https-proxy-agent and others) look for that file name.
  const [request, get] = vm.compileFunction(
    'return [function request(...args) { return makeRequest(args); }, function get(input, options, cb) { return makeGetRequest([...arguments]); }];',
    ['makeRequest', 'makeGetRequest'],
    { filename: 'node:https' },
  )(makeRequest, makeGetRequest) as [(...args: Any[]) => Any, (...args: Any[]) => Any];

  return {
    Agent,
    globalAgent: new Agent({ keepAlive: true, scheduling: 'lifo', timeout: 5000 }),
    Server,
    createServer,
    get,
    request,
  };
}
