/**
 * The event classes of the WHATWG WebSocket interface: `MessageEvent` (HTML §9.2.3),
 * `CloseEvent` (WebSockets §4) and the `ErrorEvent` dispatched as `error` (as Node's global
 * WebSocket does: a plain `Event` per the standard, with `message` and `error` added).
 */

/** The DOM `EventInit` dictionary (not a global type in @types/node 20). */
export interface EventInit {
  bubbles?: boolean;
  cancelable?: boolean;
  composed?: boolean;
}

export interface MessageEventInit<T = unknown> extends EventInit {
  data?: T;
  origin?: string;
  lastEventId?: string;
  source?: unknown;
  ports?: unknown[];
}

const NO_PORTS: ReadonlyArray<unknown> = Object.freeze([]);

/** `message` events: `data` is a string, an ArrayBuffer or a Blob; `origin` the server's. */
export class MessageEvent<T = unknown> extends Event {
  readonly data: T;
  readonly origin: string;
  readonly lastEventId: string;
  readonly source: unknown;
  readonly ports: ReadonlyArray<unknown>;

  constructor(type: string, init: MessageEventInit<T> = {}) {
    super(type, init);
    // One event per message: keep this cheap (no conversions or copies when not needed).
    const { origin, lastEventId, ports } = init;
    this.data = init.data as T;
    this.origin = typeof origin === 'string' ? origin : origin === undefined ? '' : String(origin);
    this.lastEventId = lastEventId === undefined ? '' : String(lastEventId);
    this.source = init.source ?? null;
    this.ports = ports === undefined ? NO_PORTS : Object.freeze([...ports]);
  }

  get [Symbol.toStringTag](): string {
    return 'MessageEvent';
  }
}

export interface CloseEventInit extends EventInit {
  wasClean?: boolean;
  code?: number;
  reason?: string;
}

/** `close` events: the close status `code`, the `reason`, and whether the close was clean. */
export class CloseEvent extends Event {
  readonly wasClean: boolean;
  readonly code: number;
  readonly reason: string;

  constructor(type: string, init: CloseEventInit = {}) {
    super(type, init);
    this.wasClean = Boolean(init.wasClean);
    // WebIDL `unsigned short`: modulo 2^16.
    this.code = init.code === undefined ? 0 : Number(init.code) & 0xffff;
    this.reason = init.reason === undefined ? '' : String(init.reason);
  }

  get [Symbol.toStringTag](): string {
    return 'CloseEvent';
  }
}

export interface ErrorEventInit extends EventInit {
  message?: string;
  error?: unknown;
}

/** `error` events: why the connection failed, as `message` and an `error` object. */
export class ErrorEvent extends Event {
  readonly message: string;
  readonly error: unknown;

  constructor(type: string, init: ErrorEventInit = {}) {
    super(type, init);
    this.message = init.message === undefined ? '' : String(init.message);
    this.error = init.error;
  }

  get [Symbol.toStringTag](): string {
    return 'ErrorEvent';
  }
}
