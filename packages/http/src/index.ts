// @strata-http/http — the drop-in for node:http, composed from the strata-http layers.
// Named exports for `import { createServer } from '@strata-http/http'`, the module object as
// the default export for `import http from '@strata-http/http'` (and, in the CommonJS build,
// as `module.exports` itself, so `require()` returns the same shape as `require('node:http')`).
//
// Types: node:http's own (@types/node), so code written against node:http compiles unchanged.
import type * as NodeHttp from 'node:http';
import { http, kLegacyModules } from './http.js';
import { buildLegacyModules } from './legacy-modules.js';

export type * from 'node:http';
export type { HttpModule } from './http.js';
export { globalAgent } from './http.js';

import type { HttpModule } from './http.js';

export const _connectionListener: HttpModule['_connectionListener'] = http._connectionListener;
export const METHODS: HttpModule['METHODS'] = http.METHODS;
export const STATUS_CODES: HttpModule['STATUS_CODES'] = http.STATUS_CODES;
export const Agent: HttpModule['Agent'] = http.Agent;
export const ClientRequest: HttpModule['ClientRequest'] = http.ClientRequest;
export const IncomingMessage: HttpModule['IncomingMessage'] = http.IncomingMessage;
export const OutgoingMessage: HttpModule['OutgoingMessage'] = http.OutgoingMessage;
export const Server: HttpModule['Server'] = http.Server;
export const ServerResponse: HttpModule['ServerResponse'] = http.ServerResponse;
export const createServer: HttpModule['createServer'] = http.createServer;
export const validateHeaderName: HttpModule['validateHeaderName'] = http.validateHeaderName;
export const validateHeaderValue: HttpModule['validateHeaderValue'] = http.validateHeaderValue;
export const get: HttpModule['get'] = http.get;
export const request: HttpModule['request'] = http.request;
export const setMaxIdleHTTPParsers: HttpModule['setMaxIdleHTTPParsers'] =
  http.setMaxIdleHTTPParsers;
// The WebSocket client: declared here, read by the module object's lazy getters (see http.ts).
// An ES module import binds them from the CommonJS module's keys (tooling/tsup/layer.ts).
export declare const WebSocket: HttpModule['WebSocket'];
export declare const CloseEvent: HttpModule['CloseEvent'];
export declare const MessageEvent: HttpModule['MessageEvent'];

/** The maximum header size in bytes: 16384 unless `--max-http-header-size` says otherwise. */
export const maxHeaderSize: number = http.maxHeaderSize;

// The classes are types too, with node:http's generic parameters.
export type Agent = NodeHttp.Agent;
export type ClientRequest = NodeHttp.ClientRequest;
export type IncomingMessage = NodeHttp.IncomingMessage;
export type OutgoingMessage<Request extends NodeHttp.IncomingMessage = NodeHttp.IncomingMessage> =
  NodeHttp.OutgoingMessage<Request>;
export type ServerResponse<Request extends NodeHttp.IncomingMessage = NodeHttp.IncomingMessage> =
  NodeHttp.ServerResponse<Request>;
export type Server<
  Request extends typeof NodeHttp.IncomingMessage = typeof NodeHttp.IncomingMessage,
  Response extends typeof NodeHttp.ServerResponse<
    InstanceType<Request>
  > = typeof NodeHttp.ServerResponse,
> = NodeHttp.Server<Request, Response>;
export type WebSocket = InstanceType<typeof WebSocket>;
export type CloseEvent = InstanceType<typeof CloseEvent>;
export type MessageEvent = InstanceType<typeof MessageEvent>;

// The register hook serves Node's `_http_*` module ids from here (see legacy-modules.ts).
let legacyModules: ReturnType<typeof buildLegacyModules> | undefined;
Object.defineProperty(http, kLegacyModules, {
  configurable: true,
  enumerable: false,
  value: () => {
    legacyModules ??= buildLegacyModules(http);
    return legacyModules;
  },
});

export default http;
