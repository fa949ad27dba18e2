/**
 * The outgoing header store behind `OutgoingMessage`'s setHeader / getHeader /
 * appendHeader / getHeaders / getRawHeaderNames / removeHeader, with Node's
 * semantics (`_http_outgoing.js`).
 *
 * Entries live in `map`, a null-prototype object keyed by the lower-cased name
 * whose values are `[nameAsGiven, value]` — the shape of Node's `kOutHeaders`,
 * so iteration order (insertion order, integer-like names first) and every
 * quirk that follows from it are Node's.
 */
import { ERR_INVALID_ARG_TYPE } from './errors.js';
import { lowerCaseHeaderName } from './names.js';
import { validateHeaderName, validateHeaderValue } from './validate.js';

/** What a header may hold: Node stores the value as given (numbers, arrays of strings…). */
export type OutgoingHeaderValue = number | string | readonly string[];

/** One store entry: the name as the caller spelled it, and the value. */
export type OutgoingHeaderEntry = [name: string, value: OutgoingHeaderValue];

/** Node's `validateString(name, 'name')`. */
function validateName(name: unknown): asserts name is string {
  if (typeof name !== 'string') throw new ERR_INVALID_ARG_TYPE('name', 'string', name);
}

/**
 * Case-insensitive header store that keeps the caller's casing for the wire.
 *
 * @example
 * const h = new OutgoingHeaders();
 * h.set('Content-Type', 'text/plain').append('Set-Cookie', 'a=1').append('set-cookie', 'b=2');
 * h.get('content-type');  // 'text/plain'
 * h.rawNames();           // ['Content-Type', 'Set-Cookie']
 * h.toObject();           // [Object: null prototype] { 'content-type': 'text/plain', 'set-cookie': ['a=1', 'b=2'] }
 * serializeHeaders(h);    // 'Content-Type: text/plain\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2\r\n'
 */
export class OutgoingHeaders {
  /** `lower-cased name -> [name as given, value]`, null prototype (Node's `kOutHeaders`). */
  map: Record<string, OutgoingHeaderEntry>;

  constructor() {
    this.map = Object.create(null);
  }

  /**
   * `setHeader(name, value)`: validates like Node (ERR_INVALID_HTTP_TOKEN,
   * ERR_HTTP_INVALID_HEADER_VALUE, ERR_INVALID_CHAR) and replaces any field of
   * that name, keeping `name`'s casing. The value is stored as given.
   */
  set(name: string, value: OutgoingHeaderValue): this {
    validateHeaderName(name);
    validateHeaderValue(name, value);
    this.map[lowerCaseHeaderName(name)] = [name, value];
    return this;
  }

  /**
   * `appendHeader(name, value)`: validates, then adds `value` (or each element
   * of an array) after the field's existing values, turning a single value into
   * an array; sets the field when absent. The first caller's casing is kept.
   */
  append(name: string, value: OutgoingHeaderValue): this {
    validateHeaderName(name);
    validateHeaderValue(name, value);
    const key = lowerCaseHeaderName(name);
    const entry = this.map[key];
    if (!entry) {
      this.map[key] = [name, value];
      return this;
    }
    let existing = entry[1];
    if (!Array.isArray(existing)) entry[1] = existing = [existing as string];
    const list = existing as string[];
    if (Array.isArray(value)) {
      for (let i = 0, l = value.length; i < l; i++) list.push(value[i]);
    } else {
      list.push(value as string);
    }
    return this;
  }

  /**
   * `setHeaders(headers)` for a `Headers` or `Map` (anything else: Node's
   * ERR_INVALID_ARG_TYPE). Each entry is `set`; `set-cookie` entries — which a
   * `Headers` yields one per cookie when iterated — are collected and set once
   * as an array, so no cookie overwrites another.
   */
  setHeaders(headers: Headers | Map<string, OutgoingHeaderValue>): this {
    const h = headers as unknown as { keys?: unknown; get?: unknown } | null;
    if (!h || Array.isArray(h) || typeof h.keys !== 'function' || typeof h.get !== 'function') {
      throw new ERR_INVALID_ARG_TYPE('headers', ['Headers', 'Map'], headers);
    }
    const cookies: string[] = [];
    for (const { 0: key, 1: value } of headers as Iterable<[string, OutgoingHeaderValue]>) {
      if (key === 'set-cookie') {
        if (Array.isArray(value)) cookies.push(...value);
        else cookies.push(value as string);
        continue;
      }
      this.set(key, value);
    }
    if (cookies.length) this.set('set-cookie', cookies);
    return this;
  }

  /** `getHeader(name)`: the stored value, or undefined. Throws for a non-string name. */
  get(name: string): OutgoingHeaderValue | undefined {
    validateName(name);
    const entry = this.map[lowerCaseHeaderName(name)];
    return entry?.[1];
  }

  /** `hasHeader(name)`. Throws for a non-string name. */
  has(name: string): boolean {
    validateName(name);
    return !!this.map[lowerCaseHeaderName(name)];
  }

  /** `removeHeader(name)`; returns whether a field was there. Throws for a non-string name. */
  remove(name: string): boolean {
    validateName(name);
    const key = lowerCaseHeaderName(name);
    if (this.map[key] === undefined) return false;
    delete this.map[key];
    return true;
  }

  /** `getHeaderNames()`: the lower-cased names. */
  names(): string[] {
    return Object.keys(this.map);
  }

  /** `getRawHeaderNames()`: the names as the caller spelled them. */
  rawNames(): string[] {
    const entries = Object.values(this.map);
    const out = new Array<string>(entries.length);
    for (let i = 0, l = entries.length; i < l; i++) out[i] = entries[i][0];
    return out;
  }

  /**
   * `getHeaders()`: a shallow copy, null prototype, lower-cased keys; array
   * values are the stored arrays themselves (as in Node).
   */
  toObject(): Record<string, OutgoingHeaderValue> {
    const out: Record<string, OutgoingHeaderValue> = Object.create(null);
    const map = this.map;
    for (const key in map) out[key] = map[key][1];
    return out;
  }

  /**
   * Node's deprecated `_renderHeaders()`: a plain `{}` keyed by the caller's
   * spelling.
   */
  toRawObject(): Record<string, OutgoingHeaderValue> {
    const out: Record<string, OutgoingHeaderValue> = {};
    const map = this.map;
    for (const key in map) out[map[key][0]] = map[key][1];
    return out;
  }

  /** True when no field is stored. */
  isEmpty(): boolean {
    for (const _ in this.map) return false;
    return true;
  }

  /** Removes every field. */
  clear(): void {
    this.map = Object.create(null);
  }
}

/**
 * Node's `uniqueHeaders` option → a set of lower-cased names (null unless an
 * array). Array values of these fields are sent as one line joined with `; `
 * instead of one line per value.
 */
export function parseUniqueHeaders(option: unknown): Set<string> | null {
  if (!Array.isArray(option)) return null;
  const unique = new Set<string>();
  for (let i = 0, l = option.length; i < l; i++) unique.add((option[i] as string).toLowerCase());
  return unique;
}
