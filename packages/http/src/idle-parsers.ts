import { ERR_INVALID_ARG_TYPE, ERR_OUT_OF_RANGE } from '@strata-http/headers';

/** Node's default bound on idle parsers kept for reuse between connections. */
export const kDefaultMaxIdleParsers = 1000;

/** The bound set by `setMaxIdleHTTPParsers()`, where the layer that pools parsers reads it. */
export interface IdleParserPool {
  max: number;
}

/**
 * Validates `max` the way Node's `http.setMaxIdleHTTPParsers()` does: a number
 * (ERR_INVALID_ARG_TYPE otherwise), an integer in [1, Number.MAX_SAFE_INTEGER]
 * (ERR_OUT_OF_RANGE otherwise).
 */
export function validateMaxIdleParsers(max: unknown): asserts max is number {
  if (typeof max !== 'number') throw new ERR_INVALID_ARG_TYPE('max', 'number', max);
  if (!Number.isInteger(max)) throw new ERR_OUT_OF_RANGE('max', 'an integer', max);
  if (max < 1 || max > Number.MAX_SAFE_INTEGER) {
    throw new ERR_OUT_OF_RANGE('max', `>= 1 && <= ${Number.MAX_SAFE_INTEGER}`, max);
  }
}
