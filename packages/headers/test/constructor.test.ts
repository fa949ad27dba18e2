import { EventEmitter } from 'node:events';
import { inherits } from 'node:util';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { defineConstructor } from '../src/index.ts';

test('defineConstructor: prototype, a hidden constructor, inherited statics; new, call and extends work', () => {
  class Methods extends EventEmitter {
    greet(this: { who: string }): string {
      return `hi ${this.who}`;
    }
  }
  const Greeter = function Greeter(this: { who: string }, who: string) {
    (EventEmitter as unknown as (this: unknown) => void).call(this);
    this.who = who;
  } as unknown as {
    new (who: string): Methods & { who: string };
    (this: unknown, who: string): void;
  };
  defineConstructor(Greeter, Methods.prototype, EventEmitter);

  const g = new Greeter('ada');
  assert.is(g.greet(), 'hi ada');
  assert.ok(g instanceof Greeter && g instanceof EventEmitter);
  assert.is(g.constructor, Greeter);
  assert.not.ok(Object.keys(Methods.prototype).includes('constructor'));
  assert.is(Object.getOwnPropertyDescriptor(Methods.prototype, 'constructor')?.writable, true);
  assert.is(
    (Greeter as unknown as { defaultMaxListeners: number }).defaultMaxListeners,
    EventEmitter.defaultMaxListeners,
  );

  // Old style: Fn.call(this) with util.inherits.
  function Old(this: { who: string }) {
    (Greeter as unknown as (this: unknown, who: string) => void).call(this, 'old');
  }
  inherits(Old, Greeter as unknown as new () => unknown);
  const o = new (Old as unknown as new () => Methods & { who: string })();
  assert.is(o.greet(), 'hi old');
  assert.ok(o instanceof Greeter);

  // Class syntax.
  class Sub extends (Greeter as unknown as new (who: string) => Methods & { who: string }) {}
  assert.is(new Sub('sub').greet(), 'hi sub');
});

test.run();
