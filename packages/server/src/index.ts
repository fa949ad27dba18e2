// @strata-http/server — http.Server, http.ServerResponse and http.createServer,
// built on @strata-http/parser, incoming-message and outgoing-message.

// Node's `_http_server` internals that libraries and Node's own tests reach for.
export {
  connectionListener as _connectionListener,
  setMaxIdleHTTPParsers,
} from './connection';
export {
  createServer,
  httpServerListening,
  httpServerMethods,
  initHttpServerState,
  type RequestListener,
  Server,
  type ServerOptions,
  serverArguments,
  setupConnectionsTracking,
  storeHTTPOptions,
} from './server';
export { ServerResponse } from './server-response';
export {
  kConnectionsCheckingInterval,
  kIncomingMessage,
  kServerResponse,
} from './symbols';
