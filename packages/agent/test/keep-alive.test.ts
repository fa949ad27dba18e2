import { once } from 'node:events';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Agent, parseKeepAliveTimeout } from '../src/index.ts';
import { acquire, holdServer, origin, snapshot, tick, waitFor, withAgent } from './helpers.ts';

const test = suite('Agent keep-alive decisions');

test('parseKeepAliveTimeout reads timeout=N from a Keep-Alive header', () => {
  assert.is(parseKeepAliveTimeout('timeout=5'), 5);
  assert.is(parseKeepAliveTimeout('timeout=5, max=100'), 5);
  assert.is(parseKeepAliveTimeout('max=100, timeout=72'), 72);
  assert.is(parseKeepAliveTimeout('Timeout = 3'), 3);
  assert.is(parseKeepAliveTimeout('max=5'), -1);
  assert.is(parseKeepAliveTimeout('timeout='), -1);
  assert.is(parseKeepAliveTimeout('timeout=abc'), -1);
  assert.is(parseKeepAliveTimeout(''), -1);
  assert.is(parseKeepAliveTimeout(undefined), -1);
});

async function pooledWithHint(agentOptions: object, hint: string | undefined) {
  return withAgent(Agent, { keepAlive: true, ...agentOptions }, async (agent, opts) => {
    const [a, s] = await acquire(agent, opts, 'a', (r) => {
      r.res =
        hint === undefined
          ? { rawHeaders: ['Content-Length', '0'] }
          : { rawHeaders: ['Content-Length', '0', 'KEEP-ALIVE', hint] };
    });
    a.done();
    return { snap: snapshot(agent), timeout: s.timeout, destroyed: s.destroyed };
  });
}

test("server's Keep-Alive: timeout=N: the pool drops the socket one second earlier", async () => {
  // No agent timeout: the server's hint alone sets the idle timeout (Node leaves it
  // at 0 here and may reuse a socket the server is closing; we do not).
  let r = await pooledWithHint({}, 'timeout=5');
  assert.is(r.timeout, 4000);
  assert.equal(r.snap.freeSockets, { '127.0.0.1:PORT:': 1 });
  // The shorter of agent timeout and hint wins.
  r = await pooledWithHint({ timeout: 2000 }, 'timeout=5');
  assert.is(r.timeout, 2000);
  r = await pooledWithHint({ timeout: 9000 }, 'timeout=5, max=10');
  assert.is(r.timeout, 4000);
  // Without a hint, the agent timeout (or none).
  r = await pooledWithHint({ timeout: 1234 }, undefined);
  assert.is(r.timeout, 1234);
  r = await pooledWithHint({}, undefined);
  assert.is(r.timeout, 0);
  // timeout=1 (or 0) leaves no safe margin: not pooled at all.
  r = await pooledWithHint({}, 'timeout=1');
  assert.is(r.destroyed, true);
  assert.equal(r.snap.freeSockets, {});
});

test('a pooled socket the server half-closed is never handed out', async () => {
  await withAgent(Agent, { keepAlive: true }, async (agent, opts, srv) => {
    const [a, s] = await acquire(agent, opts, 'a');
    // keep the socket from closing by itself on the server's FIN
    s.allowHalfOpen = true;
    while (srv.sockets.size === 0) await tick(1);
    a.done();
    for (const peer of srv.sockets) peer.end();
    await once(s, 'end');
    assert.equal(snapshot(agent).freeSockets, { '127.0.0.1:PORT:': 1 });
    const [b, sb] = await acquire(agent, opts, 'b');
    assert.is.not(sb, s);
    assert.is(b.reusedSocket, false);
    assert.is(s.destroyed, true);
    assert.is(agent.totalSocketCount, 1);
    assert.ok(await waitFor(() => srv.conns === 2));
  });
});

test('maxTotalSockets: an idle socket of another origin is closed to make room', async () => {
  const two = await holdServer();
  await withAgent(Agent, { keepAlive: true, maxTotalSockets: 1 }, async (agent, one) => {
    const [a, sa] = await acquire(agent, one, 'a');
    a.done();
    assert.is(agent.totalSocketCount, 1);
    await acquire(agent, origin(two), 'b');
    assert.is(sa.destroyed, true);
    assert.is(agent.totalSocketCount, 1);
    assert.equal(snapshot(agent).freeSockets, {});
    assert.ok(await waitFor(() => two.conns === 1));
    agent.destroy();
    await tick(5);
  });
  await two.close();
});

test('a pooled socket that errors is dropped quietly (no crash)', async () => {
  await withAgent(Agent, { keepAlive: true }, async (agent, opts) => {
    const [a, s] = await acquire(agent, opts, 'a');
    a.done();
    s.emit('error', Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }));
    await once(s, 'close');
    assert.equal(snapshot(agent), { sockets: {}, freeSockets: {}, requests: {}, total: 0 });
  });
});

test('an idle socket past its timeout is not reused even if its timer has not run', async () => {
  await withAgent(Agent, { keepAlive: true }, async (agent, opts) => {
    const [a, s] = await acquire(agent, opts, 'a', (r) => {
      r.res = { headers: { 'keep-alive': 'timeout=2' } }; // no rawHeaders: read from headers
    });
    a.done();
    // Block the event loop past the 1 s the hint allows: the timeout timer cannot run.
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1100);
    const [b, sb] = await acquire(agent, opts, 'b');
    assert.is.not(sb, s);
    assert.is(b.reusedSocket, false);
    assert.is(s.destroyed, true);
  });
});

test.run();
