import { once } from 'node:events';
import { Duplex } from 'node:stream';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import {
  compare,
  describeError,
  httpServer,
  type Impl,
  NODE,
  OURS,
  rawServer,
  record,
  replying,
  settle,
  tick,
} from './helpers.ts';

const test = suite('responses (compared with node:http)');

function body(res: any): Promise<string> {
  return new Promise((resolve) => {
    let s = '';
    res.setEncoding('latin1');
    res.on('data', (d: string) => (s += d));
    res.on('end', () => resolve(s));
    res.on('error', () => resolve(`${s}<error>`));
  });
}

test("1xx: 'continue' and 'information' (100, 103) before the final response", async () => {
  const log = await compare(async (impl) => {
    const srv = await replying(
      'HTTP/1.1 100 Continue\r\n\r\n' +
        'HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\nLink: </a.js>\r\n\r\n' +
        'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok',
    );
    const log: unknown[] = [];
    const req = impl.request({ port: srv.port, host: '127.0.0.1', agent: false });
    record(req, log as string[]);
    req.on('information', (info: any) => log.push({ ...info }));
    req.on('response', async (res) => log.push(await body(res)));
    req.end();
    await settle(req, 'close');
    await tick(5);
    await srv.close();
    return log;
  });
  assert.ok(
    log.some(
      (x: any) => x?.statusCode === 103 && x.headers.link === '</style.css>; rel=preload, </a.js>',
    ),
  );
});

test("Expect: 100-continue: headers go out at once, body after 'continue'", async () => {
  await compare(async (impl) => {
    const srv = await httpServer((req, res) => {
      let b = '';
      req.on('data', (d) => (b += d));
      req.on('end', () => res.end(`got ${b}`));
    });
    const log: unknown[] = [];
    const req = impl.request({
      port: srv.port,
      host: '127.0.0.1',
      method: 'POST',
      agent: false,
      headers: { Expect: '100-continue', 'Content-Length': 4 },
    });
    record(req, log as string[]);
    log.push(`headersSent ${req.headersSent}`);
    req.on('continue', () => req.end('data'));
    req.on('response', async (res) => log.push(await body(res)));
    await settle(req, 'close');
    await srv.close();
    return log;
  });
});

test("no 'response' listener: the body is discarded and the socket freed", async () => {
  await compare(async (impl) => {
    const srv = await rawServer((s) => {
      let n = 0;
      s.on('data', () => {
        n++;
        s.write(`HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nresponse${n}!`);
      });
    });
    const agent = new impl.Agent({ keepAlive: true });
    const req = impl.request({ port: srv.port, host: '127.0.0.1', agent });
    req.end();
    await settle(req, 'close');
    await tick(5);
    const out: unknown[] = [Object.keys(agent.freeSockets).length, (req as any).res?.readableEnded];
    // the freed socket serves the next request
    const req2 = impl.request({ port: srv.port, host: '127.0.0.1', agent });
    const text = new Promise((r) => req2.on('response', (res) => r(body(res))));
    req2.end();
    out.push(await text, req2.reusedSocket, srv.connections);
    agent.destroy();
    await srv.close();
    return out;
  });
});

test('HEAD: no body even with Content-Length; the socket is reused', async () => {
  await compare(async (impl) => {
    const srv = await rawServer((s) => {
      s.on('data', (d) => {
        if (d.toString().startsWith('HEAD')) {
          s.write('HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n');
        } else {
          s.write('HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nget');
        }
      });
    });
    const agent = new impl.Agent({ keepAlive: true });
    const out: unknown[] = [];
    for (const method of ['HEAD', 'GET']) {
      const req = impl.request({ port: srv.port, host: '127.0.0.1', agent, method });
      req.on('response', async (res) => out.push(res.headers['content-length'], await body(res)));
      req.end();
      await settle(req, 'close');
      await tick(2);
      out.push(req.reusedSocket);
    }
    out.push(srv.connections);
    agent.destroy();
    await srv.close();
    return out;
  });
});

test('304 without body; 204; Content-Length: 0', async () => {
  await compare(async (impl) => {
    const out: unknown[] = [];
    for (const head of [
      'HTTP/1.1 304 Not Modified\r\nETag: "x"\r\n\r\n',
      'HTTP/1.1 204 No Content\r\n\r\n',
      'HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n',
    ]) {
      const srv = await replying(head);
      const agent = new impl.Agent({ keepAlive: true });
      const req = impl.get({ port: srv.port, host: '127.0.0.1', agent }, async (res) => {
        out.push(res.statusCode, await body(res), res.complete);
      });
      await settle(req, 'close');
      await tick(2);
      out.push(Object.keys(agent.freeSockets).length);
      agent.destroy();
      await srv.close();
    }
    return out;
  });
});

test('chunked body with trailers', async () => {
  const out = await compare(async (impl) => {
    const srv = await replying(
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTrailer: X-Sum\r\n\r\n' +
        '5\r\nhello\r\n7;ext=1\r\n, world\r\n0\r\nX-Sum: 42\r\nx-sum: 43\r\n\r\n',
    );
    const out: unknown[] = [];
    const req = impl.get({ port: srv.port, host: '127.0.0.1', agent: false }, async (res) => {
      out.push(await body(res), res.trailers, res.rawTrailers);
    });
    await settle(req, 'close');
    await tick(2);
    await srv.close();
    return out;
  });
  assert.is(out[0], 'hello, world');
});

test('Connection: close and HTTP/1.0 EOF-delimited bodies; socket not pooled', async () => {
  await compare(async (impl) => {
    const out: unknown[] = [];
    for (const reply of [
      'HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 4\r\n\r\nabcd',
      'HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nuntil EOF',
      'HTTP/1.0 200 OK\r\n\r\nten bytes.',
    ]) {
      const srv = await replying((s) => {
        s.write(reply);
        setTimeout(() => s.end(), 10);
      });
      const agent = new impl.Agent({ keepAlive: true });
      const req = impl.get({ port: srv.port, host: '127.0.0.1', agent }, async (res) => {
        out.push(res.httpVersion, await body(res));
      });
      await settle(req, 'close');
      await tick(20);
      out.push(
        req.shouldKeepAlive,
        Object.keys(agent.freeSockets).length,
        (agent as any).totalSocketCount,
      );
      agent.destroy();
      await srv.close();
    }
    return out;
  });
});

const SPLIT_RESPONSE =
  'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n' +
  '3\r\nabc\r\n4\r\ndefg\r\n0\r\nX-T: 1\r\n\r\n';

/** A Duplex "socket" that answers every request with `reply` split in `pieces`. */
function scriptedSocket(pieces: Buffer[]) {
  let sent = false;
  const sock = new Duplex({
    read() {},
    write(_c, _e, cb) {
      if (!sent) {
        sent = true;
        let i = 0;
        const next = () => {
          if (i < pieces.length) {
            sock.push(pieces[i++]);
            setImmediate(next);
          }
        };
        setImmediate(next);
      }
      cb();
    },
  });
  return sock;
}

test('a response split at every byte parses the same (any Duplex as socket)', async () => {
  const full = Buffer.from(SPLIT_RESPONSE, 'latin1');
  for (const impl of [NODE, OURS]) {
    for (let i = 1; i < full.length; i++) {
      const pieces = [full.subarray(0, i), full.subarray(i)];
      const result = await new Promise<unknown[]>((resolve, reject) => {
        const req = impl.get(
          { host: 'x', createConnection: () => scriptedSocket(pieces) as any },
          async (res) => resolve([res.statusCode, await body(res), res.trailers['x-t']]),
        );
        req.on('error', reject);
      });
      assert.equal(result, [200, 'abcdefg', '1'], `${impl.name} split at ${i}`);
    }
    // and one byte per write
    const bytes = [...full].map((b) => Buffer.from([b]));
    const result = await new Promise<unknown[]>((resolve) => {
      impl.get({ host: 'x', createConnection: () => scriptedSocket(bytes) as any }, async (res) =>
        resolve([res.statusCode, await body(res)]),
      );
    });
    assert.equal(result, [200, 'abcdefg'], impl.name);
  }
});

test('keep-alive reuse against a raw server; server closing an idle socket', async () => {
  await compare(async (impl) => {
    const srv = await rawServer((s) => {
      s.on('data', () => {
        s.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok');
      });
    });
    const agent = new impl.Agent({ keepAlive: true });
    const out: unknown[] = [];
    const one = async () => {
      const req = impl.get({ port: srv.port, host: '127.0.0.1', agent }, async (res) => {
        out.push(await body(res));
      });
      req.on('error', (e) => out.push(describeError(e)));
      await settle(req, 'close');
      await tick(2);
      out.push(req.reusedSocket, Object.keys(agent.freeSockets).length);
    };
    await one();
    await one();
    out.push(srv.connections);
    // the server closes the idle connection: the agent forgets it, no error anywhere
    for (const s of srv.sockets) s.end();
    await tick(20);
    out.push(Object.keys(agent.freeSockets).length, (agent as any).totalSocketCount);
    await one();
    out.push(srv.connections);
    agent.destroy();
    await srv.close();
    return out;
  });
});

test('malformed responses: HPE_* errors on the request', async () => {
  await compare(async (impl) => {
    const out: unknown[] = [];
    for (const reply of [
      'HTTP/1.1 200 OK\r\nContent-Length: abc\r\n\r\n',
      'HTTX/1.1 200 OK\r\n\r\n',
      'HTTP/1.1 2000 OK\r\n\r\n',
      'HTTP/1.1 200 OK\r\nBad Header: x\r\n\r\n',
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n',
      'HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n',
    ]) {
      const srv = await replying(reply);
      const log: string[] = [];
      const req = impl.get({ port: srv.port, host: '127.0.0.1', agent: false });
      record(req, log);
      req.on('error', (e: any) => log.push(`bytesParsed ${e.bytesParsed} raw ${!!e.rawPacket}`));
      await settle(req, 'close');
      await tick(5);
      out.push(log);
      await srv.close();
    }
    return out;
  });
});

test('maxHeaderSize: HPE_HEADER_OVERFLOW', async () => {
  await compare(async (impl) => {
    const srv = await replying(
      `HTTP/1.1 200 OK\r\nX-Big: ${'a'.repeat(3000)}\r\nContent-Length: 0\r\n\r\n`,
    );
    const log: string[] = [];
    const req = impl.get({ port: srv.port, host: '127.0.0.1', agent: false, maxHeaderSize: 1024 });
    record(req, log);
    await settle(req, 'close');
    const ok = impl.get({ port: srv.port, host: '127.0.0.1', agent: false }, (res) => {
      log.push(`default limit ok ${res.headers['x-big']?.length}`);
      res.resume();
    });
    await settle(ok, 'close');
    await srv.close();
    return log;
  });
});

test('joinDuplicateHeaders and maxHeadersCount', async () => {
  await compare(async (impl) => {
    const srv = await replying(
      'HTTP/1.1 200 OK\r\nUser-Agent: a\r\nUser-Agent: b\r\nX: 1\r\nY: 2\r\nContent-Length: 0\r\n\r\n',
    );
    const out: unknown[] = [];
    for (const joinDuplicateHeaders of [false, true, undefined]) {
      const req = impl.get(
        { port: srv.port, host: '127.0.0.1', agent: false, joinDuplicateHeaders },
        (res) => {
          // res.joinDuplicateHeaders is the request's option as given (undefined when not).
          out.push(
            res.headers['user-agent'],
            res.headersDistinct['user-agent'],
            (res as { joinDuplicateHeaders?: boolean }).joinDuplicateHeaders,
            'joinDuplicateHeaders' in res,
          );
          res.resume();
        },
      );
      await settle(req, 'close');
    }
    const req = impl.request({ port: srv.port, host: '127.0.0.1', agent: false });
    out.push(req.maxHeadersCount);
    req.end();
    await settle(req, 'close');
    await srv.close();
    return out;
  });
  // maxHeadersCount limits res.headers and res.headersDistinct to the first N
  // fields; res.rawHeaders keep every field "exactly as they were received".
  await compare(
    async (impl) => {
      const srv = await replying(
        'HTTP/1.1 200 OK\r\nA: 1\r\nB: 2\r\nC: 3\r\nContent-Length: 0\r\n\r\n',
      );
      const req = impl.request({ port: srv.port, host: '127.0.0.1', agent: false });
      req.maxHeadersCount = 2;
      const [[res]] = await Promise.all([once(req, 'response'), req.end()]);
      const seen = [res.rawHeaders, res.headers, res.headersDistinct];
      res.resume();
      await settle(req, 'close');
      await srv.close();
      return JSON.stringify(seen);
    },
    JSON.stringify([
      ['A', '1', 'B', '2', 'C', '3', 'Content-Length', '0'],
      { a: '1', b: '2' },
      { a: ['1'], b: ['2'] },
    ]),
  );
});

// Found by tooling/fuzz/client-differential.mjs: Node's parser reads on after a
// complete response in the same packet.
for (const [name, extra] of [
  ['malformed bytes: a parse error on the request, with its offset', 'EXTRA BYTES'],
  ['a 1xx head: the connection is dropped, no information event', 'HTTP/1.1 100 Continue\r\n\r\n'],
  ['a second response: the connection is dropped', 'HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n'],
  ['the start of a head: nothing more', 'HTTP/1.1 2'],
]) {
  test(`bytes after a complete response in the same packet, ${name}`, async () => {
    await compare(async (impl) => {
      const srv = await replying(`HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi${extra}`);
      const log: string[] = [];
      // Alone, and on a keep-alive agent (the response still ends through the
      // release path: the request's 'close' comes before the response's).
      const agents: (false | InstanceType<Impl['Agent']>)[] = [
        false,
        new impl.Agent({ keepAlive: true }),
      ];
      for (const agent of agents) {
        const req = impl.request({ port: srv.port, host: '127.0.0.1', agent });
        record(req, log);
        req.on('error', (e: any) =>
          log.push(`bytesParsed ${e.bytesParsed} rawPacket ${e.rawPacket?.length}`),
        );
        req.end();
        await settle(req, 'close');
        await tick(10);
        if (agent) {
          log.push(`free sockets ${Object.keys(agent.freeSockets).length}`);
          agent.destroy();
        }
      }
      await srv.close();
      return log;
    });
  });
}

// Found by tooling/fuzz/client-differential.mjs: a 101 without an Upgrade
// field is no upgrade, but the parser still stops at its head (the rest of
// the read would be the new protocol's): the response is a plain one, the
// rest of that read is never parsed, and the connection stays reusable.
for (const [name, extra] of [
  ['a second response', 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok'],
  ['malformed bytes', 'EXTRA BYTES'],
]) {
  test(`a 101 without Upgrade, then ${name} in the same packet: dropped, the socket reused`, async () => {
    await compare(async (impl) => {
      const srv = await replying(`HTTP/1.1 101 Continue\r\n\r\n${extra}`);
      const agent = new impl.Agent({ keepAlive: true });
      const log: string[] = [];
      for (const path of ['/a', '/b']) {
        const req = impl.request({ port: srv.port, host: '127.0.0.1', path, agent });
        record(req, log);
        req.on('socket', () => log.push(`${path} reused ${req.reusedSocket}`));
        req.on('error', (e: any) => log.push(`bytesParsed ${e.bytesParsed}`));
        req.end();
        if (path === '/a') {
          await settle(req, 'close');
          await tick(10);
        } else {
          // The raw server answers once per connection: /b waits until the
          // agent is destroyed.
          await settle(req, 'finish');
          await tick(20);
          log.push(`in use ${Object.values(agent.sockets).flat().length}`);
          agent.destroy();
          await settle(req, 'close');
        }
      }
      await srv.close();
      return log;
    });
  });
}

test('a response before the request body is sent (early 413)', async () => {
  await compare(async (impl) => {
    const srv = await replying('HTTP/1.1 413 Payload Too Large\r\nContent-Length: 3\r\n\r\nbig');
    const agent = new impl.Agent({ keepAlive: true });
    const log: string[] = [];
    const req = impl.request({ port: srv.port, host: '127.0.0.1', method: 'POST', agent });
    record(req, log);
    req.on('response', async (res) => {
      log.push(`${res.statusCode} ${await body(res)}`);
      log.push(`free before end ${Object.keys(agent.freeSockets).length}`);
      req.end('late body');
    });
    req.write('first part');
    await settle(req, 'close');
    await tick(10);
    log.push(`free after ${Object.keys(agent.freeSockets).length}`);
    agent.destroy();
    await srv.close();
    return log;
  });
});

test('interop: many requests against a node:http server over a keep-alive agent', async () => {
  await compare(async (impl) => {
    const srv = await httpServer((req, res) => {
      res.setHeader('x-url', req.url!);
      res.end(`${req.method} ${req.url}`);
    });
    const agent = new impl.Agent({ keepAlive: true, maxSockets: 3 });
    const results = await Promise.all(
      Array.from(
        { length: 20 },
        (_, i) =>
          new Promise((resolve) => {
            impl
              .get({ port: srv.port, host: '127.0.0.1', path: `/n${i}`, agent }, async (res) =>
                resolve(`${res.headers['x-url']} ${await body(res)}`),
              )
              .on('error', resolve);
          }),
      ),
    );
    await tick(5);
    const out = [results, Object.keys(agent.freeSockets).map((k) => agent.freeSockets[k]!.length)];
    agent.destroy();
    await srv.close();
    return out;
  });
});

test('response stream back-pressure: a paused response pauses the socket', async () => {
  const big = 'x'.repeat(1 << 20);
  for (const impl of [NODE, OURS]) {
    const srv = await httpServer((_req, res) => res.end(big));
    const req = impl.get({ port: srv.port, host: '127.0.0.1', agent: false });
    const [res] = await once(req, 'response');
    await tick(50);
    // nothing consumed yet: the response holds at most what its buffer allows
    assert.ok(res.readableLength < big.length, impl.name);
    assert.is((await body(res)).length, big.length, impl.name);
    await srv.close();
  }
});

test('data after a complete response is ignored and the connection dropped', async () => {
  await compare(async (impl) => {
    const full = 'HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello';
    const srv = await replying(full + full);
    const agent = new impl.Agent({ keepAlive: true });
    const out: unknown[] = [];
    const req = impl.get({ port: srv.port, host: '127.0.0.1', agent }, async (res) => {
      out.push(await body(res));
    });
    req.on('error', (e) => out.push(describeError(e)));
    await settle(req, 'close');
    await tick(10);
    out.push(Object.keys(agent.freeSockets).length, (agent as any).totalSocketCount);
    agent.destroy();
    await srv.close();
    return out;
  });
});

test.run();
