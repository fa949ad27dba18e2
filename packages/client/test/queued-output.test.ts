/**
 * What a request queues before it has a socket (`req.outputData`), as agents
 * see it when they attach the socket later. Proxy agents built on agent-base
 * (http-proxy-agent, proxy-agent) re-render the header in their own
 * addRequest and splice it into `outputData[0].data` as a string; that needs
 * Node's layout: the header block as its own latin1 string entry (or joined
 * with string data), never copied into a Buffer body.
 */
import * as http from 'node:http';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Agent, request } from '../src/index.ts';
import { onRequestHead, rawServer } from './helpers.ts';

const test = suite('queued output (compared with node:http)');

type Body = string | Buffer | undefined;

/** An agent that, like http-proxy-agent, rewrites the queued header to an absolute-form target. */
function proxyLikeAgent(Base: typeof http.Agent, log: unknown[]): http.Agent {
  class ProxyLike extends Base {
    addRequest(req: any, options: any): void {
      setTimeout(() => {
        log.push(
          req.outputData.map((o: any) => [
            Buffer.isBuffer(o.data) ? 'Buffer' : typeof o.data,
            o.encoding,
          ]),
        );
        req.path = `http://origin.example${req.path}`;
        req._header = null;
        req._implicitHeader();
        const first = req.outputData[0].data;
        const endOfHeaders = first.indexOf('\r\n\r\n') + 4;
        req.outputData[0].data = req._header + first.substring(endOfHeaders);
        (Base.prototype as any).addRequest.call(this, req, options);
      }, 5);
    }
  }
  return new ProxyLike({ keepAlive: false });
}

async function scenario(impl: 'node' | 'ours', body: Body, method: string) {
  let wire = '';
  const server = await rawServer((s) => {
    s.on('data', (d) => {
      wire += d.toString('latin1');
    });
    onRequestHead(s, () => {
      setTimeout(() => s.end('HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n'), 20);
    });
  });
  const log: unknown[] = [];
  const agent = proxyLikeAgent((impl === 'node' ? http.Agent : Agent) as typeof http.Agent, log);
  const make = impl === 'node' ? http.request : (request as unknown as typeof http.request);
  try {
    const status = await new Promise<number | undefined>((resolve, reject) => {
      const req = make({ port: server.port, host: '127.0.0.1', path: '/p?q=1', method, agent });
      req.on('response', (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode));
      });
      req.on('error', reject);
      if (body === undefined) req.end();
      else req.end(body);
    });
    return { status, layout: log, wire: wire.replace(/Host: 127\.0\.0\.1:\d+/, 'Host: <host>') };
  } finally {
    await server.close();
  }
}

for (const [name, body, method] of [
  ['POST with a Buffer body', Buffer.from('xy'), 'POST'],
  ['POST with a string body', 'xy', 'POST'],
  ['GET without a body', undefined, 'GET'],
] as [string, Body, string][]) {
  test(`${name}: the header is a string entry an agent can rewrite`, async () => {
    const ours = await scenario('ours', body, method);
    const node = await scenario('node', body, method);
    assert.equal(ours, node);
    assert.is(ours.status, 204);
    assert.match(
      ours.wire,
      new RegExp(`^${method} http://origin\\.example/p\\?q=1 HTTP/1\\.1\\r\\n`),
    );
    if (body !== undefined) assert.ok(ours.wire.endsWith('\r\n\r\nxy'), ours.wire);
  });
}

test.run();
