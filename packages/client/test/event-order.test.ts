// The event orders listed in the documentation of http.request(), each scenario run
// with node:http and with ours; the recorded sequences must be identical.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import {
  compare,
  describeError,
  type Impl,
  NODE,
  OURS,
  onFirstData,
  onSocket,
  rawServer,
  recordExchange,
  recordRequest,
  tick,
} from './helpers.ts';

const test = suite('event order (documented, compared with node:http)');

type Scenario = (impl: Impl) => Promise<string[]>;

/**
 * For the few places where Node 20 and the v23.8 documentation disagree: ours must
 * equal the documented order, and Node 20's recording must differ only in order.
 */
async function compareDocumented(scenario: Scenario, expected: string[]) {
  const theirs = await scenario(NODE);
  const ours = await scenario(OURS);
  assert.equal(ours, expected);
  assert.equal([...theirs].sort(), [...ours].sort());
}

const EMPTY_OK = 'HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n';
/** Sends the head and the first bytes of a 100-byte body, then nothing. */
const PARTIAL_BODY = 'HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nxx';
const silent = () => {};
/** The documented order when the response is cut short after its first data. */
const ABORTED_AFTER_RESPONSE = [
  'socket',
  'finish',
  'response',
  'res.data',
  'res.aborted',
  'close',
  'res.error Error:ECONNRESET:aborted',
  'res.close',
];

test('success: socket, response, data, end, close', async () => {
  await compare(
    async (impl) => {
      const agent = new impl.Agent({ keepAlive: true });
      return recordExchange(impl, 'HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello', {
        options: { agent },
        after: () => agent.destroy(),
      });
    },
    ['socket', 'finish', 'response', 'res.data', 'res.end', 'close', 'res.close'],
  );
});

test('success without keep-alive (Connection: close, EOF body)', async () => {
  await compare(async (impl) => {
    let body = '';
    const reply = (s: any) => {
      s.write('HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nbody until EOF');
      s.end();
    };
    return recordExchange(impl, reply, {
      options: { agent: false },
      act: (req) => {
        req.on('response', (res) => res.on('data', (d) => (body += d)));
        req.end();
      },
      after: (_req, log) => log.push(body),
    });
  });
});

test('connection error: socket, error (ECONNREFUSED), close', async () => {
  const srv = await rawServer(() => {});
  const port = srv.port;
  await srv.close();
  const log = await compare(async (impl) => {
    const { log } = await recordRequest(impl, { port, host: '127.0.0.1' });
    return log.map((l) => l.replace(/127\.0\.0\.1:\d+/, 'ADDR'));
  });
  assert.equal(log, ['socket', 'error Error:ECONNREFUSED:connect ECONNREFUSED ADDR', 'close']);
});

test('lookup failure: socket, error (the lookup error), close', async () => {
  await compare(async (impl) => {
    const lookup = (_h: string, _o: any, cb: any) => {
      const err: any = new Error('getaddrinfo ENOTFOUND nowhere.invalid');
      err.code = 'ENOTFOUND';
      process.nextTick(cb, err);
    };
    const options = { host: 'nowhere.invalid', port: 80, lookup: lookup as any, agent: false };
    return (await recordRequest(impl, options)).log;
  });
});

test('premature close before the response: socket hang up', async () => {
  await compare(
    (impl) => recordExchange(impl, (s) => s.destroy()),
    ['socket', 'finish', 'error Error:ECONNRESET:socket hang up', 'close'],
  );
});

test('premature close after the response: aborted, close, res error, res close', async () => {
  await compare(
    (impl) =>
      recordExchange(impl, (s) => {
        s.write('HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\npartial');
        setTimeout(() => s.destroy(), 20);
      }),
    ABORTED_AFTER_RESPONSE,
  );
});

test('destroy() before a socket is assigned: error (socket hang up), close', async () => {
  await compare(
    async (impl) => {
      const agent = new impl.Agent({ keepAlive: true });
      return recordExchange(impl, EMPTY_OK, {
        options: { agent },
        act: (req) => req.destroy(),
        after: async (_req, log) => {
          await tick(50);
          log.push(`total ${(agent as any).totalSocketCount}`);
          agent.destroy();
        },
      });
    },
    ['error Error:ECONNRESET:socket hang up', 'close', 'total 0'],
  );
});

test('destroy(err) before a socket is assigned: error (err), close', async () => {
  await compare((impl) =>
    recordExchange(impl, EMPTY_OK, {
      options: { agent: false },
      act: (req) => req.destroy(new Error('mine')),
    }),
  );
});

test('destroy() before the connection succeeds: socket, error, close', async () => {
  await compare(
    (impl) =>
      recordExchange(impl, EMPTY_OK, {
        act: onSocket((req) => req.destroy()),
      }),
    ['socket', 'error Error:ECONNRESET:socket hang up', 'close'],
  );
});

test('destroy() after the response: aborted, close, res error, res close', async () => {
  await compare(
    (impl) =>
      recordExchange(impl, PARTIAL_BODY, {
        act: onFirstData((req) => req.destroy()),
      }),
    ABORTED_AFTER_RESPONSE,
  );
});

test('abort() before a socket is assigned: abort, close', async () => {
  // Node 20 emits 'close' before 'abort' here (the agent's socket tick runs first);
  // the v23.8 documentation lists 'abort', 'close', and the documentation wins.
  const scenario: Scenario = (impl) =>
    recordExchange(impl, EMPTY_OK, {
      act: (req) => req.abort(),
      after: (req, log) => log.push(`aborted ${req.aborted} destroyed ${req.destroyed}`),
    });
  assert.equal(await scenario(NODE), ['close', 'abort', 'aborted true destroyed true']);
  assert.equal(await scenario(OURS), ['abort', 'close', 'aborted true destroyed true']);
});

test('abort() before the connection succeeds: socket, abort, error, close', async () => {
  await compare(
    (impl) =>
      recordExchange(impl, EMPTY_OK, {
        act: onSocket((req) => req.abort()),
      }),
    ['socket', 'abort', 'error Error:ECONNRESET:socket hang up', 'close'],
  );
});

test('abort() after the response: abort, aborted, res error, close, res close', async () => {
  // Node 20 emits the request's 'close' before the response's 'error'; the v23.8
  // documentation lists 'aborted', res 'error', 'close', res 'close' (docs win).
  await compareDocumented(
    (impl) =>
      recordExchange(impl, PARTIAL_BODY, {
        act: onFirstData((req) => req.abort()),
      }),
    [
      'socket',
      'finish',
      'response',
      'res.data',
      'abort',
      'res.aborted',
      'res.error Error:ECONNRESET:aborted',
      'close',
      'res.close',
    ],
  );
});

test('AbortSignal: destroy with AbortError (code ABORT_ERR, cause)', async () => {
  await compare(async (impl) => {
    const ac = new AbortController();
    return recordExchange(impl, silent, {
      options: { signal: ac.signal },
      act: (req, log) => {
        req.on('error', (err: any) => log.push(`cause ${err.cause}`));
        req.end();
        req.on('socket', () => setTimeout(() => ac.abort('why'), 10));
      },
      after: async (_req, log, port) => {
        // an already-aborted signal
        const options = { port, host: '127.0.0.1', signal: AbortSignal.abort() };
        await recordRequest(impl, options, undefined, log);
      },
    });
  });
});

test("timeout: only 'timeout' is emitted; the user destroys", async () => {
  await compare((impl) =>
    recordExchange(impl, silent, {
      options: { timeout: 30 },
      act: (req, log) => {
        req.on('timeout', async () => {
          log.push(`destroyed ${req.destroyed}`);
          await tick(40);
          log.push(`still ${req.destroyed}`);
          req.destroy();
        });
        req.end();
      },
    }),
  );
});

test('setTimeout(ms, cb) on a request', async () => {
  await compare((impl) =>
    recordExchange(impl, silent, {
      options: { agent: false },
      act: (req, log) => {
        const ret = req.setTimeout(20, () => {
          log.push('cb');
          req.destroy(new Error('timed out'));
        });
        log.push(`returns this ${ret === req}`);
        req.end();
      },
    }),
  );
});

test('describeError formats errors', () => {
  assert.is(describeError(new TypeError('x')), 'TypeError:undefined:x');
});

test.run();
