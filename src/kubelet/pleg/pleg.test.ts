import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Container, ContainerEvent, ContainerEventSource, PodSandbox, RuntimeService } from '../../cri/types.ts';
import { Label } from '../runtime/labels.ts';
import { Pleg, stateAfter } from './pleg.ts';

const labels = (uid: string) => ({ [Label.podUid]: uid, [Label.managedBy]: 'true' });

function world() {
  const sandboxes: PodSandbox[] = [];
  const containers: Container[] = [];
  let emit: (e: ContainerEvent) => void = () => {};
  // Calls to the runtime, by method.
  const calls: string[] = [];
  const runtime = {
    listPodSandbox: async () => (calls.push('listPodSandbox'), structuredClone(sandboxes)),
    listContainers: async () => (calls.push('listContainers'), structuredClone(containers)),
    containerStatus: async (id: string) => {
      calls.push('containerStatus');
      const c = containers.find((x) => x.id === id);
      if (!c) throw new Error('not found');
      return { ...c, labels: c.labels };
    },
    podSandboxStatus: async () => {
      calls.push('podSandboxStatus');
      throw new Error('not found');
    },
  } as unknown as RuntimeService;
  const events: ContainerEventSource = { subscribe: (fn) => void (emit = fn) };
  const woken: string[] = [];
  const pleg = new Pleg({ runtime, events, onPodChange: (uid) => woken.push(uid), relistEveryMs: 3_600_000 });
  const addPod = (uid: string) => {
    sandboxes.push({ id: `sb-${uid}`, metadata: { name: uid, uid, namespace: 'default', attempt: 0 }, state: 'SANDBOX_READY', createdAt: 1, labels: labels(uid), annotations: {} });
    containers.push({ id: `c-${uid}`, podSandboxId: `sb-${uid}`, metadata: { name: 'app', attempt: 0 }, image: 'busybox', imageRef: 'x', state: 'CONTAINER_RUNNING', createdAt: 1, labels: labels(uid), annotations: {} });
  };
  return { sandboxes, containers, pleg, woken, calls, addPod, emit: (e: ContainerEvent) => emit(e) };
}

/** A world with the pods `uids`, its PLEG started (stopped after the test). */
async function started(t: { after(fn: () => void): void }, ...uids: string[]) {
  const w = world();
  for (const uid of uids) w.addPod(uid);
  await w.pleg.start();
  t.after(() => w.pleg.stop());
  return w;
}

test('pleg wakes every pod with runtime objects on its first relist', async (t) => {
  const w = await started(t, 'a', 'b');
  assert.deepEqual(w.woken.sort(), ['a', 'b']);
});

test('pleg relist wakes only pods whose containers changed or vanished', async (t) => {
  const w = await started(t, 'a', 'b', 'c');
  w.woken.length = 0;
  await w.pleg.relist();
  assert.deepEqual(w.woken, [], 'nothing changed: an idle node stays idle');
  w.containers.find((c) => c.id === 'c-b')!.state = 'CONTAINER_EXITED';
  w.sandboxes.splice(w.sandboxes.findIndex((s) => s.id === 'sb-c'), 1);
  w.containers.splice(w.containers.findIndex((c) => c.id === 'c-c'), 1);
  await w.pleg.relist();
  assert.deepEqual(w.woken.sort(), ['b', 'c']);
});

test('pleg wakes a pod at once when containerd reports its container exited', async (t) => {
  const w = await started(t, 'a');
  w.woken.length = 0;
  w.emit({ type: 'exited', id: 'c-a', exitStatus: 0, at: 5 });
  assert.deepEqual(w.woken, ['a']);
});

test('pleg relist wakes no pod whose changes all came as events, and still wakes one whose change came without', async (t) => {
  const w = await started(t, 'a', 'b');
  // A new container of a, noted by the executor when CreateContainer returned, then its events.
  w.containers.push({ id: 'c-a2', podSandboxId: 'sb-a', metadata: { name: 'next', attempt: 0 }, image: 'busybox', imageRef: 'x', state: 'CONTAINER_RUNNING', createdAt: 2, labels: labels('a'), annotations: {} });
  w.pleg.note('c-a2', 'a', 'container');
  w.emit({ type: 'created', id: 'c-a2', at: 6 });
  w.emit({ type: 'started', id: 'c-a2', at: 7 });
  w.containers.find((c) => c.id === 'c-a')!.state = 'CONTAINER_EXITED';
  w.emit({ type: 'exited', id: 'c-a', exitStatus: 0, at: 8 });
  w.emit({ type: 'deleted', id: 'c-a', at: 9 });
  assert.deepEqual([...new Set(w.woken.splice(0))].sort(), ['a', 'b']);
  // b's container exits with no event (the stream missed it).
  w.containers.find((c) => c.id === 'c-b')!.state = 'CONTAINER_EXITED';
  await w.pleg.relist();
  assert.deepEqual(w.woken, ['b'], 'a is not woken again: its events said it all');
});

test('pleg ignores created and started events of objects it does not know, without asking the runtime', async (t) => {
  const w = await started(t);
  w.calls.length = 0;
  // A sandbox's pause task starting inside RunPodSandbox, before CRI knows the sandbox.
  w.emit({ type: 'created', id: 'sb-new', at: 1 });
  w.emit({ type: 'started', id: 'sb-new', at: 2 });
  await new Promise((r) => setTimeout(r, 10));
  assert.deepEqual(w.calls, []);
  assert.deepEqual(w.woken, []);
});

test('pleg wakes the pod of an object the executor noted at its exit, without asking the runtime', async (t) => {
  const w = await started(t);
  w.calls.length = 0;
  w.pleg.note('c-new', 'u1', 'container');
  w.emit({ type: 'started', id: 'c-new', at: 1 });
  w.emit({ type: 'exited', id: 'c-new', at: 2, exitStatus: 0 });
  assert.deepEqual(w.woken, ['u1', 'u1']);
  assert.deepEqual(w.calls, []);
});

test('pleg looks up the pod of an exit it did not expect', async (t) => {
  const w = await started(t);
  w.addPod('late');
  w.calls.length = 0;
  w.emit({ type: 'exited', id: 'c-late', at: 1, exitStatus: 0 });
  await new Promise((r) => setTimeout(r, 10));
  assert.deepEqual(w.woken, ['late']);
  assert.deepEqual(w.calls, ['containerStatus']);
});

test('stateAfter maps task events to the CRI states they imply', () => {
  assert.equal(stateAfter('container', 'created'), 'CONTAINER_CREATED');
  assert.equal(stateAfter('container', 'started'), 'CONTAINER_RUNNING');
  assert.equal(stateAfter('container', 'exited'), 'CONTAINER_EXITED');
  assert.equal(stateAfter('container', 'deleted'), undefined);
  assert.equal(stateAfter('sandbox', 'started'), 'SANDBOX_READY');
  assert.equal(stateAfter('sandbox', 'exited'), 'SANDBOX_NOTREADY');
  assert.equal(stateAfter('sandbox', 'oom'), undefined);
});
