import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as headers from '../src/index.ts';

test('the entry module exports the validators, tables and errors', () => {
  assert.type(headers.validateHeaderName, 'function');
  assert.type(headers.validateHeaderValue, 'function');
  assert.ok(headers.tokenTable instanceof Uint8Array);
  assert.is(headers.tokenTable.length, 256);
  assert.type(headers.ERR_INVALID_ARG_TYPE, 'function');
});

test.run();
