import { once } from 'node:events';
import * as http from 'node:http';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Agent } from '../src/index.ts';
import { FakeRequest, holdServer, snapshot, socketOf, tick, waitFor } from './helpers.ts';

// Each scenario runs against node:http's Agent and ours with the same stand-in
// request, recording pool counts at every step; the two recordings must be equal.
type AgentClass = new (o?: any) => any;
const test = suite('Agent pools (compared with node:http)');

async function both(scenario: (A: AgentClass) => Promise<unknown[]>) {
  const theirs = await scenario(http.Agent);
  const ours = await scenario(Agent);
  assert.equal(ours, theirs);
  return ours;
}

test('maxSockets queues per origin; freed sockets serve the queue, then the pool', async () => {
  const log = await both(async (A) => {
    const srv = await holdServer();
    const agent = new A({ keepAlive: true, maxSockets: 2 });
    const opts = { host: '127.0.0.1', port: srv.port };
    const reqs = [0, 1, 2, 3, 4].map((i) => new FakeRequest(`r${i}`));
    const out: unknown[] = [];
    for (const r of reqs) agent.addRequest(r, opts);
    out.push(snapshot(agent));
    const s0 = await socketOf(reqs[0]);
    await socketOf(reqs[1]);
    await waitFor(() => srv.conns === 2);
    out.push(snapshot(agent), srv.conns);
    reqs[0].done();
    const s2 = await socketOf(reqs[2]);
    out.push('r2 got r0 socket', s2 === s0, reqs[2].reusedSocket, snapshot(agent));
    reqs[1].done();
    reqs[2].done();
    await socketOf(reqs[3]);
    await socketOf(reqs[4]);
    out.push(snapshot(agent));
    reqs[3].done();
    out.push(snapshot(agent));
    reqs[4].done();
    out.push(snapshot(agent), srv.conns);
    // a new request takes a pooled socket and is marked reused
    const r5 = new FakeRequest('r5');
    agent.addRequest(r5, opts);
    await socketOf(r5);
    out.push(r5.reusedSocket, snapshot(agent), srv.conns);
    agent.destroy();
    await tick(10);
    out.push(snapshot(agent));
    await srv.close();
    return out;
  });
  // and the recording says what Node does: 2 sockets, 3 queued, then the pool
  assert.equal(log[0], {
    sockets: { '127.0.0.1:PORT:': 2 },
    freeSockets: {},
    requests: { '127.0.0.1:PORT:': 3 },
    total: 2,
  });
});

test('scheduling: lifo hands out the most recently freed socket, fifo the oldest', async () => {
  for (const scheduling of ['lifo', 'fifo']) {
    await both(async (A) => {
      const srv = await holdServer();
      const agent = new A({ keepAlive: true, scheduling });
      const opts = { host: '127.0.0.1', port: srv.port };
      const a = new FakeRequest('a');
      const b = new FakeRequest('b');
      agent.addRequest(a, opts);
      agent.addRequest(b, opts);
      const sa = await socketOf(a);
      const sb = await socketOf(b);
      a.done();
      b.done();
      const c = new FakeRequest('c');
      agent.addRequest(c, opts);
      const sc = await socketOf(c);
      const out = [sc === sa ? 'a' : sc === sb ? 'b' : '?', snapshot(agent).total];
      agent.destroy();
      await srv.close();
      return out;
    });
  }
});

test('maxFreeSockets: sockets beyond it are destroyed when freed', async () => {
  await both(async (A) => {
    const srv = await holdServer();
    const agent = new A({ keepAlive: true, maxFreeSockets: 1 });
    const opts = { host: '127.0.0.1', port: srv.port };
    const a = new FakeRequest('a');
    const b = new FakeRequest('b');
    agent.addRequest(a, opts);
    agent.addRequest(b, opts);
    await socketOf(a);
    const sb = await socketOf(b);
    a.done();
    b.done();
    const out: unknown[] = [snapshot(agent), sb.destroyed];
    await tick(10);
    out.push(snapshot(agent));
    agent.destroy();
    await srv.close();
    return out;
  });
});

test('keepAlive false: a freed socket is destroyed, shouldKeepAlive false too', async () => {
  await both(async (A) => {
    const srv = await holdServer();
    const out: unknown[] = [];
    for (const [keepAlive, should] of [
      [false, true],
      [true, false],
    ]) {
      const agent = new A({ keepAlive });
      const a = new FakeRequest('a');
      a.shouldKeepAlive = should;
      agent.addRequest(a, { host: '127.0.0.1', port: srv.port });
      const s = await socketOf(a);
      a.done();
      out.push(s.destroyed);
      await once(s, 'close');
      out.push(snapshot(agent));
    }
    await srv.close();
    return out;
  });
});

test('idle sockets closed by the server leave the pool; idle ones are unref-ed', async () => {
  await both(async (A) => {
    const srv = await holdServer();
    const agent = new A({ keepAlive: true });
    const a = new FakeRequest('a');
    agent.addRequest(a, { host: '127.0.0.1', port: srv.port });
    const s = await socketOf(a);
    await tick(5);
    a.done();
    const out: unknown[] = [snapshot(agent), s.listenerCount('error')];
    for (const peer of srv.sockets) peer.end();
    await once(s, 'close');
    out.push(snapshot(agent));
    await srv.close();
    return out;
  });
});

test("agent timeout: idle sockets are destroyed on 'timeout'", async () => {
  await both(async (A) => {
    const srv = await holdServer();
    const agent = new A({ keepAlive: true, timeout: 30 });
    const a = new FakeRequest('a');
    agent.addRequest(a, { host: '127.0.0.1', port: srv.port });
    const s = await socketOf(a);
    const out: unknown[] = [s.timeout];
    a.done();
    out.push(snapshot(agent));
    await once(s, 'close');
    out.push(snapshot(agent));
    await srv.close();
    return out;
  });
});

test('request timeout other than the agent one is applied to the socket', async () => {
  await both(async (A) => {
    const srv = await holdServer();
    const agent = new A({ keepAlive: true, timeout: 1000 });
    const a = new FakeRequest('a');
    a.timeout = 250;
    agent.addRequest(a, { host: '127.0.0.1', port: srv.port });
    const s = await socketOf(a);
    const out = [s.timeout];
    agent.destroy();
    await srv.close();
    return out;
  });
});

test("'agentRemove' takes a socket out of the agent for good", async () => {
  await both(async (A) => {
    const srv = await holdServer();
    const agent = new A({ keepAlive: true, maxSockets: 1 });
    const opts = { host: '127.0.0.1', port: srv.port };
    const a = new FakeRequest('a');
    const b = new FakeRequest('b');
    agent.addRequest(a, opts);
    agent.addRequest(b, opts);
    const s = await socketOf(a);
    const out: unknown[] = [snapshot(agent)];
    s.emit('agentRemove');
    await socketOf(b);
    await waitFor(() => srv.conns === 2);
    out.push(snapshot(agent), srv.conns, s.destroyed);
    a.done(); // no effect: the agent no longer listens
    out.push(snapshot(agent), s.destroyed);
    s.destroy();
    agent.destroy();
    await srv.close();
    return out;
  });
});

test('connection errors reach the request through the socket; pool forgets it', async () => {
  await both(async (A) => {
    const srv = await holdServer();
    const port = srv.port;
    await srv.close();
    const agent = new A({ keepAlive: true });
    const a = new FakeRequest('a');
    agent.addRequest(a, { host: '127.0.0.1', port });
    const s = await socketOf(a);
    const [err] = await once(s, 'error');
    await once(s, 'close');
    return [err.code, snapshot(agent)];
  });
});

test('maxTotalSockets across origins', async () => {
  await both(async (A) => {
    const one = await holdServer();
    const two = await holdServer();
    const agent = new A({ keepAlive: true, maxTotalSockets: 2 });
    const o1 = { host: '127.0.0.1', port: one.port };
    const o2 = { host: '127.0.0.1', port: two.port };
    const a = new FakeRequest('a');
    const b = new FakeRequest('b');
    const c = new FakeRequest('c');
    agent.addRequest(a, o1);
    agent.addRequest(b, o1);
    agent.addRequest(c, o2);
    await socketOf(a);
    await socketOf(b);
    const out: unknown[] = [snapshot(agent).total, Object.keys(agent.requests).length];
    a.socket.destroy();
    await socketOf(c);
    await waitFor(() => two.conns === 1);
    out.push(snapshot(agent).total, Object.keys(agent.requests).length, two.conns);
    agent.destroy();
    await one.close();
    await two.close();
    return out;
  });
});

test('destroy() closes free and busy sockets', async () => {
  await both(async (A) => {
    const srv = await holdServer();
    const agent = new A({ keepAlive: true });
    const opts = { host: '127.0.0.1', port: srv.port };
    const a = new FakeRequest('a');
    const b = new FakeRequest('b');
    agent.addRequest(a, opts);
    agent.addRequest(b, opts);
    const sa = await socketOf(a);
    const sb = await socketOf(b);
    a.done();
    agent.destroy();
    const out: unknown[] = [sa.destroyed, sb.destroyed];
    await tick(10);
    out.push(snapshot(agent));
    await srv.close();
    return out;
  });
});

test.run();
