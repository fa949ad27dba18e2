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
import { Agent, setGlobalAgent } from '@strata-http/agent';
import { ClientRequest, get, request } from '@strata-http/client';
import {
  ERR_METHOD_NOT_IMPLEMENTED,
  METHODS,
  STATUS_CODES,
  validateHeaderName,
  validateHeaderValue,
} from '@strata-http/headers';
import { IncomingMessage } from '@strata-http/incoming-message';
import { OutgoingMessage } from '@strata-http/outgoing-message';
import * as serverLayer from '@strata-http/server';
import { createServer, Server, ServerResponse } from '@strata-http/server';
import type * as WebSocketLayer from '@strata-http/websocket';
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
 * `http._connectionListener`: the server's per-connection setup, which some libraries call to
 * hand a socket to a server. Until the server layer exports it, calling it throws
 * ERR_METHOD_NOT_IMPLEMENTED (never a silent stub).
 */
function connectionListenerOf(layer: Layer): (this: NodeHttp.Server, socket: unknown) => void {
  const listener = layer._connectionListener ?? layer.connectionListener;
  if (typeof listener === 'function') return listener as never;
  return function _connectionListener() {
    throw new ERR_METHOD_NOT_IMPLEMENTED(
      '_connectionListener (not exported by @strata-http/server)',
    );
  };
}

/**
 * The idle-parser bound as `_http_common.parsers` reports it (`{ max }`): the layer's own pool
 * object when it exports one, else this record of the last value set.
 */
const idleParsers: IdleParserPool = { max: kDefaultMaxIdleParsers };

function parserPool(): IdleParserPool {
  const pool = (serverLayer as Layer).parsers;
  if (pool && typeof pool === 'object' && 'max' in pool) return pool as IdleParserPool;
  return idleParsers;
}

/**
 * `http.setMaxIdleHTTPParsers(max)`: validates like Node, then bounds the server layer's pool
 * of idle parsers (its `setMaxIdleHTTPParsers`, or its `parsers.max`).
 */
function setMaxIdleHTTPParsers(max: number): void {
  validateMaxIdleParsers(max);
  const layerSetter = (serverLayer as Layer).setMaxIdleHTTPParsers;
  if (typeof layerSetter === 'function') layerSetter(max);
  idleParsers.max = max;
  parserPool().max = max;
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
  WebSocket: typeof WebSocketLayer.WebSocket;
  CloseEvent: typeof WebSocketLayer.CloseEvent;
  MessageEvent: typeof WebSocketLayer.MessageEvent;
}

const http = {
  _connectionListener: connectionListenerOf(serverLayer as Layer),
  METHODS,
  STATUS_CODES,
  Agent,
  ClientRequest,
  IncomingMessage,
  OutgoingMessage,
  Server,
  ServerResponse,
  createServer,
  validateHeaderName,
  validateHeaderValue,
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
/**
 * The ESM named export `globalAgent`, typed as node:http's Agent and kept in step with
 * `http.globalAgent = agent`. The agent layer's own `globalAgent` binding is what
 * request()/get() read on every call; the module object's accessor reads it directly.
 */
let globalAgent = agentLayer.globalAgent as unknown as NodeHttp.Agent;
Object.defineProperty(http, 'globalAgent', {
  configurable: true,
  enumerable: true,
  get: () => agentLayer.globalAgent,
  set(value: NodeHttp.Agent) {
    setGlobalAgent(value as never);
    globalAgent = value;
  },
});
// node:http (v22.5+, documented in v23.8) exposes the WebSocket client as lazy getters, and so
// does the umbrella: the websocket layer is loaded on the first read of one of them. It brings
// node:crypto, node:tls and node:zlib, which an app that never opens a WebSocket does not need
// (about 1 MB of heap, and their load time, for every `require('@strata-http/http')`).
// (`require`: the umbrella always runs as its CommonJS build, dist/index.js being an ES module
// face over dist/index.cjs, as every layer's is.)
let webSocketLayer: typeof WebSocketLayer | undefined;
function loadWebSocketLayer(): typeof WebSocketLayer {
  webSocketLayer ??= require('@strata-http/websocket') as typeof WebSocketLayer;
  return webSocketLayer;
}
for (const name of ['WebSocket', 'CloseEvent', 'MessageEvent'] as const) {
  Object.defineProperty(http, name, {
    configurable: true,
    enumerable: true,
    get: () => loadWebSocketLayer()[name],
  });
}

/** Where the register hook finds the `_http_*` stand-ins (non-enumerable, not in Object.keys). */
export const kLegacyModules = Symbol.for('strata-http.legacyModules');

export { globalAgent, http, parserPool };
