// @strata-http/headers — the bottom layer of strata-http: header field tables
// and validators, METHODS, STATUS_CODES, incoming header assembly, the
// outgoing header store, and the Node-style coded errors every layer throws.

export { defineConstructor } from './lib/constructor.js';
export {
  capturesRejections,
  emitsByCall,
  emitterEmit,
  eventsOf,
} from './lib/emitter.js';
export * from './lib/errors.js';
export {
  addHeaderLine,
  addHeaderLineDistinct,
  buildHeaders,
  buildHeadersDistinct,
  buildTrailers,
  buildTrailersDistinct,
  type IncomingHeaders,
  type IncomingHeadersDistinct,
} from './lib/incoming.js';
export { METHODS } from './lib/methods.js';
export { lowerCaseHeaderName } from './lib/names.js';
export {
  type OutgoingHeaderEntry,
  OutgoingHeaders,
  type OutgoingHeaderValue,
  parseUniqueHeaders,
} from './lib/outgoing.js';
export {
  containsHeaderToken,
  HeaderBlockState,
  serializeHeaders,
  serializeTrailers,
} from './lib/serialize.js';
export { STATUS_CODES } from './lib/status-codes.js';
export { initReadable, initStream, streamDefaultHighWaterMark } from './lib/stream-init.js';
export { fieldValueTable, tokenTable } from './lib/tables.js';
export {
  checkInvalidHeaderChar,
  checkIsHttpToken,
  validateHeaderName,
  validateHeaderValue,
} from './lib/validate.js';
