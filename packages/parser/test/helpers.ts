/**
 * Test helpers: run bytes through the parser and describe what happened as a
 * list of readable events, so each test reads as "these bytes in, these
 * events out", like llhttp's Markdown tests. Every run is repeated with the
 * input fed one byte at a time, and the two must match (split invariance).
 */
import * as assert from 'uvu/assert';
import { HTTPParser, type ParserOptions, type ParserType } from '../src/index.ts';

export type Event = string;

export interface RunOptions extends ParserOptions {
  /** onHeadersComplete's return value (1: no body, 2: no body + upgrade). */
  headersReturn?: number;
  /** call finish() after the input */
  eof?: boolean;
}

/** Runs `input` fed as `pieces`; returns the event log. */
export function runPieces(type: ParserType, pieces: Buffer[], opts: RunOptions = {}): Event[] {
  const events: Event[] = [];
  const p = new HTTPParser(type, opts);
  p.onMessageBegin = () => {
    events.push('message begin');
  };
  p.onHeadersComplete = (major, minor, headers, method, url, status, message, upgrade, keep) => {
    const line =
      method !== undefined
        ? `${method} ${url} ${major}.${minor}`
        : `${major}.${minor} ${status} ${JSON.stringify(message)}`;
    events.push(
      `headers complete ${line} ${JSON.stringify(headers)} upgrade=${upgrade} keep-alive=${keep}`,
    );
    return opts.headersReturn;
  };
  let body = '';
  p.onBody = (chunk) => {
    body += chunk.toString('latin1');
  };
  p.onMessageComplete = (trailers) => {
    if (body !== '') events.push(`body ${JSON.stringify(body)}`);
    body = '';
    events.push(
      trailers.length
        ? `message complete trailers=${JSON.stringify(trailers)}`
        : 'message complete',
    );
  };
  let offset = 0;
  for (const piece of pieces) {
    const r = p.execute(piece);
    if (typeof r !== 'number') {
      if (body !== '') events.push(`body ${JSON.stringify(body)}`);
      events.push(`error ${r.code} ${JSON.stringify(r.reason)} at ${offset + r.bytesParsed}`);
      return events;
    }
    offset += r;
    if (p.upgrade) {
      events.push(`upgrade at ${offset}`);
      return events;
    }
  }
  if (opts.eof) {
    const e = p.finish();
    if (body !== '') events.push(`body ${JSON.stringify(body)}`);
    events.push(e ? `eof error ${e.code}` : 'eof');
  } else if (body !== '') {
    events.push(`body ${JSON.stringify(body)}`);
  }
  return events;
}

/** The bytes of `text`, where the text is latin1 and lines are written with \r\n explicitly. */
export const bytes = (text: string): Buffer => Buffer.from(text, 'latin1');

/**
 * Parses `input` whole and one byte at a time, asserts both give `expected`.
 */
export function expectEvents(
  type: ParserType,
  input: string | Buffer,
  expected: Event[],
  opts: RunOptions = {},
): void {
  const buf = typeof input === 'string' ? bytes(input) : input;
  const whole = runPieces(type, [buf], opts);
  assert.equal(whole, expected);
  const single: Buffer[] = [];
  for (let k = 0; k < buf.length; k++) single.push(buf.subarray(k, k + 1));
  const split = runPieces(type, single, opts);
  assert.equal(split, expected, 'fed one byte at a time');
}

/**
 * Asserts that `input` gives the same events fed whole and one byte at a
 * time, and returns them (for tests that check something else as well).
 */
export function sameWhenSplit(
  type: ParserType,
  input: string | Buffer,
  opts: RunOptions = {},
): Event[] {
  const buf = typeof input === 'string' ? bytes(input) : input;
  const whole = runPieces(type, [buf], opts);
  const single: Buffer[] = [];
  for (let k = 0; k < buf.length; k++) single.push(buf.subarray(k, k + 1));
  assert.equal(runPieces(type, single, opts), whole, 'fed one byte at a time');
  return whole;
}
