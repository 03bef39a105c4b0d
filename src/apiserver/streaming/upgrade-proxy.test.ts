import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { encodeData, encodeSynStream, HeaderCompressor, dialUpgrade } from '../../wire/wire.ts';
import { fakeSpdyServer } from '../../wire/spdy/test-spdy-server.ts';
import { socketPair } from '../../wire/test-socket-pair.ts';
import { spliceSpdy } from './upgrade-proxy.ts';

const hugeSettings = Buffer.from([0x80, 0x03, 0x00, 0x04, 0x00, 0x00, 0x00, 0x04, 0xff, 0xff, 0xff, 0xff]);

/** A client socket joined by spliceSpdy to a fake streaming server's session. */
async function spliced(t: { after(fn: () => unknown): void }, head = Buffer.alloc(0)) {
  const server = await fakeSpdyServer();
  t.after(() => server.close());
  const next = server.nextSession();
  const up = await dialUpgrade(server.url(), {
    method: 'POST',
    headers: [
      ['Connection', 'Upgrade'],
      ['Upgrade', 'SPDY/3.1'],
      ['X-Stream-Protocol-Version', 'v4.channel.k8s.io'],
    ],
  });
  if (!up.upgraded) throw new Error('the fake server refused');
  const pair = await socketPair();
  t.after(() => pair.close());
  const logs: string[] = [];
  spliceSpdy(pair.server, up.socket, head, (m) => logs.push(m));
  const fake = await next;
  return { client: pair.client, fake, logs, upstream: up.socket };
}

test('spliceSpdy hands the streaming server the client’s streams and data, re-framed', async (t) => {
  const { client, fake, logs } = await spliced(t);
  const c = new HeaderCompressor();
  t.after(() => c.close());
  client.write(encodeSynStream(1, await c.compress({ streamtype: 'error' })));
  client.write(encodeSynStream(3, await c.compress({ streamtype: 'stdin' })));
  await fake.until(() => fake.streams.length === 2, 'two streams');
  client.write(encodeData(3, Buffer.from('hello'), true));
  await fake.until(() => fake.stream('stdin')?.fin === true, 'stdin FIN');
  assert.equal(fake.text('stdin'), 'hello');
  assert.deepEqual(fake.streams.map((s) => s.headers.streamtype), ['error', 'stdin']);
  // And the server's side reaches the client unchanged.
  let received = Buffer.alloc(0);
  client.on('data', (d: Buffer) => (received = Buffer.concat([received, d])));
  await fake.data(1, 'status');
  while (!received.includes(encodeData(1, Buffer.from('status')))) await new Promise((r) => setTimeout(r, 5));
  assert.deepEqual(logs, []);
});

test('spliceSpdy closes both connections and forwards nothing when the client sends a malformed frame', async (t) => {
  const { client, fake, logs, upstream } = await spliced(t);
  const c = new HeaderCompressor();
  t.after(() => c.close());
  client.write(encodeSynStream(1, await c.compress({ streamtype: 'error' })));
  await fake.until(() => fake.streams.length === 1, 'one stream');
  // The fake server's upgraded socket is half-open: it sees the end, then waits for its own.
  const upstreamClosed = once(fake.socket, 'end');
  const clientClosed = once(client, 'close');
  client.write(hugeSettings);
  await Promise.all([upstreamClosed, clientClosed]);
  assert.ok(upstream.destroyed);
  assert.deepEqual(fake.streams.map((s) => s.received.length), [0], 'the server got nothing after the stream');
  assert.match(logs.join('\n'), /closed a client's session: SETTINGS claims 4294967295 entries in 4 bytes/);
});

test('spliceSpdy checks the bytes the client sent with its upgrade request too', async (t) => {
  const { client, fake, logs } = await spliced(t, hugeSettings);
  await Promise.all([fake.socket.readableEnded ? Promise.resolve() : once(fake.socket, 'end'), client.destroyed ? Promise.resolve() : once(client, 'close')]);
  assert.deepEqual(fake.streams, []);
  assert.match(logs.join('\n'), /SETTINGS claims 4294967295 entries/);
});
