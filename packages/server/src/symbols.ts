/**
 * Private state shared between the files of this package. Node's own
 * underscore fields (`socket._httpMessage`, `res._expect_continue`, …) are kept
 * where Node's tests and middleware read them; everything else hides here.
 */

/** On a socket, a parser and a ServerResponse: the connection's `HttpConnection`. */
export const kConnection = Symbol('kConnection');
/** On the server: the `Set` of live (not upgraded) HTTP connections. */
export const kConnections = Symbol('kConnections');
/** On the server: the one periodic timer that enforces headersTimeout/requestTimeout. */
export const kConnectionsCheckingInterval = Symbol('kConnectionsCheckingInterval');
/** On the server: true between `close()` and the next `'listening'`. */
export const kClosing = Symbol('kClosing');
/** On the server: the classes given by the `IncomingMessage` / `ServerResponse` options. */
export const kIncomingMessage = Symbol('IncomingMessage');
export const kServerResponse = Symbol('ServerResponse');
/** On the server: lower-cased names from the `uniqueHeaders` option, or null. */
export const kUniqueHeadersOption = Symbol('kUniqueHeadersOption');
/** On the server: parser options computed once (`maxHeaderSize`, `lenient`). */
export const kParserOptions = Symbol('kParserOptions');
