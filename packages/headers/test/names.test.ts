// lowerCaseHeaderName is toLowerCase, with shared constants for common names.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { lowerCaseHeaderName } from '../src/index.ts';
import { prng, randomString } from './helpers/random.ts';

test('equals toLowerCase for common names in every casing and for random strings', () => {
  const common = [
    'Content-Type',
    'content-type',
    'CONTENT-TYPE',
    'ETag',
    'etag',
    'WWW-Authenticate',
    'TE',
    'te',
  ];
  for (const n of common) assert.is(lowerCaseHeaderName(n), n.toLowerCase());
  const r = prng(8);
  for (let i = 0; i < 20000; i++) {
    const s = randomString(r, 20, 0.8);
    assert.is(lowerCaseHeaderName(s), s.toLowerCase(), JSON.stringify(s));
  }
  for (const s of ['', 'İ', 'ẞ', 'Σ', 'K-\u212a'])
    assert.is(lowerCaseHeaderName(s), s.toLowerCase());
});

test('does not answer for inherited Map/Object members', () => {
  for (const s of ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'size', 'get']) {
    assert.is(lowerCaseHeaderName(s), s.toLowerCase());
  }
});

test.run();
