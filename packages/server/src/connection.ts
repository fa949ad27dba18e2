/**
 * One HTTP/1.x connection on the server: the parser, the requests received and
 * the responses waiting to be written, over any `Duplex`.
 *
 * Hot-path discipline: nothing here allocates a closure per request. The
 * socket listeners and parser callbacks are module-level functions that find
 * their `HttpConnection` through `kConnection` (`this` is the socket or the
 * parser), so a connection costs one object plus its parser.
 *
 * Pipelining follows Node: every request is emitted as soon as its head is
 * parsed; a response created while an earlier one still owns the socket waits
 * in `outgoing` (its output buffered by OutgoingMessage) and is given the
 * socket, in request order, when the earlier one finishes.
 */
import type { Buffer } from 'node:buffer';
import { Socket as NetSocket } from 'node:net';
import process from 'node:process';
import type { Duplex } from 'node:stream';
import { ERR_HTTP_REQUEST_TIMEOUT, ERR_HTTP_SOCKET_ENCODING } from '@strata-http/headers';
import { abortIncoming, closeUnread, dumpUnread, pushEnd } from '@strata-http/incoming-message';
import { drainOutgoing, emitsByCall, eventsOf, kOnFinish } from '@strata-http/outgoing-message';
import { bindingError, HTTPParser, ParseError } from '@strata-http/parser';
import { cannedResponseFor } from './canned-responses';
import type { Listed } from './connection-list';
import { loopNow } from './loop-clock';
import type { Server } from './server';
import { emitCloseNT, type ServerResponse } from './server-response';
import {
  kConnection,
  kConnections,
  kIncomingMessage,
  kParserOptions,
  kServerResponse,
  kUniqueHeadersOption,
} from './symbols';

/** Bound once, as Node's own modules do (the global `process` is an accessor). */
const { nextTick } = process;

type Socket = Duplex & Record<string | symbol, any>;
type Request = any;

/** `Expect: 100-continue`, as a token anywhere in the field value (RFC 9110 §10.1.1). */
const continueExpression = /(?:^|\W)100-continue(?:$|\W)/i;

/** Parsers kept for reuse between connections (as Node keeps up to 1000). */
const freeParsers: HTTPParser[] = [];
let maxFreeParsers = 1000;

/** `http.setMaxIdleHTTPParsers(max)`: how many idle parsers are kept for reuse. */
export function setMaxIdleHTTPParsers(max: number): void {
  maxFreeParsers = max;
  if (freeParsers.length > max) freeParsers.length = max;
}

function noop(): void {}

/** requestStart of a request that began in the chunk being parsed (not yet timed). */
const RECEIVING = -1;

export class HttpConnection implements Listed<HttpConnection> {
  server: Server;
  socket: Socket;
  parser: HTTPParser | null;
  /** Requests whose responses have not finished, oldest first. */
  incoming: Request[] = [];
  /** Responses created while an earlier response owns the socket. */
  outgoing: ServerResponse[] = [];
  /** The request whose bytes are being parsed (head seen, message not complete). */
  current: Request = null;
  /**
   * The time (loopNow()) at the first byte of the request being received; 0 between
   * requests; RECEIVING while a request that began in the chunk being parsed
   * may still complete in it (see execute()).
   */
  requestStart = 0;
  headersDone = false;
  requestsCount = 0;
  /** The socket's own timer holds keepAliveTimeout (only when server.timeout is set). */
  keepAliveTimeoutSet = false;
  /** The time (loopNow()) when the last response finished (the keep-alive idle period began). */
  idleSince = 0;
  /** headersTimeout / requestTimeout ended the request being received (see onEnd()). */
  timedOut = false;
  /** The lazy keep-alive timer (when server.timeout is 0); see armKeepAlive(). */
  keepAliveTimer: ReturnType<typeof setTimeout> | null = null;
  /** Reading stopped because queued pipelined responses are not draining. */
  pausedForOutput = false;
  /** The request whose head upgrades the connection ('upgrade' / 'connect'). */
  upgradeRequest: Request = null;
  /** Input is no longer parsed (after a parse error). */
  stopped = false;
  /**
   * The parser stopped at an Upgrade request served as a plain one, and no
   * request head has completed since. Node's parser still carries that
   * message's upgrade flag then, and its binding reports no parse error while
   * it does: the connection goes quiet instead of answering 400.
   */
  afterUpgradeStop = false;
  /** The parse error that stopped reading, raised again for every later chunk. */
  parseError: ParseError | null = null;
  /** The server's list of open connections (see ConnectionList). */
  listPrev: HttpConnection | null = null;
  listNext: HttpConnection | null = null;
  listed = false;

  /** What every ServerResponse of this connection is constructed with (built once). */
  responseOptions: {
    highWaterMark: number;
    rejectNonStandardBodyWrites: boolean;
    uniqueHeaders: string[] | null;
  };

  constructor(server: Server, socket: Socket) {
    this.server = server;
    this.socket = socket;
    this.responseOptions = {
      highWaterMark: socket.writableHighWaterMark,
      rejectNonStandardBodyWrites: server.rejectNonStandardBodyWrites,
      uniqueHeaders: server[kUniqueHeadersOption],
    };
    const parser = newParser(server);
    parser[kConnection as never] = this as never;
    this.parser = parser;
  }

  /** Not receiving a request and not waiting for a response. */
  isIdle(): boolean {
    if (this.requestStart !== 0 || this.incoming.length !== 0) return false;
    const res = this.socket._httpMessage;
    return !res || res.finished;
  }

  execute(data: Buffer): void {
    const parser = this.parser;
    if (parser === null) return;
    if (this.stopped) {
      // Like Node's parser, a failed one fails again on every later chunk (a
      // 'clientError' listener may have kept the socket open): 'clientError' again.
      const failed = this.parseError;
      if (failed !== null) {
        onSocketError.call(this.socket, new ParseError(failed.code, failed.reason, 0, data));
      }
      return;
    }
    const ret = parser.execute(data);
    // A request that began in this chunk and is still incomplete is timed
    // from now (headersTimeout / requestTimeout): the periodic check never
    // runs while a chunk is parsed, so one that completed needs no clock.
    if (this.requestStart === RECEIVING) this.requestStart = loopNow();
    if (typeof ret !== 'number') {
      this.stopped = true;
      if (this.afterUpgradeStop) return;
      const err = ret as ParseError;
      if (err.rawPacket === undefined) err.rawPacket = data;
      if (err instanceof ParseError) this.parseError = err;
      onSocketError.call(this.socket, err);
      return;
    }
    if (this.upgradeRequest !== null) this.upgrade(data.subarray(ret));
    else if ((parser as { upgrade?: boolean }).upgrade) {
      // An Upgrade request nobody listened for was served as a plain request:
      // like Node's, the parser stopped after it and the rest of this chunk is
      // not parsed; the next chunk is (the parser resumes after an upgrade stop).
      this.afterUpgradeStop = true;
    }
  }

  onRequestHead(
    versionMajor: number,
    versionMinor: number,
    rawHeaders: string[],
    method: string | undefined,
    url: string | undefined,
    upgrade: boolean,
    shouldKeepAlive: boolean,
  ): number {
    const server = this.server;
    const socket = this.socket;
    this.headersDone = true;
    this.afterUpgradeStop = false;

    const req = new server[kIncomingMessage](socket);
    req.httpVersionMajor = versionMajor;
    req.httpVersionMinor = versionMinor;
    req.httpVersion =
      versionMajor === 1 && versionMinor === 1
        ? '1.1'
        : versionMajor === 1 && versionMinor === 0
          ? '1.0'
          : `${versionMajor}.${versionMinor}`;
    req.method = method;
    req.url = url;
    req.rawHeaders = rawHeaders;
    // As node:http: the server's setting when truthy, else null (never false).
    req.joinDuplicateHeaders = server.joinDuplicateHeaders || null;
    // maxHeadersCount limits req.headers and req.headersDistinct, not
    // rawHeaders (as node:http).
    const maxHeadersCount = server.maxHeadersCount ?? 2000;
    if (maxHeadersCount > 0 && rawHeaders.length > 2 * maxHeadersCount) {
      req._addHeaderLines(rawHeaders, 2 * maxHeadersCount);
    }
    this.current = req;
    // Node's field: the parser's current request (some libraries read it).
    (this.parser as unknown as { incoming: unknown }).incoming = req;

    // The parser's flag, then whether the server takes the upgrade (false for any other request).
    req.upgrade = upgrade;
    if (upgrade) {
      // Since Node 10 an Upgrade nobody listens for is served as a normal request.
      const wanted = method === 'CONNECT' || server.listenerCount('upgrade') > 0;
      req.upgrade = wanted;
      if (wanted) {
        this.upgradeRequest = req;
        return 2; // no body; the parser stops after this head
      }
    }

    // Pipelined requests while earlier responses wait: stop reading if the
    // queued output is not draining, so a client cannot make us buffer forever.
    if (!this.pausedForOutput && socket._httpMessage) {
      if (socket.writableNeedDrain || this.queuedOutputBytes() >= socket.writableHighWaterMark) {
        this.pausedForOutput = true;
        // `_paused` tells IncomingMessage._read not to resume a socket we hold back.
        socket._paused = true;
        socket.pause();
      }
    }

    this.incoming.push(req);
    const res: ServerResponse = new server[kServerResponse](req, this.responseOptions);
    res[kConnection] = this;
    res.shouldKeepAlive = shouldKeepAlive;
    res._keepAliveTimeout = server.keepAliveTimeout;
    res._maxRequestsPerSocket = server.maxRequestsPerSocket;
    if (socket._httpMessage) this.outgoing.push(res);
    else res.assignSocket(socket);
    res[kOnFinish] = onResponseFinish as (msg: unknown) => void;

    // HTTP/1.1: Host is required and Expect is acted on; one pass finds both.
    const http11 = versionMajor === 1 && versionMinor === 1;
    const fields = http11 ? hostAndExpect(rawHeaders) : 0;
    if (http11 && server.requireHostHeader && (fields & HAS_HOST) === 0) {
      res.writeHead(400, ['Connection', 'close']);
      res.end();
      return 0;
    }

    const maxRequests = server.maxRequestsPerSocket;
    if (typeof maxRequests === 'number' && maxRequests > 0) {
      const count = ++this.requestsCount;
      if (count > maxRequests) {
        // Documented: "will not actually close the connection"; every later
        // request gets its 503 (each saying Connection: close), as node:http.
        res.maxRequestsOnConnectionReached = true;
        server.emit('dropRequest', req, socket);
        res.writeHead(503);
        res.end();
        return 0;
      }
      // The last one allowed says `Connection: close` (the socket stays open).
      if (count === maxRequests) res.maxRequestsOnConnectionReached = true;
    }

    if ((fields & HAS_EXPECT) !== 0) {
      // As Node reads it, from req.headers (repeated fields joined, within
      // maxHeadersCount), built only when the field is there at all.
      const expect = req.headers.expect;
      if (typeof expect === 'string') {
        if (continueExpression.test(expect)) {
          res._expect_continue = true;
          if (server.listenerCount('checkContinue') > 0) {
            server.emit('checkContinue', req, res);
          } else {
            res.writeContinue();
            server.emit('request', req, res);
          }
        } else if (server.listenerCount('checkExpectation') > 0) {
          server.emit('checkExpectation', req, res);
        } else {
          res.writeHead(417);
          res.end();
        }
        return 0;
      }
    }

    // As emit() would call the one listener createServer(listener) adds.
    const listener = eventsOf(server).request;
    if (typeof listener === 'function' && emitsByCall(server)) listener.call(server, req, res);
    else server.emit('request', req, res);
    return 0;
  }

  onBody(chunk: Buffer): void {
    const req = this.current;
    if (req === null || req._dumped) return;
    if (!req.push(chunk)) this.socket.pause();
  }

  onMessageComplete(rawTrailers: string[]): void {
    const req = this.current;
    this.current = null;
    this.requestStart = 0;
    if (req === null) return;
    if (rawTrailers !== undefined && rawTrailers.length > 0) req.rawTrailers = rawTrailers;
    req.complete = true;
    if (!req.upgrade) pushEnd(req);
    // The body is over: reading must go on for the next request even if the
    // handler never reads this one (its response's finish dumps it).
    if (!this.pausedForOutput && this.socket.isPaused?.()) this.socket.resume();
  }

  /** Bytes held by responses that wait for the socket. */
  queuedOutputBytes(): number {
    let total = 0;
    const queue = this.outgoing;
    for (let i = 0; i < queue.length; i++) total += queue[i].outputSize ?? 0;
    return total;
  }

  onResponseFinish(res: ServerResponse): void {
    const socket = this.socket;
    const req = res.req;
    const at = this.incoming.indexOf(req);
    if (at === 0) this.incoming.shift();
    else if (at > 0) this.incoming.splice(at, 1);
    // A body nobody read is discarded; one the handler started reading (even if
    // it then paused it, with the body already buffered) is left to the handler.
    let readEnd = false;
    if (!req._consuming && !req._readableState?.resumeScheduled && !req.readableDidRead) {
      // An untouched request is ended by reading its end in the tick that
      // emits this response's 'close' (where _dump() would take a tick of its own).
      readEnd = dumpUnread(req);
      if (!readEnd) req._dump();
    }
    // Node's parser.incoming lets go of the request once the exchange is over:
    // the request does that itself when it is destroyed, right after 'end'
    // (so an ended request has already let go).
    if (socket._httpMessage === res) res.detachSocket(socket);
    nextTick(readEnd ? readEndEmitCloseNT : emitCloseNT, res);

    if (res._last) {
      if (typeof socket.destroySoon === 'function') socket.destroySoon();
      else socket.end();
    } else if (this.outgoing.length === 0) {
      const keepAliveTimeout = this.server.keepAliveTimeout;
      if (keepAliveTimeout) {
        if ((this.server.timeout || socket.timeout) && typeof socket.setTimeout === 'function') {
          // With server.timeout set, or a socket timeout of the application's
          // (documented: it "will be replaced with server.keepAliveTimeout when
          // the socket has served a request"), as Node: the socket's inactivity
          // timer holds keepAliveTimeout until the next bytes arrive (onSocketData).
          socket.setTimeout(keepAliveTimeout);
          this.keepAliveTimeoutSet = true;
        } else {
          this.armKeepAlive(keepAliveTimeout);
        }
      }
    } else {
      const next = this.outgoing.shift()!;
      next.assignSocket(socket);
    }
    this.resumeIfDrained();
  }

  /**
   * The connection went idle: keepAliveTimeout counts from now. Instead of
   * the socket's timer (which every read and write would restart, at a cost
   * per request) one lazy timer per connection is armed only if none is: when
   * it fires it checks the connection (onKeepAliveTimer), re-arming for the
   * time left if the connection was busy or idle for less than the timeout.
   */
  armKeepAlive(keepAliveTimeout: number): void {
    this.idleSince = loopNow();
    if (this.keepAliveTimer === null) this.startKeepAliveTimer(keepAliveTimeout);
  }

  /** Arms the lazy keep-alive timer (unref'd: it never keeps the process alive). */
  startKeepAliveTimer(ms: number): void {
    const timer = setTimeout(onKeepAliveTimer, ms, this);
    timer.unref();
    this.keepAliveTimer = timer;
  }

  clearKeepAlive(): void {
    const timer = this.keepAliveTimer;
    if (timer !== null) {
      this.keepAliveTimer = null;
      clearTimeout(timer);
    }
  }

  resumeIfDrained(): void {
    if (!this.pausedForOutput) return;
    const socket = this.socket;
    if (socket.writableNeedDrain || this.queuedOutputBytes() >= socket.writableHighWaterMark)
      return;
    this.pausedForOutput = false;
    socket._paused = false;
    socket.resume();
  }

  /** headersTimeout / requestTimeout expired: a client error with 408 by default. */
  onRequestTimeout(): void {
    this.requestStart = 0;
    this.stopped = true;
    this.timedOut = true;
    onSocketError.call(this.socket, new ERR_HTTP_REQUEST_TIMEOUT());
  }

  /** Hands the socket over to the 'upgrade' / 'connect' listener. */
  upgrade(head: Buffer): void {
    const server = this.server;
    const socket = this.socket;
    const req = this.upgradeRequest;
    this.upgradeRequest = null;
    this.current = null;
    this.requestStart = 0;
    this.detach();
    // The socket was flowing for our 'data' listener; the new owner decides.
    (socket as { readableFlowing: boolean | null }).readableFlowing = null;
    const eventName = req.method === 'CONNECT' ? 'connect' : 'upgrade';
    if (eventName === 'upgrade' || server.listenerCount('connect') > 0) {
      server.emit(eventName, req, socket, head);
    } else {
      // CONNECT with no 'connect' listener: nobody can serve the tunnel.
      socket.destroy();
    }
  }

  /** Stops being the socket's HTTP owner (after an upgrade). */
  detach(): void {
    const socket = this.socket;
    socket.removeListener('data', onSocketData);
    socket.removeListener('end', onSocketEnd);
    socket.removeListener('close', onSocketClose);
    socket.removeListener('close', onSocketCloseResponses);
    socket.removeListener('drain', onSocketDrain);
    socket.removeListener('error', onSocketError);
    socket.removeListener('timeout', onSocketTimeout);
    // The new protocol owns the bytes now, decoding them included.
    if (socket.setEncoding === socketSetEncoding)
      delete (socket as { setEncoding?: unknown }).setEncoding;
    this.server[kConnections].delete(this);
    this.clearKeepAlive();
    this.releaseParser();
    socket[kConnection] = null;
    // Readable's read-more pass, off while HTTP owned the socket, is the new owner's again.
    if (socket instanceof NetSocket) setReadingMore(socket, false);
  }

  releaseParser(): void {
    const parser = this.parser;
    if (parser === null) return;
    this.parser = null;
    // Node's field: null once the connection no longer parses HTTP (e.g. in 'upgrade').
    this.socket.parser = null;
    (parser as unknown as { incoming: unknown }).incoming = null;
    parser[kConnection as never] = null as never;
    // As Node: a pooled parser is free()d (a test may watch for that call), another is closed.
    if (freeParsers.length < maxFreeParsers) {
      freeParsers.push(parser);
      parser.free();
    } else {
      parser.close();
    }
  }

  onClose(): void {
    this.server[kConnections].delete(this);
    this.clearKeepAlive();
    this.releaseParser();
    // Requests still open learn that their client went away: 'aborted', then 'close'.
    const incoming = this.incoming;
    this.incoming = [];
    for (let i = 0; i < incoming.length; i++) abortIncoming(incoming[i]);
    if (this.current !== null && !incoming.includes(this.current) && !this.current.complete) {
      abortIncoming(this.current);
    }
    this.current = null;
  }

  /**
   * The socket closed: 'close' on the response that owns it and on those
   * waiting for it. A 'close' listener of its own, after the connection's
   * (Node has one per response there; code that calls the socket's 'close'
   * listeners by hand finds a list, as with Node).
   */
  onCloseResponses(): void {
    const res = this.socket._httpMessage;
    if (res) emitCloseNT(res);
    const outgoing = this.outgoing;
    this.outgoing = [];
    for (let i = 0; i < outgoing.length; i++) emitCloseNT(outgoing[i]);
  }

  onEnd(): void {
    const parser = this.parser;
    // After a timeout the parser still holds the unfinished request, as
    // Node's does: the client's FIN is one more 'clientError' (EOF state).
    if (parser !== null && (!this.stopped || this.timedOut)) {
      this.timedOut = false;
      const err = parser.finish();
      if (err) {
        this.stopped = true;
        // As node:http hands it on: the binding's plain form, not prepared.
        onSocketError.call(this.socket, bindingError(err.code, err.reason, err.bytesParsed));
        return;
      }
    }
    const socket = this.socket;
    if (!this.server.httpAllowHalfOpen) {
      // The client will send no more: close our side too; pending requests
      // are aborted when the socket closes.
      if (socket.writable) socket.end();
    } else if (this.outgoing.length > 0) {
      this.outgoing[this.outgoing.length - 1]._last = true;
    } else if (socket._httpMessage) {
      socket._httpMessage._last = true;
    } else if (socket.writable) {
      socket.end();
    }
  }
}

const HAS_HOST = 1;
const HAS_EXPECT = 2;

/** HAS_HOST / HAS_EXPECT for those fields among `[name, value, …]` (names in any case). */
function hostAndExpect(rawHeaders: string[]): number {
  let found = 0;
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i];
    const length = name.length;
    if (length === 4) {
      if (sameLetters(name, 'host')) found |= HAS_HOST;
    } else if (length === 6 && sameLetters(name, 'expect')) {
      found |= HAS_EXPECT;
    }
  }
  return found;
}

/**
 * `name.toLowerCase() === lower` for a `lower` made of lower-case letters,
 * without making a string: setting bit 0x20 lower-cases an ASCII letter, and
 * maps no other character onto one.
 */
function sameLetters(name: string, lower: string): boolean {
  for (let k = 0; k < lower.length; k++) {
    const c = name.charCodeAt(k);
    if ((c | 0x20) !== lower.charCodeAt(k)) return false;
  }
  return true;
}

function newParser(server: Server): HTTPParser {
  // maxHeadersCount is applied to req.headers by the connection, so the parser keeps every field.
  const options = server[kParserOptions];
  let parser = freeParsers.pop();
  if (parser === undefined) {
    parser = new HTTPParser('request', options);
    const p = parser as unknown as Record<string, unknown>;
    p.onMessageBegin = parserOnMessageBegin;
    p.onHeadersComplete = parserOnHeadersComplete;
    p.onBody = parserOnBody;
    p.onMessageComplete = parserOnMessageComplete;
    p.incoming = null;
  } else {
    parser.reset('request', options);
  }
  return parser;
}

// Parser callbacks: `this` is the parser.

function parserOnMessageBegin(this: HTTPParser): void {
  const c = (this as never)[kConnection] as HttpConnection | null;
  if (c === null) return;
  // Timed at the end of this chunk if the request is still incomplete then.
  c.requestStart = RECEIVING;
  c.headersDone = false;
}

function parserOnHeadersComplete(
  this: HTTPParser,
  versionMajor: number,
  versionMinor: number,
  rawHeaders: string[],
  method: string | undefined,
  url: string | undefined,
  _statusCode: number,
  _statusMessage: string,
  upgrade: boolean,
  shouldKeepAlive: boolean,
): number {
  const c = (this as never)[kConnection] as HttpConnection | null;
  if (c === null) return 0;
  return c.onRequestHead(
    versionMajor,
    versionMinor,
    rawHeaders,
    method,
    url,
    upgrade,
    shouldKeepAlive,
  );
}

function parserOnBody(this: HTTPParser, chunk: Buffer): void {
  const c = (this as never)[kConnection] as HttpConnection | null;
  if (c !== null) c.onBody(chunk);
}

function parserOnMessageComplete(this: HTTPParser, rawTrailers: string[]): void {
  const c = (this as never)[kConnection] as HttpConnection | null;
  if (c !== null) c.onMessageComplete(rawTrailers);
}

// Socket listeners: `this` is the socket.

export function onSocketData(this: Socket, data: Buffer): void {
  const c: HttpConnection = this[kConnection];
  if (c.keepAliveTimeoutSet) {
    // As Node: new bytes swap the keep-alive timeout for server.timeout.
    c.keepAliveTimeoutSet = false;
    this.setTimeout(c.server.timeout || 0);
  }
  c.execute(data);
}

export function onSocketEnd(this: Socket): void {
  const c: HttpConnection | null = this[kConnection];
  if (c) c.onEnd();
}

export function onSocketClose(this: Socket): void {
  const c: HttpConnection | null = this[kConnection];
  if (c) c.onClose();
}

/** The second 'close' listener: the connection's responses (`this` is the socket). */
export function onSocketCloseResponses(this: Socket): void {
  const c: HttpConnection | null = this[kConnection];
  if (c) c.onCloseResponses();
}

export function onSocketDrain(this: Socket): void {
  const c: HttpConnection | null = this[kConnection];
  if (c === null || c === undefined) return;
  drainOutgoing(this._httpMessage);
  c.resumeIfDrained();
}

/**
 * A socket or parse error (or the request timeout) on one connection: it goes
 * to 'clientError'; without a listener the client gets 400/408/413/431 unless
 * a response already started, and the socket is destroyed. Other connections
 * never notice.
 */
export function onSocketError(this: Socket, err: Error & { code?: string }): void {
  this.removeListener('error', onSocketError);
  // Later errors (e.g. EPIPE while we write the canned response) are expected.
  if (this.listenerCount('error') === 0) this.on('error', noop);
  const c: HttpConnection | null = this[kConnection];
  if (c) c.stopped = true;
  const server = c ? c.server : this.server;
  if (server?.emit('clientError', err, this)) return;
  const res = this._httpMessage;
  if (this.writable && !res?._headerSent) this.write(cannedResponseFor(err.code));
  this.destroy(err);
}

/** Socket inactivity (server.timeout or keepAliveTimeout): 'timeout' on req, res, server, else destroy. */
export function onSocketTimeout(this: Socket): void {
  const c: HttpConnection | null = this[kConnection];
  const req = c ? c.current : null;
  const reqTimeout = req !== null && !req.complete && req.emit('timeout', this);
  const res = this._httpMessage;
  const resTimeout = !!res && res.emit('timeout', this);
  const serverTimeout = c ? c.server.emit('timeout', this) : false;
  if (!reqTimeout && !resTimeout && !serverTimeout) this.destroy();
}

/**
 * The lazy keep-alive timer fired. A connection that is busy again is left
 * alone (its next idle period arms a new timer); one idle for less than
 * keepAliveTimeout gets a timer for the rest; one idle for the whole timeout
 * times out as a socket would: 'timeout' on the server, else it is destroyed.
 */
function onKeepAliveTimer(c: HttpConnection): void {
  c.keepAliveTimer = null;
  const socket = c.socket;
  if (socket.destroyed || socket[kConnection] !== c || !c.isIdle()) return;
  const keepAliveTimeout = c.server.keepAliveTimeout;
  if (!keepAliveTimeout) return;
  const left = c.idleSince + keepAliveTimeout - Date.now();
  if (left > 0) c.startKeepAliveTimer(left);
  else onSocketTimeout.call(socket);
}

/** Runs just before the response's 'finish' listeners (OutgoingMessage's kOnFinish hook). */
function onResponseFinish(res: ServerResponse): void {
  const c = res[kConnection] as HttpConnection | null;
  if (c) c.onResponseFinish(res);
}

/**
 * The tick after an untouched request's response finished: read the
 * request's end (its 'end' comes on a later tick, as after _dump()'s
 * resume()), then the response's 'close' — the order of node:http's two
 * ticks (resume_, then emitCloseNT), in one.
 *
 * A request nothing listens to, even after the response's 'close' listeners
 * ran, has no 'end' or 'close' anyone could receive: it is ended and closed
 * at once (closeUnread), without the three ticks Readable takes for them.
 */
function readEndEmitCloseNT(res: ServerResponse): void {
  const req = res.req;
  // Listened to already: its end is read first, as node:http's resume_ tick does.
  const quiet = req._eventsCount === 0;
  if (!quiet) req.read();
  emitCloseNT(res);
  if (quiet && !closeUnread(req)) req.read();
}

/** The server's 'connection' listener: makes any Duplex an HTTP connection. */
export function connectionListener(this: Server, socket: Socket): void {
  if (socket.server == null) socket.server = this;
  const c = new HttpConnection(this, socket);
  socket[kConnection] = c;
  socket.parser = c.parser;
  socket._httpMessage = socket._httpMessage ?? null;
  if (this.timeout && typeof socket.setTimeout === 'function') socket.setTimeout(this.timeout);
  // The parser needs bytes: a decoded (string) stream would break it (RFC 9112 is octets).
  socket.setEncoding = socketSetEncoding;
  socket.on('timeout', onSocketTimeout);
  socket.on('data', onSocketData);
  if (socket instanceof NetSocket) setReadingMore(socket, true);
  socket.on('end', onSocketEnd);
  socket.on('close', onSocketClose);
  socket.on('close', onSocketCloseResponses);
  socket.on('drain', onSocketDrain);
  socket.on('error', onSocketError);
  // Like Node, a new connection is receiving its first request from the start:
  // a client that connects and sends nothing meets headersTimeout, and the
  // connection is not idle for closeIdleConnections().
  c.requestStart = loopNow();
  this[kConnections].add(c);
  this.startConnectionsChecking();
  if (socket.destroyed) {
    c.onClose();
    c.onCloseResponses();
  }
}

/**
 * A net.Socket reads for as long as its handle reads (it pushes; a paused
 * socket starts again through read() / resume()), so Readable's "read more"
 * pass after every chunk — a nextTick per chunk that calls read(0) — does
 * nothing for it while it flows into the parser. Setting `readingMore` keeps
 * that pass from being scheduled; the socket gets it back when HTTP lets go
 * of it (an upgrade). Only for net.Socket: a Duplex that produces data when
 * _read() is called needs that pass to keep flowing.
 */
function setReadingMore(socket: Socket, value: boolean): void {
  const state = socket._readableState as { readingMore?: boolean } | undefined;
  if (state) state.readingMore = value;
}

function socketSetEncoding(): never {
  throw new ERR_HTTP_SOCKET_ENCODING();
}

/** The periodic check: 408 for connections receiving a request for too long. */
export function checkConnections(server: Server): void {
  const headersTimeout = server.headersTimeout;
  const requestTimeout = server.requestTimeout;
  if (!(headersTimeout > 0) && !(requestTimeout > 0)) return;
  const now = Date.now();
  for (const c of server[kConnections].toArray()) {
    const start = c.requestStart;
    if (start === 0 || start === RECEIVING) continue;
    const elapsed = now - start;
    if (
      (!c.headersDone && headersTimeout > 0 && elapsed >= headersTimeout) ||
      (requestTimeout > 0 && elapsed >= requestTimeout)
    ) {
      c.onRequestTimeout();
    }
  }
}
