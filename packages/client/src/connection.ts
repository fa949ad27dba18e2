/**
 * The client side of a connection: the socket listeners and parser callbacks that
 * read a response into an IncomingMessage, and the rules for handing the socket back
 * to the agent. All listeners are module-level functions (`this` = socket, parser or
 * response), so a request allocates no closures here; the parser lives on the socket
 * and is reused by every request the socket carries.
 */
import { Buffer } from 'node:buffer';
import process from 'node:process';
import { buildHeaders, connResetException } from '@strata-http/headers';
import { abortIncoming, IncomingMessage } from '@strata-http/incoming-message';
import { drainOutgoing } from '@strata-http/outgoing-message';
import { HTTPParser, LenientFlags } from '@strata-http/parser';
import type { ClientRequest, ClientSocket } from './client-request.js';
import { defaultMaxHeaderSize, insecureByDefault } from './process-flags.js';
import {
  kBatched,
  kIncoming,
  kListening,
  kParser,
  kReading,
  kReleased,
  kSocket,
} from './symbols.js';

/** Bound once, as Node's own modules do (the global `process` is an accessor). */
const { nextTick } = process;

type Parser = InstanceType<typeof HTTPParser> & Record<PropertyKey, any>;

const DEFAULT_MAX_HEADERS_COUNT = 2000;

function httpVersionString(major: number, minor: number): string {
  if (major === 1) return minor === 1 ? '1.1' : minor === 0 ? '1.0' : `1.${minor}`;
  return `${major}.${minor}`;
}

// The parser options of a request that keeps every default: shared, not rebuilt.
// The parser keeps every field: maxHeadersCount limits res.headers and
// res.headersDistinct, not res.rawHeaders (as node:http; see headersCount).
const DEFAULT_PARSER_OPTIONS = {
  maxHeaderSize: defaultMaxHeaderSize,
  lenient: insecureByDefault ? LenientFlags.INSECURE : LenientFlags.NONE,
};

function parserOptions(req: ClientRequest) {
  if (!req.maxHeaderSize && req.insecureHTTPParser === undefined) return DEFAULT_PARSER_OPTIONS;
  const insecure =
    req.insecureHTTPParser === undefined ? insecureByDefault : req.insecureHTTPParser;
  return {
    maxHeaderSize: req.maxHeaderSize || defaultMaxHeaderSize,
    lenient: insecure ? LenientFlags.INSECURE : LenientFlags.NONE,
  };
}

/** How many raw entries `req.maxHeadersCount` (2000 unless set; 0: all) lets count, or -1: all. */
function headersCount(req: ClientRequest, rawHeaders: string[]): number {
  const max =
    typeof req.maxHeadersCount === 'number' ? req.maxHeadersCount : DEFAULT_MAX_HEADERS_COUNT;
  return max > 0 && rawHeaders.length > 2 * max ? 2 * max : -1;
}

/** Gives `req` its socket: parser, listeners, 'socket' event (Node's tickOnSocket). */
export function attachSocket(req: ClientRequest, socket: ClientSocket): void {
  let parser: Parser | undefined = socket[kParser];
  const options = parserOptions(req);
  if (parser === undefined) {
    parser = new HTTPParser('response', options) as Parser;
    parser.onHeadersComplete = parserOnHeadersComplete;
    parser.onBody = parserOnBody;
    parser.onMessageComplete = parserOnMessageComplete;
    parser[kSocket] = socket;
    socket[kParser] = parser;
  } else {
    parser.reset('response', options);
  }
  parser[kIncoming] = null;
  req.socket = socket;
  req.parser = parser;
  socket.parser = parser;
  socket._httpMessage = req;

  // 'error' and 'close' listeners stay for the socket's life with us (idle in the pool
  // they only drop the socket quietly, standing in for the agent's free-socket error
  // listener); 'data', 'end' and 'drain' are attached for one exchange at a time.
  if (socket[kListening] !== true) {
    socket[kListening] = true;
    socket.on('error', socketOnError);
    socket.on('close', socketOnClose);
  }
  socket[kReleased] = false;
  socket[kReading] = true;
  socket.on('data', socketOnData);
  socket.on('end', socketOnEnd);
  socket.on('drain', socketOnDrain);

  if (req.timeout !== undefined || req.agent?.options?.timeout) listenSocketTimeout(req);
  req.emit('socket', socket);
}

/** The socket timed out while this request owned it: 'timeout' on the request, nothing else. */
export function emitRequestTimeout(this: ClientSocket): void {
  const req = this._httpMessage as ClientRequest | null;
  if (req) req.emit('timeout');
}

export function listenSocketTimeout(req: ClientRequest): void {
  if (req.timeoutCb) return;
  req.timeoutCb = emitRequestTimeout;
  if (req.socket) req.socket.once('timeout', emitRequestTimeout);
  else req.on('socket', onSocketListenTimeout);
}

function onSocketListenTimeout(socket: ClientSocket): void {
  socket.once('timeout', emitRequestTimeout);
}

/** Removes the per-exchange listeners ('data', 'end', 'drain'), once. */
function stopReading(socket: ClientSocket): void {
  if (socket[kReading] !== true) return;
  socket[kReading] = false;
  socket.removeListener('data', socketOnData);
  socket.removeListener('end', socketOnEnd);
  socket.removeListener('drain', socketOnDrain);
}

/** Removes every listener of ours: the socket leaves HTTP (upgrade) for good. */
function forgetSocket(socket: ClientSocket): void {
  stopReading(socket);
  socket[kListening] = false;
  socket.removeListener('error', socketOnError);
  socket.removeListener('close', socketOnClose);
}

/** Stops reading this socket for the request and forgets the parser binding. */
function detachParser(req: ClientRequest | null, socket: ClientSocket): void {
  const parser = socket.parser as Parser | null;
  if (parser) parser[kIncoming] = null;
  socket.parser = null;
  if (req) req.parser = null;
}

// ---------------------------------------------------------------------------
// Write batching
//
// A response read in the poll phase usually makes its user send the next request on
// the socket just freed. Writing each of those at once interleaves one kernel write
// with every read, and a loopback peer is woken once per request. Instead, a request
// that is complete (end() called) and reuses a keep-alive socket while responses are
// being read is corked, and every such socket is uncorked together in the check
// phase of the same loop iteration (before any timer, and before the next reads):
// the same bytes in the same order per socket, the same events in the same order,
// written in a burst after the reads.

let batch: ClientSocket[] = [];
let batchScheduled = false;

function openWriteBatch(): void {
  if (batchScheduled) return;
  batchScheduled = true;
  setImmediate(flushWriteBatch);
}

function flushWriteBatch(): void {
  const sockets = batch;
  batch = [];
  batchScheduled = false;
  for (let i = 0; i < sockets.length; i++) releaseBatched(sockets[i]);
}

/** Corks `socket` until the batch is flushed, if a batch is open. */
export function deferWrites(req: ClientRequest, socket: ClientSocket): void {
  if (!batchScheduled || !req.finished || !req.reusedSocket || socket[kBatched] === true) return;
  // Not a TLS socket: a write there completes later (after the encrypted bytes went out),
  // and one made in the check phase would complete after the next reads, so the request
  // would finish after its response ended and the socket be freed too late for the next.
  if (socket.encrypted === true) return;
  if (typeof socket.cork !== 'function' || socket.writableCorked !== 0) return;
  socket.cork();
  socket[kBatched] = true;
  batch.push(socket);
}

/** Uncorks a socket held by the batch (before it is destroyed, or when the batch runs). */
export function releaseBatched(socket: ClientSocket): void {
  if (socket[kBatched] !== true) return;
  socket[kBatched] = false;
  if (!socket.destroyed && socket.writableCorked > 0) socket.uncork();
}

// ---------------------------------------------------------------------------
// Socket listeners (`this` = socket)

function socketOnData(this: ClientSocket, data: Buffer): void {
  const req = this._httpMessage as ClientRequest;
  const parser = this.parser as Parser;
  openWriteBatch();
  const ret = parser.execute(data);
  if (typeof ret !== 'number') {
    onParseError(req, this, ret, data, 0);
    return;
  }
  const res = req.res;
  if (res?.upgrade && !req.upgradeOrConnect) {
    onUpgradeOrConnect(req, this, parser, res, data.subarray(ret));
    return;
  }
  if (res?.complete) {
    // A 101 without an Upgrade field is no upgrade, but the parser stopped at
    // its head all the same (as llhttp does: what follows a 101 belongs to
    // another protocol): like Node's, the rest of this read is not parsed.
    if (ret < data.length && !(parser as { upgrade?: boolean }).upgrade) {
      // Bytes after a complete response: a broken server. Like Node's, the
      // parser reads on through this chunk: a second response head drops the
      // connection (parserOnHeadersComplete), malformed bytes are a parse
      // error on the request. Either way the socket is destroyed, and the
      // response still ends as Node's does (a keep-alive request goes through
      // its release path, where the agent drops the dead socket).
      parser.resume();
      const more = parser.execute(data.subarray(ret));
      if (typeof more !== 'number') {
        onParseError(req, this, more, data, ret);
        return;
      }
      // Only the start of another head: as Node's, the connection stays
      // reusable (the next request resets the parser, dropping those bytes).
    }
    // The response is complete; nothing more is read for this request.
    stopReading(this);
    detachParser(req, this);
  }
}

/**
 * A malformed response (or bytes after one): the error, with Node's
 * `bytesParsed` (offset in `data`) and `rawPacket` (`data`), goes to the
 * request; the socket is dropped.
 */
function onParseError(
  req: ClientRequest,
  socket: ClientSocket,
  error: unknown,
  data: Buffer,
  offset: number,
): void {
  const err = error as { rawPacket?: Buffer; bytesParsed?: number };
  if (offset !== 0 && typeof err.bytesParsed === 'number') err.bytesParsed += offset;
  if (err.rawPacket === undefined || offset !== 0) err.rawPacket = data;
  detachParser(req, socket);
  stopReading(socket);
  socket.destroy();
  socket._hadError = true;
  req.emit('error', err);
}

/** 101 Switching Protocols or a CONNECT tunnel: the socket leaves HTTP. */
function onUpgradeOrConnect(
  req: ClientRequest,
  socket: ClientSocket,
  parser: Parser,
  res: IncomingMessage,
  head: Buffer,
): void {
  stopReading(socket);
  parser.finish();
  detachParser(req, socket);
  // The parser belongs to HTTP; the socket now speaks something else.
  socket[kParser] = undefined;
  const eventName = req.method === 'CONNECT' ? 'connect' : 'upgrade';
  if (req.listenerCount(eventName) > 0) {
    req.upgradeOrConnect = true;
    socket.emit('agentRemove');
    forgetSocket(socket);
    if (req.timeoutCb) socket.removeListener('timeout', req.timeoutCb);
    socket.removeListener('timeout', responseOnTimeout);
    socket._httpMessage = null;
    // Hand the socket over neither flowing nor paused, as a fresh stream.
    (socket as any).readableFlowing = null;
    req.emit(eventName, res, socket, Buffer.from(head));
    req.destroyed = true;
    req._closed = true;
    req.emit('close');
  } else {
    // Nobody takes the new protocol: close the connection.
    socket.destroy();
  }
}

function socketOnEnd(this: ClientSocket): void {
  const req = this._httpMessage as ClientRequest;
  if (!req.res && !this._hadError) {
    // The server closed before any response: the request failed.
    this._hadError = true;
    req.emit('error', connResetException('socket hang up'));
  }
  const parser = this.parser as Parser | null;
  if (parser) {
    // EOF completes a close-delimited body.
    parser.finish();
    detachParser(req, this);
  }
  this.destroy();
}

function socketOnError(this: ClientSocket, err: Error): void {
  // Idle (pooled, or released and about to be): nobody to report to; drop the socket.
  const req = this[kReleased] === true ? null : (this._httpMessage as ClientRequest | null);
  if (req) {
    this._hadError = true;
    req.emit('error', err);
  }
  const parser = this.parser as Parser | null;
  if (parser) {
    parser.finish();
    detachParser(req, this);
  }
  stopReading(this);
  this.destroy();
}

function socketOnClose(this: ClientSocket): void {
  const req = this._httpMessage as ClientRequest | null;
  // Idle sockets are the agent's business.
  if (req === null || req === undefined || this[kReleased] === true) return;
  const parser = this.parser as Parser | null;
  const res = req.res;
  req.destroyed = true;
  if (res) {
    // Closed before the response was complete.
    if (!res.complete) {
      abortIncoming(res);
      if (req.aborted && !res.closed) {
        // After abort() the documentation puts the request's 'close' after the
        // response's 'error' and before its 'close' (Node 20: before both).
        res.prependOnceListener('close', emitRequestClose.bind(undefined, req));
        if (parser) {
          parser.finish();
          detachParser(req, this);
        }
        return;
      }
    }
    req._closed = true;
    req.emit('close');
    if (!res.aborted && res.readable) res.push(null);
  } else {
    if (!this._hadError) {
      // Closed before any response: the request failed.
      this._hadError = true;
      req.emit('error', connResetException('socket hang up'));
    }
    req._closed = true;
    req.emit('close');
  }
  if (req.outputData) req.outputData.length = 0;
  if (parser) {
    parser.finish();
    detachParser(req, this);
  }
}

function emitRequestClose(req: ClientRequest): void {
  req._closed = true;
  req.emit('close');
}

function socketOnDrain(this: ClientSocket): void {
  drainOutgoing(this._httpMessage);
}

// ---------------------------------------------------------------------------
// Parser callbacks (`this` = parser)

function parserOnHeadersComplete(
  this: Parser,
  versionMajor: number,
  versionMinor: number,
  rawHeaders: string[],
  _method: string | undefined,
  _url: string | undefined,
  statusCode: number,
  statusMessage: string,
  upgrade: boolean,
  shouldKeepAlive: boolean,
): number {
  const socket = this[kSocket] as ClientSocket;
  const req = socket._httpMessage as ClientRequest | null;
  if (!req) {
    socket.destroy();
    return 1;
  }
  if (req.res) {
    // A second response to one request (1xx included, as Node checks this
    // first): the server is broken, drop the connection.
    this.pause();
    socket.destroy();
    return 1;
  }
  // maxHeadersCount limits the header objects, never rawHeaders (as node:http).
  const count = headersCount(req, rawHeaders);
  // 1xx other than 101: interim responses, reported and skipped (RFC 9110 §15.2).
  if (statusCode >= 100 && statusCode < 200 && statusCode !== 101) {
    this[kIncoming] = null;
    if (statusCode === 100) req.emit('continue');
    req.emit('information', {
      statusCode,
      statusMessage,
      httpVersion: httpVersionString(versionMajor, versionMinor),
      httpVersionMajor: versionMajor,
      httpVersionMinor: versionMinor,
      headers: buildHeaders(rawHeaders, req.joinDuplicateHeaders, count),
      rawHeaders,
    });
    return 1;
  }
  const res = new IncomingMessage(socket as any);
  res.httpVersionMajor = versionMajor;
  res.httpVersionMinor = versionMinor;
  res.httpVersion = httpVersionString(versionMajor, versionMinor);
  // As given to request(): undefined when not given (as node:http).
  res.joinDuplicateHeaders = req.joinDuplicateHeaders;
  res.rawHeaders = rawHeaders;
  if (count >= 0) res._addHeaderLines(rawHeaders, count);
  res.statusCode = statusCode;
  res.statusMessage = statusMessage;
  res.upgrade = upgrade;
  this[kIncoming] = res;
  req.res = res;
  (res as any).req = req;

  if (upgrade) return 2;
  if (req.method === 'CONNECT') {
    // The answer to CONNECT opens a tunnel whatever its framing says.
    res.upgrade = true;
    return 2;
  }
  // The server must answer keep-alive for the connection to stay open.
  if (req.shouldKeepAlive && !shouldKeepAlive && !req.upgradeOrConnect) {
    req.shouldKeepAlive = false;
  }
  // Ours first, so the socket is released whatever the user does.
  res.on('end', responseOnEnd);
  // Already fully sent: responseOnEnd sees writableFinished and frees the socket.
  if (!req.writableFinished) req.on('finish', requestOnFinish);
  socket.on('timeout', responseOnTimeout);
  // Without a 'response' listener nobody can read the body: discard it.
  if (req.aborted || !req.emit('response', res)) res._dump();
  if (req.method === 'HEAD') return 1;
  if (statusCode === 304) {
    res.complete = true;
    return 1;
  }
  return 0;
}

function parserOnBody(this: Parser, chunk: Buffer): void {
  const res = this[kIncoming] as IncomingMessage | null;
  if (res === null || res._dumped) return;
  if (!res.push(chunk)) {
    const socket = this[kSocket] as ClientSocket;
    socket.pause();
  }
}

function parserOnMessageComplete(this: Parser, rawTrailers: string[]): void {
  const res = this[kIncoming] as IncomingMessage | null;
  if (res === null) return;
  this[kIncoming] = null;
  res.complete = true;
  // One response per request: whatever follows in this buffer is not ours to parse.
  this.pause();
  if (rawTrailers && rawTrailers.length > 0) res.rawTrailers = rawTrailers;
  if (res.upgrade) return;
  res.push(null);
  // The socket may be paused by back-pressure; 'end' still has to come.
  const socket = this[kSocket] as ClientSocket;
  if (socket.isPaused?.() && !socket.destroyed) socket.resume();
}

// ---------------------------------------------------------------------------
// Response and request lifecycle (`this` = response / request / socket)

function responseOnTimeout(this: ClientSocket): void {
  const req = this._httpMessage as ClientRequest | null;
  if (!req) return;
  const res = req.res;
  if (!res) return;
  res.emit('timeout');
}

/** The response body was read to its end: release or close the socket. */
function responseOnEnd(this: IncomingMessage): void {
  const req = (this as any).req as ClientRequest;
  const socket = req.socket!;
  if (socket) {
    if (req.timeoutCb) socket.removeListener('timeout', req.timeoutCb);
    socket.removeListener('timeout', responseOnTimeout);
  }
  req._ended = true;
  if (!req.shouldKeepAlive) {
    if (socket.writable) {
      if (typeof socket.destroySoon === 'function') socket.destroySoon();
      else socket.end();
    }
  } else if (req.writableFinished && !this.aborted) {
    // Both directions are done: the socket can serve another request.
    responseKeepAlive(req);
  }
}

/** The request was fully sent after its response ended: now the socket is free. */
function requestOnFinish(this: ClientRequest): void {
  if (this.shouldKeepAlive && this._ended) responseKeepAlive(this);
}

function responseKeepAlive(req: ClientRequest): void {
  const socket = req.socket!;
  if (req.timeoutCb) {
    socket.removeListener('timeout', req.timeoutCb);
    req.timeoutCb = null;
  }
  stopReading(socket);
  // From now on our 'error'/'close' listeners treat the socket as idle.
  socket[kReleased] = true;
  req.destroyed = true;
  if (req.res) {
    // The response must not destroy a socket that now belongs to the pool.
    req.res.socket = null;
  }
  // After the user's 'end' handlers had their turn.
  nextTick(emitFreeNT, req);
}

function emitFreeNT(req: ClientRequest): void {
  req._closed = true;
  req.emit('close');
  const socket = req.socket;
  if (socket) socket.emit('free');
}
