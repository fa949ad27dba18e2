// Private state shared between the request and the socket/parser handlers.

/** The HTTPParser kept on a socket across keep-alive requests (one per socket). */
export const kParser = Symbol('strata.client.parser');
/** The socket a parser reads from. */
export const kSocket = Symbol('strata.client.socket');
/** The response being parsed on a socket (null between messages). */
export const kIncoming = Symbol('strata.client.incoming');
/** The error `destroy(err)` was called with, until the socket is closed. */
export const kError = Symbol('strata.client.error');
/** The AbortSignal listener, removed when the request closes. */
export const kSignal = Symbol('strata.client.signal');
/** Whether 'abort' was emitted (it is emitted once). */
export const kAbortEmitted = Symbol('strata.client.abortEmitted');
/** The socket carries our lasting 'error'/'close' listeners. */
export const kListening = Symbol('strata.client.listening');
/** The socket carries the per-exchange 'data'/'end'/'drain' listeners. */
export const kReading = Symbol('strata.client.reading');
/** The exchange on this socket is over: it belongs to the agent (idle). */
export const kReleased = Symbol('strata.client.released');
/** The socket is corked by the write batch until the end of this poll phase. */
export const kBatched = Symbol('strata.client.batched');
/** The Host entry the constructor stored, while it is the request's only header (else null). */
export const kPlainHead = Symbol('strata.client.plainHead');
