/**
 * The header block and a message's first Buffer chunk copied into one Buffer
 * (one plain socket write instead of a writev of a string and a buffer).
 *
 * Node's `Buffer.allocUnsafe()` takes sizes under half its pool size (4 KiB
 * by default) from its shared 8 KiB slab; anything larger gets an ArrayBuffer
 * of its own: a malloc() per response, and one more external ArrayBuffer that
 * every young-generation GC has to sweep and free (in the POST 4 KiB echo,
 * the sweep was 0.55 of the scavenge's 0.85 ms average pause, against 0.17 ms
 * for node:http). Joined buffers from there up to a quarter of SLAB_SIZE are
 * cut from a slab of this module's instead, as Node's pool does for small
 * ones: bump allocation, never reused, so a Buffer handed to the socket is
 * never written again; a slab is freed when the last Buffer cut from it is.
 */
import { Buffer } from 'node:buffer';

const SLAB_SIZE = 64 * 1024;
const SLAB_MAX = SLAB_SIZE / 4;

let slab: Buffer | null = null;
let slabUsed = 0;

/** `header` (latin1) followed by the bytes of `data`, in a new Buffer. */
export function joinHeadAndBody(header: string, data: Uint8Array): Buffer {
  const size = header.length + data.byteLength;
  let joined: Buffer;
  if (size < Buffer.poolSize >>> 1 || size > SLAB_MAX) {
    joined = Buffer.allocUnsafe(size);
  } else {
    if (slab === null || SLAB_SIZE - slabUsed < size) {
      slab = Buffer.allocUnsafeSlow(SLAB_SIZE);
      slabUsed = 0;
    }
    joined = slab.subarray(slabUsed, slabUsed + size);
    // The next one starts 8-byte aligned, as in Node's pool.
    slabUsed = (slabUsed + size + 7) & ~7;
  }
  joined.write(header, 0, 'latin1');
  joined.set(data, header.length);
  return joined;
}
