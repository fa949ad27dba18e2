/**
 * `make(value)`, made again only when `value` differs from the last one
 * given: for framing text that mostly repeats from one message to the next
 * (the Date line, a Content-Length line, a chunk-size line), so that a busy
 * server builds it once instead of allocating it for every message.
 */
export function keepLast<V, R>(make: (value: V) => R): (value: V) => R {
  let last: V | undefined;
  let made: R;
  return (value) => {
    if (value !== last) {
      last = value;
      made = make(value);
    }
    return made;
  };
}
