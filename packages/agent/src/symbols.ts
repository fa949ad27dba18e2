// Private per-socket state the agent keeps on the sockets it owns. Symbols, so
// nothing leaks into `Object.keys(socket)` and user code cannot collide.

/** The Agent that owns the socket. */
export const kAgent = Symbol('strata.agent');
/** The connection options the socket was created with (also the pool key source). */
export const kSocketOptions = Symbol('strata.agent.socketOptions');
/** The pool key (`getName()`) of the socket, computed once. */
export const kSocketName = Symbol('strata.agent.socketName');
/** The timeout (ms) we last applied to the socket; Duplex streams have no `.timeout`. */
export const kSocketTimeout = Symbol('strata.agent.socketTimeout');
/** The connection options a queued request waits with. */
export const kRequestOptions = Symbol('strata.agent.requestOptions');
/**
 * `Date.now()` after which an idle pooled socket is stale (its idle timeout, from the
 * agent's `timeout` or the server's `Keep-Alive: timeout=N`, has passed); 0 = never.
 */
export const kServerKeepAliveUntil = Symbol('strata.agent.serverKeepAliveUntil');
/** The agent's options when they hold only agent-level keys (fast pool-key path). */
export const kPlainOptions = Symbol('strata.agent.plainOptions');
/** The agent's own idle-socket 'error' listener is attached. */
export const kFreeErrorListener = Symbol('strata.agent.freeErrorListener');
/** The last pool key of the hot path (see `poolKey`). */
export const kLastKey = Symbol('strata.agent.lastKey');
/** The agent's 'keylog' forwarder, once someone listens for 'keylog' (see maybeEnableKeylog). */
export const kOnKeylog = Symbol('strata.agent.onKeylog');
