/**
 * The argument checks `createServer` and `Server` need, throwing Node's coded
 * errors with Node's messages (the same text `node:http` produces for the same
 * bad option, checked side by side in test/options.test.ts).
 */
import { ERR_INVALID_ARG_TYPE, ERR_OUT_OF_RANGE } from '@strata-http/headers';

/** Throws unless `value` is an integer in [min, Number.MAX_SAFE_INTEGER]. */
export function validateInteger(value: unknown, name: string, min = 0): asserts value is number {
  if (typeof value !== 'number') throw new ERR_INVALID_ARG_TYPE(name, 'number', value);
  if (!Number.isInteger(value)) throw new ERR_OUT_OF_RANGE(name, 'an integer', value);
  if (value < min || value > Number.MAX_SAFE_INTEGER) {
    throw new ERR_OUT_OF_RANGE(name, `>= ${min} && <= ${Number.MAX_SAFE_INTEGER}`, value);
  }
}

/** Throws unless `value` is a boolean. */
export function validateBoolean(value: unknown, name: string): asserts value is boolean {
  if (typeof value !== 'boolean') throw new ERR_INVALID_ARG_TYPE(name, 'boolean', value);
}

/** Throws unless `value` is a number (NaN included, as Node's validateNumber). */
export function validateNumber(value: unknown, name: string): asserts value is number {
  if (typeof value !== 'number') throw new ERR_INVALID_ARG_TYPE(name, 'number', value);
}

/** Throws unless `value` is a non-null, non-array object. */
export function validateObject(value: unknown, name: string): asserts value is object {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ERR_INVALID_ARG_TYPE(name, 'Object', value);
  }
}

/** Throws unless `value` is a function. */
export function validateFunction(value: unknown, name: string): asserts value is Function {
  if (typeof value !== 'function') throw new ERR_INVALID_ARG_TYPE(name, 'Function', value);
}
