// initStream() / initReadable() build what Stream.call(this) / Readable.call(this)
// build, compared with Node's own constructors on the running Node.
import { EventEmitter } from 'node:events';
import * as stream from 'node:stream';
import { Readable, Stream } from 'node:stream';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { initReadable, initStream, streamDefaultHighWaterMark } from '../src/index.ts';

type Obj = Record<string | symbol, unknown>;

/** Two old-style constructors over the same base: ours (helper) and Node's (base.call). */
function pair(base: Function, init: (t: object) => void) {
  const Ours = function Ours(this: Obj) {
    init(this);
    this.extra = 1;
  } as unknown as new () => Obj;
  const Node = function Node(this: Obj) {
    (base as (this: unknown) => void).call(this);
    this.extra = 1;
  } as unknown as new () => Obj;
  Object.setPrototypeOf(Ours.prototype, base.prototype);
  Object.setPrototypeOf(Node.prototype, base.prototype);
  return { Ours, Node };
}

/**
 * What an object inherits: the own keys of each prototype, up to null. Node's
 * Stream event table is `{ __proto__: null }` ([]); initStream's is an
 * EventTable, whose prototype is an empty null-prototype object ([[]]), which
 * V8 keeps in fast mode (the deliberate difference): either inherits nothing.
 */
function chain(obj: object): unknown[] {
  const keys: unknown[] = [];
  for (let p = Object.getPrototypeOf(obj); p !== null; p = Object.getPrototypeOf(p)) {
    keys.push(p === Object.prototype ? 'Object.prototype' : Reflect.ownKeys(p));
  }
  return keys;
}

/** Own properties in order with their descriptors; event tables and states by shape. */
function describe(obj: Obj): unknown[] {
  return Reflect.ownKeys(obj).map((key) => {
    const { value, ...flags } = Object.getOwnPropertyDescriptor(obj, key) as PropertyDescriptor;
    if (key === '_events') {
      return [key, flags, chain(value), Reflect.ownKeys(value), Object.values(value)];
    }
    if (key === '_readableState')
      return [key, flags, Object.getPrototypeOf(value), Object.keys(value)];
    return [String(key), flags, value];
  });
}

/** What a listener sees of an emitter, as a list. */
function exercise(e: EventEmitter): unknown[] {
  const seen: unknown[] = [];
  const f = () => seen.push('f');
  e.on('newListener', (name) => seen.push(['new', name]));
  e.on('x', f);
  e.once('y', () => seen.push('y'));
  e.on('toString', () => seen.push('ts'));
  seen.push(e.eventNames(), e.listenerCount('x'), e.emit('x'), e.emit('y'), e.emit('y'));
  seen.push(e.emit('toString'), e.emit('valueOf'), e.getMaxListeners());
  e.removeListener('x', f);
  seen.push(e.eventNames(), e.emit('x'));
  return seen;
}

/** Counts calls of EventEmitter.init (which Stream's and Readable's constructors call). */
function countInits(fn: () => void): number {
  const ee = EventEmitter as unknown as { init: (...a: unknown[]) => void };
  const init = ee.init;
  let calls = 0;
  ee.init = function (this: unknown, ...args: unknown[]) {
    calls++;
    return init.apply(this, args);
  };
  try {
    fn();
  } finally {
    ee.init = init;
  }
  return calls;
}

test('initStream: the same own properties, in order, as Stream.call(this)', () => {
  const { Ours, Node } = pair(Stream, initStream);
  const ours = describe(new Ours());
  const node = describe(new Node());
  // The one difference: the event table's prototype chain (see chain()).
  const table = (d: unknown[]) => d.find((p) => (p as unknown[])[0] === '_events') as unknown[];
  assert.equal(table(node)[2], []);
  assert.equal(table(ours)[2], [[]]);
  table(ours)[2] = table(node)[2];
  assert.equal(ours, node);
});

test('initStream: the event table inherits nothing, and only its prototype tells it from Node', () => {
  const { Ours, Node } = pair(Stream, initStream);
  const ours = (new Ours() as Obj)._events as Obj;
  const node = (new Node() as Obj)._events as Obj;
  for (const name of ['toString', 'constructor', '__proto__', 'hasOwnProperty', 'valueOf']) {
    assert.is(ours[name], undefined, name);
    assert.is(name in ours, false, name);
  }
  assert.is(Object.getPrototypeOf(node), null);
  assert.is(Object.getPrototypeOf(Object.getPrototypeOf(ours)), null);
  assert.equal(JSON.stringify(ours), JSON.stringify(node));
  // Each object its own table.
  assert.is.not((new Ours() as Obj)._events, ours);
});

test('initStream: events behave as after Stream.call(this)', () => {
  const { Ours, Node } = pair(Stream, initStream);
  assert.equal(exercise(new Ours() as never), exercise(new Node() as never));
});

test('initReadable: the same own properties, in order, as Readable.call(this)', () => {
  const { Ours, Node } = pair(Readable, initReadable);
  assert.equal(describe(new Ours()), describe(new Node()));
  const ours = new Ours() as unknown as Readable;
  assert.is(ours.readableHighWaterMark, new Readable().readableHighWaterMark);
  assert.is(ours.readableObjectMode, false);
});

test('initReadable: events behave as after Readable.call(this)', () => {
  const { Ours, Node } = pair(Readable, initReadable);
  assert.equal(exercise(new Ours() as never), exercise(new Node() as never));
});

test('initReadable: the stream reads and ends as one built by Readable', async () => {
  const { Ours, Node } = pair(Readable, initReadable);
  const run = (Cls: new () => Obj) =>
    new Promise<unknown[]>((resolve) => {
      const r = new Cls() as unknown as Readable;
      r._read = () => {};
      const seen: unknown[] = [];
      r.on('data', (d) => seen.push(['data', String(d)]));
      r.on('end', () => seen.push('end'));
      r.on('close', () => {
        seen.push('close', r.destroyed, r.readableEnded);
        resolve(seen);
      });
      r.push('a');
      r.push('b');
      r.push(null);
    });
  assert.equal(await run(Ours), await run(Node));
  assert.equal(await run(Ours), [['data', 'a'], ['data', 'b'], 'end', 'close', true, true]);
});

test('on this Node both helpers make the stores themselves (EventEmitter.init is not called)', () => {
  const s = pair(Stream, initStream);
  const r = pair(Readable, initReadable);
  assert.is(
    countInits(() => new s.Node()),
    1,
  );
  assert.is(
    countInits(() => new s.Ours()),
    0,
  );
  assert.is(
    countInits(() => new r.Ours()),
    0,
  );
});

test('EventEmitter.captureRejections = true reaches objects built by the helpers', async () => {
  const { Ours } = pair(Stream, initStream);
  EventEmitter.captureRejections = true;
  let e: EventEmitter;
  try {
    e = new Ours() as unknown as EventEmitter;
  } finally {
    EventEmitter.captureRejections = false;
  }
  const error = await new Promise((resolve) => {
    e.on('error', resolve);
    e.on('x', async () => {
      throw new Error('boom');
    });
    e.emit('x');
  });
  assert.is((error as Error).message, 'boom');
  // Off again: a new object does not capture.
  const later = new Ours() as unknown as EventEmitter;
  const symbol = Object.getOwnPropertySymbols(later).find((s) => s.description === 'kCapture');
  assert.is((later as unknown as Obj)[symbol as symbol], false);
});

test('an event table already there is kept, as Node keeps it (Node constructor used)', () => {
  const table = { __proto__: null, x: () => {} };
  const { Ours, Node } = pair(Stream, initStream);
  (Ours.prototype as Obj)._events = table;
  (Node.prototype as Obj)._events = table;
  assert.equal(describe(new Ours()), describe(new Node()));
  const { Ours: OursR, Node: NodeR } = pair(Readable, initReadable);
  const own = function (this: Obj) {
    this._events = { __proto__: null };
  };
  const a = Object.create(OursR.prototype);
  own.call(a);
  initReadable(a);
  const b = Object.create(NodeR.prototype);
  own.call(b);
  Readable.call(b);
  assert.equal(describe(a), describe(b));
  assert.is(
    countInits(() =>
      initReadable(Object.assign(Object.create(Readable.prototype), { _events: {} })),
    ),
    1,
  );
});

test('a Readable with _construct() gets Readable, which starts it', async () => {
  const { Ours } = pair(Readable, initReadable);
  const constructed = await new Promise((resolve) => {
    (Ours.prototype as Obj)._construct = (cb: () => void) => {
      resolve(true);
      cb();
    };
    new Ours();
  });
  assert.is(constructed, true);
});

test('streamDefaultHighWaterMark() follows stream.getDefaultHighWaterMark(false)', () => {
  const before = stream.getDefaultHighWaterMark(false);
  assert.is(streamDefaultHighWaterMark(), before);
  stream.setDefaultHighWaterMark(false, 1234);
  try {
    assert.is(streamDefaultHighWaterMark(), 1234);
  } finally {
    stream.setDefaultHighWaterMark(false, before);
  }
});

test.run();
