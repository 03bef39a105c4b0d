import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BridgeStartError, bridgeRemoteCommand, type StreamFlags } from './remotecommand.ts';
import { socketPair } from '../../wire/test-socket-pair.ts';
import { fakeSpdyServer, type FakeSpdyServer } from '../../wire/spdy/test-spdy-server.ts';
import { WebSocketConnection } from '../../wire/wire.ts';

interface Client {
  ws: WebSocketConnection;
  messages: Buffer[];
  closed: Promise<number>;
  /** Data received on one channel so far. */
  channel(n: number): string;
  until(pred: () => boolean, what: string): Promise<void>;
}

async function start(
  t: { after(fn: () => unknown): void },
  flags: StreamFlags,
  opts: { protocol?: string; upstreamUrl?: (server: FakeSpdyServer) => () => Promise<string> } = {},
) {
  const server = await fakeSpdyServer();
  t.after(() => server.close());
  const pair = await socketPair();
  t.after(() => pair.close());
  const logs: string[] = [];
  const session = server.nextSession();
  const bridgeWs = new WebSocketConnection(pair.server);
  const done = bridgeRemoteCommand({
    ws: bridgeWs,
    protocol: opts.protocol ?? 'v5.channel.k8s.io',
    flags,
    upstreamUrl: opts.upstreamUrl ? opts.upstreamUrl(server) : async () => server.url(),
    log: (m) => logs.push(m),
  });
  const messages: Buffer[] = [];
  let resolveClosed!: (code: number) => void;
  const closed = new Promise<number>((r) => (resolveClosed = r));
  const ws = new WebSocketConnection(pair.client, { role: 'client', onMessage: (m) => messages.push(m), onClose: (code) => resolveClosed(code) });
  const client: Client = {
    ws,
    messages,
    closed,
    channel: (n) => Buffer.concat(messages.filter((m) => m[0] === n).map((m) => m.subarray(1))).toString(),
    async until(pred, what) {
      const end = Date.now() + 5000;
      while (!pred()) {
        if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 5));
      }
    },
  };
  return { server, session, client, done, logs };
}

const send = (c: Client, channel: number, data: string | number[]) =>
  c.ws.send(Buffer.concat([Buffer.from([channel]), Buffer.from(typeof data === 'string' ? Buffer.from(data) : data)]));

test('bridge opens error, stdin, stdout, stderr streams in order and forwards output with channel bytes', async (t) => {
  const { session, client, done } = await start(t, { stdin: true, stdout: true, stderr: true, tty: false });
  const fake = await session;
  await fake.until(() => fake.streams.length === 4, 'four streams');
  assert.deepEqual(fake.streams.map((s) => [s.id, s.headers.streamtype]), [
    [1, 'error'],
    [3, 'stdin'],
    [5, 'stdout'],
    [7, 'stderr'],
  ]);
  assert.deepEqual(fake.request.headers['x-stream-protocol-version'], 'v4.channel.k8s.io');
  assert.equal(fake.request.method, 'POST');
  await fake.data(5, 'out\n');
  await fake.data(7, 'err\n');
  await client.until(() => client.channel(1) === 'out\n' && client.channel(2) === 'err\n', 'output');
  // kube-apiserver's first message: an empty one on the lowest writable channel.
  assert.deepEqual([...client.messages[0]], [1]);
  await fake.finishExec(JSON.stringify({ metadata: {}, status: 'Failure', message: 'x', reason: 'NonZeroExitCode', details: { causes: [{ reason: 'ExitCode', message: '7' }] } }));
  assert.equal(await client.closed, 1000);
  await done;
  assert.equal(
    client.channel(3),
    '{"metadata":{},"status":"Failure","message":"command terminated with non-zero exit code: command terminated with exit code 7","reason":"NonZeroExitCode","details":{"causes":[{"reason":"ExitCode","message":"7"}]}}',
  );
  // The status is the last message: all output came before it.
  assert.equal(client.messages.at(-1)![0], 3);
});

test('bridge passes stdin sent before the streams exist, then the v5 stdin close as a FIN', async (t) => {
  const { session, client, done } = await start(t, { stdin: true, stdout: true, stderr: false, tty: false });
  send(client, 0, 'line 1\n');
  send(client, 0, 'line 2\n');
  send(client, 255, [0]);
  const fake = await session;
  await fake.until(() => fake.stream('stdin')?.fin === true, 'stdin FIN');
  assert.equal(fake.text('stdin'), 'line 1\nline 2\n');
  assert.equal(fake.stream('stderr'), undefined);
  await fake.finishExec('{"metadata":{},"status":"Success"}');
  await client.closed;
  await done;
  assert.equal(client.channel(3), '{"metadata":{},"status":"Success"}');
});

test('bridge with a TTY opens a resize stream instead of stderr and forwards channel 4', async (t) => {
  const { session, client } = await start(t, { stdin: true, stdout: true, stderr: false, tty: true });
  const fake = await session;
  await fake.until(() => fake.streams.length === 4, 'four streams');
  assert.deepEqual(fake.streams.map((s) => s.headers.streamtype), ['error', 'stdin', 'stdout', 'resize']);
  send(client, 4, '{"Width":120,"Height":40}\n');
  await fake.until(() => fake.text('resize') === '{"Width":120,"Height":40}\n', 'the resize event');
  client.ws.close();
  await client.closed;
});

test('bridge reports a node refusal as kube-apiserver’s InternalError on channel 3', async (t) => {
  const { client, done } = await start(t, { stdin: false, stdout: true, stderr: true, tty: false }, {
    upstreamUrl: () => async () => {
      throw new BridgeStartError('unable to upgrade connection: container not found ("app")');
    },
  });
  assert.equal(await client.closed, 1000);
  await done;
  assert.equal(
    client.channel(3),
    '{"metadata":{},"status":"Failure","message":"Internal error occurred: unable to upgrade connection: container not found (\\"app\\")","reason":"InternalError","details":{"causes":[{"message":"unable to upgrade connection: container not found (\\"app\\")"}]},"code":500}',
  );
});

test('bridge reports the streaming server’s refusal text as client-go does', async (t) => {
  const { server, client, done } = await start(t, { stdin: false, stdout: true, stderr: false, tty: false });
  server.refuseNext(404, '404 page not found\n');
  await client.closed;
  await done;
  assert.match(client.channel(3), /"message":"Internal error occurred: unable to upgrade connection: 404 page not found"/);
});

test('bridge resets the SPDY session when kubectl goes away first', async (t) => {
  const { session, client, done } = await start(t, { stdin: true, stdout: true, stderr: false, tty: false });
  const fake = await session;
  await fake.until(() => fake.streams.length === 3, 'three streams');
  client.ws.destroy();
  await done;
  await fake.until(() => fake.goAwayReceived && fake.streams.every((s) => s.reset), 'resets and GOAWAY');
});

test('bridge gives a v4 client the streaming server’s own status bytes', async (t) => {
  const { session, client, done } = await start(t, { stdin: false, stdout: true, stderr: false, tty: false }, { protocol: 'v4.channel.k8s.io' });
  const fake = await session;
  await fake.until(() => fake.streams.length === 2, 'two streams');
  const raw = '{"metadata":{},"status":"Failure","message":"command terminated with non-zero exit code: exit code 2","reason":"NonZeroExitCode","details":{"causes":[{"reason":"ExitCode","message":"2"}]}}';
  await fake.finishExec(raw);
  await client.closed;
  await done;
  assert.equal(client.channel(3), raw);
});

test('bridge holds back a large early stdin until the streams exist, then delivers all of it in order', async (t) => {
  const { session, client, done } = await start(t, { stdin: true, stdout: true, stderr: false, tty: false });
  const chunk = 'y'.repeat(64 * 1024 - 1) + '\n';
  for (let i = 0; i < 64; i++) send(client, 0, chunk);
  send(client, 255, [0]);
  const fake = await session;
  await fake.until(() => fake.stream('stdin')?.fin === true, 'stdin FIN');
  assert.equal(fake.bytes('stdin'), 64 * 64 * 1024);
  assert.equal(fake.text('stdin'), chunk.repeat(64));
  await fake.finishExec('{"metadata":{},"status":"Success"}');
  await client.closed;
  await done;
});
