/**
 * ConnectionList: the server's open connections, oldest first, threaded
 * through the connections. The list on its own here; lifecycle.test.ts drives
 * it through a server (closeIdleConnections(), closeAllConnections(), the
 * timeout check) over loopback.
 */
import { connect } from 'node:net';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ConnectionList, type Listed } from '../src/connection-list.ts';
import { closeLeftovers, listen, shut } from './helpers.ts';

const test = suite('connection list');
test.after(closeLeftovers);

class Item implements Listed<Item> {
  listPrev: Item | null = null;
  listNext: Item | null = null;
  listed = false;
  constructor(readonly name: string) {}
}

const names = (list: ConnectionList<Item>): string[] => list.toArray().map((c) => c.name);

test('keeps the order connections were added in; removes from the head, middle and tail', () => {
  const list = new ConnectionList<Item>();
  const [a, b, c, d, e] = ['a', 'b', 'c', 'd', 'e'].map((n) => new Item(n));
  for (const x of [a, b, c, d, e]) list.add(x);
  assert.equal(names(list), ['a', 'b', 'c', 'd', 'e']);
  assert.is(list.size, 5);
  assert.ok(list.delete(c));
  assert.equal(names(list), ['a', 'b', 'd', 'e']);
  assert.ok(list.delete(a));
  assert.equal(names(list), ['b', 'd', 'e']);
  assert.ok(list.delete(e));
  assert.equal(names(list), ['b', 'd']);
  assert.is(list.size, 2);
  // A removed connection keeps no link to the others (nothing it could keep alive).
  for (const x of [a, c, e]) {
    assert.is(x.listPrev, null);
    assert.is(x.listNext, null);
    assert.is(x.listed, false);
  }
  assert.ok(list.delete(b));
  assert.ok(list.delete(d));
  assert.equal(names(list), []);
  assert.is(list.size, 0);
});

test('removing twice, or what was never added, is false; adding twice lists once', () => {
  const list = new ConnectionList<Item>();
  const a = new Item('a');
  const b = new Item('b');
  assert.not.ok(list.delete(a));
  list.add(a);
  list.add(b);
  list.add(a);
  assert.equal(names(list), ['a', 'b']);
  assert.is(list.size, 2);
  assert.ok(list.delete(a));
  assert.not.ok(list.delete(a));
  assert.is(list.size, 1);
  // Added again, it is the newest.
  list.add(a);
  assert.equal(names(list), ['b', 'a']);
});

test('toArray() is what was listed when it was called', () => {
  const list = new ConnectionList<Item>();
  const items = ['a', 'b', 'c'].map((n) => new Item(n));
  for (const x of items) list.add(x);
  const seen: string[] = [];
  for (const x of list.toArray()) {
    seen.push(x.name);
    list.delete(x); // as a connection destroyed during the walk may leave it
  }
  assert.equal(seen, ['a', 'b', 'c']);
  assert.is(list.size, 0);
});

test('after 40 connections opened and closed, closeIdleConnections() destroys exactly the three still open', async () => {
  const { server, port } = await listen('ours', {}, (_req: any, res: any) => res.end('ok'));
  const request = 'GET / HTTP/1.1\r\nHost: x\r\n\r\n';
  // One request each, then the client closes: churn through the list.
  for (let i = 0; i < 40; i++) {
    await new Promise<void>((resolve) => {
      const s = connect(port, '127.0.0.1', () => s.write(request));
      s.once('data', () => s.end());
      s.on('close', () => resolve());
    });
  }
  // Three kept open and idle after their response.
  const closed: number[] = [];
  const open = await Promise.all(
    [0, 1, 2].map(
      (i) =>
        new Promise<number>((resolve) => {
          const s = connect(port, '127.0.0.1', () => s.write(request));
          s.once('data', () => resolve(i));
          s.on('close', () => closed.push(i));
        }),
    ),
  );
  assert.equal(open.sort(), [0, 1, 2]);
  server.closeIdleConnections();
  await new Promise((resolve) => setTimeout(resolve, 100));
  assert.equal(closed.sort(), [0, 1, 2]);
  await shut(server);
});

test.run();
