import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ServerWritableStream } from '@grpc/grpc-js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createCriClient } from './cri.ts';
import { startFakeServer, type FakeServer } from './fake-grpc-server.ts';
import { grpcDefinitions } from './grpc-definitions.ts';
import { decodeTaskEvent } from './task-event-decoding.ts';
import type { ContainerEvent } from './types.ts';

const defs = grpcDefinitions();

/** An Envelope as containerd sends it: the payload packed into an Any named by its message type. */
function envelope(topic: string, message: string, fields: object, namespace = 'k8s.io') {
  const type = defs.taskEvents.lookupType(message);
  return {
    timestamp: { seconds: 1700000000, nanos: 500_000_000 },
    namespace,
    topic,
    event: { type_url: message, value: Buffer.from(type.encode(type.fromObject(fields)).finish()) },
  };
}

const exitedAt = { seconds: 1700000001, nanos: 250_000_000 };

test('decodeTaskEvent maps each task topic and keeps the exit status and time', () => {
  const d = (e: ReturnType<typeof envelope>) => decodeTaskEvent(e, defs.taskEvents);
  assert.deepEqual(d(envelope('/tasks/create', 'containerd.events.TaskCreate', { containerId: 'c1', pid: 10 })), { type: 'created', id: 'c1', at: 1700000000500 });
  assert.deepEqual(d(envelope('/tasks/start', 'containerd.events.TaskStart', { containerId: 'c1', pid: 10 })), { type: 'started', id: 'c1', at: 1700000000500 });
  assert.deepEqual(d(envelope('/tasks/exit', 'containerd.events.TaskExit', { containerId: 'c1', id: 'c1', exitStatus: 3, exitedAt })), {
    type: 'exited',
    id: 'c1',
    exitStatus: 3,
    at: 1700000001250,
  });
  assert.deepEqual(d(envelope('/tasks/oom', 'containerd.events.TaskOOM', { containerId: 'c1' })), { type: 'oom', id: 'c1', at: 1700000000500 });
  assert.deepEqual(d(envelope('/tasks/delete', 'containerd.events.TaskDelete', { containerId: 'c1', exitStatus: 3 })), { type: 'deleted', id: 'c1', at: 1700000000500 });
});

test('decodeTaskEvent drops exec processes, other topics and mismatched payloads', () => {
  const d = (e: ReturnType<typeof envelope>) => decodeTaskEvent(e, defs.taskEvents);
  assert.equal(d(envelope('/tasks/exit', 'containerd.events.TaskExit', { containerId: 'c1', id: 'exec-7', exitStatus: 0, exitedAt })), null);
  assert.equal(d(envelope('/tasks/delete', 'containerd.events.TaskDelete', { containerId: 'c1', id: 'exec-7' })), null);
  assert.equal(d(envelope('/tasks/paused', 'containerd.events.TaskOOM', { containerId: 'c1' })), null);
  assert.equal(d(envelope('/tasks/exit', 'containerd.events.TaskStart', { containerId: 'c1' })), null);
});

interface EventsServer {
  server: FakeServer;
  calls: ServerWritableStream<any, any>[];
  filters: string[][];
}

async function eventsServer(socketPath: string): Promise<EventsServer> {
  const s: EventsServer = { server: undefined as unknown as FakeServer, calls: [], filters: [] };
  s.server = await startFakeServer(socketPath, [
    {
      def: defs.events,
      impl: {
        Subscribe: (call: ServerWritableStream<any, any>) => {
          s.calls.push(call);
          s.filters.push(call.request.filters);
        },
      },
    },
  ]);
  return s;
}

async function until(cond: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(5);
  }
}

function setup(t: { after: (fn: () => void) => void }) {
  const dir = mkdtempSync(join(tmpdir(), 'berth-events-'));
  const socketPath = join(dir, 'containerd.sock');
  const client = createCriClient(socketPath, { events: { backoff: { initialMs: 20, maxMs: 200 } } });
  const ac = new AbortController();
  const servers: FakeServer[] = [];
  t.after(() => {
    ac.abort();
    client.close();
    for (const s of servers) s.kill();
    rmSync(dir, { recursive: true, force: true });
  });
  return { socketPath, client, ac, servers };
}

test('the event source subscribes to CRI task topics and delivers container events, dropping exec exits', async (t) => {
  const { socketPath, client, ac, servers } = setup(t);
  const srv = await eventsServer(socketPath);
  servers.push(srv.server);
  const got: ContainerEvent[] = [];
  client.events.subscribe((e) => got.push(e), ac.signal);
  await until(() => srv.calls.length === 1);
  assert.deepEqual(srv.filters[0], ['namespace=="k8s.io",topic~="^/tasks/"']);

  const call = srv.calls[0];
  call.write(envelope('/tasks/start', 'containerd.events.TaskStart', { containerId: 'c1', pid: 4 }));
  call.write(envelope('/tasks/exit', 'containerd.events.TaskExit', { containerId: 'c1', id: 'exec-1', exitStatus: 1, exitedAt }));
  call.write(envelope('/tasks/exit', 'containerd.events.TaskExit', { containerId: 'c1', id: 'c1', exitStatus: 3, exitedAt }));
  call.write(envelope('/tasks/exec-added', 'containerd.events.TaskStart', { containerId: 'c1' }));
  call.write(envelope('/tasks/delete', 'containerd.events.TaskDelete', { containerId: 'c1' }));
  await until(() => got.length === 3);
  assert.deepEqual(
    got.map((e) => [e.type, e.id, e.exitStatus]),
    [
      ['started', 'c1', undefined],
      ['exited', 'c1', 3],
      ['deleted', 'c1', undefined],
    ],
  );
});

test('the event source resubscribes when containerd goes away and comes back on the same socket', async (t) => {
  const { socketPath, client, ac, servers } = setup(t);
  const first = await eventsServer(socketPath);
  servers.push(first.server);
  const got: ContainerEvent[] = [];
  client.events.subscribe((e) => got.push(e), ac.signal);
  await until(() => first.calls.length === 1);
  first.calls[0].write(envelope('/tasks/start', 'containerd.events.TaskStart', { containerId: 'before' }));
  await until(() => got.length === 1);

  first.server.kill();
  await sleep(100);
  const second = await eventsServer(socketPath);
  servers.push(second.server);
  await until(() => second.calls.length === 1);
  second.calls[0].write(envelope('/tasks/exit', 'containerd.events.TaskExit', { containerId: 'after', id: 'after', exitStatus: 0, exitedAt }));
  await until(() => got.length === 2);
  assert.deepEqual(got.map((e) => e.id), ['before', 'after']);
});

test('the event source cancels its stream and stops reconnecting once its signal aborts', async (t) => {
  const { socketPath, client, ac, servers } = setup(t);
  const srv = await eventsServer(socketPath);
  servers.push(srv.server);
  const got: ContainerEvent[] = [];
  client.events.subscribe((e) => got.push(e), ac.signal);
  await until(() => srv.calls.length === 1);
  let cancelled = false;
  srv.calls[0].on('cancelled', () => (cancelled = true));
  ac.abort();
  await until(() => cancelled);
  await sleep(150);
  assert.equal(srv.calls.length, 1, 'no new subscription after abort');
  assert.deepEqual(got, []);
});

test('an exception in the consumer is reported and does not end the subscription', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'berth-events-'));
  const socketPath = join(dir, 'containerd.sock');
  const thrown: unknown[] = [];
  const client = createCriClient(socketPath, { events: { onConsumerError: (err) => thrown.push(err) } });
  const ac = new AbortController();
  const srv = await eventsServer(socketPath);
  t.after(() => {
    ac.abort();
    client.close();
    srv.server.kill();
    rmSync(dir, { recursive: true, force: true });
  });
  const got: string[] = [];
  client.events.subscribe((e) => {
    got.push(e.id);
    if (e.id === 'bad') throw new Error('consumer bug');
  }, ac.signal);
  await until(() => srv.calls.length === 1);
  srv.calls[0].write(envelope('/tasks/start', 'containerd.events.TaskStart', { containerId: 'bad' }));
  srv.calls[0].write(envelope('/tasks/start', 'containerd.events.TaskStart', { containerId: 'good' }));
  await until(() => got.length === 2);
  assert.deepEqual(got, ['bad', 'good']);
  assert.equal(srv.calls.length, 1);
  assert.equal(thrown.length, 1);
  assert.match(String(thrown[0]), /consumer bug/);
});
