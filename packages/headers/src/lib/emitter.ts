/**
 * What the message layers read of Node's EventEmitter to skip work nobody
 * can observe: its own emit(), an emitter's event table, and its private
 * symbols (found on a probe; undefined on a runtime that has none).
 *
 * The events of every exchange ('socket', 'prefinish', 'finish', 'close',
 * 'resume', 'readable') mostly have no listener: where an emitter's emit()
 * is EventEmitter's own and its event table has no entry for the name,
 * emit() would run no code, so it is skipped. Code that wraps emit()
 * (instrumentation, a subclass, domains) gets every emit(). Each call site
 * reads its event by a literal name (`eventsOf(msg).finish`), so every
 * lookup sees one key (one generic lookup by a varying name is megamorphic).
 */
import { EventEmitter } from 'node:events';

const probeSymbols = Object.getOwnPropertySymbols(new EventEmitter());

/** EventEmitter's private `captureRejections` flag. */
export const kCapture: symbol | undefined = probeSymbols.find((s) => s.description === 'kCapture');
/** EventEmitter's private flag for event tables made with every common name present. */
export const kShapeMode: symbol | undefined = probeSymbols.find(
  (s) => s.description === 'shapeMode',
);

/** EventEmitter's own emit() (Readable's and Stream's too: they inherit it). */
export const emitterEmit = EventEmitter.prototype.emit;

const NO_EVENTS: Record<string, undefined> = Object.freeze(Object.create(null));

/** An emitter's event table (EventEmitter's `_events`), or an empty one. */
export function eventsOf(emitter: EventEmitter): Record<string, unknown> {
  return (emitter as unknown as { _events?: Record<string, unknown> })._events ?? NO_EVENTS;
}

/**
 * Whether `emitter` captures rejections (EventEmitter's `captureRejections`):
 * its emit() then watches the promise a listener returns. Undefined where
 * the private symbol is not found.
 */
export function capturesRejections(emitter: object): boolean | undefined {
  if (kCapture === undefined) return undefined;
  return (emitter as Record<symbol, unknown>)[kCapture] === true;
}

/**
 * True when `emitter.emit(name, ...args)` with one listener, a function,
 * would do nothing but call it: emit() is EventEmitter's own, the emitter
 * does not capture rejections (emit() would then watch the promise the
 * listener returns) and no domain is in use (domains replace emit()). A
 * caller may then call the listener it read by a literal name
 * (`eventsOf(server).request`) itself, `listener.call(emitter, ...args)`,
 * without emit()'s rest array and its lookup by a varying key.
 */
export function emitsByCall(emitter: EventEmitter): boolean {
  return (
    emitter.emit === emitterEmit &&
    capturesRejections(emitter) === false &&
    (EventEmitter as { usingDomains?: boolean }).usingDomains !== true
  );
}
