// Code written against node:http's types. It is compiled twice by types.test.ts: once with
// `http-under-test` mapped to node:http itself, once mapped to @strata-http/http's built
// declarations. Both must compile: the umbrella is a drop-in for type checking too.
import http, {
  Agent,
  type AgentOptions,
  type ClientRequest,
  createServer,
  get,
  globalAgent,
  type IncomingHttpHeaders,
  IncomingMessage,
  METHODS,
  maxHeaderSize,
  type OutgoingHttpHeaders,
  type OutgoingMessage,
  type RequestListener,
  type RequestOptions,
  request,
  type Server,
  type ServerOptions,
  ServerResponse,
  STATUS_CODES,
  setMaxIdleHTTPParsers,
  validateHeaderName,
  validateHeaderValue,
} from 'http-under-test';

class TimedRequest extends IncomingMessage {
  receivedAt = Date.now();
}
class JsonResponse<R extends IncomingMessage = IncomingMessage> extends ServerResponse<R> {
  json(value: unknown): void {
    this.setHeader('content-type', 'application/json');
    this.end(JSON.stringify(value));
  }
}

const options: ServerOptions<typeof TimedRequest, typeof JsonResponse> = {
  IncomingMessage: TimedRequest,
  ServerResponse: JsonResponse,
  keepAliveTimeout: 5000,
};
const server: Server<typeof TimedRequest, typeof JsonResponse> = createServer(
  options,
  (req, res) => {
    const headers: IncomingHttpHeaders = req.headers;
    res.json({ at: req.receivedAt, headers, method: req.method, url: req.url });
  },
);
server.on('connection', (socket) => socket.setNoDelay(true));
server.headersTimeout = 60_000;

const listener: RequestListener = (req, res) => {
  res.writeHead(200, { 'content-type': 'text/plain' }).end(String(req.httpVersionMajor));
};
const plain: Server = http.createServer(listener);
plain.listen(0, '127.0.0.1');

const agent = new Agent({ keepAlive: true, maxSockets: 4 } satisfies AgentOptions);
const requestOptions: RequestOptions = { host: '127.0.0.1', port: 80, path: '/', agent };
const headers: OutgoingHttpHeaders = { 'x-a': ['1', '2'], 'content-length': 0 };
const req: ClientRequest = request(requestOptions, (res: IncomingMessage) => {
  res.setEncoding('utf8');
  res.on('data', (chunk: string) => chunk.length);
});
req.setHeader('x-b', 'c');
for (const [name, value] of Object.entries(headers))
  if (value !== undefined) req.setHeader(name, value);
req.end();
get('http://127.0.0.1/', (res) => res.resume()).on('error', () => {});

const out: OutgoingMessage = req;
out.getHeaderNames();
validateHeaderName('x-ok');
validateHeaderValue('x-ok', 'value');
setMaxIdleHTTPParsers(10);
const size: number = maxHeaderSize + http.maxHeaderSize;
const known: string[] = METHODS;
const text: string | undefined = STATUS_CODES[404];
http.globalAgent = new Agent();
const ga: Agent = globalAgent;

export { ga, known, notAString, size, text };

// The checks are live: each line below must be a type error, or tsc reports the unused
// directive (TS2578). If the package's types degraded to `any`, this file would fail.
// @ts-expect-error statusCode is a number
createServer((_req, res) => res.writeHead('200'));
// @ts-expect-error no such option
request({ hostname: 'x', portt: 80 });
// @ts-expect-error maxHeaderSize is a number
const notAString: string = maxHeaderSize;
