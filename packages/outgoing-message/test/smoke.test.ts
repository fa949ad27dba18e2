import http from 'node:http';
import { inherits } from 'node:util';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { OutgoingMessage } from '../src/index.ts';
import { delay, RecordingSocket, TestResponse } from './helpers.ts';

test('end(string) on a small response: one plain socket write with header and body', async () => {
  const res = new TestResponse();
  res.sendDate = false;
  const socket = new RecordingSocket();
  res.assignSocket(socket);
  const events: string[] = [];
  for (const e of ['prefinish', 'finish', 'close']) res.on(e, () => events.push(e));
  res.end('hello');
  await delay(5);
  assert.equal(socket.calls, [
    // The body chunk carries the 'finish' callback (Node adds an empty write
    // for it, which makes a writev of two pieces; the wire bytes are the same).
    ['HTTP/1.1 200 OK\r\nConnection: keep-alive\r\nContent-Length: 5\r\n\r\nhello'],
  ]);
  assert.equal(events, ['prefinish', 'finish', 'close']);
});

test('an old-style subclass (OutgoingMessage.call(this) + util.inherits) writes as with node:http', async () => {
  const outputs: Record<string, unknown> = {};
  for (const [impl, Out] of [
    ['ours', OutgoingMessage],
    ['node', http.OutgoingMessage],
  ] as const) {
    function Custom(this: any) {
      const returned = (Out as any).call(this);
      this.returned = returned;
    }
    inherits(Custom, Out as any);
    Custom.prototype._implicitHeader = function (this: any) {
      this._storeHeader('PUT /up HTTP/1.1\r\n', this.getHeaders());
    };
    const msg = new (Custom as any)();
    const socket = new RecordingSocket();
    msg.socket = socket;
    (socket as any)._httpMessage = msg;
    const events: string[] = [];
    for (const e of ['prefinish', 'finish']) msg.on(e, () => events.push(e));
    msg.setHeader('X-One', '1');
    msg.write('ab');
    msg.end('cd');
    await delay(5);
    outputs[impl] = {
      returned: msg.returned,
      isOut: msg instanceof Out,
      ctor: msg.constructor === Custom,
      name: (Out as any).name,
      wire: socket.calls.flat().join(''),
      events,
    };
  }
  assert.equal(outputs.ours, outputs.node);
  assert.match(
    (outputs.ours as any).wire,
    /^PUT \/up HTTP\/1.1\r\nx-one: 1\r\n[\s\S]*\r\n\r\n2\r\nab\r\n2\r\ncd\r\n0\r\n\r\n$/,
  );
});

// Node 20.10+ Writables pre-create slots for common events in `_events` (their
// eventNames() then follow the slot order); node:http's OutgoingMessage keeps a
// null-prototype dictionary, so names come in the order they were added.
test('listeners as with node:http: eventNames() order, inherited names, removal, emit results', () => {
  const report = (Out: any) => {
    const msg = new Out();
    const out: unknown[] = [msg.eventNames()];
    const onFinish = () => {};
    msg.on('finish', onFinish);
    msg.once('close', () => {});
    msg.on('custom', () => {});
    out.push(msg.eventNames(), msg.listenerCount('finish'));
    // A name Object.prototype has is no listener (the table has no such prototype).
    out.push(msg.listenerCount('toString'), msg.emit('toString'), msg.emit('constructor'));
    msg.on('toString', onFinish);
    out.push(msg.listenerCount('toString'), msg.emit('toString'));
    msg.removeListener('finish', onFinish);
    out.push(msg.eventNames(), msg.listenerCount('finish'), msg.emit('finish'));
    out.push(msg.emit('close'), msg.eventNames());
    msg.removeAllListeners();
    out.push(msg.eventNames(), msg.listenerCount('custom'));
    return out;
  };
  assert.equal(report(OutgoingMessage), report(http.OutgoingMessage));
});

test.run();
