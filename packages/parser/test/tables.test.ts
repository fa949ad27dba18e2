// The parser's byte classes: token and field-value bytes come from
// @strata-http/headers; the rest are the parser's own tables.

import { fieldValueTable, tokenTable } from '@strata-http/headers';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { HTTPParser } from '../src/index.ts';

test('every byte as a field-name byte: accepted exactly when it is a tchar', () => {
  for (let c = 0; c < 256; c++) {
    if (c === 0x3a) continue; // ':' ends the name
    const p = new HTTPParser('request');
    const r = p.execute(
      Buffer.from([...Buffer.from('GET / HTTP/1.1\r\nX'), c, ...Buffer.from(': v\r\n\r\n')]),
    );
    assert.is(typeof r === 'number', tokenTable[c] === 1, `byte 0x${c.toString(16)}`);
  }
});

test('every byte inside a field value: accepted exactly when it is a field-value byte', () => {
  for (let c = 0; c < 256; c++) {
    if (c === 0x0d || c === 0x0a) continue;
    const p = new HTTPParser('request');
    const r = p.execute(
      Buffer.from([...Buffer.from('GET / HTTP/1.1\r\nX: a'), c, ...Buffer.from('b\r\n\r\n')]),
    );
    assert.is(typeof r === 'number', fieldValueTable[c] === 1, `byte 0x${c.toString(16)}`);
  }
});

test('the 4-bytes-at-a-time value scan agrees with the table at every alignment', () => {
  for (let pad = 0; pad < 8; pad++) {
    for (const bad of [0x00, 0x01, 0x09, 0x1f, 0x7f, 0x80, 0xff]) {
      for (let at = 0; at < 12; at++) {
        const value = Buffer.alloc(12, 0x61);
        value[at] = bad;
        const msg = Buffer.concat([
          Buffer.from(`GET / HTTP/1.1\r\nX-${'p'.repeat(pad)}: `),
          value,
          Buffer.from(`\r\n${'Y: z\r\n'.repeat(12)}\r\n`),
        ]);
        const r = new HTTPParser('request').execute(msg);
        assert.is(
          typeof r === 'number',
          fieldValueTable[bad] === 1,
          `pad ${pad} byte ${bad} at ${at}`,
        );
      }
    }
  }
});

test.run();
