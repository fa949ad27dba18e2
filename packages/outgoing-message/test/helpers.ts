/**
 * Test fixtures: an in-memory socket that records what is written to it, and
 * TestResponse, a minimal ServerResponse-like subclass (status line,
 * writeHead, assignSocket) so OutgoingMessage is tested without the server
 * package. The same scenarios run against node:http's ServerResponse.
 */
import * as http from 'node:http';
import { Duplex } from 'node:stream';
import { STATUS_CODES } from '@strata-http/headers';
import { kOutHeaders, OutgoingMessage, type OutgoingMessageOptions } from '../src/index.ts';

/** A Duplex that records every _write/_writev call; `bytes()` is everything written. */
export class RecordingSocket extends Duplex {
  calls: string[][] = [];
  /** Per call, what each entry was: 'buffer' or 'string'. */
  kinds: string[][] = [];
  /** Per call, the chunks themselves as given (a peer that still holds them, as a slow socket does). */
  chunks: unknown[][] = [];
  _httpMessage: unknown = null;
  /** When set, writes complete only when release() is called (a slow peer). */
  hold = false;
  private pending: (() => void)[] = [];

  /** `decodeStrings: false` keeps string writes strings, as on a net.Socket. */
  constructor(options?: { highWaterMark?: number; decodeStrings?: boolean }) {
    super({ allowHalfOpen: true, ...options });
  }
  override _read(): void {}
  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    this.calls.push([chunk.toString('latin1')]);
    this.kinds.push([kindOf(chunk)]);
    this.chunks.push([chunk]);
    if (this.hold) this.pending.push(cb);
    else cb();
  }
  override _writev(
    chunks: { chunk: Buffer; encoding: BufferEncoding }[],
    cb: (err?: Error | null) => void,
  ): void {
    this.calls.push(chunks.map((c) => Buffer.from(c.chunk).toString('latin1')));
    this.kinds.push(chunks.map((c) => kindOf(c.chunk)));
    this.chunks.push(chunks.map((c) => c.chunk));
    if (this.hold) this.pending.push(cb);
    else cb();
  }
  release(): void {
    this.hold = false;
    const p = this.pending;
    this.pending = [];
    for (const cb of p) cb();
  }
  bytes(): string {
    return this.calls.map((c) => c.join('')).join('');
  }
}

function kindOf(chunk: unknown): string {
  return Buffer.isBuffer(chunk) ? 'buffer' : typeof chunk;
}

interface RequestLike {
  method: string;
  httpVersionMajor: number;
  httpVersionMinor: number;
}

/** The smallest ServerResponse: enough to drive OutgoingMessage like the server will. */
export class TestResponse extends OutgoingMessage {
  override statusCode = 200;
  statusMessage: string | undefined = undefined;

  constructor(
    req: RequestLike = { method: 'GET', httpVersionMajor: 1, httpVersionMinor: 1 },
    options?: OutgoingMessageOptions,
  ) {
    super(options);
    if (req.method === 'HEAD') this._hasBody = false;
    this.sendDate = true;
    if (req.httpVersionMajor < 1 || req.httpVersionMinor < 1) {
      this.useChunkedEncodingByDefault = false;
      this.shouldKeepAlive = false;
    }
    this.on('finish', onTestResponseFinish);
  }

  writeHead(
    statusCode: number,
    reason?: string | Record<string, unknown> | unknown[],
    obj?: Record<string, unknown> | unknown[],
  ): this {
    if (typeof reason !== 'string') {
      obj = reason;
      reason = undefined;
    }
    this.statusCode = statusCode;
    this.statusMessage = reason ?? this.statusMessage ?? STATUS_CODES[statusCode] ?? 'unknown';
    let headers: unknown = obj;
    const stored = this[kOutHeaders];
    if (stored) {
      if (obj && !Array.isArray(obj))
        for (const k of Object.keys(obj)) this.setHeader(k, obj[k] as string);
      headers = stored;
    }
    if (statusCode === 204 || statusCode === 304 || (statusCode >= 100 && statusCode <= 199)) {
      this._hasBody = false;
    }
    this._storeHeader(`HTTP/1.1 ${statusCode} ${this.statusMessage}\r\n`, headers as never);
    return this;
  }

  override _implicitHeader(): void {
    this.writeHead(this.statusCode);
  }

  /** Like ServerResponse.assignSocket: mark ownership, then flush what was queued. */
  assignSocket(socket: Duplex): void {
    (socket as RecordingSocket)._httpMessage = this;
    this.socket = socket as never;
    this.emit('socket', socket);
    this._flush();
  }
}

function onTestResponseFinish(this: TestResponse): void {
  const socket = this.socket as unknown as RecordingSocket | null;
  if (socket) socket._httpMessage = null;
  this.socket = null;
  process.nextTick(emitClose, this);
}

function emitClose(res: TestResponse): void {
  res._closed = true;
  res.emit('close');
}

/** node:http's ServerResponse over the same kind of socket, for side-by-side runs. */
export function nodeResponse(
  method = 'GET',
  major = 1,
  minor = 1,
): http.ServerResponse & { assignSocket(s: Duplex): void } {
  const req = new http.IncomingMessage(null as never);
  req.method = method;
  req.httpVersionMajor = major;
  req.httpVersionMinor = minor;
  return new http.ServerResponse(req) as never;
}

/** Replaces the Date value so blocks from two runs compare equal. */
export function stripDate(s: string): string {
  return s.replace(/\r\nDate: [^\r]*\r\n/g, '\r\nDate: X\r\n');
}

export const tick = (): Promise<void> => new Promise((r) => setImmediate(r));
export const delay = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
