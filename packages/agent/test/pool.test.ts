import { once } from 'node:events';
import * as http from 'node:http';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Agent } from '../src/index.ts';
import {
  acquire,
  addRequests,
  holdServer,
  origin,
  snapshot,
  socketOf,
  tick,
  waitFor,
  withAgent,
} from './helpers.ts';

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
  const log = await both((A) =>
    withAgent(A, { keepAlive: true, maxSockets: 2 }, async (agent, opts, srv) => {
      const reqs = addRequests(agent, opts, 'r0', 'r1', 'r2', 'r3', 'r4');
      const out: unknown[] = [snapshot(agent)];
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
      const [r5] = await acquire(agent, opts, 'r5');
      out.push(r5.reusedSocket, snapshot(agent), srv.conns);
      agent.destroy();
      await tick(10);
      out.push(snapshot(agent));
      return out;
    }),
  );
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
    await both((A) =>
      withAgent(A, { keepAlive: true, scheduling }, async (agent, opts) => {
        const [a, b] = addRequests(agent, opts, 'a', 'b');
        const sa = await socketOf(a);
        const sb = await socketOf(b);
        a.done();
        b.done();
        const [, sc] = await acquire(agent, opts, 'c');
        return [sc === sa ? 'a' : sc === sb ? 'b' : '?', snapshot(agent).total];
      }),
    );
  }
});

test('maxFreeSockets: sockets beyond it are destroyed when freed', async () => {
  await both((A) =>
    withAgent(A, { keepAlive: true, maxFreeSockets: 1 }, async (agent, opts) => {
      const [a, b] = addRequests(agent, opts, 'a', 'b');
      await socketOf(a);
      const sb = await socketOf(b);
      a.done();
      b.done();
      const out: unknown[] = [snapshot(agent), sb.destroyed];
      await tick(10);
      out.push(snapshot(agent));
      return out;
    }),
  );
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
      const [a, s] = await acquire(agent, origin(srv), 'a', (r) => (r.shouldKeepAlive = should));
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
  await both((A) =>
    withAgent(A, { keepAlive: true }, async (agent, opts, srv) => {
      const [a, s] = await acquire(agent, opts, 'a');
      await tick(5);
      a.done();
      const out: unknown[] = [snapshot(agent), s.listenerCount('error')];
      for (const peer of srv.sockets) peer.end();
      await once(s, 'close');
      out.push(snapshot(agent));
      return out;
    }),
  );
});

test("agent timeout: idle sockets are destroyed on 'timeout'", async () => {
  await both((A) =>
    withAgent(A, { keepAlive: true, timeout: 30 }, async (agent, opts) => {
      const [a, s] = await acquire(agent, opts, 'a');
      const out: unknown[] = [s.timeout];
      a.done();
      out.push(snapshot(agent));
      await once(s, 'close');
      out.push(snapshot(agent));
      return out;
    }),
  );
});

test('request timeout other than the agent one is applied to the socket', async () => {
  await both((A) =>
    withAgent(A, { keepAlive: true, timeout: 1000 }, async (agent, opts) => {
      const [, s] = await acquire(agent, opts, 'a', (r) => (r.timeout = 250));
      return [s.timeout];
    }),
  );
});

test("'agentRemove' takes a socket out of the agent for good", async () => {
  await both((A) =>
    withAgent(A, { keepAlive: true, maxSockets: 1 }, async (agent, opts, srv) => {
      const [a, b] = addRequests(agent, opts, 'a', 'b');
      const s = await socketOf(a);
      const out: unknown[] = [snapshot(agent)];
      s.emit('agentRemove');
      await socketOf(b);
      await waitFor(() => srv.conns === 2);
      out.push(snapshot(agent), srv.conns, s.destroyed);
      a.done(); // no effect: the agent no longer listens
      out.push(snapshot(agent), s.destroyed);
      s.destroy();
      return out;
    }),
  );
});

test('connection errors reach the request through the socket; pool forgets it', async () => {
  await both(async (A) => {
    const srv = await holdServer();
    const opts = origin(srv);
    await srv.close();
    const agent = new A({ keepAlive: true });
    const [, s] = await acquire(agent, opts, 'a');
    const [err] = await once(s, 'error');
    await once(s, 'close');
    return [err.code, snapshot(agent)];
  });
});

test('maxTotalSockets across origins', async () => {
  await both((A) =>
    withAgent(A, { keepAlive: true, maxTotalSockets: 2 }, async (agent, o1) => {
      const two = await holdServer();
      const [a, b] = addRequests(agent, o1, 'a', 'b');
      const [c] = addRequests(agent, origin(two), 'c');
      await socketOf(a);
      await socketOf(b);
      const out: unknown[] = [snapshot(agent).total, Object.keys(agent.requests).length];
      a.socket.destroy();
      await socketOf(c);
      await waitFor(() => two.conns === 1);
      out.push(snapshot(agent).total, Object.keys(agent.requests).length, two.conns);
      agent.destroy();
      await two.close();
      return out;
    }),
  );
});

test('destroy() closes free and busy sockets', async () => {
  await both((A) =>
    withAgent(A, { keepAlive: true }, async (agent, opts) => {
      const [a, b] = addRequests(agent, opts, 'a', 'b');
      const sa = await socketOf(a);
      const sb = await socketOf(b);
      a.done();
      agent.destroy();
      const out: unknown[] = [sa.destroyed, sb.destroyed];
      await tick(10);
      out.push(snapshot(agent));
      return out;
    }),
  );
});

test.run();
