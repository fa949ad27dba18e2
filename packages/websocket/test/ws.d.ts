/**
 * Types for the parts of `ws` (8.x, a dev dependency used as the reference peer) that the tests
 * use. `ws` ships no types and `@types/ws` is not installed; this keeps the tests type-checked.
 */
declare module 'ws' {
  import { EventEmitter } from 'node:events';
  import type { Server as HttpServer, IncomingMessage } from 'node:http';
  import type { AddressInfo } from 'node:net';

  export type RawData = Buffer | ArrayBuffer | Buffer[];

  export interface PerMessageDeflateOptions {
    threshold?: number;
    serverNoContextTakeover?: boolean;
    clientNoContextTakeover?: boolean;
    serverMaxWindowBits?: number;
    clientMaxWindowBits?: number;
    concurrencyLimit?: number;
  }

  export interface SendOptions {
    binary?: boolean;
    compress?: boolean;
    fin?: boolean;
    mask?: boolean;
  }

  export class WebSocket extends EventEmitter {
    readonly extensions: string;
    readonly protocol: string;
    readonly readyState: number;
    send(data: unknown, options?: SendOptions, cb?: (err?: Error) => void): void;
    send(data: unknown, cb?: (err?: Error) => void): void;
    ping(data?: unknown, mask?: boolean, cb?: (err?: Error) => void): void;
    pong(data?: unknown, mask?: boolean, cb?: (err?: Error) => void): void;
    close(code?: number, reason?: string | Buffer): void;
    terminate(): void;
    on(event: 'message', listener: (data: RawData, isBinary: boolean) => void): this;
    on(event: 'close', listener: (code: number, reason: Buffer) => void): this;
    on(event: 'ping' | 'pong', listener: (data: Buffer) => void): this;
    on(event: string | symbol, listener: (...args: any[]) => void): this;
    once(event: 'message', listener: (data: RawData, isBinary: boolean) => void): this;
    once(event: 'close', listener: (code: number, reason: Buffer) => void): this;
    once(event: 'ping' | 'pong', listener: (data: Buffer) => void): this;
    once(event: string | symbol, listener: (...args: any[]) => void): this;
  }

  export interface ServerOptions {
    host?: string;
    port?: number;
    backlog?: number;
    server?: HttpServer;
    noServer?: boolean;
    path?: string;
    clientTracking?: boolean;
    maxPayload?: number;
    perMessageDeflate?: boolean | PerMessageDeflateOptions;
    handleProtocols?: (protocols: Set<string>, request: IncomingMessage) => string | false;
    skipUTF8Validation?: boolean;
    autoPong?: boolean;
    allowSynchronousEvents?: boolean;
  }

  export class WebSocketServer extends EventEmitter {
    constructor(options?: ServerOptions, callback?: () => void);
    readonly clients: Set<WebSocket>;
    address(): AddressInfo | string;
    close(cb?: (err?: Error) => void): void;
    on(event: 'connection', listener: (socket: WebSocket, request: IncomingMessage) => void): this;
    on(event: 'listening', listener: () => void): this;
    on(event: string | symbol, listener: (...args: any[]) => void): this;
    once(
      event: 'connection',
      listener: (socket: WebSocket, request: IncomingMessage) => void,
    ): this;
    once(event: 'listening', listener: () => void): this;
    once(event: string | symbol, listener: (...args: any[]) => void): this;
  }

  export default WebSocket;
}
