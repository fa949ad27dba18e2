// The tables and validators against node:http itself, in the same process:
// every char code 0-255 (alone, and inside names/values), every BMP code unit
// above 255, non-strings, and thousands of generated strings including
// non-Latin-1 ones.
import http from 'node:http';
import { createRequire } from 'node:module';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  checkInvalidHeaderChar,
  checkIsHttpToken,
  fieldValueTable,
  tokenTable,
  validateHeaderName,
  validateHeaderValue,
} from '../src/index.ts';
import { prng, randomString } from './helpers/random.ts';

const require = createRequire(import.meta.url);
// Node's own regex-based checks (what http.validateHeader* call).
const nodeCommon = require('node:_http_common') as {
  _checkIsHttpToken(v: unknown): boolean;
  _checkInvalidHeaderChar(v: unknown): boolean;
};

/** The outcome of calling fn: 'ok' or the thrown error's observable parts. */
function outcome(fn: () => void): string {
  try {
    fn();
    return 'ok';
  } catch (e: any) {
    return `${e?.constructor?.name}|${e?.code}|${e?.name}|${e?.message}|${String(e)}`;
  }
}

function compareName(name: unknown, label?: string) {
  assert.is(
    outcome(() => validateHeaderName(name, label)),
    outcome(() => (http.validateHeaderName as any)(name, label)),
    `validateHeaderName(${JSON.stringify(String(name))}, ${label})`,
  );
}

function compareValue(name: string, value: unknown) {
  assert.is(
    outcome(() => validateHeaderValue(name, value)),
    outcome(() => http.validateHeaderValue(name, value as string)),
    `validateHeaderValue(${name}, ${JSON.stringify(String(value))})`,
  );
}

function compareChecks(s: unknown) {
  assert.is(
    outcome(() => assert.is(checkIsHttpToken(s), nodeCommon._checkIsHttpToken(s))),
    'ok',
    `checkIsHttpToken(${JSON.stringify(String(s))})`,
  );
  assert.is(
    checkInvalidHeaderChar(s),
    nodeCommon._checkInvalidHeaderChar(s),
    `checkInvalidHeaderChar(${JSON.stringify(String(s))})`,
  );
}

test('tables are Uint8Array(256) of 0/1 matching RFC 9110 tchar and field-value chars', () => {
  for (const t of [tokenTable, fieldValueTable]) {
    assert.ok(t instanceof Uint8Array);
    assert.is(t.length, 256);
    for (const v of t) assert.ok(v === 0 || v === 1);
  }
  const tchar = "!#$%&'*+-.^_`|~";
  for (let c = 0; c < 256; c++) {
    const ch = String.fromCharCode(c);
    const isToken = /[0-9A-Za-z]/.test(ch) || tchar.includes(ch);
    assert.is(tokenTable[c], isToken ? 1 : 0, `tokenTable[${c}]`);
    const isFieldChar = c === 0x09 || (c >= 0x20 && c <= 0x7e) || c >= 0x80;
    assert.is(fieldValueTable[c], isFieldChar ? 1 : 0, `fieldValueTable[${c}]`);
  }
});

test('every char code 0-255, alone and inside a name or value, as node:http', () => {
  for (let c = 0; c < 256; c++) {
    const ch = String.fromCharCode(c);
    for (const s of [ch, `a${ch}`, `${ch}b`, `x-${ch}-y`, ch.repeat(3)]) {
      compareChecks(s);
      compareName(s);
      compareName(s, 'Method');
      compareValue('x-my-header', s);
    }
  }
});

test('every code unit from 256 to 0xFFFF is invalid, as in node:http', () => {
  for (let c = 256; c <= 0xffff; c++) {
    const s = `a${String.fromCharCode(c)}`;
    assert.is(checkIsHttpToken(s), false);
    assert.is(checkInvalidHeaderChar(s), true);
    if (c % 97 === 0) {
      compareChecks(s);
      compareName(s);
      compareValue('x', s);
    }
  }
  for (const s of ['😀', 'a😀b', '\ud800', 'x\udfff', '中文', 'café', 'Kelvin\u212a', 'ſ']) {
    compareChecks(s);
    compareName(s);
    compareValue('x', s);
  }
});

test('non-string names and values behave as in node:http', () => {
  const values: unknown[] = [
    undefined,
    null,
    0,
    1,
    -1.5,
    NaN,
    true,
    false,
    10n,
    [],
    ['a', 'b'],
    ['a\n'],
    [['x']],
    {},
    { toString: () => 'ok' },
    { toString: () => 'bad\n' },
    { valueOf: () => 1, toString: () => 'a b' },
    new Date(0),
    () => {},
    Buffer.from('abc'),
    Symbol('s'),
    '',
  ];
  for (const v of values) {
    compareName(v);
    compareName(v, 'Label');
    compareValue('x-my-header', v);
    assert.is(
      outcome(() => checkIsHttpToken(v)),
      outcome(() => nodeCommon._checkIsHttpToken(v)),
    );
    assert.is(
      outcome(() => checkInvalidHeaderChar(v)),
      outcome(() => nodeCommon._checkInvalidHeaderChar(v)),
    );
    if (typeof v !== 'symbol') compareChecks(v);
  }
  // An empty label falls back to "Header name", as in Node.
  compareName('a b', '');
});

test('20,000 generated names and values (ASCII to astral) agree with node:http', () => {
  const seed = 20261128;
  const r = prng(seed);
  let invalidNames = 0;
  let invalidValues = 0;
  for (let i = 0; i < 20000; i++) {
    const bias = [0.99, 0.9, 0.6, 0.2][i % 4];
    const s = randomString(r, 1 + (i % 40), bias);
    compareChecks(s);
    compareName(s);
    compareValue('x-generated', s);
    if (!checkIsHttpToken(s)) invalidNames++;
    if (checkInvalidHeaderChar(s)) invalidValues++;
  }
  // The generator must exercise both outcomes, or the comparison is vacuous.
  assert.ok(invalidNames > 2000 && invalidNames < 18000, `invalid names: ${invalidNames}`);
  assert.ok(invalidValues > 2000 && invalidValues < 18000, `invalid values: ${invalidValues}`);
});

test('long strings (64 KiB) with the bad character at the end', () => {
  const long = 'a'.repeat(65536);
  compareChecks(long);
  compareChecks(`${long}\n`);
  compareChecks(`${long} `);
  compareValue('x', `${long}\u0100`);
});

test.run();
