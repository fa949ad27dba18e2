import process from 'node:process';
import { ERR_INVALID_ARG_TYPE, ERR_OUT_OF_RANGE } from '@strata-http/headers';

/**
 * True when `path` holds a character Node refuses in a request target: anything
 * at or below U+0020 (controls, space) or above U+00FF (not latin1, so not a byte).
 */
export function hasUnescapedCharacters(path: string): boolean {
  for (let i = 0; i < path.length; i++) {
    const c = path.charCodeAt(i);
    if (c <= 0x20 || c > 0xff) return true;
  }
  return false;
}

/** A timer duration: a non-negative finite number (Node's getTimerDuration). */
export function validateTimeout(value: unknown, name: string): number {
  if (typeof value !== 'number') throw new ERR_INVALID_ARG_TYPE(name, 'number', value);
  if (!(value >= 0) || !Number.isFinite(value)) {
    throw new ERR_OUT_OF_RANGE(name, 'a non-negative finite number', value);
  }
  // Timers hold a signed 32-bit duration; warn now, so the stack shows the caller.
  if (value > TIMEOUT_MAX) {
    process.emitWarning(
      `${value} does not fit into a 32-bit signed integer.\nTimer duration was truncated to ${TIMEOUT_MAX}.`,
      'TimeoutOverflowWarning',
    );
    return TIMEOUT_MAX;
  }
  return value;
}

const TIMEOUT_MAX = 2 ** 31 - 1;

export function validateInteger(value: unknown, name: string, min: number): number {
  if (typeof value !== 'number') throw new ERR_INVALID_ARG_TYPE(name, 'number', value);
  if (!Number.isInteger(value)) throw new ERR_OUT_OF_RANGE(name, 'an integer', value);
  if (value < min || value > Number.MAX_SAFE_INTEGER) {
    throw new ERR_OUT_OF_RANGE(name, `>= ${min} && <= ${Number.MAX_SAFE_INTEGER}`, value);
  }
  return value;
}

export function validateBoolean(value: unknown, name: string): void {
  if (typeof value !== 'boolean') throw new ERR_INVALID_ARG_TYPE(name, 'boolean', value);
}

/** `host`/`hostname` must be a string, undefined or null. */
export function validateHost(host: unknown, name: string): string | undefined | null {
  if (host !== null && host !== undefined && typeof host !== 'string') {
    throw new ERR_INVALID_ARG_TYPE(`options.${name}`, ['string', 'undefined', 'null'], host);
  }
  return host;
}
