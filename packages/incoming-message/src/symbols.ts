/**
 * Private state of IncomingMessage: the lazily built header and trailer objects,
 * and how many raw entries each is built from (`_addHeaderLines(list, n)`).
 */
export const kHeaders: unique symbol = Symbol('kHeaders');
export const kHeadersDistinct: unique symbol = Symbol('kHeadersDistinct');
export const kTrailers: unique symbol = Symbol('kTrailers');
export const kTrailersDistinct: unique symbol = Symbol('kTrailersDistinct');
export const kHeadersCount: unique symbol = Symbol('kHeadersCount');
export const kTrailersCount: unique symbol = Symbol('kTrailersCount');
