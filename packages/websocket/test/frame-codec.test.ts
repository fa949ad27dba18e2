/**
 * The frame sender's bytes (RFC 6455 §5.2, §5.3) decoded independently, for every length
 * encoding and for aligned and unaligned payload views (the word-at-a-time masking path).
 */

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { buildFrame } from '../src/frame-sender.ts';
import { decodeFrames } from './helpers.ts';

const test = suite('frame sender');

const lengths = [
  0, 1, 2, 3, 4, 5, 125, 126, 127, 255, 256, 257, 258, 259, 1023, 65535, 65536, 70001,
];

test('binary payloads: header, length encoding, mask, payload', () => {
  for (const len of lengths) {
    for (let offset = 0; offset < 4; offset++) {
      const backing = new Uint8Array(len + 8);
      for (let i = 0; i < backing.length; i++) backing[i] = (i * 13 + 5) & 0xff;
      const view = backing.subarray(offset, offset + len);
      const copy = Buffer.from(view);
      const frame = buildFrame(2, view, true, false);
      const expectedHeader = 2 + (len < 126 ? 0 : len < 65536 ? 2 : 8) + 4;
      assert.is(frame.length, expectedHeader + len);
      const [f] = decodeFrames(frame);
      assert.equal([f.fin, f.rsv, f.opcode, f.masked], [true, 0, 2, true]);
      assert.ok(f.payload.equals(copy), `len ${len} offset ${offset}`);
      assert.ok(Buffer.from(view).equals(copy), 'source untouched');
    }
  }
});

test('text payloads are UTF-8 encoded into the frame and masked in place', () => {
  for (const len of lengths) {
    const text = 'aé😀'.repeat(Math.ceil(len / 7)).slice(0, len);
    const [f] = decodeFrames(buildFrame(1, text, false, true));
    assert.equal([f.fin, f.rsv, f.opcode], [false, 0x40, 1]);
    assert.ok(f.payload.equals(Buffer.from(text, 'utf8')));
  }
});

test('masks are fresh for each frame', () => {
  const masks = new Set<string>();
  for (let i = 0; i < 5000; i++)
    masks.add(decodeFrames(buildFrame(9, 'p', true, false))[0].mask.toString('hex'));
  assert.ok(masks.size > 4990);
});

test.run();
