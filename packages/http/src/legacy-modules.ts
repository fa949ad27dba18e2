// Node's underscore modules (`_http_agent`, `_http_client`, `_http_common`, `_http_incoming`,
// `_http_outgoing`, `_http_server`) are undocumented but reachable with require(), and some
// libraries and Node's own tests reach into them. When the register hook swaps node:http out,
// these ids must not hand back Node's original classes (mixing the two stacks breaks both), so
// the hook serves objects built from strata-http's layers instead: the public names these
// modules carry, where a layer provides them. Node's C++ parser binding is not loaded either:
// `_http_common.HTTPParser` is a class with the binding's API (initialize, callback slots,
// execute, finish, …) over strata-http's parser (binding-parser.ts), which nock and msw use.
import * as headersLayer from '@strata-http/headers';
import * as incomingLayer from '@strata-http/incoming-message';
import * as outgoingLayer from '@strata-http/outgoing-message';
import { LLHTTP_METHODS } from '@strata-http/parser';
import * as serverLayer from '@strata-http/server';
import { freeParser, HTTPParser, isLenient, prepareError } from './binding-parser.js';
import type { HttpModule } from './http.js';
import { parserPool } from './http.js';
import { buildHttps } from './https.js';

type Layer = Record<string, unknown>;

/** Copies the listed names that `layer` exports onto `target`. */
function pick(target: Layer, layer: unknown, names: readonly string[]): Layer {
  for (const name of names) {
    const value = (layer as Layer)[name];
    if (value !== undefined) target[name] = value;
  }
  return target;
}

/** Builds the stand-ins for Node's `_http_*` modules, keyed by module id. */
export function buildLegacyModules(http: HttpModule): Map<string, Layer> {
  const modules = new Map<string, Layer>();

  const agent: Layer = { Agent: http.Agent };
  Object.defineProperty(agent, 'globalAgent', {
    enumerable: true,
    get: () => http.globalAgent,
    set: (value) => {
      http.globalAgent = value;
    },
  });
  modules.set('_http_agent', agent);

  modules.set('_http_client', { ClientRequest: http.ClientRequest });

  // Node's keys in Node's order. `methods` is the binding's list: node:http's METHODS in llhttp's
  // numbering order (not sorted), so `methods[i]` names most of kOnHeadersComplete's numbers.
  const common: Layer = {
    _checkInvalidHeaderChar: headersLayer.checkInvalidHeaderChar,
    _checkIsHttpToken: headersLayer.checkIsHttpToken,
    chunkExpression: /(?:^|\W)chunked(?:$|\W)/i,
    continueExpression: /(?:^|\W)100-continue(?:$|\W)/i,
    CRLF: '\r\n',
    freeParser,
    methods: LLHTTP_METHODS.filter((name) => http.METHODS.includes(name)),
  };
  Object.defineProperty(common, 'parsers', { enumerable: true, get: parserPool });
  pick(common, serverLayer, ['kIncomingMessage']);
  Object.assign(common, { HTTPParser, isLenient, prepareError });
  modules.set('_http_common', common);

  modules.set(
    '_http_incoming',
    pick({ IncomingMessage: http.IncomingMessage }, incomingLayer, ['readStart', 'readStop']),
  );

  modules.set(
    '_http_outgoing',
    pick(
      {
        OutgoingMessage: http.OutgoingMessage,
        validateHeaderName: http.validateHeaderName,
        validateHeaderValue: http.validateHeaderValue,
      },
      outgoingLayer,
      ['kHighWaterMark', 'kUniqueHeaders', 'parseUniqueHeadersOption'],
    ),
  );

  modules.set(
    '_http_server',
    pick(
      {
        STATUS_CODES: http.STATUS_CODES,
        Server: http.Server,
        ServerResponse: http.ServerResponse,
        _connectionListener: http._connectionListener,
        // What Node's https.Server.close() runs first: idle connections go, the
        // periodic request-timeout check stops.
        httpServerPreClose(server: {
          closeIdleConnections(): void;
          stopConnectionsChecking(): void;
        }) {
          server.closeIdleConnections();
          server.stopConnectionsChecking();
        },
      },
      serverLayer,
      [
        'kConnectionsCheckingInterval',
        'kServerResponse',
        'setupConnectionsTracking',
        'storeHTTPOptions',
      ],
    ),
  );
  // Not an underscore module: `https`, on these layers too, so the hook can swap it as well.
  modules.set('https', buildHttps(http));
  return modules;
}
