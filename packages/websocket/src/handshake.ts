/**
 * The opening handshake (RFC 6455 §4.1): an HTTP/1.1 GET with Upgrade headers sent through
 * `@strata-http/client`'s `request()` (an `http.request`-compatible API that emits
 * `'upgrade'(res, socket, head)` on 101 and `'response'` otherwise), then the checks a client
 * must make of the server's 101 answer.
 */
import type { Buffer } from 'node:buffer';
import { createHash, randomBytes } from 'node:crypto';
import * as net from 'node:net';
import type { Duplex } from 'node:stream';
import * as tls from 'node:tls';
import { request } from '@strata-http/client';
import { GUID } from './constants.js';
import { acceptDeflateResponse, DEFLATE_OFFER, type DeflateParams } from './permessage-deflate.js';

/** The parts of `http.ClientRequest` the handshake uses. */
export interface UpgradeRequest {
  on(
    event: 'upgrade',
    listener: (res: UpgradeResponse, socket: Duplex, head: Buffer) => void,
  ): this;
  on(event: 'response', listener: (res: UpgradeResponse) => void): this;
  on(event: 'error', listener: (err: Error) => void): this;
  end(): unknown;
  destroy(err?: Error): unknown;
}

/** The parts of `http.IncomingMessage` the handshake reads. */
export interface UpgradeResponse {
  statusCode?: number;
  headers: Record<string, string | string[] | undefined>;
  resume(): unknown;
  destroy(err?: Error): unknown;
}

export interface HandshakeOptions {
  url: URL;
  protocols: readonly string[];
  /** Offer permessage-deflate. */
  perMessageDeflate: boolean;
  /** Extra request headers (they cannot replace the handshake's own). */
  headers?: Record<string, string>;
  /** Options for tls.connect on wss: (ca, cert, key, rejectUnauthorized, ...). */
  tls?: tls.ConnectionOptions;
}

/** The result of a successful handshake. */
export interface Upgraded {
  socket: Duplex;
  head: Buffer;
  /** The subprotocol the server selected, '' when none. */
  protocol: string;
  /** The Sec-WebSocket-Extensions value the server sent, '' when none. */
  extensions: string;
  deflate: DeflateParams | undefined;
}

export interface HandshakeOwner {
  handshakeSucceeded(result: Upgraded): void;
  /** The connection could not be established (WHATWG: fail the WebSocket connection). */
  handshakeFailed(message: string, error?: Error): void;
}

/** RFC 6455 §4.2.2: base64(SHA-1(key + GUID)). */
export function acceptKey(key: string): string {
  return createHash('sha1')
    .update(key + GUID)
    .digest('base64');
}

function headerValue(res: UpgradeResponse, name: string): string | undefined {
  const v = res.headers[name];
  return Array.isArray(v) ? v.join(', ') : v;
}

/**
 * Checks a 101 answer (RFC 6455 §4.1, client requirements 1-6). Returns what was
 * negotiated, or a string saying why the connection must fail.
 */
export function checkUpgradeResponse(
  res: UpgradeResponse,
  key: string,
  protocols: readonly string[],
  offeredDeflate: boolean,
): Omit<Upgraded, 'socket' | 'head'> | string {
  if (res.statusCode !== 101) return `Unexpected server response: ${res.statusCode}`;
  const upgrade = headerValue(res, 'upgrade');
  if (upgrade === undefined || upgrade.trim().toLowerCase() !== 'websocket') {
    return 'Invalid Upgrade header';
  }
  const connection = headerValue(res, 'connection');
  if (
    connection === undefined ||
    !connection.split(',').some((t) => t.trim().toLowerCase() === 'upgrade')
  ) {
    return 'Invalid Connection header';
  }
  const accept = headerValue(res, 'sec-websocket-accept');
  if (accept === undefined || accept.trim() !== acceptKey(key)) {
    return 'Invalid Sec-WebSocket-Accept header';
  }

  // §4.1 (6): a subprotocol the client did not ask for fails the connection.
  let protocol = '';
  const selected = headerValue(res, 'sec-websocket-protocol');
  if (selected !== undefined) {
    protocol = selected.trim();
    if (!protocols.includes(protocol))
      return `Server sent a subprotocol that was not requested: ${protocol}`;
  }

  // §4.1 (5): an extension the client did not offer fails the connection.
  let extensions = '';
  let deflate: DeflateParams | undefined;
  const ext = headerValue(res, 'sec-websocket-extensions');
  if (ext !== undefined) {
    extensions = ext.trim();
    if (!offeredDeflate) return `Server sent an extension that was not offered: ${extensions}`;
    const params = acceptDeflateResponse(extensions);
    if (typeof params === 'string') return params;
    deflate = params;
  }
  return { protocol, extensions, deflate };
}

/** A handshake in progress; `abort()` cancels it without a report to the owner. */
export interface Handshake {
  abort(): void;
}

/**
 * Sends the opening handshake and reports to `owner` exactly once. Redirects are not
 * followed (as browsers do not follow them for WebSocket): any non-101 answer fails.
 */
export function startHandshake(options: HandshakeOptions, owner: HandshakeOwner): Handshake {
  const { url } = options;
  const secure = url.protocol === 'wss:';
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  const port = url.port === '' ? (secure ? 443 : 80) : Number(url.port);
  const key = randomBytes(16).toString('base64');

  const headers: Record<string, string> = { ...options.headers };
  headers.Connection = 'Upgrade';
  headers.Upgrade = 'websocket';
  headers['Sec-WebSocket-Version'] = '13';
  headers['Sec-WebSocket-Key'] = key;
  if (options.protocols.length > 0) {
    headers['Sec-WebSocket-Protocol'] = options.protocols.join(', ');
  }
  if (options.perMessageDeflate) headers['Sec-WebSocket-Extensions'] = DEFLATE_OFFER;

  const requestOptions: Record<string, unknown> = {
    method: 'GET',
    host,
    port,
    path: `${url.pathname}${url.search}`,
    headers,
    defaultPort: secure ? 443 : 80,
  };
  if (url.username !== '' || url.password !== '') {
    requestOptions.auth = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
  }
  if (secure) {
    const tlsOptions: tls.ConnectionOptions = {
      ...options.tls,
      host,
      port,
      ALPNProtocols: ['http/1.1'],
    };
    // RFC 6066: no SNI for IP literals.
    if (tlsOptions.servername === undefined && !isIpLiteral(host)) tlsOptions.servername = host;
    requestOptions.createConnection = () => tls.connect(tlsOptions);
  } else {
    requestOptions.createConnection = () => net.connect({ host, port });
  }
  // With `createConnection` and no `agent`, http.request-compatible clients connect through
  // it directly (an `agent: false` would make them build a pooling Agent and ignore it): the
  // socket is never pooled, as a connection that will be upgraded must not be.

  let done = false;
  let req: UpgradeRequest;
  try {
    req = request(requestOptions) as unknown as UpgradeRequest;
  } catch (err) {
    queueMicrotask(() => owner.handshakeFailed((err as Error).message, err as Error));
    return { abort() {} };
  }

  req.on('upgrade', (res, socket, head) => {
    if (done) {
      socket.destroy();
      return;
    }
    done = true;
    const result = checkUpgradeResponse(res, key, options.protocols, options.perMessageDeflate);
    if (typeof result === 'string') {
      socket.destroy();
      owner.handshakeFailed(result);
      return;
    }
    owner.handshakeSucceeded({ ...result, socket, head });
  });
  req.on('response', (res) => {
    // Any status but 101, redirects included, fails the connection.
    res.resume();
    if (done) return;
    done = true;
    req.destroy();
    owner.handshakeFailed(`Unexpected server response: ${res.statusCode}`);
  });
  req.on('error', (err) => {
    if (done) return;
    done = true;
    owner.handshakeFailed(err.message, err);
  });
  req.end();
  return {
    abort() {
      if (done) return;
      done = true;
      req.destroy();
    },
  };
}

function isIpLiteral(host: string): boolean {
  return host.includes(':') || /^\d{1,3}(?:\.\d{1,3}){3}$/.test(host);
}
