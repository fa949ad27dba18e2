/**
 * Private state of an OutgoingMessage that crosses files or is shared with the
 * connection owners (server, client). Node keeps the same fields behind
 * symbols of the same names in `internal/http`.
 */

/** The stored header map: `{ [lowercased name]: [name as given, value] }` or null. */
export const kOutHeaders: unique symbol = Symbol('kOutHeaders');
/** True once write() returned false; cleared when 'drain' is emitted. */
export const kNeedDrain: unique symbol = Symbol('kNeedDrain');
/** cork() count taken while no socket is attached (handed to the socket later). */
export const kCorked: unique symbol = Symbol('corked');
/** Body bytes written so far (only counted with strictContentLength). */
export const kBytesWritten: unique symbol = Symbol('kBytesWritten');
/** The error given to destroy(). */
export const kErrored: unique symbol = Symbol('errored');
/** highWaterMark used while no socket is attached. */
export const kHighWaterMark: unique symbol = Symbol('kHighWaterMark');
/** Option: throw ERR_HTTP_BODY_NOT_ALLOWED instead of ignoring body writes. */
export const kRejectNonStandardBodyWrites: unique symbol = Symbol('kRejectNonStandardBodyWrites');
/** Set of lowercased header names sent once with their values joined (uniqueHeaders). */
export const kUniqueHeaders: unique symbol = Symbol('kUniqueHeaders');
/**
 * For connection owners: a function called with the message just before its
 * 'finish' is emitted, so the owner's bookkeeping runs first, as a 'finish'
 * listener added at construction would, without a listener per message.
 */
export const kOnFinish: unique symbol = Symbol('kOnFinish');
