/**
 * loopNow(): one clock reading per turn of the event loop (as libuv's loop
 * time), renewed in the next turn. keepAliveTimeout and the request timeouts
 * count from it; lifecycle.test.ts times them end to end.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { loopNow } from '../src/loop-clock.ts';

const test = suite('loop clock');

function spin(ms: number): void {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    // busy: the turn goes on
  }
}

test('readings within one turn are the same, a later turn reads the clock again', async () => {
  await new Promise((resolve) => setImmediate(resolve)); // start from a fresh turn
  const before = Date.now();
  const first = loopNow();
  assert.ok(first >= before && first <= Date.now());
  spin(20);
  assert.is(loopNow(), first, 'same turn: the first reading');
  await new Promise((resolve) => process.nextTick(resolve));
  await Promise.resolve();
  assert.is(loopNow(), first, 'ticks and microtasks belong to the turn');
  await new Promise((resolve) => setImmediate(resolve));
  const second = loopNow();
  assert.ok(second >= first + 20, `next turn: read again (${second - first} ms later)`);
  assert.ok(second <= Date.now());
});

test('a timer callback reads the clock of its own turn', async () => {
  const first = loopNow();
  const inTimer = await new Promise<number>((resolve) => setTimeout(() => resolve(loopNow()), 30));
  assert.ok(inTimer >= first + 25, `${inTimer - first} ms`);
});

test.run();
