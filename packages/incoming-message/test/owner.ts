/**
 * A minimal connection owner for tests: reads one request head with a
 * Content-Length body from a socket and feeds an IncomingMessage the way the
 * server package does (push, pause on false, complete + push(null),
 * abortIncoming on premature close). Only what the tests need.
 */
import * as net from 'node:net';
import { abortIncoming, IncomingMessage } from '../src/index.ts';

export interface OwnerStats {
  maxReadableLength: number;
  maxSocketRead: number;
  pauses: number;
}

export function ownerServer(
  onMessage: (msg: IncomingMessage, socket: net.Socket) => void,
  stats?: OwnerStats,
): net.Server {
  return net.createServer((socket) => {
    let head = '';
    let msg: IncomingMessage | null = null;
    let remaining = 0;
    const feed = (body: Buffer) => {
      if (!msg || remaining <= 0 || body.length === 0) return;
      const part = body.length > remaining ? body.subarray(0, remaining) : body;
      remaining -= part.length;
      const more = msg.push(part);
      if (stats) stats.maxReadableLength = Math.max(stats.maxReadableLength, msg.readableLength);
      if (remaining === 0) {
        msg.complete = true;
        msg.push(null);
      } else if (!more) {
        if (stats) stats.pauses++;
        socket.pause();
      }
    };
    socket.on('data', (d: Buffer) => {
      if (stats) stats.maxSocketRead = Math.max(stats.maxSocketRead, d.length);
      if (msg) return feed(d);
      head += d.toString('latin1');
      const end = head.indexOf('\r\n\r\n');
      if (end === -1) return;
      const lines = head.slice(0, end).split('\r\n');
      const [method, url, version] = lines[0].split(' ');
      const raw: string[] = [];
      for (let i = 1; i < lines.length; i++) {
        const colon = lines[i].indexOf(':');
        raw.push(lines[i].slice(0, colon), lines[i].slice(colon + 1).trim());
      }
      msg = new IncomingMessage(socket);
      msg.method = method;
      msg.url = url;
      msg.httpVersionMajor = 1;
      msg.httpVersionMinor = version === 'HTTP/1.0' ? 0 : 1;
      msg.httpVersion = `1.${msg.httpVersionMinor}`;
      msg.rawHeaders = raw;
      msg.upgrade = false;
      remaining = Number(msg.headers['content-length'] ?? 0);
      onMessage(msg, socket);
      const rest = Buffer.from(head.slice(end + 4), 'latin1');
      if (remaining === 0) {
        msg.complete = true;
        msg.push(null);
      } else {
        feed(rest);
      }
    });
    socket.on('close', () => {
      if (msg && !msg.complete) abortIncoming(msg);
    });
    socket.on('error', () => {});
  });
}

export function listen(server: net.Server): Promise<number> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port)),
  );
}

export function close(server: net.Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

export const delay = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
