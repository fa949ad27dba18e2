// @strata-http/server — http.Server, http.ServerResponse and http.createServer,
// built on @strata-http/parser, incoming-message and outgoing-message.

export { createServer, type RequestListener, Server, type ServerOptions } from './server';
export { ServerResponse } from './server-response';
