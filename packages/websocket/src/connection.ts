/**
 * One WebSocket connection's protocol side: the handshake, the socket, the frame reader and
 * sender, and the closing handshake (RFC 6455 §7). It reports to its owner (the WHATWG
 * `WebSocket` facade) through the `ConnectionOwner` interface and knows nothing of events.
 */
import { Buffer } from 'node:buffer';
import process from 'node:process';
import type { Duplex } from 'node:stream';
import { CLOSE_ABNORMAL, CLOSE_NO_STATUS, EMPTY_BUFFER } from './constants.js';
import { FrameReader, type FrameReaderHandler } from './frame-reader.js';
import { FrameSender, type FrameSenderOwner } from './frame-sender.js';
import {
  type Handshake,
  type HandshakeOptions,
  type HandshakeOwner,
  startHandshake,
  type Upgraded,
} from './handshake.js';
import { PerMessageDeflate } from './permessage-deflate.js';

/** Bound once, as Node's own modules do (the global `process` is an accessor). */
const { nextTick } = process;

export interface ConnectionOwner {
  /** The handshake succeeded: the connection is open. */
  connectionOpened(protocol: string, extensions: string): void;
  connectionMessage(data: string | Buffer, binary: boolean): void;
  /** The closing handshake started (either side), or the connection is being failed. */
  connectionClosing(): void;
  /**
   * The connection is closed. `failed` (with `message`) when it was failed (WHATWG: fire
   * `error` before `close`).
   */
  connectionClosed(
    code: number,
    reason: string,
    wasClean: boolean,
    failed: boolean,
    message: string,
    error?: Error,
  ): void;
  bytesWritten(size: number): void;
}

export interface ConnectionOptions extends HandshakeOptions {
  maxPayload: number;
  fragmentSize: number;
  /** Milliseconds to wait for the server to close TCP once closing (RFC 6455 §7.1.1). */
  closeTimeout: number;
}

export class Connection implements HandshakeOwner, FrameReaderHandler, FrameSenderOwner {
  private readonly owner: ConnectionOwner;
  private readonly options: ConnectionOptions;
  private handshake: Handshake | undefined;
  private socket: Duplex | undefined;
  private reader: FrameReader | undefined;
  private sender: FrameSender | undefined;
  private deflate: PerMessageDeflate | undefined;

  private closeSent = false;
  private closeReceived = false;
  private receivedCode = CLOSE_NO_STATUS;
  private receivedReason = '';
  private failed = false;
  private failMessage = '';
  private failError: Error | undefined;
  private finished = false;
  private closeTimer: NodeJS.Timeout | undefined;

  constructor(owner: ConnectionOwner, options: ConnectionOptions) {
    this.owner = owner;
    this.options = options;
    this.handshake = startHandshake(options, this);
  }

  // --- handshake -------------------------------------------------------------------------

  handshakeSucceeded(result: Upgraded): void {
    this.handshake = undefined;
    const socket = result.socket;
    this.socket = socket;
    if (this.finished || this.failed) {
      socket.destroy();
      return;
    }
    if (result.deflate !== undefined) this.deflate = new PerMessageDeflate(result.deflate);
    this.reader = new FrameReader(this, this.options.maxPayload, this.deflate);
    this.sender = new FrameSender(socket, this, this.deflate, this.options.fragmentSize);

    // Any Duplex may be the socket: guard the net.Socket-only calls.
    const s = socket as Duplex & {
      setNoDelay?: (v: boolean) => void;
      setTimeout?: (ms: number) => void;
    };
    if (typeof s.setNoDelay === 'function') s.setNoDelay(true);
    if (typeof s.setTimeout === 'function') s.setTimeout(0);
    socket.on('data', this.onSocketData.bind(this));
    socket.on('end', this.onSocketEnd.bind(this));
    socket.on('close', this.onSocketClose.bind(this));
    socket.on('error', this.onSocketError.bind(this));
    if (socket.isPaused()) socket.resume();
    // The server may have closed right after its answer, before these listeners existed.
    if (socket.destroyed) nextTick(this.onSocketClose.bind(this));
    else if (socket.readableEnded) nextTick(this.onSocketEnd.bind(this));

    this.owner.connectionOpened(result.protocol, result.extensions);
    // Frames that arrived with the 101 answer come after `open` (the owner may have closed).
    if (result.head.length > 0 && !this.finished) this.reader.push(result.head);
  }

  handshakeFailed(message: string, error?: Error): void {
    this.handshake = undefined;
    if (this.finished) return;
    this.failed = true;
    this.failMessage ||= message;
    this.failError ??= error;
    this.finish();
  }

  // --- socket ----------------------------------------------------------------------------

  private onSocketData(chunk: Buffer): void {
    this.reader!.push(chunk);
  }

  private onSocketEnd(): void {
    // The server closed its side: close ours too (RFC 6455 §7.1.1: the server closes first).
    this.socket!.end();
  }

  private onSocketError(err: Error): void {
    // 'close' follows; a reset or broken pipe means no clean close (1006).
    this.failError ??= err;
    this.socket!.destroy();
  }

  private onSocketClose(): void {
    this.finish();
  }

  // --- frames from the server ------------------------------------------------------------

  onMessage(data: string | Buffer, binary: boolean): void {
    this.owner.connectionMessage(data, binary);
  }

  onPing(data: Buffer): void {
    // §5.5.2: answer with a Pong carrying the same application data.
    if (!this.closeSent) this.sender!.pong(data);
  }

  onPong(_data: Buffer): void {}

  onCloseFrame(code: number, reason: string): void {
    this.closeReceived = true;
    this.receivedCode = code;
    this.receivedReason = reason;
    this.owner.connectionClosing();
    if (!this.closeSent) {
      // §5.5.1: answer with a Close frame, echoing the status code.
      this.closeSent = true;
      this.sender!.close(code === CLOSE_NO_STATUS ? EMPTY_BUFFER : closeBody(code, EMPTY_BUFFER));
    }
    // Both Close frames exchanged: the server should now close TCP; ending our side (once the
    // echo is written) lets a server waiting for our FIN finish; the timer covers one that
    // never does.
    this.sender!.end();
    this.startCloseTimer();
  }

  onReadError(code: number, message: string): void {
    this.fail(code, message);
  }

  // --- sending ---------------------------------------------------------------------------

  send(payload: string | Uint8Array | Blob, binary: boolean, size: number): void {
    this.sender!.send(payload, binary, size);
  }

  onBytesWritten(size: number): void {
    this.owner.bytesWritten(size);
  }

  onSendError(err: Error): void {
    this.failError ??= err;
    this.fail(CLOSE_ABNORMAL, `Could not read Blob: ${err.message}`);
  }

  // --- closing ---------------------------------------------------------------------------

  /**
   * WHATWG close(): while connecting, fail the connection; once open, start the closing
   * handshake with `code` (undefined: a Close frame without body) and `reason` bytes.
   */
  close(code: number | undefined, reason: Uint8Array): void {
    if (this.finished) return;
    if (this.socket === undefined) {
      this.failed = true;
      this.failMessage = 'WebSocket was closed before the connection was established';
      this.handshake?.abort();
      this.handshake = undefined;
      // Report from a later task, as the standard queues it.
      setImmediate(() => this.finish());
      return;
    }
    if (this.closeSent) return;
    this.closeSent = true;
    this.sender!.close(code === undefined ? EMPTY_BUFFER : closeBody(code, reason));
    this.startCloseTimer();
  }

  /**
   * Fails the connection (RFC 6455 §7.1.7): send a Close frame with `code` if none was sent,
   * stop reading, close TCP. The close event then reports 1006.
   */
  fail(code: number, message: string): void {
    if (this.finished || this.failed) return;
    this.failed = true;
    this.failMessage = message;
    this.reader?.stop();
    this.owner.connectionClosing();
    if (this.socket === undefined) {
      this.handshake?.abort();
      this.finish();
      return;
    }
    if (!this.closeSent && code !== CLOSE_ABNORMAL) {
      this.closeSent = true;
      this.sender!.close(closeBody(code, EMPTY_BUFFER));
    }
    this.sender!.end();
    this.startCloseTimer();
  }

  private startCloseTimer(): void {
    if (this.closeTimer !== undefined || this.finished) return;
    this.closeTimer = setTimeout(() => this.socket?.destroy(), this.options.closeTimeout);
  }

  /** The connection is closed: report once, release everything. */
  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    if (this.closeTimer !== undefined) clearTimeout(this.closeTimer);
    this.reader?.stop();
    this.deflate?.close();
    if (this.socket !== undefined && !this.socket.destroyed) this.socket.destroy();

    // RFC 6455 §7.1.5/§7.1.6 and WHATWG: the code is that of the Close frame received
    // (1005 when it had none), 1006 when none was received or the connection was failed;
    // clean only when both Close frames were exchanged before TCP closed.
    const wasClean = !this.failed && this.closeSent && this.closeReceived;
    const code = !this.failed && this.closeReceived ? this.receivedCode : CLOSE_ABNORMAL;
    const reason = !this.failed && this.closeReceived ? this.receivedReason : '';
    this.owner.connectionClosed(
      code,
      reason,
      wasClean,
      this.failed,
      this.failMessage,
      this.failError,
    );
  }
}

/** A Close frame body (§5.5.1): the status code, big-endian, then the UTF-8 reason. */
function closeBody(code: number, reason: Uint8Array): Buffer {
  const body = Buffer.allocUnsafe(2 + reason.length);
  body.writeUInt16BE(code, 0);
  body.set(reason, 2);
  return body;
}
