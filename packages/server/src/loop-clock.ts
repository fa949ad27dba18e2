/**
 * The time as of this turn of the event loop, like libuv's loop time that
 * Node's own timers start from: the first reading in a turn calls Date.now()
 * (about 40 ns here), every later one in the same turn reuses it, and the
 * check phase (an unref'd immediate) ends the turn. A busy server finishing
 * many responses per turn reads the clock once for all of them.
 */
let now = 0;
let current = false;

function endTurn(): void {
  current = false;
}

export function loopNow(): number {
  if (!current) {
    now = Date.now();
    current = true;
    // (unref where the runtime's immediates have it: it must never keep a process alive)
    (setImmediate(endTurn) as { unref?: () => unknown }).unref?.();
  }
  return now;
}
