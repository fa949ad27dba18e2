// @strata-http/incoming-message — http.IncomingMessage, the readable side of
// an HTTP message (a server's request, a client's response).

export {
  abortIncoming,
  closeUnread,
  dumpUnread,
  IncomingMessage,
  pushEnd,
  readStart,
  readStop,
} from './incoming-message.js';
export { kHeaders, kHeadersDistinct, kTrailers, kTrailersDistinct } from './symbols.js';
