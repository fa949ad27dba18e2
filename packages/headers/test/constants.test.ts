// METHODS and STATUS_CODES against node:http's.
import http from 'node:http';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { METHODS, STATUS_CODES } from '../src/index.ts';

test('METHODS equals http.METHODS (35 sorted, with QUERY)', () => {
  assert.equal(METHODS, http.METHODS);
  assert.is(METHODS.length, 35);
  assert.ok(METHODS.includes('QUERY'));
  assert.equal([...METHODS].sort(), METHODS);
  assert.is(Array.isArray(METHODS), true);
});

test('STATUS_CODES equals http.STATUS_CODES (63 entries, same text, same key order)', () => {
  assert.equal(STATUS_CODES, http.STATUS_CODES);
  assert.equal(Object.keys(STATUS_CODES), Object.keys(http.STATUS_CODES));
  assert.is(Object.keys(STATUS_CODES).length, 63);
  assert.is(STATUS_CODES[418], "I'm a Teapot");
  assert.is(Object.getPrototypeOf(STATUS_CODES), Object.getPrototypeOf(http.STATUS_CODES));
});

test('frozenness matches node:http (neither is frozen: apps add status codes)', () => {
  assert.is(Object.isFrozen(METHODS), Object.isFrozen(http.METHODS));
  assert.is(Object.isFrozen(STATUS_CODES), Object.isFrozen(http.STATUS_CODES));
});

test.run();
