/**
 * The validation tables: the table-driven UTF-8 checker (used where `buffer.isUtf8` is missing)
 * must agree with a fatal TextDecoder on every input; close codes and tokens per RFC 6455.
 */

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import {
  decodeUtf8,
  isToken,
  isValidCloseCode,
  isValidUtf8,
  isValidUtf8Table,
} from '../src/validation.ts';

const test = suite('validation');
const fatal = new TextDecoder('utf-8', { fatal: true });

function decoderSays(b: Uint8Array): boolean {
  try {
    fatal.decode(b);
    return true;
  } catch {
    return false;
  }
}

test('UTF-8: RFC 3629 boundary cases', () => {
  const cases: Array<[number[], boolean]> = [
    [[], true],
    [[0x7f], true],
    [[0xc2, 0x80], true], // U+0080
    [[0xc1, 0xbf], false], // overlong
    [[0xc0, 0x80], false], // overlong NUL
    [[0xe0, 0xa0, 0x80], true], // U+0800
    [[0xe0, 0x9f, 0xbf], false], // overlong
    [[0xed, 0x9f, 0xbf], true], // U+D7FF
    [[0xed, 0xa0, 0x80], false], // U+D800 surrogate
    [[0xed, 0xbf, 0xbf], false], // U+DFFF surrogate
    [[0xee, 0x80, 0x80], true], // U+E000
    [[0xef, 0xbf, 0xbf], true], // U+FFFF
    [[0xf0, 0x90, 0x80, 0x80], true], // U+10000
    [[0xf0, 0x8f, 0xbf, 0xbf], false], // overlong
    [[0xf4, 0x8f, 0xbf, 0xbf], true], // U+10FFFF
    [[0xf4, 0x90, 0x80, 0x80], false], // above U+10FFFF
    [[0xf5, 0x80, 0x80, 0x80], false],
    [[0xff], false],
    [[0x80], false], // lone continuation
    [[0xe2, 0x82], false], // truncated
    [[0x61, 0xf0, 0x9f, 0x98, 0x80, 0x62], true], // a😀b
  ];
  for (const [bytes, valid] of cases) {
    const b = new Uint8Array(bytes);
    assert.is(isValidUtf8Table(b), valid, `table ${bytes}`);
    assert.is(isValidUtf8(b), valid, `isValidUtf8 ${bytes}`);
    assert.is(decoderSays(b), valid, `TextDecoder ${bytes}`);
  }
});

test('UTF-8: the table agrees with TextDecoder on 100000 seeded random inputs', () => {
  let seed = 42;
  const next = () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed;
  };
  // Bias towards interesting bytes so that valid multi-byte sequences occur too.
  const pool = [
    0x00, 0x41, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xc2, 0xdf, 0xe0, 0xe1, 0xed, 0xee,
    0xef, 0xf0, 0xf1, 0xf4, 0xf5, 0xff,
  ];
  let valid = 0;
  for (let k = 0; k < 100000; k++) {
    const b = new Uint8Array(1 + (next() % 8));
    for (let i = 0; i < b.length; i++)
      b[i] = next() % 3 === 0 ? next() & 0xff : pool[next() % pool.length];
    const expected = decoderSays(b);
    if (expected) valid++;
    assert.is(isValidUtf8Table(b), expected);
    assert.is(isValidUtf8(b), expected);
  }
  assert.ok(valid > 1000, 'some inputs were valid');
});

test('decodeUtf8: short and long paths, BOM dropped, undefined when invalid', () => {
  assert.is(decodeUtf8(Buffer.from('\ufeffx')), 'x');
  assert.is(decodeUtf8(Buffer.from(`\ufeff${'y'.repeat(5000)}`)), 'y'.repeat(5000));
  assert.is(decodeUtf8(Buffer.from('é'.repeat(3000))), 'é'.repeat(3000));
  assert.is(decodeUtf8(Buffer.from([0xc3])), undefined);
  assert.is(decodeUtf8(Buffer.concat([Buffer.alloc(3000, 0x61), Buffer.from([0xc3])])), undefined);
});

test('close codes (RFC 6455 §7.4)', () => {
  const valid = [
    1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 4999,
  ];
  const invalid = [0, 999, 1004, 1005, 1006, 1015, 1016, 2000, 2999, 5000, 65535];
  for (const c of valid) assert.ok(isValidCloseCode(c), String(c));
  for (const c of invalid) assert.not.ok(isValidCloseCode(c), String(c));
});

test('tokens (RFC 7230 tchar)', () => {
  for (const t of ['chat', 'v1.json', "!#$%&'*+-.^_`|~", 'A9']) assert.ok(isToken(t), t);
  for (const t of [
    '',
    'a b',
    'a,b',
    'a;b',
    '"a"',
    'a/b',
    'é',
    'a\tb',
    '(x)',
    '{x}',
    'a=b',
    'a@b',
    '[x]',
  ]) {
    assert.not.ok(isToken(t), t);
  }
});

test.run();
