/**
 * Test helpers: a `ws` WebSocketServer peer, raw `net` servers that answer the handshake and
 * then send exact bytes, and a recorder of the event sequence a WebSocket reports.
 */
import { createHash } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import * as net from 'node:net';
import { type ServerOptions, WebSocketServer } from 'ws';
import type { CloseEvent, WebSocket } from '../src/index.ts';

export const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

export function accept(key: string): string {
  return createHash('sha1')
    .update(key + GUID)
    .digest('base64');
}

export interface Peer {
  url: string;
  wss: WebSocketServer;
  close(): Promise<void>;
}

/** A `ws` server on 127.0.0.1:0. */
export async function wsPeer(options: ServerOptions = {}): Promise<Peer> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, ...options });
  await new Promise<void>((resolve) => wss.once('listening', resolve));
  const { port } = wss.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}`,
    wss,
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of wss.clients) c.terminate();
        wss.close(() => resolve());
      }),
  };
}

export interface RawConnection {
  socket: net.Socket;
  /** The request head the client sent. */
  request: string;
  headers: Record<string, string>;
  /** Bytes the client sent after its request (frames). */
  received: Buffer[];
}

export interface RawServer {
  url: string;
  connections: RawConnection[];
  close(): Promise<void>;
}

/**
 * A raw server: reads the request head, then calls `respond(conn)` which writes whatever
 * bytes the test wants (a 101 from `upgradeResponse()` followed by frames, or anything else).
 */
export async function rawServer(respond: (conn: RawConnection) => void): Promise<RawServer> {
  const connections: RawConnection[] = [];
  const server = net.createServer((socket) => {
    let buffered = Buffer.alloc(0);
    let conn: RawConnection | undefined;
    socket.on('error', () => {});
    socket.on('data', (chunk) => {
      if (conn) {
        conn.received.push(chunk);
        return;
      }
      buffered = Buffer.concat([buffered, chunk]);
      const end = buffered.indexOf('\r\n\r\n');
      if (end === -1) return;
      const request = buffered.subarray(0, end).toString('latin1');
      const headers: Record<string, string> = {};
      for (const line of request.split('\r\n').slice(1)) {
        const i = line.indexOf(':');
        headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
      }
      conn = { socket, request, headers, received: [] };
      const rest = buffered.subarray(end + 4);
      if (rest.length > 0) conn.received.push(rest);
      connections.push(conn);
      respond(conn);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}`,
    connections,
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of connections) c.socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A correct 101 answer to `conn`'s request, plus `extra` header lines. */
export function upgradeResponse(conn: RawConnection, extra: string[] = []): string {
  return [
    'HTTP/1.1 101 Switching Protocols',
    'Upgrade: websocket',
    'Connection: Upgrade',
    `Sec-WebSocket-Accept: ${accept(conn.headers['sec-websocket-key'])}`,
    ...extra,
    '',
    '',
  ].join('\r\n');
}

/** An unmasked server frame. */
export function frame(opcode: number, payload: Buffer | string = '', fin = true, rsv = 0): Buffer {
  const data = typeof payload === 'string' ? Buffer.from(payload) : payload;
  const len = data.length;
  const header =
    len < 126
      ? Buffer.from([(fin ? 0x80 : 0) | rsv | opcode, len])
      : len < 65536
        ? Buffer.from([(fin ? 0x80 : 0) | rsv | opcode, 126, len >> 8, len & 0xff])
        : (() => {
            const h = Buffer.alloc(10);
            h[0] = (fin ? 0x80 : 0) | rsv | opcode;
            h[1] = 127;
            h.writeBigUInt64BE(BigInt(len), 2);
            return h;
          })();
  return Buffer.concat([header, data]);
}

/** A Close frame from the server. */
export function closeFrame(code?: number, reason = ''): Buffer {
  if (code === undefined) return frame(8);
  const body = Buffer.alloc(2 + Buffer.byteLength(reason));
  body.writeUInt16BE(code, 0);
  body.write(reason, 2);
  return frame(8, body);
}

export interface DecodedFrame {
  fin: boolean;
  rsv: number;
  opcode: number;
  masked: boolean;
  mask: Buffer;
  payload: Buffer;
}

/** Decodes the (masked) frames a client sent. */
export function decodeFrames(bytes: Buffer): DecodedFrame[] {
  const out: DecodedFrame[] = [];
  let i = 0;
  while (i + 2 <= bytes.length) {
    const b0 = bytes[i];
    const b1 = bytes[i + 1];
    let len = b1 & 0x7f;
    let p = i + 2;
    if (len === 126) {
      len = bytes.readUInt16BE(p);
      p += 2;
    } else if (len === 127) {
      len = Number(bytes.readBigUInt64BE(p));
      p += 8;
    }
    const masked = (b1 & 0x80) !== 0;
    const mask = masked ? bytes.subarray(p, p + 4) : Buffer.alloc(4);
    if (masked) p += 4;
    if (p + len > bytes.length) break;
    const payload = Buffer.from(bytes.subarray(p, p + len));
    for (let k = 0; k < payload.length; k++) payload[k] ^= mask[k & 3];
    out.push({ fin: (b0 & 0x80) !== 0, rsv: b0 & 0x70, opcode: b0 & 0x0f, masked, mask, payload });
    i = p + len;
  }
  return out;
}

export interface Recorded {
  /** 'open', 'message:<data>', 'error', 'close:<code>:<reason>:<wasClean>' in order. */
  events: string[];
  messages: unknown[];
  /** readyState when each event was dispatched, in order. */
  states: number[];
  closeEvent?: { code: number; reason: string; wasClean: boolean };
  errorEvent?: Event & { message?: string };
  closed: Promise<void>;
}

/** Records the events `ws` dispatches; `closed` resolves on `close` (or rejects on timeout). */
export function record(ws: WebSocket, timeoutMs = 8000): Recorded {
  const rec: Recorded = { events: [], messages: [], states: [], closed: Promise.resolve() };
  rec.closed = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no close event; got ${rec.events.join(', ')}`)),
      timeoutMs,
    );
    for (const type of ['open', 'message', 'error', 'close']) {
      ws.addEventListener(type, () => rec.states.push(ws.readyState));
    }
    ws.addEventListener('open', () => rec.events.push('open'));
    ws.addEventListener('message', (ev) => {
      const data = (ev as MessageEvent).data;
      rec.messages.push(data);
      rec.events.push(`message`);
    });
    ws.addEventListener('error', (ev) => {
      rec.errorEvent = ev;
      rec.events.push('error');
    });
    ws.addEventListener('close', (ev) => {
      const c = ev as CloseEvent;
      rec.closeEvent = { code: c.code, reason: c.reason, wasClean: c.wasClean };
      rec.events.push(`close:${c.code}`);
      clearTimeout(timer);
      resolve();
    });
  });
  return rec;
}

/** Resolves when `ws` opens; rejects when it closes first or after `timeoutMs`. */
export function opened(ws: WebSocket, timeoutMs = 8000): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no open event in time')), timeoutMs);
    ws.addEventListener(
      'open',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
    ws.addEventListener(
      'close',
      () => {
        clearTimeout(timer);
        reject(new Error('closed before open'));
      },
      { once: true },
    );
  });
}

/** Resolves with the next message's data; rejects after `timeoutMs`. */
export function nextMessage(ws: WebSocket, timeoutMs = 8000): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no message in time')), timeoutMs);
    ws.addEventListener(
      'message',
      (ev) => {
        clearTimeout(timer);
        resolve((ev as MessageEvent).data);
      },
      { once: true },
    );
  });
}

/** Waits until `predicate()` holds (polling), for raw-server assertions. */
export async function until(predicate: () => boolean, timeoutMs = 5000): Promise<void> {
  const start = Date.now();
  while (!predicate()) {
    if (Date.now() - start > timeoutMs) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}
