/**
 * The frame sender: frames messages and control payloads the way RFC 6455 §5 requires of a
 * client, every frame masked with a fresh key from a CSPRNG (§5.3, §10.3), and keeps them in
 * order while some wait for asynchronous work (reading a Blob, permessage-deflate).
 */
import { Buffer } from 'node:buffer';
import { randomFillSync } from 'node:crypto';
import type { Duplex } from 'node:stream';
import { OPCODE_BINARY, OPCODE_CLOSE, OPCODE_PING, OPCODE_PONG, OPCODE_TEXT } from './constants.js';
import type { PerMessageDeflate } from './permessage-deflate.js';

/**
 * Masking keys come from this pool, refilled from the CSPRNG 2048 keys at a time: one
 * randomFillSync call per frame would cost more than framing a small message.
 */
const MASK_POOL_SIZE = 8192;
const maskPool = Buffer.allocUnsafe(MASK_POOL_SIZE);
let maskOffset = MASK_POOL_SIZE;

/** Messages shorter than this go out uncompressed (RFC 7692 §6 lets the sender choose). */
export const COMPRESSION_THRESHOLD = 1024;

/**
 * Builds one complete, masked frame. `payload` is a string (encoded as UTF-8 straight into the
 * frame) or bytes (copied into the frame while masking, so the caller keeps its buffer).
 */
export function buildFrame(
  opcode: number,
  payload: string | Uint8Array,
  fin: boolean,
  rsv1: boolean,
): Buffer {
  const isString = typeof payload === 'string';
  const len = isString ? Buffer.byteLength(payload) : payload.length;
  const lenBytes = len < 126 ? 0 : len < 0x10000 ? 2 : 8;
  const headerLength = 2 + lenBytes + 4;
  let frame: Buffer;
  if (len < WORD_MASK_MIN) {
    frame = Buffer.allocUnsafe(headerLength + len);
  } else {
    // Place the payload on a 4-byte boundary so that it can be masked a word at a time.
    const raw = Buffer.allocUnsafe(headerLength + len + 3);
    const pad = (4 - ((raw.byteOffset + headerLength) & 3)) & 3;
    frame = raw.subarray(pad, pad + headerLength + len);
  }

  frame[0] = (fin ? 0x80 : 0) | (rsv1 ? 0x40 : 0) | opcode;
  if (lenBytes === 0) {
    frame[1] = 0x80 | len;
  } else if (lenBytes === 2) {
    frame[1] = 0x80 | 126;
    frame[2] = len >>> 8;
    frame[3] = len & 0xff;
  } else {
    frame[1] = 0x80 | 127;
    frame.writeUInt32BE(Math.floor(len / 0x100000000), 2);
    frame.writeUInt32BE(len >>> 0, 6);
  }

  if (maskOffset === MASK_POOL_SIZE) {
    randomFillSync(maskPool);
    maskOffset = 0;
  }
  const k = 2 + lenBytes;
  frame[k] = maskPool[maskOffset];
  frame[k + 1] = maskPool[maskOffset + 1];
  frame[k + 2] = maskPool[maskOffset + 2];
  frame[k + 3] = maskPool[maskOffset + 3];
  maskOffset += 4;

  if (len === 0) return frame;
  if (isString) frame.write(payload, headerLength, 'utf8');
  applyMask(isString ? frame : payload, isString ? headerLength : 0, frame, headerLength, len, k);
  return frame;
}

/** Payloads from this size on are masked 32 bits at a time when aligned. */
const WORD_MASK_MIN = 256;
/** The 4 mask bytes seen as one 32-bit word in the machine's byte order. */
const maskBytes = new Uint8Array(4);
const maskWord = new Uint32Array(maskBytes.buffer);

/**
 * dst[dstOffset + i] = src[srcOffset + i] XOR mask[i % 4] for i < len (§5.3), where the mask
 * is frame[maskAt .. maskAt + 3]; src may be dst (in-place).
 */
function applyMask(
  src: Uint8Array,
  srcOffset: number,
  dst: Uint8Array,
  dstOffset: number,
  len: number,
  maskAt: number,
): void {
  const m0 = dst[maskAt];
  const m1 = dst[maskAt + 1];
  const m2 = dst[maskAt + 2];
  const m3 = dst[maskAt + 3];
  let i = 0;
  const srcStart = src.byteOffset + srcOffset;
  const dstStart = dst.byteOffset + dstOffset;
  if (len >= WORD_MASK_MIN && (srcStart & 3) === 0 && (dstStart & 3) === 0) {
    // Byte order does not matter: the mask word is read from the same bytes the same way.
    maskBytes[0] = m0;
    maskBytes[1] = m1;
    maskBytes[2] = m2;
    maskBytes[3] = m3;
    const m = maskWord[0];
    const words = len >>> 2;
    const s32 = new Uint32Array(src.buffer, srcStart, words);
    const d32 =
      src.buffer === dst.buffer && srcStart === dstStart
        ? s32
        : new Uint32Array(dst.buffer, dstStart, words);
    for (let w = 0; w < words; w++) d32[w] = s32[w] ^ m;
    i = words << 2;
  } else {
    const len4 = len & ~3;
    for (; i < len4; i += 4) {
      dst[dstOffset + i] = src[srcOffset + i] ^ m0;
      dst[dstOffset + i + 1] = src[srcOffset + i + 1] ^ m1;
      dst[dstOffset + i + 2] = src[srcOffset + i + 2] ^ m2;
      dst[dstOffset + i + 3] = src[srcOffset + i + 3] ^ m3;
    }
  }
  if (i < len) dst[dstOffset + i] = src[srcOffset + i++] ^ m0;
  if (i < len) dst[dstOffset + i] = src[srcOffset + i++] ^ m1;
  if (i < len) dst[dstOffset + i] = src[srcOffset + i] ^ m2;
}

/** Payload of a queued message: ready bytes or text, or a Blob still to be read. */
type Payload = string | Uint8Array | Blob;

interface QueuedMessage {
  opcode: number;
  payload: Payload;
  /** Bytes this entry adds to bufferedAmount (0 for a Close frame). */
  size: number;
}

/** Tells the owner how many application bytes reached the socket (for bufferedAmount). */
export interface FrameSenderOwner {
  onBytesWritten(size: number): void;
  /** A Blob could not be read: the owner fails the connection. */
  onSendError(err: Error): void;
}

export class FrameSender {
  private readonly socket: Duplex;
  private readonly deflate: PerMessageDeflate | undefined;
  private readonly owner: FrameSenderOwner;
  /** Messages waiting behind asynchronous work, in order. */
  private readonly queue: QueuedMessage[] = [];
  /** Something (a Blob read or a compression) is in progress for queue[0]. */
  private busy = false;
  /** Sizes of written data frames whose write callbacks are still due, in order. */
  private readonly inFlight: number[] = [];
  private inFlightHead = 0;
  private readonly boundWritten: (err?: Error | null) => void;
  private readonly fragmentSize: number;
  private ending = false;

  /**
   * @param fragmentSize messages longer than this many bytes (after compression) go out as
   *   several frames of at most this size (§5.4); 0 sends every message as a single frame.
   */
  constructor(
    socket: Duplex,
    owner: FrameSenderOwner,
    deflate?: PerMessageDeflate,
    fragmentSize = 0,
  ) {
    this.socket = socket;
    this.owner = owner;
    this.fragmentSize = fragmentSize;
    this.deflate = deflate?.canCompress ? deflate : undefined;
    this.boundWritten = this.written.bind(this);
  }

  /** Sends a text (string) or binary message as one frame, after anything still queued. */
  send(payload: Payload, binary: boolean, size: number): void {
    const opcode = binary ? OPCODE_BINARY : OPCODE_TEXT;
    if (
      this.queue.length === 0 &&
      !(payload instanceof Blob) &&
      (this.deflate === undefined || size < COMPRESSION_THRESHOLD)
    ) {
      this.writeMessage(opcode, payload, false, size);
      return;
    }
    // WHATWG send(): the bytes are those at the time of the call, so a queued view is copied.
    if (payload instanceof Uint8Array) payload = Uint8Array.prototype.slice.call(payload);
    this.queue.push({ opcode, payload, size });
    if (!this.busy) this.drainQueue();
  }

  /** Sends a Close frame after every message already sent (§5.5.1). */
  close(body: Uint8Array): void {
    if (this.queue.length === 0) this.writeControl(OPCODE_CLOSE, body);
    else this.queue.push({ opcode: OPCODE_CLOSE, payload: body, size: 0 });
  }

  /**
   * Ends the socket (TCP FIN) once everything queued, the Close frame included, is written:
   * ending it at once would lose a message still waiting for a Blob or for compression.
   */
  end(): void {
    this.ending = true;
    if (this.queue.length === 0) this.socket.end();
  }

  /** Pings and pongs may overtake queued messages: they are frames of their own (§5.4). */
  ping(body: Uint8Array): void {
    this.writeControl(OPCODE_PING, body);
  }

  pong(body: Uint8Array): void {
    this.writeControl(OPCODE_PONG, body);
  }

  private writeControl(opcode: number, body: Uint8Array): void {
    if (this.socket.writable) this.socket.write(buildFrame(opcode, body, true, false));
  }

  /** Frames and writes one message: one frame, or fragments of fragmentSize (§5.4). */
  private writeMessage(
    opcode: number,
    payload: string | Uint8Array,
    rsv1: boolean,
    size: number,
  ): void {
    if (!this.socket.writable) return;
    const max = this.fragmentSize;
    // `size` is the UTF-8 length of a string payload; a byte payload may be compressed.
    if (max === 0 || (typeof payload === 'string' ? size : payload.length) <= max) {
      this.inFlight.push(size);
      this.socket.write(buildFrame(opcode, payload, true, rsv1), this.boundWritten);
      return;
    }
    const bytes = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload;
    const socket = this.socket;
    socket.cork();
    // First frame: the message opcode (and RSV1 if compressed); then continuation frames.
    for (let offset = 0; offset < bytes.length; offset += max) {
      const end = Math.min(offset + max, bytes.length);
      const frame = buildFrame(
        offset === 0 ? opcode : 0,
        bytes.subarray(offset, end),
        end === bytes.length,
        rsv1 && offset === 0,
      );
      if (end === bytes.length) {
        this.inFlight.push(size);
        socket.write(frame, this.boundWritten);
      } else {
        socket.write(frame);
      }
    }
    socket.uncork();
  }

  /** Write callbacks come in write order, so the oldest in-flight size is the one written. */
  private written(): void {
    const size = this.inFlight[this.inFlightHead++];
    if (this.inFlightHead === this.inFlight.length) {
      this.inFlight.length = 0;
      this.inFlightHead = 0;
    }
    this.owner.onBytesWritten(size);
  }

  private drainQueue(): void {
    while (this.queue.length > 0 && !this.busy) {
      const entry = this.queue[0];
      if (entry.opcode === OPCODE_CLOSE) {
        this.queue.shift();
        this.writeControl(OPCODE_CLOSE, entry.payload as Uint8Array);
        continue;
      }
      const payload = entry.payload;
      if (payload instanceof Blob) {
        this.busy = true;
        payload.arrayBuffer().then(
          (ab) => {
            entry.payload = new Uint8Array(ab);
            this.busy = false;
            this.drainQueue();
          },
          (err: Error) => {
            this.busy = false;
            this.queue.length = 0;
            this.owner.onSendError(err);
            if (this.ending) this.socket.end();
          },
        );
        return;
      }
      if (this.deflate !== undefined && entry.size >= COMPRESSION_THRESHOLD) {
        this.busy = true;
        const bytes =
          typeof payload === 'string'
            ? Buffer.from(payload, 'utf8')
            : Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
        this.deflate.compress(bytes, (_err, compressed) => {
          this.busy = false;
          this.queue.shift();
          this.writeMessage(entry.opcode, compressed!, true, entry.size);
          this.drainQueue();
        });
        return;
      }
      this.queue.shift();
      this.writeMessage(entry.opcode, payload, false, entry.size);
    }
    if (this.ending && this.queue.length === 0) this.socket.end();
  }
}
