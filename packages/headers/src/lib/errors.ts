/**
 * Node-style coded errors: one class per code, named by the code, constructed
 * with the same arguments Node's `internal/errors` takes and producing the same
 * `code`, `name`, `message`, `toString()` and first stack line
 * (`TypeError [ERR_X]: message`). Messages are checked against Node 20 in
 * `test/errors.test.ts`.
 *
 * Like Node's, every instance has an own enumerable `code`, inherits `name`
 * from its base class (`TypeError`, `RangeError` or `Error`) and reports that
 * base class as its `constructor`.
 */
import { format, inspect } from 'node:util';

/**
 * Gives `err.stack` Node's first line, `Name [CODE]: message`. V8 formats the
 * stack on first access using `err.name`, so the code is put into the name for
 * that one access (what Node itself did before v16).
 */
function nodeStack(err: Error, code: string): void {
  // Also with Error.stackTraceLimit = 0: the stack is then the first line alone.
  const name = err.name;
  err.name = `${name} [${code}]`;
  // Reading `stack` makes V8 format it now, with the name above.
  void err.stack;
  delete (err as { name?: string }).name;
}

const nodeErrorMethods = {
  toString(this: Error & { code: string }): string {
    return `${this.name} [${this.code}]: ${this.message}`;
  },
};

/** Fixes up prototype-level details shared by every coded error class. */
function defineNodeError(
  cls: { prototype: object; name: string },
  base: Function,
  withCodeInString = true,
): void {
  Object.defineProperty(cls.prototype, 'constructor', {
    // As with Node's coded errors, `err.constructor` is the base class
    // (TypeError, …), not the per-code class.
    get() {
      return base;
    },
    enumerable: false,
    configurable: true,
  });
  if (!withCodeInString) return;
  Object.defineProperty(cls.prototype, 'toString', {
    value: nodeErrorMethods.toString,
    enumerable: false,
    writable: true,
    configurable: true,
  });
}

// ---------------------------------------------------------------------------
// Message building
//
// The argument errors read like one sentence each:
//
//   ERR_INVALID_ARG_TYPE   The <subject> must be <expectation>. Received <description>
//   ERR_INVALID_ARG_VALUE  The <kind> '<name>' <reason>. Received <inspected value>
//   ERR_OUT_OF_RANGE       The value of "<name>" is out of range. It must be <range>. Received <number>
//   ERR_MISSING_ARGS       The "<a>", "<b>", and "<c>" arguments must be specified
//
// <kind> is "property" for a dotted name ('options.port') and "argument"
// otherwise; <subject> is `"<name>" <kind>`, or the name alone when it
// already ends in " argument" ('first argument').

/**
 * Prose list: `a`, `a and b`, `a, b, and c` (serial comma from three items
 * on), with `conjunction` in place of "and".
 */
function joinList(items: readonly string[], conjunction = 'and'): string {
  const last = items.length - 1;
  let out = '';
  for (let i = 0; i <= last; i++) {
    if (i > 0) out += last === 1 ? ' ' : ', ';
    if (i === last && i > 0) out += `${conjunction} `;
    out += `${items[i]}`;
  }
  return out;
}

function argumentKind(name: string): 'property' | 'argument' {
  return name.includes('.') ? 'property' : 'argument';
}

function argumentSubject(name: string): string {
  return name.endsWith(' argument') ? name : `"${name}" ${argumentKind(name)}`;
}

/** Spellings callers use for primitive types, and how the message prints them. */
const PRIMITIVE_TYPE_NAMES = new Map<unknown, string>([
  ['bigint', 'bigint'],
  ['boolean', 'boolean'],
  ['function', 'function'],
  ['Function', 'function'],
  ['number', 'number'],
  ['object', 'object'],
  ['Object', 'object'],
  ['string', 'string'],
  ['symbol', 'symbol'],
]);

/** A capitalised identifier such as `Buffer` or `Uint8Array` names a class. */
const CLASS_NAME = /^[A-Z][A-Za-z0-9]*$/;

/**
 * The `<expectation>` of ERR_INVALID_ARG_TYPE. Each expected entry is a
 * primitive type name, a class name or a free-form description ('a
 * function'); the message lists them in that order, joined with "or":
 * `of type string or an instance of Buffer or Uint8Array`.
 */
function describeExpectation(expected: string | readonly string[]): string {
  const types: string[] = [];
  const classes: string[] = [];
  const descriptions: string[] = [];
  for (const entry of Array.isArray(expected) ? expected : [expected as string]) {
    const type = PRIMITIVE_TYPE_NAMES.get(entry);
    if (type !== undefined) types.push(type);
    else if (CLASS_NAME.test(entry)) classes.push(entry);
    else descriptions.push(entry);
  }
  // Next to class names, `object` is listed as the class `Object`
  // ("an instance of Map or Object"), not as a type of its own.
  const objectAt = classes.length > 0 ? types.indexOf('object') : -1;
  if (objectAt !== -1) {
    types.splice(objectAt, 1);
    classes.push('Object');
  }

  const parts: string[] = [];
  if (types.length > 0) {
    parts.push(`${types.length === 1 ? 'of type' : 'one of type'} ${joinList(types, 'or')}`);
  }
  if (classes.length > 0) parts.push(`an instance of ${joinList(classes, 'or')}`);
  if (descriptions.length > 1) {
    parts.push(`one of ${joinList(descriptions, 'or')}`);
  } else if (descriptions.length === 1) {
    // A description with capitals ('Array of strings') gets an article.
    const only = descriptions[0];
    parts.push(only.toLowerCase() === only ? only : `an ${only}`);
  }
  return parts.join(' or ');
}

/** Strings longer than this are cut to `STRING_KEEP` characters and `...`. */
const STRING_MAX = 28;
const STRING_KEEP = 25;

/**
 * The `<description>` of a received value: its type and a short rendering
 * (`type number (-0)`, `type string ('abc')`), `function f`, `an instance of
 * Map`, or `null` / `undefined`.
 */
function describeReceived(value: unknown): string {
  switch (typeof value) {
    case 'undefined':
      return 'undefined';
    case 'object':
      return value === null ? 'null' : describeObject(value);
    case 'function':
      return `function ${value.name}`;
    case 'string': {
      const shown = value.length > STRING_MAX ? `${value.slice(0, STRING_KEEP)}...` : value;
      // Single quotes unless the text has one; then JSON's double quotes.
      return `type string (${shown.includes("'") ? JSON.stringify(shown) : `'${shown}'`})`;
    }
    case 'number':
      return `type number (${Object.is(value, -0) ? '-0' : value})`;
    case 'bigint':
      return `type bigint (${value}n)`;
    default:
      // boolean, symbol
      return `type ${typeof value} (${String(value)})`;
  }
}

/** `an instance of <constructor name>`; without a named constructor, a shallow inspection. */
function describeObject(value: object): string {
  const ctor = (value as { constructor?: unknown }).constructor;
  if (ctor && 'name' in (ctor as object)) {
    return `an instance of ${(ctor as { name: unknown }).name}`;
  }
  return inspect(value, { depth: -1 });
}

/** ERR_INVALID_ARG_VALUE shows at most this many characters of the inspected value. */
const INSPECT_MAX = 128;

function invalidValueMessage(name: string, value: unknown, reason = 'is invalid'): string {
  let shown = inspect(value);
  if (shown.length > INSPECT_MAX) shown = `${shown.slice(0, INSPECT_MAX)}...`;
  return `The ${argumentKind(name)} '${name}' ${reason}. Received ${shown}`;
}

/** Integers beyond ±2³² are shown with `_` between groups of three digits. */
const GROUPING_THRESHOLD = 2 ** 32;
const GROUPING_THRESHOLD_N = 2n ** 32n;

/** `-1234567` → `-1_234_567`: groups of three counted from the right. */
function groupDigits(text: string): string {
  const sign = text[0] === '-' ? '-' : '';
  const digits = sign ? text.slice(1) : text;
  const head = digits.length % 3 || 3;
  let out = sign + digits.slice(0, head);
  for (let i = head; i < digits.length; i += 3) out += `_${digits.slice(i, i + 3)}`;
  return out;
}

/** The `<number>` of ERR_OUT_OF_RANGE: big integers grouped, bigints with `n`, else inspected. */
function describeOutOfRange(input: unknown): string {
  if (typeof input === 'bigint') {
    const wide = input > GROUPING_THRESHOLD_N || input < -GROUPING_THRESHOLD_N;
    return `${wide ? groupDigits(String(input)) : String(input)}n`;
  }
  if (Number.isInteger(input) && Math.abs(input as number) > GROUPING_THRESHOLD) {
    return groupDigits(String(input));
  }
  return inspect(input);
}

/** `"a"`, or `"a" or "b"` for a group of which one is required. */
function quoteMissing(arg: string | readonly string[]): string {
  return Array.isArray(arg) ? arg.map((one) => `"${one}"`).join(' or ') : `"${arg}"`;
}

// Two of these are public, under the names the README documents:
// formatList(['a', 'b', 'c'], 'or') is 'a, b, or c';
// determineSpecificType(new Map()) is 'an instance of Map'.
export { describeReceived as determineSpecificType, joinList as formatList };

// ---------------------------------------------------------------------------
// Argument errors

/** `The "name" argument must be of type string. Received type number (1)` */
export class ERR_INVALID_ARG_TYPE extends TypeError {
  code = 'ERR_INVALID_ARG_TYPE' as const;
  constructor(name: string, expected: string | readonly string[], actual: unknown) {
    super(
      `The ${argumentSubject(name)} must be ${describeExpectation(expected)}. Received ${describeReceived(actual)}`,
    );
    nodeStack(this, this.code);
  }
}

/** `The argument 'name' is invalid. Received 'x'` (TypeError; `.RangeError` variant). */
export class ERR_INVALID_ARG_VALUE extends TypeError {
  code = 'ERR_INVALID_ARG_VALUE' as const;
  constructor(name: string, value: unknown, reason?: string) {
    super(invalidValueMessage(name, value, reason));
    nodeStack(this, this.code);
  }
  /** Node's `ERR_INVALID_ARG_VALUE.RangeError`, same message on a RangeError. */
  static RangeError: new (
    name: string,
    value: unknown,
    reason?: string,
  ) => RangeError & { code: 'ERR_INVALID_ARG_VALUE' };
}

class ERR_INVALID_ARG_VALUE_RANGE extends RangeError {
  code = 'ERR_INVALID_ARG_VALUE' as const;
  constructor(name: string, value: unknown, reason?: string) {
    super(invalidValueMessage(name, value, reason));
    nodeStack(this, this.code);
  }
}
ERR_INVALID_ARG_VALUE.RangeError = ERR_INVALID_ARG_VALUE_RANGE;

/** `The value of "name" is out of range. It must be <range>. Received <received>` */
export class ERR_OUT_OF_RANGE extends RangeError {
  code = 'ERR_OUT_OF_RANGE' as const;
  /** With `ownSentence`, `name` is the whole first sentence instead of a name. */
  constructor(name: string, range: string, input: unknown, ownSentence = false) {
    const lead = ownSentence ? name : `The value of "${name}" is out of range.`;
    super(`${lead} It must be ${range}. Received ${describeOutOfRange(input)}`);
    nodeStack(this, this.code);
  }
}

/** `The "a" and "b" arguments must be specified`; an array entry means "one of". */
export class ERR_MISSING_ARGS extends TypeError {
  code = 'ERR_MISSING_ARGS' as const;
  constructor(...names: Array<string | readonly string[]>) {
    const noun = names.length > 1 ? 'arguments' : 'argument';
    super(`The ${joinList(names.map(quoteMissing))} ${noun} must be specified`);
    nodeStack(this, this.code);
  }
}

/** `<name> is required` */
export class ERR_MISSING_OPTION extends TypeError {
  code = 'ERR_MISSING_OPTION' as const;
  constructor(name: string) {
    super(format('%s is required', name));
    nodeStack(this, this.code);
  }
}

/** `Value of "this" must be of type <type>` */
export class ERR_INVALID_THIS extends TypeError {
  code = 'ERR_INVALID_THIS' as const;
  constructor(type: string) {
    super(format('Value of "this" must be of type %s', type));
    nodeStack(this, this.code);
  }
}

/** `Invalid state: <msg>` (Error; `.TypeError` and `.RangeError` variants as in Node). */
export class ERR_INVALID_STATE extends Error {
  code = 'ERR_INVALID_STATE' as const;
  constructor(message: string) {
    super(format('Invalid state: %s', message));
    nodeStack(this, this.code);
  }
  static TypeError: new (
    message: string,
  ) => TypeError & { code: 'ERR_INVALID_STATE' };
  static RangeError: new (
    message: string,
  ) => RangeError & { code: 'ERR_INVALID_STATE' };
}
class ERR_INVALID_STATE_TYPE extends TypeError {
  code = 'ERR_INVALID_STATE' as const;
  constructor(message: string) {
    super(format('Invalid state: %s', message));
    nodeStack(this, this.code);
  }
}
class ERR_INVALID_STATE_RANGE extends RangeError {
  code = 'ERR_INVALID_STATE' as const;
  constructor(message: string) {
    super(format('Invalid state: %s', message));
    nodeStack(this, this.code);
  }
}
ERR_INVALID_STATE.TypeError = ERR_INVALID_STATE_TYPE;
ERR_INVALID_STATE.RangeError = ERR_INVALID_STATE_RANGE;

/** `Expected <input> to be returned from the "<name>" function but got <type>.` */
export class ERR_INVALID_RETURN_VALUE extends TypeError {
  code = 'ERR_INVALID_RETURN_VALUE' as const;
  constructor(input: string, name: string, value: unknown) {
    super(
      `Expected ${input} to be returned from the "${name}" function but got ${describeReceived(value)}.`,
    );
    nodeStack(this, this.code);
  }
}

// ---------------------------------------------------------------------------
// HTTP errors

/** `Cannot <action> headers after they are sent to the client` */
export class ERR_HTTP_HEADERS_SENT extends Error {
  code = 'ERR_HTTP_HEADERS_SENT' as const;
  constructor(action: string) {
    super(format('Cannot %s headers after they are sent to the client', action));
    nodeStack(this, this.code);
  }
}

/** `Invalid status code: <code>` */
export class ERR_HTTP_INVALID_STATUS_CODE extends RangeError {
  code = 'ERR_HTTP_INVALID_STATUS_CODE' as const;
  constructor(statusCode: unknown) {
    super(format('Invalid status code: %s', statusCode));
    nodeStack(this, this.code);
  }
}

/** `Trailers are invalid with this transfer encoding` */
export class ERR_HTTP_TRAILER_INVALID extends Error {
  code = 'ERR_HTTP_TRAILER_INVALID' as const;
  constructor() {
    super('Trailers are invalid with this transfer encoding');
    nodeStack(this, this.code);
  }
}

/** `Invalid value "<value>" for header "<name>"` */
export class ERR_HTTP_INVALID_HEADER_VALUE extends TypeError {
  code = 'ERR_HTTP_INVALID_HEADER_VALUE' as const;
  constructor(value: unknown, name: unknown) {
    super(format('Invalid value "%s" for header "%s"', value, name));
    nodeStack(this, this.code);
  }
}

/** `<label> must be a valid HTTP token ["<name>"]` */
export class ERR_INVALID_HTTP_TOKEN extends TypeError {
  code = 'ERR_INVALID_HTTP_TOKEN' as const;
  constructor(label: string, name: unknown) {
    super(format('%s must be a valid HTTP token ["%s"]', label, name));
    nodeStack(this, this.code);
  }
}

/** `Invalid character in <what>` or `Invalid character in <what> ["<field>"]` */
export class ERR_INVALID_CHAR extends TypeError {
  code = 'ERR_INVALID_CHAR' as const;
  constructor(what: string, field?: unknown) {
    let msg = `Invalid character in ${what}`;
    if (field !== undefined) msg += ` ["${field}"]`;
    super(msg);
    nodeStack(this, this.code);
  }
}

/** `Response body's content-length of <actual> byte(s) does not match …` */
export class ERR_HTTP_CONTENT_LENGTH_MISMATCH extends Error {
  code = 'ERR_HTTP_CONTENT_LENGTH_MISMATCH' as const;
  constructor(actual: unknown, expected: unknown) {
    super(
      format(
        "Response body's content-length of %s byte(s) does not match the content-length of %s byte(s) set in header",
        actual,
        expected,
      ),
    );
    nodeStack(this, this.code);
  }
}

/** `Adding content for this request method or response status is not allowed.` */
export class ERR_HTTP_BODY_NOT_ALLOWED extends Error {
  code = 'ERR_HTTP_BODY_NOT_ALLOWED' as const;
  constructor() {
    super('Adding content for this request method or response status is not allowed.');
    nodeStack(this, this.code);
  }
}

/** `ServerResponse has an already assigned socket` */
export class ERR_HTTP_SOCKET_ASSIGNED extends Error {
  code = 'ERR_HTTP_SOCKET_ASSIGNED' as const;
  constructor() {
    super('ServerResponse has an already assigned socket');
    nodeStack(this, this.code);
  }
}

/** `Changing the socket encoding is not allowed per RFC7230 Section 3.` */
export class ERR_HTTP_SOCKET_ENCODING extends Error {
  code = 'ERR_HTTP_SOCKET_ENCODING' as const;
  constructor() {
    super('Changing the socket encoding is not allowed per RFC7230 Section 3.');
    nodeStack(this, this.code);
  }
}

/** `Request timeout` */
export class ERR_HTTP_REQUEST_TIMEOUT extends Error {
  code = 'ERR_HTTP_REQUEST_TIMEOUT' as const;
  constructor() {
    super('Request timeout');
    nodeStack(this, this.code);
  }
}

/** `The <method> method is not implemented` */
export class ERR_METHOD_NOT_IMPLEMENTED extends Error {
  code = 'ERR_METHOD_NOT_IMPLEMENTED' as const;
  constructor(method: string) {
    super(format('The %s method is not implemented', method));
    nodeStack(this, this.code);
  }
}

/** `<what> contains unescaped characters` */
export class ERR_UNESCAPED_CHARACTERS extends TypeError {
  code = 'ERR_UNESCAPED_CHARACTERS' as const;
  constructor(what: string) {
    super(format('%s contains unescaped characters', what));
    nodeStack(this, this.code);
  }
}

/** `Protocol "<actual>" not supported. Expected "<expected>"` */
export class ERR_INVALID_PROTOCOL extends TypeError {
  code = 'ERR_INVALID_PROTOCOL' as const;
  constructor(actual: unknown, expected: unknown) {
    super(format('Protocol "%s" not supported. Expected "%s"', actual, expected));
    nodeStack(this, this.code);
  }
}

/**
 * `Invalid URL`, with the offending `input` (and `base`, when given) as
 * properties — the error `new URL()` throws, and so what `http.request('…')`
 * throws in Node 20. That one is created natively: unlike the other codes, its
 * `toString()` and stack start `TypeError: Invalid URL`, without the code.
 */
export class ERR_INVALID_URL extends TypeError {
  code = 'ERR_INVALID_URL' as const;
  input: unknown;
  declare base?: unknown;
  constructor(input: unknown, base?: unknown) {
    super('Invalid URL');
    this.input = input;
    if (base !== undefined) this.base = base;
  }
}

/**
 * `Unable to determine the domain name`. Not thrown by Node 20 any more (it was
 * Node ≤ 8's); kept for layers that report an unusable host the old way.
 */
export class ERR_INVALID_DOMAIN_NAME extends TypeError {
  code = 'ERR_INVALID_DOMAIN_NAME' as const;
  constructor() {
    super('Unable to determine the domain name');
    nodeStack(this, this.code);
  }
}

// ---------------------------------------------------------------------------
// Stream errors

/** `write after end` */
export class ERR_STREAM_WRITE_AFTER_END extends Error {
  code = 'ERR_STREAM_WRITE_AFTER_END' as const;
  constructor() {
    super('write after end');
    nodeStack(this, this.code);
  }
}

/** `Cannot pipe, not readable` */
export class ERR_STREAM_CANNOT_PIPE extends Error {
  code = 'ERR_STREAM_CANNOT_PIPE' as const;
  constructor() {
    super('Cannot pipe, not readable');
    nodeStack(this, this.code);
  }
}

/** `Cannot call <method> after a stream was destroyed` */
export class ERR_STREAM_DESTROYED extends Error {
  code = 'ERR_STREAM_DESTROYED' as const;
  constructor(method: string) {
    super(format('Cannot call %s after a stream was destroyed', method));
    nodeStack(this, this.code);
  }
}

/** `Cannot call <method> after a stream was finished` */
export class ERR_STREAM_ALREADY_FINISHED extends Error {
  code = 'ERR_STREAM_ALREADY_FINISHED' as const;
  constructor(method: string) {
    super(format('Cannot call %s after a stream was finished', method));
    nodeStack(this, this.code);
  }
}

/** `May not write null values to stream` */
export class ERR_STREAM_NULL_VALUES extends TypeError {
  code = 'ERR_STREAM_NULL_VALUES' as const;
  constructor() {
    super('May not write null values to stream');
    nodeStack(this, this.code);
  }
}

/** `Premature close` */
export class ERR_STREAM_PREMATURE_CLOSE extends Error {
  code = 'ERR_STREAM_PREMATURE_CLOSE' as const;
  constructor() {
    super('Premature close');
    nodeStack(this, this.code);
  }
}

/** `stream.push() after EOF` */
export class ERR_STREAM_PUSH_AFTER_EOF extends Error {
  code = 'ERR_STREAM_PUSH_AFTER_EOF' as const;
  constructor() {
    super('stream.push() after EOF');
    nodeStack(this, this.code);
  }
}

/** `Callback called multiple times` */
export class ERR_MULTIPLE_CALLBACK extends Error {
  code = 'ERR_MULTIPLE_CALLBACK' as const;
  constructor() {
    super('Callback called multiple times');
    nodeStack(this, this.code);
  }
}

// ---------------------------------------------------------------------------
// Socket / server errors (net)

/** `<name> should be >= 0 and < 65536. Received <type>.` */
export class ERR_SOCKET_BAD_PORT extends RangeError {
  code = 'ERR_SOCKET_BAD_PORT' as const;
  constructor(name: string, port: unknown, allowZero = true) {
    const operator = allowZero ? '>=' : '>';
    super(`${name} should be ${operator} 0 and < 65536. Received ${describeReceived(port)}.`);
    nodeStack(this, this.code);
  }
}

/** `Socket is closed` */
export class ERR_SOCKET_CLOSED extends Error {
  code = 'ERR_SOCKET_CLOSED' as const;
  constructor() {
    super('Socket is closed');
    nodeStack(this, this.code);
  }
}

/** `Listen method has been called more than once without closing.` */
export class ERR_SERVER_ALREADY_LISTEN extends Error {
  code = 'ERR_SERVER_ALREADY_LISTEN' as const;
  constructor() {
    super('Listen method has been called more than once without closing.');
    nodeStack(this, this.code);
  }
}

/** `Server is not running.` */
export class ERR_SERVER_NOT_RUNNING extends Error {
  code = 'ERR_SERVER_NOT_RUNNING' as const;
  constructor() {
    super('Server is not running.');
    nodeStack(this, this.code);
  }
}

/** `Invalid IP address: <address>` */
export class ERR_INVALID_IP_ADDRESS extends TypeError {
  code = 'ERR_INVALID_IP_ADDRESS' as const;
  constructor(address: unknown) {
    super(format('Invalid IP address: %s', address));
    nodeStack(this, this.code);
  }
}

for (const [cls, base] of [
  [ERR_INVALID_ARG_TYPE, TypeError],
  [ERR_INVALID_ARG_VALUE, TypeError],
  [ERR_INVALID_ARG_VALUE_RANGE, RangeError],
  [ERR_OUT_OF_RANGE, RangeError],
  [ERR_MISSING_ARGS, TypeError],
  [ERR_MISSING_OPTION, TypeError],
  [ERR_INVALID_THIS, TypeError],
  [ERR_INVALID_STATE, Error],
  [ERR_INVALID_STATE_TYPE, TypeError],
  [ERR_INVALID_STATE_RANGE, RangeError],
  [ERR_INVALID_RETURN_VALUE, TypeError],
  [ERR_HTTP_HEADERS_SENT, Error],
  [ERR_HTTP_INVALID_STATUS_CODE, RangeError],
  [ERR_HTTP_TRAILER_INVALID, Error],
  [ERR_HTTP_INVALID_HEADER_VALUE, TypeError],
  [ERR_INVALID_HTTP_TOKEN, TypeError],
  [ERR_INVALID_CHAR, TypeError],
  [ERR_HTTP_CONTENT_LENGTH_MISMATCH, Error],
  [ERR_HTTP_BODY_NOT_ALLOWED, Error],
  [ERR_HTTP_SOCKET_ASSIGNED, Error],
  [ERR_HTTP_SOCKET_ENCODING, Error],
  [ERR_HTTP_REQUEST_TIMEOUT, Error],
  [ERR_METHOD_NOT_IMPLEMENTED, Error],
  [ERR_UNESCAPED_CHARACTERS, TypeError],
  [ERR_INVALID_PROTOCOL, TypeError],
  [ERR_INVALID_DOMAIN_NAME, TypeError],
  [ERR_STREAM_WRITE_AFTER_END, Error],
  [ERR_STREAM_CANNOT_PIPE, Error],
  [ERR_STREAM_DESTROYED, Error],
  [ERR_STREAM_ALREADY_FINISHED, Error],
  [ERR_STREAM_NULL_VALUES, TypeError],
  [ERR_STREAM_PREMATURE_CLOSE, Error],
  [ERR_STREAM_PUSH_AFTER_EOF, Error],
  [ERR_MULTIPLE_CALLBACK, Error],
  [ERR_SOCKET_BAD_PORT, RangeError],
  [ERR_SOCKET_CLOSED, Error],
  [ERR_SERVER_ALREADY_LISTEN, Error],
  [ERR_SERVER_NOT_RUNNING, Error],
  [ERR_INVALID_IP_ADDRESS, TypeError],
] as const) {
  defineNodeError(cls, base);
}
defineNodeError(ERR_INVALID_URL, TypeError, false);

// ---------------------------------------------------------------------------
// Non-coded-class errors

/** An `Error` with `code: 'ECONNRESET'` (Node's ConnResetException), e.g. `socket hang up`. */
export class ConnResetException extends Error {
  code = 'ECONNRESET';
}
Object.defineProperty(ConnResetException.prototype, 'constructor', {
  get() {
    return Error;
  },
  enumerable: false,
  configurable: true,
});

/** `new ConnResetException(message)`: what `http` emits for `socket hang up` / `aborted`. */
export function connResetException(message: string): ConnResetException {
  return new ConnResetException(message);
}

/**
 * Node's `AbortError`: `name` 'AbortError', `code` 'ABORT_ERR', default message
 * `The operation was aborted`, optional `{ cause }`.
 */
export class AbortError extends Error {
  code = 'ABORT_ERR';
  override name = 'AbortError';
  constructor(message = 'The operation was aborted', options?: { cause?: unknown }) {
    super(message, abortErrorOptions(options));
  }
}

/** `options` must be an object (or null / undefined) for AbortError. */
function abortErrorOptions(options: unknown): { cause?: unknown } | undefined {
  if (options === undefined || typeof options === 'object') return options as { cause?: unknown };
  throw new ERR_INVALID_ARG_TYPE('options', 'Object', options);
}
