/**
 * Constructing Node's stream base classes, for the message constructors of
 * the layers above (`OutgoingMessage` is a `Stream`, `IncomingMessage` a
 * `Readable`), and Readable's default buffer size.
 *
 * `Stream.call(this)` and `Readable.call(this)` run Node's own constructors,
 * whose property stores are shared by every emitter and stream in the
 * process: in a server they have seen sockets, servers, streams and
 * messages, so each store is megamorphic (in a warmed-up server, about 90 ns
 * per `Stream.call`, against about 30 ns for the same stores made by one
 * constructor). `initStream()` and `initReadable()` make the same stores, in
 * the same order, from the caller's code, where they see one hidden class.
 *
 * They are exact, but for one deliberate difference (initStream's event
 * table, see EventTable), or not used: once, on first use, an object built
 * by the helper is compared with one built by Node's constructor (every own
 * property, in order, and the event table's shape). On a runtime where the
 * two differ (another Node version, another engine) the helpers call
 * Node's constructors instead.
 */
import { EventEmitter } from 'node:events';
import * as nodeStream from 'node:stream';
import { Readable, Stream } from 'node:stream';
import { kCapture, kShapeMode } from './emitter.js';

type Target = Record<string | symbol, unknown>;
type ReadableStateConstructor = new (
  options: undefined,
  stream: unknown,
  isDuplex: boolean,
) => object;

const emitterProto = EventEmitter.prototype as unknown as Target;
const callStream = Stream as unknown as (this: unknown) => void;
const callReadable = Readable as unknown as (this: unknown) => void;
const ReadableState = (Readable as unknown as { ReadableState?: ReadableStateConstructor })
  .ReadableState;

/** 0: not yet checked; 1: the helper's objects equal Node's; 2: they don't (call Node's). */
let streamExact = 0;
let readableExact = 0;

/**
 * The event table initStream() gives an emitter. Node's is `{ __proto__: null }`,
 * which V8 keeps in dictionary mode: allocating its hash table, then probing
 * it for every event looked up (a server response looks up four), costs
 * about 500 instructions per response (server-icount). An EventTable inherits
 * nothing either (its prototype is an empty object with a null prototype), so
 * every name EventEmitter looks up in it reads undefined until a listener is
 * added, but V8 keeps it in fast mode. Visible only to code that inspects the
 * table itself: `Object.getPrototypeOf(emitter._events)` is that empty object,
 * not null, and util.inspect() shows the table as
 * `EventTable <[Object: null prototype] {}> {}`.
 */
const EventTable = function EventTable() {} as unknown as new () => Target;
EventTable.prototype = Object.create(null);

/** EventEmitter.init's stores for an object without an event table of its own. */
function storeStream(target: Target): void {
  target._events = new EventTable();
  target._eventsCount = 0;
  target[kShapeMode as symbol] = false;
  target._maxListeners = target._maxListeners || undefined;
  target[kCapture as symbol] = emitterProto[kCapture as symbol];
}

/**
 * Readable's constructor without options, then EventEmitter.init's stores.
 * (Its own copy of the last two stores storeStream also makes: in one shared
 * function they would see both message classes' hidden classes.)
 */
function storeReadable(target: Target): void {
  target._events = {
    close: undefined,
    error: undefined,
    data: undefined,
    end: undefined,
    readable: undefined,
  };
  target._readableState = new (ReadableState as ReadableStateConstructor)(undefined, target, false);
  target[kShapeMode as symbol] = true;
  target._maxListeners = target._maxListeners || undefined;
  target[kCapture as symbol] = emitterProto[kCapture as symbol];
}

/**
 * Same own properties, in the same order, with the same values; an event
 * table is compared the same way (and by prototype), a Readable state by its
 * prototype and field names.
 */
function sameShape(ours: Target, node: Target): boolean {
  const keys = Reflect.ownKeys(ours);
  const nodeKeys = Reflect.ownKeys(node);
  if (keys.length !== nodeKeys.length) return false;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    if (key !== nodeKeys[i]) return false;
    const a = ours[key];
    const b = node[key];
    if (key === '_events' || key === '_readableState') {
      if (typeof a !== 'object' || a === null || typeof b !== 'object' || b === null) return false;
      const proto = Object.getPrototypeOf(a);
      // An EventTable stands for Node's null-prototype table (see EventTable).
      const expected = proto === EventTable.prototype ? null : proto;
      if (Object.getPrototypeOf(b) !== expected) return false;
      if (key === '_events') {
        if (!sameShape(a as Target, b as Target)) return false;
      } else if (JSON.stringify(Object.keys(a)) !== JSON.stringify(Object.keys(b))) {
        return false;
      }
    } else if (a !== b) {
      return false;
    }
  }
  return true;
}

/**
 * 1 when `store` builds what `new Base()` builds (compared by sameShape), else 2
 * (also where EventEmitter's private symbols were not found: see emitter.ts).
 */
function check(Base: new () => object, store: (target: Target) => void): number {
  try {
    if (kCapture === undefined || kShapeMode === undefined) return 2;
    const node = new Base() as Target;
    const ours = Object.create(Base.prototype) as Target;
    store(ours);
    return sameShape(ours, node) ? 1 : 2;
  } catch {
    return 2;
  }
}

/**
 * What `Stream.call(target)` does (EventEmitter.init), for a constructor
 * building an object of its own class: an empty event table and the
 * emitter's fields. `target` is `this` in a constructor.
 */
export function initStream(target: object): void {
  const t = target as Target;
  if (streamExact !== 1) {
    if (streamExact === 0) streamExact = check(Stream, storeStream);
    if (streamExact !== 1) {
      callStream.call(target);
      return;
    }
  }
  // An event table already there (inherited or own): Node's init keeps it.
  if (t._events !== undefined) callStream.call(target);
  else storeStream(t);
}

/**
 * What `Readable.call(target)` does, with no options (Readable's default
 * buffer size), for a constructor building an object of its own class.
 * A class with a `_construct()` gets Node's constructor, which starts it.
 */
export function initReadable(target: object): void {
  const t = target as Target;
  if (readableExact !== 1) {
    if (readableExact === 0) {
      readableExact = typeof ReadableState === 'function' ? check(Readable, storeReadable) : 2;
    }
    if (readableExact !== 1) {
      callReadable.call(target);
      return;
    }
  }
  if (t._events !== undefined || t._construct != null) callReadable.call(target);
  else storeReadable(t);
}

const getDefaultHighWaterMark = (
  nodeStream as { getDefaultHighWaterMark?: (objectMode: boolean) => number }
).getDefaultHighWaterMark;

/**
 * Readable's and Writable's current default buffer size in bytes
 * (`stream.getDefaultHighWaterMark(false)`), or undefined on a runtime whose
 * `node:stream` does not report it.
 */
export function streamDefaultHighWaterMark(): number | undefined {
  return typeof getDefaultHighWaterMark === 'function' ? getDefaultHighWaterMark(false) : undefined;
}
