import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SpdyClientSession, type SpdyStream, type StreamEnd } from './spdy-session.ts';
import { fakeSpdyServer, type FakeSpdySession } from './test-spdy-server.ts';
import { dialUpgrade } from '../upgrade-dial.ts';

const spdyHeaders: [string, string][] = [
  ['Connection', 'Upgrade'],
  ['Upgrade', 'SPDY/3.1'],
  ['X-Stream-Protocol-Version', 'v4.channel.k8s.io'],
];

async function connect(t: { after(fn: () => unknown): void }) {
  const server = await fakeSpdyServer();
  t.after(() => server.close());
  const next = server.nextSession();
  const up = await dialUpgrade(server.url(), { method: 'POST', headers: spdyHeaders });
  assert.ok(up.upgraded);
  if (!up.upgraded) throw new Error('unreachable');
  const client = new SpdyClientSession(up.socket, { head: up.rest });
  t.after(() => client.destroy());
  return { server, client, fake: await next, up };
}

function collect(s: SpdyStream): { data: Buffer[]; ended: Promise<StreamEnd> } {
  const data: Buffer[] = [];
  const ended = new Promise<StreamEnd>((resolve) => s.attach({ onData: (d) => data.push(d), onEnd: resolve }));
  return { data, ended };
}

test('dialUpgrade returns the negotiated protocol of a 101 and hands the socket over', async (t) => {
  const { up } = await connect(t);
  assert.equal(up.status, 101);
  assert.deepEqual(up.headers.get('x-stream-protocol-version'), ['v4.channel.k8s.io']);
});

test('dialUpgrade returns the status and body of a refusal', async (t) => {
  const server = await fakeSpdyServer();
  t.after(() => server.close());
  server.refuseNext(500, 'container not found ("x")');
  const r = await dialUpgrade(server.url(), { method: 'POST', headers: spdyHeaders });
  assert.equal(r.upgraded, false);
  if (r.upgraded) return;
  assert.equal(r.status, 500);
  assert.equal(r.body.toString(), 'container not found ("x")');
});

test('openStream sends the headers and resolves only after the SYN_REPLY', async (t) => {
  const { client, fake } = await connect(t);
  fake.autoReply = false;
  let opened = false;
  const p = client.openStream({ streamtype: 'error' }).then((s) => {
    opened = true;
    return s;
  });
  await fake.until(() => fake.streams.length === 1, 'the SYN_STREAM');
  assert.deepEqual(fake.streams[0].headers, { streamtype: 'error' });
  assert.equal(fake.streams[0].id, 1);
  await new Promise((r) => setTimeout(r, 30));
  assert.equal(opened, false);
  await fake.reply(1);
  assert.equal((await p).id, 1);
});

test('streams get odd ids in order; data flows both ways; FIN half-closes', async (t) => {
  const { client, fake } = await connect(t);
  const a = await client.openStream({ streamtype: 'stdin' });
  const b = await client.openStream({ streamtype: 'stdout' });
  assert.deepEqual([a.id, b.id], [1, 3]);
  const out = collect(b);
  a.write(Buffer.alloc(100_000, 0x61));
  a.end();
  await fake.until(() => fake.stream('stdin')!.fin, 'stdin FIN');
  assert.equal(fake.text('stdin').length, 100_000);
  await fake.data(3, 'hello ');
  await fake.data(3, 'world', true);
  assert.equal(await out.ended, 'fin');
  assert.equal(Buffer.concat(out.data).toString(), 'hello world');
});

test('data and an end that arrive before attach are delivered when the consumer attaches', async (t) => {
  const { client, fake } = await connect(t);
  const s = await client.openStream({ streamtype: 'stdout' });
  await fake.data(s.id, 'early', true);
  await new Promise((r) => setTimeout(r, 50));
  const got = collect(s);
  assert.equal(await got.ended, 'fin');
  assert.equal(Buffer.concat(got.data).toString(), 'early');
});

test('RST_STREAM ends a stream, and rejects one still waiting for its reply', async (t) => {
  const { client, fake } = await connect(t);
  const s = await client.openStream({ streamtype: 'error' });
  const got = collect(s);
  await fake.rst(s.id);
  assert.equal(await got.ended, 'reset');
  fake.autoReply = false;
  const pending = client.openStream({ streamtype: 'stdin' });
  await fake.until(() => fake.streams.length === 2);
  await fake.rst(3);
  await assert.rejects(pending, /reset by the peer/);
});

test('the session echoes the server’s pings and reports GOAWAY', async (t) => {
  const server = await fakeSpdyServer();
  t.after(() => server.close());
  const next = server.nextSession();
  const up = await dialUpgrade(server.url(), { method: 'POST', headers: spdyHeaders });
  if (!up.upgraded) throw new Error('no upgrade');
  let goAway = false;
  const client = new SpdyClientSession(up.socket, { onGoAway: () => (goAway = true) });
  t.after(() => client.destroy());
  const fake: FakeSpdySession = await next;
  await fake.ping(2);
  await fake.until(() => fake.pings.includes(2), 'the ping echo');
  await fake.goAway();
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(goAway, true);
  await assert.rejects(client.openStream({ streamtype: 'x' }), /closed/);
});

test('losing the connection ends every stream after the data already received', async (t) => {
  const { client, fake } = await connect(t);
  const s = await client.openStream({ streamtype: 'stdout' });
  const got = collect(s);
  await fake.data(s.id, 'last words');
  fake.socket.destroy();
  assert.equal(await got.ended, 'closed');
  assert.equal(Buffer.concat(got.data).toString(), 'last words');
  await client.whenClosed();
  assert.equal(client.closed, true);
});

test('close() resets open streams, says GOAWAY and ends the connection', async (t) => {
  const { client, fake } = await connect(t);
  await client.openStream({ streamtype: 'error' });
  await client.openStream({ streamtype: 'stdin' });
  client.close();
  await fake.until(() => fake.goAwayReceived && fake.streams.every((s) => s.reset), 'resets and GOAWAY');
  await client.whenClosed();
});

test('a peer that stops reading makes the session congested until its backlog drains', async (t) => {
  const { client, fake } = await connect(t);
  const s = await client.openStream({ streamtype: 'stdin' });
  fake.socket.pause();
  for (let i = 0; i < 16; i++) s.write(Buffer.alloc(1024 * 1024, 0x62));
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(client.congested, true);
  let drained = false;
  client.whenDrained(() => (drained = true));
  assert.equal(drained, false);
  fake.socket.resume();
  await fake.until(() => fake.bytes('stdin') === 16 * 1024 * 1024, 'all 16 MiB');
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(drained, true);
  assert.equal(client.congested, false);
});
