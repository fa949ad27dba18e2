/**
 * Reads the `timeout=N` parameter of a `Keep-Alive` response header
 * (RFC 2068 §19.7.1.1, still sent by Node, nginx, Apache): the number of seconds the
 * server keeps an idle connection open. Returns -1 when absent or malformed.
 * A hand-rolled scan, not a regex: this runs once per keep-alive response.
 */
export function parseKeepAliveTimeout(value: unknown): number {
  if (typeof value !== 'string') return -1;
  const len = value.length;
  let i = 0;
  while (i < len) {
    // skip separators and whitespace
    let c = value.charCodeAt(i);
    while (i < len && (c === 0x20 || c === 0x09 || c === 0x2c)) c = value.charCodeAt(++i);
    // parameter name, compared case-insensitively with "timeout"
    const start = i;
    while (i < len && (c = value.charCodeAt(i)) !== 0x3d && c !== 0x2c) i++;
    const name = value.slice(start, i).trim();
    if (i < len && value.charCodeAt(i) === 0x3d) {
      i++;
      while (i < len && value.charCodeAt(i) === 0x20) i++;
      if (name.length === 7 && name.toLowerCase() === 'timeout') {
        let n = 0;
        let digits = 0;
        while (i < len && (c = value.charCodeAt(i)) >= 0x30 && c <= 0x39) {
          n = n * 10 + (c - 0x30);
          digits++;
          i++;
        }
        return digits > 0 && digits < 10 ? n : -1;
      }
      while (i < len && value.charCodeAt(i) !== 0x2c) i++;
    }
  }
  return -1;
}
