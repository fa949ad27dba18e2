// @strata-http/parser — a strict, streaming HTTP/1.x parser that decides
// every message the way llhttp (the parser inside Node.js) does.

export {
  DEFAULT_MAX_HEADER_SIZE,
  type ErrorCode,
  ErrorCodes,
  HTTP_METHODS,
  LenientFlags,
  LLHTTP_METHODS,
  MAX_CHUNK_EXTENSIONS_SIZE,
  RTSP_METHODS,
} from './constants.js';
export { bindingError, ParseError } from './parse-error.js';
export { HTTPParser, type ParserOptions, type ParserType } from './parser.js';
