/** Private state of IncomingMessage: the lazily built header and trailer objects. */
export const kHeaders: unique symbol = Symbol('kHeaders');
export const kHeadersDistinct: unique symbol = Symbol('kHeadersDistinct');
export const kTrailers: unique symbol = Symbol('kTrailers');
export const kTrailersDistinct: unique symbol = Symbol('kTrailersDistinct');
