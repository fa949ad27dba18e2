import type { Buffer } from 'node:buffer';
import type { ErrorCode } from './constants.js';

/**
 * A parse failure, shaped like the errors Node's parser binding returns:
 * `code` is llhttp's error name (`HPE_INVALID_METHOD`, ...), `reason` llhttp's
 * text, `bytesParsed` the offset inside the buffer given to the failing
 * `execute()` call where parsing stopped, and `rawPacket` that buffer, so a
 * server can fill `clientError`'s `err.bytesParsed` and `err.rawPacket`.
 */
export class ParseError extends Error {
  code: ErrorCode;
  reason: string;
  bytesParsed: number;
  rawPacket: Buffer | undefined;

  constructor(code: ErrorCode, reason: string, bytesParsed: number, rawPacket?: Buffer) {
    super(`Parse Error: ${reason}`);
    this.code = code;
    this.reason = reason;
    this.bytesParsed = bytesParsed;
    this.rawPacket = rawPacket;
  }
}

ParseError.prototype.name = 'Error';

/**
 * A failure as Node's parser binding returns it, before node:http prepares it
 * for `clientError` (prepareError adds the reason to the message and
 * `rawPacket`): a plain `Error('Parse Error')` with own `bytesParsed`, `code`
 * and `reason` only. node:http hands the end-of-input error
 * (`HPE_INVALID_EOF_STATE`) on in this form, and `_http_common.HTTPParser`
 * returns every error in it.
 */
export function bindingError(code: string, reason: string, bytesParsed: number): Error {
  const err = new Error('Parse Error') as Error & Record<string, unknown>;
  err.bytesParsed = bytesParsed;
  err.code = code;
  err.reason = reason;
  return err;
}
