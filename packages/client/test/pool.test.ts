// The agent driven by real requests: pool counts at each step, compared with node:http.
import { once } from 'node:events';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { compare, describeError, NODE, OURS, rawServer, settle, tick } from './helpers.ts';

const test = suite('agent pools under real requests (compared with node:http)');

function counts(pool: any) {
  const out: Record<string, number> = {};
  for (const k of Object.keys(pool)) out[k.replace(/:\d+:/, ':PORT:')] = pool[k].length;
  return out;
}
function snap(agent: any) {
  return {
    sockets: counts(agent.sockets),
    free: counts(agent.freeSockets),
    requests: counts(agent.requests),
    total: agent.totalSocketCount,
  };
}

/** A server that answers each request only when told to (`release()`). */
async function heldServer() {
  const pending: (() => void)[] = [];
  const srv = await rawServer((s) => {
    s.on('data', () => {
      pending.push(() => s.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok'));
    });
  });
  return {
    ...srv,
    close: srv.close,
    get waiting() {
      return pending.length;
    },
    release() {
      pending.shift()?.();
    },
  };
}

test('maxSockets: requests queue per origin and take freed sockets in order', async () => {
  const log = await compare(async (impl) => {
    const srv = await heldServer();
    const agent = new impl.Agent({ keepAlive: true, maxSockets: 2 });
    const out: unknown[] = [];
    const order: number[] = [];
    const reqs = [0, 1, 2, 3].map((i) =>
      impl.get({ port: srv.port, host: '127.0.0.1', agent }, (res) => {
        order.push(i);
        res.resume();
      }),
    );
    out.push(snap(agent));
    while (srv.waiting < 2) await tick(1);
    out.push(snap(agent));
    srv.release();
    await settle(reqs[0], 'close');
    while (srv.waiting < 2) await tick(1);
    out.push(snap(agent), reqs[2].reusedSocket);
    srv.release();
    srv.release();
    await settle(reqs[2], 'close');
    while (srv.waiting < 1) await tick(1);
    srv.release();
    await settle(reqs[3], 'close');
    await tick(5);
    out.push(snap(agent), order, srv.connections);
    agent.destroy();
    await srv.close();
    return out;
  });
  assert.equal(log[0], {
    sockets: { '127.0.0.1:PORT:': 2 },
    free: {},
    requests: { '127.0.0.1:PORT:': 2 },
    total: 2,
  });
});

test('the socket returns to the pool only once the response is read', async () => {
  await compare(async (impl) => {
    const srv = await rawServer((s) =>
      s.on('data', () => s.write('HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello')),
    );
    const agent = new impl.Agent({ keepAlive: true });
    const out: unknown[] = [];
    const req = impl.get({ port: srv.port, host: '127.0.0.1', agent });
    const [res] = await once(req, 'response');
    await tick(20);
    // complete on the wire, unread: still busy
    out.push(res.complete, snap(agent));
    res.resume();
    await once(res, 'end');
    out.push(snap(agent));
    await settle(req, 'close');
    await tick(1);
    out.push(snap(agent));
    agent.destroy();
    await srv.close();
    return out;
  });
});

test('maxFreeSockets and scheduling with real requests', async () => {
  for (const scheduling of ['lifo', 'fifo'] as const) {
    await compare(async (impl) => {
      const srv = await heldServer();
      const agent = new impl.Agent({ keepAlive: true, maxFreeSockets: 2, scheduling });
      const reqs = [0, 1, 2].map(() =>
        impl.get({ port: srv.port, host: '127.0.0.1', agent }, (res) => res.resume()),
      );
      while (srv.waiting < 3) await tick(1);
      const ports: number[] = [];
      for (const r of reqs) {
        ports.push((r.socket as any).localPort);
        srv.release();
        await settle(r, 'close');
        await tick(1);
      }
      const out: unknown[] = [snap(agent)];
      const next = impl.get({ port: srv.port, host: '127.0.0.1', agent }, (res) => res.resume());
      await once(next, 'socket');
      out.push(ports.indexOf((next.socket as any).localPort), next.reusedSocket);
      while (srv.waiting < 1) await tick(1);
      srv.release();
      await settle(next, 'close');
      agent.destroy();
      await srv.close();
      return out;
    });
  }
});

test('Connection header per the docs: close only for keepAlive false + maxSockets Infinity', async () => {
  const log = await compare(async (impl) => {
    let head = '';
    const srv = await rawServer((s) =>
      s.on('data', (d) => {
        head = d.toString();
        s.write('HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n');
      }),
    );
    const out: unknown[] = [];
    for (const opts of [{}, { maxSockets: 4 }]) {
      const agent = new impl.Agent(opts);
      const req = impl.get({ port: srv.port, host: '127.0.0.1', agent }, (res) => res.resume());
      await settle(req, 'close');
      await tick(10);
      out.push(head.match(/Connection: [a-z-]+/)?.[0], snap(agent));
      agent.destroy();
    }
    await srv.close();
    return out;
  });
  assert.is(log[0], 'Connection: close');
  assert.is(log[2], 'Connection: keep-alive');
});

test("server's Keep-Alive: timeout=1 hint: the socket is not reused (no ECONNRESET)", async () => {
  const srv = await rawServer((s) => {
    s.on('data', () => {
      s.write('HTTP/1.1 200 OK\r\nContent-Length: 0\r\nKeep-Alive: timeout=1\r\n\r\n');
      // the server drops idle connections right away, as it announced
      setTimeout(() => s.destroy(), 30);
    });
  });
  const agent = new OURS.Agent({ keepAlive: true });
  const errors: string[] = [];
  for (let i = 0; i < 3; i++) {
    const req = OURS.get({ port: srv.port, host: '127.0.0.1', agent }, (res) => res.resume());
    req.on('error', (e) => errors.push(describeError(e)));
    await settle(req, 'close');
    assert.is(req.reusedSocket, false);
    await tick(40);
  }
  assert.equal(errors, []);
  assert.is(srv.connections, 3);
  assert.equal(snap(agent).free, {});
  agent.destroy();
  await srv.close();
});

test('Keep-Alive: timeout=N sets the pooled socket timeout to N-1 s', async () => {
  const srv = await rawServer((s) =>
    s.on('data', () =>
      s.write('HTTP/1.1 200 OK\r\nContent-Length: 0\r\nKeep-Alive: timeout=5, max=100\r\n\r\n'),
    ),
  );
  const agent = new OURS.Agent({ keepAlive: true });
  const req = OURS.get({ port: srv.port, host: '127.0.0.1', agent }, (res) => res.resume());
  await settle(req, 'close');
  await tick(2);
  const [socket] = Object.values(agent.freeSockets)[0] as any[];
  assert.is(socket.timeout, 4000);
  agent.destroy();
  await srv.close();
});

test('reusedSocket lets a caller retry after ECONNRESET on a reused socket', async () => {
  // The server closes idle sockets without saying so: the first reuse fails with a
  // reset, reusedSocket is true, and a retry on a fresh socket succeeds.
  for (const impl of [NODE, OURS]) {
    const srv = await rawServer((s) =>
      s.on('data', () => {
        s.write('HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n');
      }),
    );
    const agent = new impl.Agent({ keepAlive: true });
    const first = impl.get({ port: srv.port, host: '127.0.0.1', agent }, (res) => res.resume());
    await settle(first, 'close');
    await tick(2);
    const [pooled] = Object.values(agent.freeSockets)[0] as any[];
    // simulate the race: the server resets exactly as the request goes out
    const req = impl.get({ port: srv.port, host: '127.0.0.1', agent });
    const [err] = await new Promise<any[]>((resolve) => {
      req.on('error', (e) => resolve([e]));
      req.on('socket', () => process.nextTick(() => pooled.destroy(connReset())));
    });
    assert.is(req.reusedSocket, true, impl.name);
    assert.is(err.code, 'ECONNRESET', impl.name);
    agent.destroy();
    await srv.close();
  }
});

function connReset() {
  return Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
}

test('agentRemove from a socket listener keeps the socket out of the pool', async () => {
  await compare(async (impl) => {
    const srv = await rawServer((s) =>
      s.on('data', () => s.write('HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n')),
    );
    const agent = new impl.Agent({ keepAlive: true });
    const req = impl.get({ port: srv.port, host: '127.0.0.1', agent }, (res) => res.resume());
    req.on('socket', (s) => s.emit('agentRemove'));
    await settle(req, 'close');
    await tick(5);
    const out = [snap(agent), req.socket?.destroyed];
    req.socket?.destroy();
    agent.destroy();
    await srv.close();
    return out;
  });
});

test('listeners on a pooled socket match Node (no leaks over reuse); idle errors are quiet', async () => {
  await compare(async (impl) => {
    const srv = await rawServer((s) =>
      s.on('data', () => s.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok')),
    );
    const agent = new impl.Agent({ keepAlive: true });
    const out: unknown[] = [];
    const count = (s: any) =>
      ['data', 'drain', 'error', 'end', 'timeout']
        .map((e) => `${e}=${s.listenerCount(e)}`)
        .join(' ');
    let socket: any;
    for (let i = 0; i < 3; i++) {
      const req = impl.get({ port: srv.port, host: '127.0.0.1', agent }, (res) => res.resume());
      req.on('socket', (s) => out.push(`in use ${count(s)}`));
      await settle(req, 'close');
      await tick(1);
      socket = req.socket;
      out.push(`pooled ${count(socket)}`);
    }
    socket.emit('error', Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }));
    await tick(10);
    out.push(socket.destroyed, snap(agent));
    agent.destroy();
    await srv.close();
    return out;
  });
});

test('pooled sockets are unref-ed: the process exits without agent.destroy()', async () => {
  const srv = await rawServer((s) =>
    s.on('data', () => s.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok')),
  );
  const { execFile } = await import('node:child_process');
  const source = require('node:path').join(__dirname, '..', 'src', 'index.ts');
  for (const impl of ['node:http', source]) {
    const script = `
      const { Agent, get } = require(${JSON.stringify(impl)});
      const agent = new Agent({ keepAlive: true });
      get({ port: ${srv.port}, host: '127.0.0.1', agent }, (res) => {
        res.resume();
        res.on('end', () => setImmediate(() => console.log('free ' + Object.keys(agent.freeSockets).length)));
      });
    `;
    // a process kept alive by the pooled socket would be killed by the timeout (error)
    const out = await new Promise<string>((resolve, reject) =>
      execFile(
        process.execPath,
        ['--require', 'tsx/cjs', '-e', script],
        { cwd: __dirname, encoding: 'utf8', timeout: 8000 },
        (err, stdout) => (err ? reject(err) : resolve(stdout.trim())),
      ),
    );
    assert.is(out, 'free 1', impl);
  }
  await srv.close();
});

test.run();
