/**
 * Assembly of `message.headers` / `message.trailers` and their `*Distinct`
 * forms from the parser's raw `[name, value, name, value, …]` list, with the
 * rules of Node's `IncomingMessage` (`_http_incoming.js`):
 *
 * - keys are lower-cased;
 * - `set-cookie` is always an array of every value;
 * - duplicate `cookie` fields are joined with `; `;
 * - duplicates of the fields RFC 9110 defines as single-valued (age,
 *   authorization, content-length, content-type, etag, expires, from, host,
 *   if-modified-since, if-unmodified-since, last-modified, location,
 *   max-forwards, proxy-authorization, referer, retry-after, server,
 *   user-agent) are discarded — the first wins — unless `joinDuplicateHeaders`,
 *   which joins them with `, ` like every other field.
 *
 * The header object inherits from `Object.prototype` (Node's is a `{}`); the
 * distinct object has a null prototype (Node's is `{ __proto__: null }`).
 * Callers build these lazily, on first access, never per request.
 */
import { knownLowerCase } from './names.js';

/** Node's `IncomingHttpHeaders`: one string per field, `set-cookie` an array. */
export type IncomingHeaders = Record<string, string | string[] | undefined>;
/** Node's `headersDistinct` / `trailersDistinct`: every value an array. */
export type IncomingHeadersDistinct = Record<string, string[]>;

// How a duplicate of a field is folded into the header object.
const JOIN_COMMA = 0; // `a, b`
const SET_COOKIE = 1; // array
const JOIN_SEMICOLON = 2; // cookie: `a; b`
const FIRST_WINS = 3; // single-valued fields: later duplicates dropped

// Set by lowerKnownField(): how to fold the field it just returned. A
// module-level slot instead of a returned pair, so nothing is allocated per
// field.
let fieldRule = JOIN_COMMA;

/**
 * The lower-cased name of a field with a rule of its own (and of a few
 * frequent comma-joined ones), setting `fieldRule`; undefined for any other
 * name. Matches the canonical and the lower-case spelling only.
 */
function specialField(field: string): string | undefined {
  switch (field.length) {
    case 3:
      if (field === 'Age' || field === 'age') {
        fieldRule = FIRST_WINS;
        return 'age';
      }
      break;
    case 4:
      if (field === 'Host' || field === 'host') {
        fieldRule = FIRST_WINS;
        return 'host';
      }
      if (field === 'From' || field === 'from') {
        fieldRule = FIRST_WINS;
        return 'from';
      }
      if (field === 'ETag' || field === 'etag') {
        fieldRule = FIRST_WINS;
        return 'etag';
      }
      if (field === 'Date' || field === 'date') {
        fieldRule = JOIN_COMMA;
        return 'date';
      }
      if (field === 'Vary' || field === 'vary') {
        fieldRule = JOIN_COMMA;
        return 'vary';
      }
      break;
    case 6:
      if (field === 'Server' || field === 'server') {
        fieldRule = FIRST_WINS;
        return 'server';
      }
      if (field === 'Cookie' || field === 'cookie') {
        fieldRule = JOIN_SEMICOLON;
        return 'cookie';
      }
      if (field === 'Accept' || field === 'accept') {
        fieldRule = JOIN_COMMA;
        return 'accept';
      }
      if (field === 'Origin' || field === 'origin') {
        fieldRule = JOIN_COMMA;
        return 'origin';
      }
      break;
    case 7:
      if (field === 'Referer' || field === 'referer') {
        fieldRule = FIRST_WINS;
        return 'referer';
      }
      if (field === 'Expires' || field === 'expires') {
        fieldRule = FIRST_WINS;
        return 'expires';
      }
      break;
    case 8:
      if (field === 'Location' || field === 'location') {
        fieldRule = FIRST_WINS;
        return 'location';
      }
      break;
    case 10:
      if (field === 'User-Agent' || field === 'user-agent') {
        fieldRule = FIRST_WINS;
        return 'user-agent';
      }
      if (field === 'Set-Cookie' || field === 'set-cookie') {
        fieldRule = SET_COOKIE;
        return 'set-cookie';
      }
      if (field === 'Connection' || field === 'connection') {
        fieldRule = JOIN_COMMA;
        return 'connection';
      }
      break;
    case 11:
      if (field === 'Retry-After' || field === 'retry-after') {
        fieldRule = FIRST_WINS;
        return 'retry-after';
      }
      break;
    case 12:
      if (field === 'Content-Type' || field === 'content-type') {
        fieldRule = FIRST_WINS;
        return 'content-type';
      }
      if (field === 'Max-Forwards' || field === 'max-forwards') {
        fieldRule = FIRST_WINS;
        return 'max-forwards';
      }
      break;
    case 13:
      if (field === 'Authorization' || field === 'authorization') {
        fieldRule = FIRST_WINS;
        return 'authorization';
      }
      if (field === 'Last-Modified' || field === 'last-modified') {
        fieldRule = FIRST_WINS;
        return 'last-modified';
      }
      if (field === 'Cache-Control' || field === 'cache-control') {
        fieldRule = JOIN_COMMA;
        return 'cache-control';
      }
      break;
    case 14:
      if (field === 'Content-Length' || field === 'content-length') {
        fieldRule = FIRST_WINS;
        return 'content-length';
      }
      break;
    case 15:
      if (field === 'Accept-Encoding' || field === 'accept-encoding') {
        fieldRule = JOIN_COMMA;
        return 'accept-encoding';
      }
      if (field === 'Accept-Language' || field === 'accept-language') {
        fieldRule = JOIN_COMMA;
        return 'accept-language';
      }
      break;
    case 17:
      if (field === 'If-Modified-Since' || field === 'if-modified-since') {
        fieldRule = FIRST_WINS;
        return 'if-modified-since';
      }
      break;
    case 19:
      if (field === 'Proxy-Authorization' || field === 'proxy-authorization') {
        fieldRule = FIRST_WINS;
        return 'proxy-authorization';
      }
      if (field === 'If-Unmodified-Since' || field === 'if-unmodified-since') {
        fieldRule = FIRST_WINS;
        return 'if-unmodified-since';
      }
      break;
  }
  return undefined;
}

/**
 * Returns the lower-cased field name and sets `fieldRule`. Spellings as sent
 * by every common client ('Content-Type' or 'content-type') are recognised
 * without calling toLowerCase().
 */
function lowerKnownField(field: string): string {
  const special = specialField(field);
  if (special !== undefined) return special;
  fieldRule = JOIN_COMMA;
  // A common name in its usual spelling. Never a special one: specialField()
  // knows both spellings of every special name.
  const common = knownLowerCase(field);
  if (common !== undefined) return common;
  // Any other spelling ('CONTENT-TYPE') may still be a special field.
  const lower = field.toLowerCase();
  return specialField(lower) ?? lower;
}

/**
 * Adds one raw field to a header object being assembled, with the rules
 * above (Node's `IncomingMessage.prototype._addHeaderLine`). Use it to extend
 * an already-built object when more raw fields arrive.
 */
export function addHeaderLine(
  dest: IncomingHeaders,
  field: string,
  value: string,
  joinDuplicateHeaders?: boolean,
): void {
  const key = lowerKnownField(field);
  const current = dest[key];
  switch (fieldRule) {
    case SET_COOKIE:
      if (current === undefined) dest[key] = [value];
      else (current as string[]).push(value);
      break;
    case FIRST_WINS:
      // The first copy is kept; later ones are ignored, or, when the caller
      // opted in, combined with ', ' as RFC 9110 §5.3 combines list fields.
      if (current === undefined) dest[key] = value;
      else if (joinDuplicateHeaders) dest[key] = `${current}, ${value}`;
      break;
    default:
      // Only a string is extended: anything else found under the key (e.g.
      // Object.prototype.constructor for a 'constructor' field) is replaced.
      dest[key] =
        typeof current === 'string'
          ? current + (fieldRule === JOIN_SEMICOLON ? '; ' : ', ') + value
          : value;
  }
}

/** Adds one raw field to a `headersDistinct` object (Node's `_addHeaderLineDistinct`). */
export function addHeaderLineDistinct(
  dest: IncomingHeadersDistinct,
  field: string,
  value: string,
): void {
  const key = lowerKnownField(field);
  const values = dest[key];
  if (values) values.push(value);
  else dest[key] = [value];
}

/**
 * How many entries of `raw` the header builders read: the first `count` (what
 * `maxHeadersCount` lets count, two entries per field), or all of them when
 * `count` is undefined, negative or covers them.
 */
function entriesToRead(raw: readonly string[], count: number | undefined): number {
  return count === undefined || count < 0 || count >= raw.length ? raw.length : count;
}

/**
 * Builds `message.headers` from `rawHeaders` (`[name, value, …]`): the first
 * `count` entries when given (`maxHeadersCount`, two entries per field), else
 * all. Returns a plain object (prototype `Object.prototype`, as Node's).
 *
 * @example
 * buildHeaders(['Host', 'a', 'Cookie', 'x=1', 'cookie', 'y=2'])
 * // { host: 'a', cookie: 'x=1; y=2' }
 */
export function buildHeaders(
  rawHeaders: readonly string[],
  joinDuplicateHeaders?: boolean,
  count?: number,
): IncomingHeaders {
  const dest: IncomingHeaders = {};
  const n = entriesToRead(rawHeaders, count);
  for (let i = 0; i < n; i += 2) {
    addHeaderLine(dest, rawHeaders[i], rawHeaders[i + 1], joinDuplicateHeaders);
  }
  return dest;
}

/**
 * Builds `message.headersDistinct` from `rawHeaders` (the first `count` entries
 * when given): lower-cased keys, every value an array in arrival order, null
 * prototype (as Node's).
 *
 * @example
 * buildHeadersDistinct(['Accept', 'a', 'accept', 'b'])  // { accept: ['a', 'b'] }
 */
export function buildHeadersDistinct(
  rawHeaders: readonly string[],
  count?: number,
): IncomingHeadersDistinct {
  const dest = Object.create(null) as IncomingHeadersDistinct;
  const n = entriesToRead(rawHeaders, count);
  for (let i = 0; i < n; i += 2) {
    addHeaderLineDistinct(dest, rawHeaders[i], rawHeaders[i + 1]);
  }
  return dest;
}

/** `message.trailers` from `rawTrailers`: the same rules as {@link buildHeaders}. */
export const buildTrailers: typeof buildHeaders = buildHeaders;

/** `message.trailersDistinct` from `rawTrailers`: as {@link buildHeadersDistinct}. */
export const buildTrailersDistinct: typeof buildHeadersDistinct = buildHeadersDistinct;
