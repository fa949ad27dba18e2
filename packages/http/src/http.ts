// The module object: what `require('@strata-http/http')` returns and what the register hook
// hands out for `require('http')`. It has node:http's own keys, in node:http's order, as plain
// writable data properties (so middleware that patches `http.request` keeps working), plus
// `maxHeaderSize` (getter) and `globalAgent` (getter/setter) as Node defines them.
//
// Its declared types are @types/node's `http` types: the umbrella promises exactly the
// node:http surface, so code typed against node:http compiles against it unchanged.
import type * as NodeHttp from 'node:http';
import { debuglog } from 'node:util';
import * as agentLayer from '@strata-http/agent';
import * as clientLayer from '@strata-http/client';
import * as headersLayer from '@strata-http/headers';
import * as incomingLayer from '@strata-http/incoming-message';
import * as outgoingLayer from '@strata-http/outgoing-message';
import * as serverLayer from '@strata-http/server';
import * as websocketLayer from '@strata-http/websocket';
import {
  type IdleParserPool,
  kDefaultMaxIdleParsers,
  validateMaxIdleParsers,
} from './idle-parsers.js';
import { readMaxHeaderSize } from './max-header-size.js';

type Layer = Record<string, unknown>;

// NODE_DEBUG=http: Node's debuglog('http') prints its "can expose sensitive data" warning on the
// first http debug line; the umbrella writes that first line when it is loaded.
const debug = debuglog('http');
if (debug.enabled) debug('node:http is served by @strata-http/http');

/**
 * The export `name` of a lower layer. Layers are composed by name so that the umbrella keeps
 * building while a layer grows; an export a layer does not provide yet becomes a function
 * that throws ERR_METHOD_NOT_IMPLEMENTED naming the layer, never a silent stub.
 */
function fromLayer<T>(layer: unknown, pkg: string, name: string): T {
  const value = (layer as Layer)[name];
  if (value !== undefined) return value as T;
  const missing = function notProvided() {
    throw new headersLayer.ERR_METHOD_NOT_IMPLEMENTED(`${name} (not yet provided by ${pkg})`);
  };
  Object.defineProperty(missing, 'name', { value: name });
  return missing as T;
}

/** The agent `request()`/`get()` use when the caller passes none; `http.globalAgent` sets it. */
let globalAgent = fromLayer<NodeHttp.Agent>(agentLayer, '@strata-http/agent', 'globalAgent');

/** Idle-parser bound kept here when no layer exposes its pool (see setMaxIdleHTTPParsers). */
const fallbackPool: IdleParserPool = { max: kDefaultMaxIdleParsers };

/** The pool object (`{ max }`) of the layer that reuses parsers, if it exposes one. */
function parserPool(): IdleParserPool {
  const pool = (serverLayer as Layer).parsers ?? (clientLayer as Layer).parsers;
  if (pool && typeof pool === 'object' && 'max' in pool) return pool as IdleParserPool;
  return fallbackPool;
}

/** `http.setMaxIdleHTTPParsers(max)`: bounds how many idle parsers are kept for reuse. */
function setMaxIdleHTTPParsers(max: number): void {
  validateMaxIdleParsers(max);
  const layerSetter =
    (serverLayer as Layer).setMaxIdleHTTPParsers ?? (serverLayer as Layer).setMaxIdleParsers;
  if (typeof layerSetter === 'function') layerSetter(max);
  else parserPool().max = max;
}

const rawRequest = fromLayer<typeof NodeHttp.request>(
  clientLayer,
  '@strata-http/client',
  'request',
);
const rawGet = fromLayer<typeof NodeHttp.get>(clientLayer, '@strata-http/client', 'get');
const originalGlobalAgent = globalAgent;
const setLayerGlobalAgent =
  ((agentLayer as Layer).setGlobalAgent as ((agent: unknown) => void) | undefined) ??
  ((clientLayer as Layer).setGlobalAgent as ((agent: unknown) => void) | undefined);

/**
 * Hands a reassigned `http.globalAgent` to request()/get() as `_defaultAgent` (the option
 * through which Node's ClientRequest takes its default agent), for client layers that do not
 * expose `setGlobalAgent` themselves. An explicit `agent` option still wins, as in Node.
 */
function withGlobalAgent(args: unknown[]): unknown[] {
  if (setLayerGlobalAgent || globalAgent === originalGlobalAgent) return args;
  const out = args.slice();
  const first = out[0];
  if (typeof first === 'string' || first instanceof URL) {
    const second = out[1];
    if (typeof second === 'function') out.splice(1, 0, { _defaultAgent: globalAgent });
    else if (second == null) out[1] = { _defaultAgent: globalAgent };
    else if (typeof second === 'object') out[1] = addDefaultAgent(second);
  } else if (first !== null && typeof first === 'object') {
    out[0] = addDefaultAgent(first);
  }
  return out;
}

function addDefaultAgent(options: object): object {
  if ((options as { _defaultAgent?: unknown })._defaultAgent != null) return options;
  return { ...options, _defaultAgent: globalAgent };
}

function request(...args: unknown[]) {
  return (rawRequest as (...a: unknown[]) => NodeHttp.ClientRequest)(...withGlobalAgent(args));
}
function get(...args: unknown[]) {
  return (rawGet as (...a: unknown[]) => NodeHttp.ClientRequest)(...withGlobalAgent(args));
}

/** The shape of `require('node:http')` (v23.8: with WebSocket, CloseEvent, MessageEvent). */
export interface HttpModule {
  _connectionListener: (this: NodeHttp.Server, socket: unknown) => void;
  METHODS: typeof NodeHttp.METHODS;
  STATUS_CODES: typeof NodeHttp.STATUS_CODES;
  Agent: typeof NodeHttp.Agent;
  ClientRequest: typeof NodeHttp.ClientRequest;
  IncomingMessage: typeof NodeHttp.IncomingMessage;
  OutgoingMessage: typeof NodeHttp.OutgoingMessage;
  Server: typeof NodeHttp.Server;
  ServerResponse: typeof NodeHttp.ServerResponse;
  createServer: typeof NodeHttp.createServer;
  validateHeaderName: typeof NodeHttp.validateHeaderName;
  validateHeaderValue: typeof NodeHttp.validateHeaderValue;
  get: typeof NodeHttp.get;
  request: typeof NodeHttp.request;
  setMaxIdleHTTPParsers: typeof NodeHttp.setMaxIdleHTTPParsers;
  readonly maxHeaderSize: number;
  globalAgent: NodeHttp.Agent;
  WebSocket: typeof websocketLayer.WebSocket;
  CloseEvent: typeof websocketLayer.CloseEvent;
  MessageEvent: typeof websocketLayer.MessageEvent;
}

const http = {
  _connectionListener: fromLayer(serverLayer, '@strata-http/server', '_connectionListener'),
  METHODS: headersLayer.METHODS,
  STATUS_CODES: headersLayer.STATUS_CODES,
  Agent: fromLayer(agentLayer, '@strata-http/agent', 'Agent'),
  ClientRequest: fromLayer(clientLayer, '@strata-http/client', 'ClientRequest'),
  IncomingMessage: fromLayer(incomingLayer, '@strata-http/incoming-message', 'IncomingMessage'),
  OutgoingMessage: fromLayer(outgoingLayer, '@strata-http/outgoing-message', 'OutgoingMessage'),
  Server: fromLayer(serverLayer, '@strata-http/server', 'Server'),
  ServerResponse: fromLayer(serverLayer, '@strata-http/server', 'ServerResponse'),
  createServer: fromLayer(serverLayer, '@strata-http/server', 'createServer'),
  validateHeaderName: headersLayer.validateHeaderName,
  validateHeaderValue: headersLayer.validateHeaderValue,
  get,
  request,
  setMaxIdleHTTPParsers,
} as unknown as HttpModule;

// Accessors, defined as node:http defines them (enumerable, after the data properties).
Object.defineProperty(http, 'maxHeaderSize', {
  configurable: true,
  enumerable: true,
  get: readMaxHeaderSize,
});
Object.defineProperty(http, 'globalAgent', {
  configurable: true,
  enumerable: true,
  get() {
    return globalAgent;
  },
  set(value: NodeHttp.Agent) {
    globalAgent = value;
    if (setLayerGlobalAgent) setLayerGlobalAgent(value);
  },
});
// node:http (v22.5+, documented in v23.8) exposes the WebSocket client as lazy getters.
for (const name of ['WebSocket', 'CloseEvent', 'MessageEvent'] as const) {
  const value = fromLayer(websocketLayer, '@strata-http/websocket', name);
  Object.defineProperty(http, name, {
    configurable: true,
    enumerable: true,
    get: () => value,
  });
}
// `_connectionListener` is only kept when the server layer exports it; node:http has it.
if ((serverLayer as Layer)._connectionListener === undefined) {
  const listener = (serverLayer as Layer).connectionListener;
  if (typeof listener === 'function') http._connectionListener = listener as never;
}

export { globalAgent, http, parserPool };

/** Where the register hook finds the `_http_*` stand-ins (non-enumerable, not in Object.keys). */
export const kLegacyModules = Symbol.for('strata-http.legacyModules');
