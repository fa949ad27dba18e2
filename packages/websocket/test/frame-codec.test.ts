/**
 * The frame sender's bytes (RFC 6455 §5.2, §5.3) decoded independently, for every length
 * encoding and for aligned and unaligned payload views (the word-at-a-time masking path).
 */

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { FrameReader, type FrameReaderHandler } from '../src/frame-reader.ts';
import { buildFrame } from '../src/frame-sender.ts';
import { closeFrame, decodeFrames, frame } from './helpers.ts';

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

test('frame reader: the same messages whatever the chunk boundaries (seeded random splits)', () => {
  let seed = 12345;
  const random = () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
  const expected: Array<string | number[]> = [];
  const parts: Buffer[] = [];
  for (let m = 0; m < 36; m++) {
    const len = [0, 1, 125, 126, 127, 300, 65535, 65536, 70000][m % 9];
    if (m % 3 === 0) {
      const text = 'ä'.repeat(len >> 1);
      expected.push(text);
      parts.push(frame(1, text));
    } else {
      const bytes = Buffer.alloc(len, m);
      expected.push([len, m]);
      // Binary messages in 2 fragments with a ping between them.
      const cut = len >> 1;
      parts.push(
        frame(2, bytes.subarray(0, cut), false),
        frame(9, 'p'),
        frame(0, bytes.subarray(cut)),
      );
    }
  }
  parts.push(closeFrame(1000, 'end'));
  const wire = Buffer.concat(parts);

  for (let round = 0; round < 20; round++) {
    const got: Array<string | number[]> = [];
    let pings = 0;
    let closed = '';
    const handler: FrameReaderHandler = {
      onMessage: (data, binary) =>
        got.push(binary ? [(data as Buffer).length, (data as Buffer)[0] ?? -1] : (data as string)),
      onPing: () => pings++,
      onPong: () => {},
      onCloseFrame: (code, reason) => {
        closed = `${code}:${reason}`;
      },
      onReadError: (code, message) => assert.unreachable(`${code} ${message}`),
    };
    const reader = new FrameReader(handler, 0);
    let i = 0;
    while (i < wire.length) {
      // Round 0: byte by byte through the headers at the start; then random sizes.
      const n =
        round === 0 && i < 5000 ? 1 : 1 + Math.floor(random() * (round < 10 ? 3000 : 100000));
      reader.push(wire.subarray(i, i + n));
      i += n;
    }
    assert.is(got.length, expected.length);
    for (let k = 0; k < got.length; k++) {
      const e = expected[k];
      assert.equal(got[k], typeof e === 'string' ? e : [e[0], e[0] === 0 ? -1 : e[1]]);
    }
    assert.is(pings, 24);
    assert.is(closed, '1000:end');
  }
});

test('frame reader: random input never throws; once failed, it reports nothing more', () => {
  let seed = 987654;
  const next = () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed;
  };
  let failures = 0;
  for (let round = 0; round < 3000; round++) {
    let failed = false;
    let after = 0;
    const handler: FrameReaderHandler = {
      onMessage: () => {
        if (failed) after++;
      },
      onPing: () => {
        if (failed) after++;
      },
      onPong: () => {},
      onCloseFrame: () => {},
      onReadError: (code) => {
        assert.ok([1002, 1007, 1009].includes(code));
        if (failed) after++;
        failed = true;
      },
    };
    const reader = new FrameReader(handler, 1 << 16);
    // Mostly-valid headers with random bits flipped, random lengths and payloads.
    const bytes = Buffer.alloc(1 + (next() % 300));
    for (let i = 0; i < bytes.length; i++) bytes[i] = next() & 0xff;
    if (round % 2 === 0) bytes[0] = (bytes[0] & 0x8f) | 0x80;
    if (round % 3 === 0) bytes[1] &= 0x7f;
    for (let i = 0; i < bytes.length; ) {
      const n = 1 + (next() % 17);
      reader.push(bytes.subarray(i, i + n));
      i += n;
    }
    if (failed) failures++;
    assert.is(after, 0);
  }
  assert.ok(failures > 100);
});

test.run();
