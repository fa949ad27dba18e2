// Internal stack helpers (not exported from the package entry).

/**
 * Re-captures `err`'s stack so that it starts at the caller of `fn`, like
 * Node's hideStackFrames(): a validator's own frame is not the user's bug.
 * Internal; for errors this package throws from its exported functions.
 */
export function stackFromCallerOf(err: Error & { code: string }, fn: Function): void {
  const name = err.name;
  err.name = `${name} [${err.code}]`;
  Error.captureStackTrace(err, fn);
  void err.stack;
  delete (err as { name?: string }).name;
}
