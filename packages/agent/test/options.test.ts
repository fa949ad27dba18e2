import * as http from 'node:http';
import { PassThrough } from 'node:stream';
import { inherits } from 'node:util';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as agentModule from '../src/index.ts';
import { Agent, globalAgent, setGlobalAgent, watchGlobalAgent } from '../src/index.ts';

const test = suite('Agent options');

function thrown(fn: () => unknown): any {
  try {
    fn();
  } catch (err) {
    const e = err as any;
    return { name: e.name, code: e.code, message: e.message, ctor: e.constructor.name };
  }
  return null;
}

const BAD = [
  { maxTotalSockets: 0 },
  { maxTotalSockets: -1 },
  { maxTotalSockets: Number.NaN },
  { maxTotalSockets: 'x' },
  { maxTotalSockets: null },
  { scheduling: 'x' },
  { scheduling: 1 },
  { scheduling: '' },
  // accepted by Node too (falsy/odd values fall back to defaults)
  { maxSockets: 0 },
  { maxSockets: 'a' },
  { maxFreeSockets: 0 },
  { keepAliveMsecs: 'x' },
  { timeout: -1 },
  { maxTotalSockets: 1.5 },
];

test('option validation throws what node:http throws', () => {
  for (const o of BAD) {
    const ours = thrown(() => new Agent(o as any));
    const theirs = thrown(() => new http.Agent(o as any));
    assert.equal(ours, theirs, JSON.stringify(o));
  }
});

test('defaults and fields match node:http', () => {
  const ours = new Agent();
  const theirs = new http.Agent();
  for (const k of [
    'defaultPort',
    'protocol',
    'keepAlive',
    'keepAliveMsecs',
    'maxSockets',
    'maxFreeSockets',
    'maxTotalSockets',
    'scheduling',
    'totalSocketCount',
  ]) {
    assert.is((ours as any)[k], (theirs as any)[k], k);
  }
  assert.equal({ ...ours.options }, { ...(theirs as any).options });
  assert.is(Object.getPrototypeOf(ours.options), null);
  for (const pool of ['sockets', 'freeSockets', 'requests'] as const) {
    assert.is(Object.getPrototypeOf(ours[pool]), null, pool);
    assert.equal(Object.keys(ours[pool]), []);
  }
  assert.is(Agent.defaultMaxSockets, Number.POSITIVE_INFINITY);
  const set = new Agent({
    keepAlive: true,
    keepAliveMsecs: 10,
    maxSockets: 3,
    maxFreeSockets: 2,
    maxTotalSockets: 5,
    scheduling: 'fifo',
    timeout: 100,
  });
  assert.equal(
    [set.keepAlive, set.keepAliveMsecs, set.maxSockets, set.maxFreeSockets, set.maxTotalSockets],
    [true, 10, 3, 2, 5],
  );
  assert.is(set.scheduling, 'fifo');
  assert.is(set.options.timeout, 100);
  assert.ok(ours instanceof (require('node:events').EventEmitter as typeof import('node:events')));
});

test('globalAgent: keepAlive, lifo, 5 s timeout (Node >= 19)', () => {
  assert.ok(globalAgent instanceof Agent);
  assert.is(globalAgent.keepAlive, true);
  assert.is(globalAgent.options.timeout, 5000);
  assert.is(globalAgent.scheduling, 'lifo');
  // node:http's globalAgent options in Node 20.20 and v23.8 (Node 22.23 and 24 add
  // `proxyEnv`, from after v23.8).
  const documented = {
    keepAlive: true,
    scheduling: 'lifo',
    timeout: 5000,
    noDelay: true,
    path: null,
  };
  assert.equal({ ...globalAgent.options }, documented);
  const node = { ...(http.globalAgent as any).options };
  if (!('proxyEnv' in node)) assert.equal(node, documented);
});

test('getName matches node:http for every option shape', () => {
  const ours = new Agent();
  const theirs = new http.Agent();
  const cases = [
    undefined,
    {},
    { host: 'h' },
    { host: 'h', port: 1 },
    { host: 'h', port: '2', localAddress: 'l' },
    { host: 'h', port: 1, localAddress: 'l', family: 4 },
    { family: 6 },
    { family: 5 },
    { family: '4' },
    { socketPath: '/tmp/x.sock' },
    { host: '::1', port: 8080 },
  ];
  for (const c of cases) {
    assert.is(ours.getName(c as any), theirs.getName(c as any), JSON.stringify(c));
  }
  assert.is(ours.getName({ host: 'h', port: 1, localAddress: 'l', family: 4 }), 'h:1:l:4');
});

test('createConnection may return any Duplex, or call back with one', async () => {
  const pair = new PassThrough();
  class ReturnAgent extends Agent {
    override createConnection() {
      return pair as never;
    }
  }
  class CallbackAgent extends Agent {
    override createConnection(_o: any, cb?: any) {
      setImmediate(() => cb(null, pair));
      return undefined;
    }
  }
  class FailAgent extends Agent {
    override createConnection(_o: any, cb?: any) {
      setImmediate(() => cb(new Error('nope')));
      return undefined;
    }
  }
  for (const A of [ReturnAgent, CallbackAgent]) {
    const agent = new A({ keepAlive: true });
    const got: any[] = [];
    agent.addRequest(
      { onSocket: (s, err) => got.push(s, err), shouldKeepAlive: true },
      { host: 'x', port: 1 },
    );
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
    assert.is(got[0], pair);
    assert.is(got[1], undefined);
    assert.equal(Object.keys(agent.sockets), ['x:1:']);
    assert.is(agent.totalSocketCount, 1);
  }
  const agent = new FailAgent();
  const got: any[] = [];
  agent.addRequest({ onSocket: (s, err) => got.push(s, err) }, { host: 'x', port: 1 });
  await new Promise((r) => setTimeout(r, 5));
  assert.is(got[1].message, 'nope');
  assert.is(agent.totalSocketCount, 0);
});

test('connection options: agent options override request options, path never leaks', async () => {
  let seen: any;
  class Spy extends Agent {
    override createConnection(o: any) {
      seen = o;
      return new PassThrough() as never;
    }
  }
  const agent = new Spy({ keepAlive: true, localPort: 1234 });
  agent.addRequest({ onSocket() {} }, { host: 'h', port: 9, path: '/index', localPort: 1 });
  assert.is(seen.host, 'h');
  assert.is(seen.port, 9);
  assert.is(seen.path, null);
  assert.is(seen.localPort, 1234);
  assert.is(seen.noDelay, true);
  assert.is(seen._agentKey, 'h:9:');
  agent.addRequest({ onSocket() {} }, { host: 'h', socketPath: '/tmp/s.sock' });
  assert.is(seen.path, '/tmp/s.sock');
  assert.is(seen._agentKey, 'h:::/tmp/s.sock');
});

test('callable without new, like Node (http.Agent({ keepAlive: true }))', () => {
  const a = (Agent as unknown as (o: object) => Agent)({ keepAlive: true, maxSockets: 2 });
  assert.ok(a instanceof Agent);
  assert.is(a.keepAlive, true);
  assert.is(a.maxSockets, 2);
  assert.is(a.constructor.name, 'Agent');
  class Sub extends Agent {}
  const s = new Sub();
  assert.ok(s instanceof Agent);
  assert.ok(s instanceof Sub);
});

test('an old-style subclass (Agent.call(this, options) + util.inherits) is set up as with node:http', () => {
  const state = (Base: any) => {
    function OldAgent(this: any, options: object) {
      this.returned = Base.call(this, options);
    }
    inherits(OldAgent, Base);
    const a = new (OldAgent as any)({ keepAlive: true, maxSockets: 5, scheduling: 'fifo' });
    return {
      returned: a.returned,
      isAgent: a instanceof Base,
      ctor: a.constructor === OldAgent,
      fields: [a.keepAlive, a.maxSockets, a.maxFreeSockets, a.scheduling, a.keepAliveMsecs],
      fields2: [a.maxTotalSockets, a.totalSocketCount, a.defaultPort, a.protocol],
      pools: [a.requests, a.sockets, a.freeSockets].map((p) => [
        Object.getPrototypeOf(p),
        Object.keys(p),
      ]),
      name: a.getName({ host: 'h', port: 1 }),
      free: a.listenerCount('free'),
      // Called on something that is not an agent: a new agent, as Node returns.
      plain: Base.call({}, { keepAlive: true }) instanceof Base,
    };
  };
  const ours = state(Agent);
  assert.equal(ours, state(http.Agent));
  assert.equal(ours.fields, [true, 5, 256, 'fifo', 1000]);
});

test('Agent.defaultMaxSockets is read by every new agent, as with node:http', () => {
  const saved = Agent.defaultMaxSockets;
  try {
    Agent.defaultMaxSockets = 7;
    class Sub extends Agent {}
    assert.equal(
      [
        new Agent().maxSockets,
        new Sub().maxSockets,
        Sub.defaultMaxSockets,
        new Agent({ maxSockets: 2 }).maxSockets,
      ],
      [7, 7, 7, 2],
    );
  } finally {
    Agent.defaultMaxSockets = saved;
  }
  assert.is(new Agent().maxSockets, Number.POSITIVE_INFINITY);
});

test('setGlobalAgent replaces the live globalAgent binding', () => {
  const original = globalAgent;
  const replacement = new Agent({ keepAlive: false });
  setGlobalAgent(replacement);
  assert.is(agentModule.globalAgent, replacement);
  setGlobalAgent(original);
  assert.is(agentModule.globalAgent, original);
});

test('watchGlobalAgent: each watcher is called with every new global agent, in order', () => {
  const original = globalAgent;
  const seen: string[] = [];
  const replacement = new Agent({ keepAlive: false });
  watchGlobalAgent((agent) => seen.push(`a:${agent === replacement ? 'new' : 'original'}`));
  watchGlobalAgent((agent) => seen.push(`b:${agent === replacement ? 'new' : 'original'}`));
  assert.equal(seen, [], 'not called when registered');
  setGlobalAgent(replacement);
  setGlobalAgent(original);
  assert.equal(seen, ['a:new', 'b:new', 'a:original', 'b:original']);
});

test('pool keys: an overridden getName is used; alternating origins keep their keys', () => {
  const agent = new Agent({ keepAlive: true });
  agent.createConnection = () => new PassThrough() as never;
  const seen: string[] = [];
  for (const port of [1, 2, 1, 2]) {
    agent.addRequest({ onSocket() {} }, { host: 'h', port });
  }
  seen.push(...Object.keys(agent.sockets));
  assert.equal(seen, ['h:1:', 'h:2:']);
  assert.equal(
    Object.values(agent.sockets).map((l) => l.length),
    [2, 2],
  );
  const custom = new Agent({ keepAlive: true });
  custom.createConnection = () => new PassThrough() as never;
  custom.getName = () => 'custom-key';
  custom.addRequest({ onSocket() {} }, { host: 'h', port: 1 });
  assert.equal(Object.keys(custom.sockets), ['custom-key']);
});

test("'keylog': forwarded from the agent's sockets once someone listens, as node:http's Agent", async () => {
  const report = async (A: any) => {
    const sockets: PassThrough[] = [];
    const agent = new A({ keepAlive: true });
    agent.createConnection = () => {
      const s = new PassThrough() as any;
      sockets.push(s);
      return s;
    };
    const out: unknown[] = [agent.eventNames(), agent.listenerCount('newListener')];
    const seen: unknown[] = [];
    agent.on('keylog', (line: Buffer, socket: unknown) =>
      seen.push([line.toString(), sockets.indexOf(socket as PassThrough)]),
    );
    out.push(agent.eventNames(), agent.listenerCount('newListener'));
    // A socket made after the listener came forwards its lines.
    await new Promise<void>((resolve) =>
      agent.createSocket({ getHeader() {} }, { host: 'h', port: 1 }, (err: unknown) => {
        assert.is(err, null);
        resolve();
      }),
    );
    sockets[0].emit('keylog', Buffer.from('CLIENT_RANDOM a b\n'));
    out.push(seen);
    return out;
  };
  const ours = await report(Agent);
  assert.equal(ours, await report(http.Agent));
  assert.equal(ours[4], [['CLIENT_RANDOM a b\n', 0]]);
});

test("'keylog': sockets already open when the first listener comes forward their lines too", async () => {
  const agent = new Agent({ keepAlive: true }) as any;
  const made: PassThrough[] = [];
  agent.createConnection = () => {
    const s = new PassThrough();
    made.push(s);
    return s;
  };
  for (const port of [1, 2]) {
    await new Promise<void>((resolve) =>
      agent.createSocket({ getHeader() {} }, { host: 'h', port }, () => resolve()),
    );
  }
  const seen: unknown[] = [];
  agent.on('keylog', (line: Buffer, socket: unknown) =>
    seen.push([String(line), made.indexOf(socket as PassThrough)]),
  );
  made[1].emit('keylog', Buffer.from('x'));
  made[0].emit('keylog', Buffer.from('y'));
  assert.equal(seen, [
    ['x', 1],
    ['y', 0],
  ]);
});

test.run();
