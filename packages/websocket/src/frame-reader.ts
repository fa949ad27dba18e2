/**
 * The frame reader: turns the bytes a server sends into messages, pings, pongs and a close,
 * enforcing every RFC 6455 §5 rule a client must enforce. It is an explicit state machine in
 * the manner of ws's receiver: `push()` appends bytes and runs `loop()`, a `switch` over the
 * state in which each state is a method that either advances or asks for more bytes.
 *
 * States (RFC 6455 §5.2, base framing protocol):
 *   GET_INFO               the two fixed bytes: FIN, RSV1-3, opcode, MASK, payload len (7 bits)
 *   GET_PAYLOAD_LENGTH_16  the 16-bit extended payload length (payload len = 126)
 *   GET_PAYLOAD_LENGTH_64  the 64-bit extended payload length (payload len = 127)
 *   GET_DATA               the payload
 *   INFLATING              waiting for permessage-deflate to decompress the payload
 *   STOPPED                after a Close frame or a protocol error: the rest is ignored
 * A server never masks (§5.1), so the GET_MASK state a server-side reader needs does not exist
 * here: the MASK bit is a protocol error already in GET_INFO.
 */
import { Buffer } from 'node:buffer';
import {
  CLOSE_INVALID_PAYLOAD,
  CLOSE_MESSAGE_TOO_BIG,
  CLOSE_NO_STATUS,
  CLOSE_PROTOCOL_ERROR,
  EMPTY_BUFFER,
  OPCODE_BINARY,
  OPCODE_CLOSE,
  OPCODE_CONTINUATION,
  OPCODE_PING,
  OPCODE_PONG,
  OPCODE_TEXT,
} from './constants.js';
import type { PerMessageDeflate } from './permessage-deflate.js';
import { decodeUtf8, isValidCloseCode, isValidUtf8 } from './validation.js';

const GET_INFO = 0;
const GET_PAYLOAD_LENGTH_16 = 1;
const GET_PAYLOAD_LENGTH_64 = 2;
const GET_DATA = 3;
const INFLATING = 4;
const STOPPED = 5;

/** What the reader reports to its owner (the WebSocket). Called synchronously from `push()`. */
export interface FrameReaderHandler {
  /** A complete text (string) or binary (Buffer, owned by the callee) message. */
  onMessage(data: string | Buffer, binary: boolean): void;
  onPing(data: Buffer): void;
  onPong(data: Buffer): void;
  /** A Close frame: `code` is 1005 when the frame had no body. The reader stops after it. */
  onCloseFrame(code: number, reason: string): void;
  /** The server broke the protocol: fail the connection with `code` (1002, 1007 or 1009). */
  onReadError(code: number, message: string): void;
}

export class FrameReader {
  private state = GET_INFO;
  private readonly chunks: Buffer[] = [];
  /** Bytes of chunks[0] already consumed (header bytes are read in place, not sliced off). */
  private offset = 0;
  private bufferedBytes = 0;

  // The frame being read.
  private fin = false;
  private opcode = 0;
  private compressedFrame = false;
  private payloadLength = 0;

  // The message being assembled from one or more frames.
  private messageOpcode = 0; // 0: no data message in progress
  private messageCompressed = false;
  private fragments: Buffer[] = [];
  private messageLength = 0;

  private readonly handler: FrameReaderHandler;
  private readonly maxPayload: number;
  private readonly deflate: PerMessageDeflate | undefined;
  private readonly boundInflated: (err: Error | null, data?: Buffer) => void;

  /**
   * @param maxPayload largest message accepted (after decompression), 0 for no limit;
   *   larger ones fail the connection with 1009.
   * @param deflate the negotiated permessage-deflate context, if any: RSV1 is allowed (on the
   *   first frame of a data message) only when it exists.
   */
  constructor(handler: FrameReaderHandler, maxPayload: number, deflate?: PerMessageDeflate) {
    this.handler = handler;
    this.maxPayload = maxPayload;
    this.deflate = deflate;
    this.boundInflated = this.inflated.bind(this);
  }

  /** Feeds bytes from the socket. */
  push(chunk: Buffer): void {
    if (this.state === STOPPED) return;
    this.chunks.push(chunk);
    this.bufferedBytes += chunk.length;
    if (this.state !== INFLATING) this.loop();
  }

  /** Stops reading: nothing more is reported. */
  stop(): void {
    this.state = STOPPED;
    this.chunks.length = 0;
    this.offset = 0;
    this.bufferedBytes = 0;
    this.fragments = [];
  }

  private loop(): void {
    for (;;) {
      switch (this.state) {
        case GET_INFO:
          if (!this.getInfo()) return;
          break;
        case GET_PAYLOAD_LENGTH_16:
          if (!this.getPayloadLength16()) return;
          break;
        case GET_PAYLOAD_LENGTH_64:
          if (!this.getPayloadLength64()) return;
          break;
        case GET_DATA:
          if (!this.getData()) return;
          break;
        default: // INFLATING, STOPPED
          return;
      }
    }
  }

  /** The byte `i` positions ahead in the buffered input (i < bufferedBytes). */
  private peek(i: number): number {
    let k = 0;
    let chunk = this.chunks[0];
    i += this.offset;
    while (i >= chunk.length) {
      i -= chunk.length;
      chunk = this.chunks[++k];
    }
    return chunk[i];
  }

  /** Drops `n` buffered bytes (n <= bufferedBytes). */
  private skip(n: number): void {
    this.bufferedBytes -= n;
    for (;;) {
      const rest = this.chunks[0].length - this.offset;
      if (n < rest) {
        this.offset += n;
        return;
      }
      n -= rest;
      this.chunks.shift();
      this.offset = 0;
      if (n === 0) return;
    }
  }

  /** Takes `n` buffered bytes: a view when they sit in one chunk, a fresh copy otherwise. */
  private consume(n: number): Buffer {
    const first = this.chunks[0];
    const start = this.offset;
    if (start + n <= first.length) {
      this.bufferedBytes -= n;
      if (start + n === first.length) {
        this.chunks.shift();
        this.offset = 0;
        return start === 0 ? first : first.subarray(start);
      }
      this.offset = start + n;
      return first.subarray(start, start + n);
    }
    // Spans chunks: copy into an exact-size ArrayBuffer (binary messages hand it out as is).
    const out = Buffer.allocUnsafeSlow(n);
    let copied = 0;
    while (copied < n) {
      const chunk = this.chunks[0];
      const take = Math.min(chunk.length - this.offset, n - copied);
      chunk.copy(out, copied, this.offset, this.offset + take);
      copied += take;
      this.skip(take);
    }
    return out;
  }

  private fail(code: number, message: string): false {
    this.stop();
    this.handler.onReadError(code, message);
    return false;
  }

  /** RFC 6455 §5.2: the first two bytes of every frame. */
  private getInfo(): boolean {
    if (this.bufferedBytes < 2) return false;
    const b0 = this.peek(0);
    const b1 = this.peek(1);
    this.skip(2);
    this.fin = (b0 & 0x80) !== 0;
    this.opcode = b0 & 0x0f;
    const rsv1 = (b0 & 0x40) !== 0;

    // §5.2: RSV2 and RSV3 have no meaning without an extension that defines them (none here).
    if ((b0 & 0x30) !== 0) return this.fail(CLOSE_PROTOCOL_ERROR, 'RSV2 and RSV3 must be clear');
    // §5.1: "a client MUST close a connection if it detects a masked frame".
    if ((b1 & 0x80) !== 0)
      return this.fail(CLOSE_PROTOCOL_ERROR, 'Server frames must not be masked');

    this.compressedFrame = false;
    switch (this.opcode) {
      case OPCODE_CONTINUATION:
        if (this.messageOpcode === 0) {
          return this.fail(
            CLOSE_PROTOCOL_ERROR,
            'Continuation frame without a message to continue',
          );
        }
        // RFC 7692 §6: RSV1 is set on the first frame of a compressed message only.
        if (rsv1)
          return this.fail(CLOSE_PROTOCOL_ERROR, 'RSV1 must be clear on continuation frames');
        this.compressedFrame = this.messageCompressed;
        break;
      case OPCODE_TEXT:
      case OPCODE_BINARY:
        if (this.messageOpcode !== 0) {
          return this.fail(
            CLOSE_PROTOCOL_ERROR,
            'New data frame before the previous message ended',
          );
        }
        if (rsv1 && this.deflate === undefined) {
          return this.fail(CLOSE_PROTOCOL_ERROR, 'RSV1 must be clear without permessage-deflate');
        }
        this.messageOpcode = this.opcode;
        this.messageCompressed = rsv1;
        this.compressedFrame = rsv1;
        break;
      case OPCODE_CLOSE:
      case OPCODE_PING:
      case OPCODE_PONG:
        // §5.5: control frames are never fragmented, carry at most 125 bytes, and (RFC 7692)
        // are never compressed.
        if (!this.fin)
          return this.fail(CLOSE_PROTOCOL_ERROR, 'Control frames must not be fragmented');
        if (rsv1) return this.fail(CLOSE_PROTOCOL_ERROR, 'RSV1 must be clear on control frames');
        if ((b1 & 0x7f) > 125) {
          return this.fail(CLOSE_PROTOCOL_ERROR, 'Control frame payload longer than 125 bytes');
        }
        break;
      default:
        return this.fail(CLOSE_PROTOCOL_ERROR, `Unknown opcode 0x${this.opcode.toString(16)}`);
    }

    const len = b1 & 0x7f;
    if (len === 126) this.state = GET_PAYLOAD_LENGTH_16;
    else if (len === 127) this.state = GET_PAYLOAD_LENGTH_64;
    else return this.havePayloadLength(len);
    return true;
  }

  private getPayloadLength16(): boolean {
    if (this.bufferedBytes < 2) return false;
    const len = (this.peek(0) << 8) | this.peek(1);
    this.skip(2);
    return this.havePayloadLength(len);
  }

  private getPayloadLength64(): boolean {
    if (this.bufferedBytes < 8) return false;
    const b = this.consume(8);
    const high = b.readUInt32BE(0);
    // §5.2: "the most significant bit MUST be 0".
    if (high >= 0x80000000) return this.fail(CLOSE_PROTOCOL_ERROR, 'Payload length MSB must be 0');
    // JavaScript numbers are exact up to 2^53 - 1: past it, the message is too big anyway.
    if (high > 0x1fffff) return this.fail(CLOSE_MESSAGE_TOO_BIG, 'Payload length over 2^53 - 1');
    return this.havePayloadLength(high * 0x100000000 + b.readUInt32BE(4));
  }

  private havePayloadLength(len: number): boolean {
    this.payloadLength = len;
    // Uncompressed data can be refused before it arrives; compressed data once inflated.
    if (
      this.maxPayload > 0 &&
      this.opcode < OPCODE_CLOSE &&
      !this.compressedFrame &&
      this.messageLength + len > this.maxPayload
    ) {
      return this.fail(CLOSE_MESSAGE_TOO_BIG, 'Message larger than maxPayload');
    }
    this.state = GET_DATA;
    return true;
  }

  private getData(): boolean {
    const len = this.payloadLength;
    if (this.bufferedBytes < len) return false;
    const data = len === 0 ? EMPTY_BUFFER : this.consume(len);
    if (this.opcode >= OPCODE_CLOSE) return this.controlFrame(data);
    if (this.compressedFrame) {
      this.state = INFLATING;
      const limit = this.maxPayload > 0 ? this.maxPayload - this.messageLength : 0;
      this.deflate!.decompress(data, this.fin, limit, this.boundInflated);
      return false;
    }
    return this.dataFrame(data);
  }

  private inflated(err: Error | null, data?: Buffer): void {
    if (this.state === STOPPED) return;
    if (err !== null) {
      const tooBig = (err as { code?: string }).code === 'WS_ERR_MESSAGE_TOO_BIG';
      this.fail(tooBig ? CLOSE_MESSAGE_TOO_BIG : CLOSE_INVALID_PAYLOAD, err.message);
      return;
    }
    if (this.dataFrame(data!)) this.loop();
  }

  /** A data frame's payload (inflated if it was compressed); completes the message on FIN. */
  private dataFrame(data: Buffer): boolean {
    this.state = GET_INFO;
    if (data.length > 0) {
      this.fragments.push(data);
      this.messageLength += data.length;
    }
    if (!this.fin) return true;

    const fragments = this.fragments;
    let message: Buffer;
    if (fragments.length === 1) message = fragments[0];
    else if (fragments.length === 0) message = EMPTY_BUFFER;
    else {
      message = Buffer.allocUnsafeSlow(this.messageLength);
      let offset = 0;
      for (let i = 0; i < fragments.length; i++) {
        fragments[i].copy(message, offset);
        offset += fragments[i].length;
      }
    }
    const binary = this.messageOpcode === OPCODE_BINARY;
    this.fragments = [];
    this.messageLength = 0;
    this.messageOpcode = 0;
    this.messageCompressed = false;

    if (binary) {
      this.handler.onMessage(message, true);
    } else {
      // §8.1: a text message that is not valid UTF-8 fails the connection (§7.4.1: 1007).
      const text = decodeUtf8(message);
      if (text === undefined)
        return this.fail(CLOSE_INVALID_PAYLOAD, 'Invalid UTF-8 in text message');
      this.handler.onMessage(text, false);
    }
    return this.state !== STOPPED;
  }

  private controlFrame(data: Buffer): boolean {
    this.state = GET_INFO;
    if (this.opcode === OPCODE_PING) {
      this.handler.onPing(data);
    } else if (this.opcode === OPCODE_PONG) {
      this.handler.onPong(data);
    } else {
      // §5.5.1: an optional 2-byte status code, then an optional UTF-8 reason.
      if (data.length === 1) return this.fail(CLOSE_PROTOCOL_ERROR, 'Close frame body of 1 byte');
      let code = CLOSE_NO_STATUS;
      let reason = '';
      if (data.length >= 2) {
        code = (data[0] << 8) | data[1];
        if (!isValidCloseCode(code)) {
          return this.fail(CLOSE_PROTOCOL_ERROR, `Invalid close code ${code}`);
        }
        const reasonBytes = data.subarray(2);
        if (!isValidUtf8(reasonBytes)) {
          return this.fail(CLOSE_INVALID_PAYLOAD, 'Invalid UTF-8 in close reason');
        }
        reason = reasonBytes.toString('utf8');
      }
      // §5.5.1: nothing after a Close frame is read.
      this.stop();
      this.handler.onCloseFrame(code, reason);
      return false;
    }
    return this.state !== STOPPED;
  }
}
