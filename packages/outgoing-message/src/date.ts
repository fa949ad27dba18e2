/**
 * The `Date` header value (RFC 9110 §5.6.7 IMF-fixdate), cached for the rest
 * of the current second so a busy server formats it once per second, not once
 * per response.
 */
let cachedDate: string | undefined;

function clearDate(): void {
  cachedDate = undefined;
}

/** `new Date().toUTCString()`, recomputed at most once per second. */
export function utcDate(): string {
  if (cachedDate === undefined) {
    const now = new Date();
    cachedDate = now.toUTCString();
    // Expire exactly at the next second boundary; unref'd so it never holds the process open.
    setTimeout(clearDate, 1000 - now.getMilliseconds()).unref();
  }
  return cachedDate;
}
