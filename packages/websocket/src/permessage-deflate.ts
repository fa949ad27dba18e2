/**
 * permessage-deflate (RFC 7692): the offer this client makes, the check of the server's answer
 * (§7.1), and the per-connection compression contexts built on node:zlib.
 */
import { Buffer } from 'node:buffer';
import * as zlib from 'node:zlib';
import { DEFLATE_TRAILER } from './constants.js';
import { tokenChars } from './validation.js';

/** Extension name, as offered in Sec-WebSocket-Extensions. */
export const EXTENSION_NAME = 'permessage-deflate';

/**
 * The offer (§7.1): no parameters but `client_max_window_bits` (without a value: "the client
 * supports any window size", so the server may ask for a smaller one), as browsers send it.
 */
export const DEFLATE_OFFER = 'permessage-deflate; client_max_window_bits';

/** The negotiated parameters (RFC 7692 §7.1.1, §7.1.2). */
export interface DeflateParams {
  /** The server resets its compression context after each message. */
  serverNoContextTakeover: boolean;
  /** This client must reset its compression context after each message. */
  clientNoContextTakeover: boolean;
  /** LZ77 window the server compresses with (8-15). */
  serverMaxWindowBits: number;
  /** LZ77 window this client may compress with (8-15). */
  clientMaxWindowBits: number;
}

/** One element of a Sec-WebSocket-Extensions list: its name and parameters in order. */
export interface ExtensionElement {
  name: string;
  params: Array<[name: string, value: string | true]>;
}

/**
 * Parses a Sec-WebSocket-Extensions value (RFC 6455 §9.1, RFC 7230 lists):
 *   extension = token *( OWS ";" OWS token [ "=" ( token / quoted-string ) ] )
 * Returns the elements, or a string describing the first syntax error.
 */
export function parseExtensions(header: string): ExtensionElement[] | string {
  const out: ExtensionElement[] = [];
  const len = header.length;
  let i = 0;
  const skipOws = () => {
    while (i < len && (header.charCodeAt(i) === 0x20 || header.charCodeAt(i) === 0x09)) i++;
  };
  const readToken = (): string => {
    const start = i;
    while (i < len) {
      const c = header.charCodeAt(i);
      if (c > 0x7f || tokenChars[c] === 0) break;
      i++;
    }
    return header.slice(start, i);
  };
  for (;;) {
    skipOws();
    if (i < len && header.charCodeAt(i) === 0x2c /* , empty list element */) {
      i++;
      continue;
    }
    if (i >= len) break;
    const name = readToken();
    if (name === '') return `Unexpected character at ${i} in extension list`;
    const element: ExtensionElement = { name, params: [] };
    out.push(element);
    skipOws();
    while (i < len && header.charCodeAt(i) === 0x3b /* ; */) {
      i++;
      skipOws();
      const param = readToken();
      if (param === '') return `Missing parameter name at ${i}`;
      skipOws();
      let value: string | true = true;
      if (i < len && header.charCodeAt(i) === 0x3d /* = */) {
        i++;
        skipOws();
        if (i < len && header.charCodeAt(i) === 0x22 /* " */) {
          // RFC 6455 §9.1: a quoted value must still be a token once unquoted.
          i++;
          let v = '';
          while (i < len && header.charCodeAt(i) !== 0x22) {
            if (header.charCodeAt(i) === 0x5c /* \ */) i++;
            v += header[i++] ?? '';
          }
          if (i >= len) return 'Unterminated quoted string';
          i++;
          value = v;
        } else {
          value = readToken();
        }
        if (value === '' || !isTokenString(value)) return `Invalid value for parameter ${param}`;
      }
      element.params.push([param, value]);
      skipOws();
    }
    if (i < len) {
      if (header.charCodeAt(i) !== 0x2c) return `Unexpected character at ${i} in extension list`;
      i++;
    }
  }
  return out;
}

function isTokenString(s: string): boolean {
  for (let k = 0; k < s.length; k++) {
    const c = s.charCodeAt(k);
    if (c > 0x7f || tokenChars[c] === 0) return false;
  }
  return true;
}

/** `8`..`15` written without leading zeros (RFC 7692 §7.1.2.1), else NaN. */
function windowBits(value: string | true): number {
  if (value === true || !/^(?:[89]|1[0-5])$/.test(value)) return Number.NaN;
  return Number(value);
}

/**
 * Checks the server's Sec-WebSocket-Extensions answer against DEFLATE_OFFER (RFC 7692 §7.1 and
 * RFC 6455 §9.1: the client must fail the connection on an extension it did not offer, an
 * unknown or repeated parameter, or an invalid value). Returns the parameters, or a string
 * describing why the connection must fail.
 */
export function acceptDeflateResponse(header: string): DeflateParams | string {
  const elements = parseExtensions(header);
  if (typeof elements === 'string') return `Invalid Sec-WebSocket-Extensions header: ${elements}`;
  if (elements.length === 0) return 'Empty Sec-WebSocket-Extensions header';
  if (elements.length > 1) return 'Server accepted more than one extension';
  const [element] = elements;
  if (element.name.toLowerCase() !== EXTENSION_NAME) {
    return `Server accepted an extension that was not offered: ${element.name}`;
  }
  const params: DeflateParams = {
    serverNoContextTakeover: false,
    clientNoContextTakeover: false,
    serverMaxWindowBits: 15,
    clientMaxWindowBits: 15,
  };
  const seen = new Set<string>();
  for (const [rawName, value] of element.params) {
    const name = rawName.toLowerCase();
    if (seen.has(name)) return `Duplicate permessage-deflate parameter: ${name}`;
    seen.add(name);
    switch (name) {
      case 'server_no_context_takeover':
        if (value !== true) return 'server_no_context_takeover takes no value';
        params.serverNoContextTakeover = true;
        break;
      case 'client_no_context_takeover':
        if (value !== true) return 'client_no_context_takeover takes no value';
        params.clientNoContextTakeover = true;
        break;
      case 'server_max_window_bits': {
        const bits = windowBits(value);
        if (Number.isNaN(bits)) return 'Invalid server_max_window_bits value';
        params.serverMaxWindowBits = bits;
        break;
      }
      case 'client_max_window_bits': {
        // §7.1.2.2: allowed because the offer included it; the answer must carry a value.
        const bits = windowBits(value);
        if (Number.isNaN(bits)) return 'Invalid client_max_window_bits value';
        params.clientMaxWindowBits = bits;
        break;
      }
      default:
        return `Unknown permessage-deflate parameter: ${rawName}`;
    }
  }
  return params;
}

type Callback = (err: Error | null, data?: Buffer) => void;

/** An error the frame reader maps to close code 1009. */
class MessageTooBigError extends RangeError {
  code = 'WS_ERR_MESSAGE_TOO_BIG';
}

/**
 * The compression contexts of one connection. Calls are serialised by their callers (the frame
 * reader inflates one frame at a time, the sender deflates one message at a time).
 */
export class PerMessageDeflate {
  readonly params: DeflateParams;
  private inflate: zlib.InflateRaw | undefined;
  private deflate: zlib.DeflateRaw | undefined;
  private inflateChunks: Buffer[] = [];
  private inflateLength = 0;
  private inflateLimit = 0;
  private inflateError: Error | null = null;
  private inflateCallback: Callback | undefined;
  private deflateChunks: Buffer[] = [];
  private deflateLength = 0;
  private deflateCallback: Callback | undefined;

  constructor(params: DeflateParams) {
    this.params = params;
  }

  /**
   * Whether messages to the server may be compressed. With client_max_window_bits=8 zlib would
   * silently use a 9-bit window (zlib turns raw windowBits 8 into 9), which a server holding
   * the server to 8 could not inflate; RFC 7692 §6 lets a sender leave any message
   * uncompressed, so this client does exactly that.
   */
  get canCompress(): boolean {
    return this.params.clientMaxWindowBits > 8;
  }

  /**
   * Inflates one frame's payload; on the last frame of a message appends the 4 bytes
   * the sender removed (§7.2.2). `limit` caps the inflated size (0 = none), against
   * decompression bombs: past it the callback gets a WS_ERR_MESSAGE_TOO_BIG error.
   */
  decompress(data: Buffer, fin: boolean, limit: number, callback: Callback): void {
    if (this.inflate === undefined) {
      // A 15-bit window inflates any smaller window the server may have chosen.
      this.inflate = zlib.createInflateRaw({ windowBits: 15 });
      this.inflate.on('data', this.onInflateData.bind(this));
      this.inflate.on('error', this.onInflateError.bind(this));
    }
    this.inflateLimit = limit;
    this.inflateCallback = callback;
    this.inflate.write(data);
    if (fin) this.inflate.write(DEFLATE_TRAILER);
    this.inflate.flush(zlib.constants.Z_SYNC_FLUSH, () => this.inflateFlushed(fin));
  }

  private onInflateData(chunk: Buffer): void {
    this.inflateLength += chunk.length;
    if (this.inflateLimit > 0 && this.inflateLength > this.inflateLimit) {
      if (this.inflateError === null) {
        this.inflateError = new MessageTooBigError('Message larger than maxPayload');
      }
      this.inflateChunks = [];
      return;
    }
    this.inflateChunks.push(chunk);
  }

  private onInflateError(err: Error): void {
    const cb = this.inflateCallback;
    this.inflateCallback = undefined;
    this.inflate = undefined;
    this.inflateChunks = [];
    if (cb) cb(new Error(`Invalid compressed data: ${err.message}`));
  }

  private inflateFlushed(fin: boolean): void {
    const cb = this.inflateCallback;
    if (cb === undefined) return; // failed in between
    this.inflateCallback = undefined;
    if (this.inflateError !== null) {
      const err = this.inflateError;
      this.inflateError = null;
      this.closeInflate();
      cb(err);
      return;
    }
    const chunks = this.inflateChunks;
    const out = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, this.inflateLength);
    this.inflateChunks = [];
    this.inflateLength = 0;
    // §7.1.1.1: with server_no_context_takeover the server starts every message afresh, so
    // keeping our window would only hold memory.
    if (fin && this.params.serverNoContextTakeover) this.inflate!.reset();
    cb(null, out);
  }

  /** Compresses one whole message and strips the trailing 00 00 FF FF (§7.2.1). */
  compress(data: Buffer, callback: Callback): void {
    if (this.deflate === undefined) {
      this.deflate = zlib.createDeflateRaw({ windowBits: this.params.clientMaxWindowBits });
      this.deflate.on('data', this.onDeflateData.bind(this));
    }
    this.deflateCallback = callback;
    this.deflate.write(data);
    this.deflate.flush(zlib.constants.Z_SYNC_FLUSH, () => this.deflateFlushed());
  }

  private onDeflateData(chunk: Buffer): void {
    this.deflateChunks.push(chunk);
    this.deflateLength += chunk.length;
  }

  private deflateFlushed(): void {
    const cb = this.deflateCallback;
    if (cb === undefined) return;
    this.deflateCallback = undefined;
    const chunks = this.deflateChunks;
    let out = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, this.deflateLength);
    this.deflateChunks = [];
    this.deflateLength = 0;
    out = out.subarray(0, out.length - 4);
    // §7.1.1.2: with client_no_context_takeover every message must be decodable on its own.
    if (this.params.clientNoContextTakeover) this.deflate!.reset();
    cb(null, out);
  }

  private closeInflate(): void {
    if (this.inflate) {
      this.inflate.removeAllListeners('data');
      this.inflate.on('error', noop);
      this.inflate.close();
      this.inflate = undefined;
    }
  }

  /** Releases the zlib contexts; pending callbacks are dropped. */
  close(): void {
    this.inflateCallback = undefined;
    this.deflateCallback = undefined;
    this.closeInflate();
    if (this.deflate) {
      this.deflate.on('error', noop);
      this.deflate.close();
      this.deflate = undefined;
    }
  }
}

function noop(): void {}
