/**
 * Lower-casing of header names without allocating for the names every
 * message uses. `name.toLowerCase()` returns a fresh string for
 * 'Content-Type'; using it as a property key then costs a string-table lookup
 * on every access. For the common names, in their usual spellings, this
 * returns the one shared lower-case constant instead.
 */

// Canonical spellings of the fields requests and responses carry most
// (RFC 9110/9111/6265, CORS, common security and proxy headers).
const COMMON = [
  'Accept',
  'Accept-Charset',
  'Accept-Encoding',
  'Accept-Language',
  'Accept-Ranges',
  'Access-Control-Allow-Credentials',
  'Access-Control-Allow-Headers',
  'Access-Control-Allow-Methods',
  'Access-Control-Allow-Origin',
  'Access-Control-Expose-Headers',
  'Access-Control-Max-Age',
  'Access-Control-Request-Headers',
  'Access-Control-Request-Method',
  'Age',
  'Allow',
  'Authorization',
  'Cache-Control',
  'Connection',
  'Content-Disposition',
  'Content-Encoding',
  'Content-Language',
  'Content-Length',
  'Content-Location',
  'Content-Range',
  'Content-Security-Policy',
  'Content-Type',
  'Cookie',
  'Date',
  'ETag',
  'Expect',
  'Expires',
  'Forwarded',
  'From',
  'Host',
  'If-Match',
  'If-Modified-Since',
  'If-None-Match',
  'If-Range',
  'If-Unmodified-Since',
  'Keep-Alive',
  'Last-Modified',
  'Link',
  'Location',
  'Max-Forwards',
  'Origin',
  'Pragma',
  'Proxy-Authenticate',
  'Proxy-Authorization',
  'Range',
  'Referer',
  'Referrer-Policy',
  'Retry-After',
  'Priority',
  'Sec-CH-UA',
  'Sec-CH-UA-Mobile',
  'Sec-CH-UA-Platform',
  'Sec-Fetch-Dest',
  'Sec-Fetch-Mode',
  'Sec-Fetch-Site',
  'Sec-Fetch-User',
  'Sec-GPC',
  'DNT',
  'Upgrade-Insecure-Requests',
  'X-Real-IP',
  'X-Correlation-ID',
  'Sec-WebSocket-Accept',
  'Sec-WebSocket-Extensions',
  'Sec-WebSocket-Key',
  'Sec-WebSocket-Protocol',
  'Sec-WebSocket-Version',
  'Server',
  'Set-Cookie',
  'Strict-Transport-Security',
  'TE',
  'Trailer',
  'Transfer-Encoding',
  'Upgrade',
  'User-Agent',
  'Vary',
  'Via',
  'WWW-Authenticate',
  'X-Content-Type-Options',
  'X-Forwarded-For',
  'X-Forwarded-Host',
  'X-Forwarded-Proto',
  'X-Frame-Options',
  'X-Powered-By',
  'X-Requested-With',
  'X-Request-Id',
  'X-XSS-Protection',
];

const known = new Map<string, string>();
for (const name of COMMON) {
  const lower = name.toLowerCase();
  known.set(name, lower);
  known.set(lower, lower);
}

/**
 * The shared lower-case constant for a common name in canonical or
 * lower-case spelling; undefined for any other string.
 */
export function knownLowerCase(name: string): string | undefined {
  return known.get(name);
}

/**
 * `name.toLowerCase()`, returning a shared constant for the common header
 * names in canonical or lower-case spelling.
 *
 * @example
 * lowerCaseHeaderName('Content-Type'); // 'content-type' (the shared constant)
 * lowerCaseHeaderName('X-MY-Header');  // 'x-my-header'
 */
export function lowerCaseHeaderName(name: string): string {
  const lower = known.get(name);
  return lower !== undefined ? lower : name.toLowerCase();
}
