// @strata-http/outgoing-message — http.OutgoingMessage, the writable base of
// ServerResponse and ClientRequest.

/** Node's parseUniqueHeadersOption: the `uniqueHeaders` option as a set of lower-cased names. */
export {
  emitsByCall,
  emitterEmit,
  eventsOf,
  parseUniqueHeaders as parseUniqueHeadersOption,
} from '@strata-http/headers';
export { utcDate } from './date.js';
export {
  drainOutgoing,
  type OutgoingHttpHeader,
  OutgoingMessage,
  type OutgoingMessageOptions,
  type OutputChunk,
} from './outgoing-message.js';
export {
  kBytesWritten,
  kCorked,
  kErrored,
  kHighWaterMark,
  kNeedDrain,
  kOnFinish,
  kOutHeaders,
  kRejectNonStandardBodyWrites,
  kUniqueHeaders,
} from './symbols.js';
