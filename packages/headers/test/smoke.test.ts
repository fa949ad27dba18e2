import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as headers from '../src/index.ts';

test('the entry module loads', () => {
  assert.type(headers, 'object');
});

test.run();
