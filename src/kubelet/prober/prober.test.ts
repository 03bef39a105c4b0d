import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Container, Pod } from '../../api/api.ts';
import { FakeClock } from '../../clock/fake-clock.ts';
import type { PodRuntimeState, RuntimeContainer } from '../container/pod-runtime-state.ts';
import { ProbeManager, type ExecFn } from './prober.ts';

function pod(c: Container, extra: Partial<Container>[] = []): Pod {
  return {
    metadata: { name: 'p', namespace: 'default', uid: 'u1' },
    spec: { restartPolicy: 'Always', containers: [c, ...extra.map((e, i) => ({ name: `x${i}`, image: 'busybox:1.35', ...e }))] },
  };
}

function running(name: string, id: string, startedAt: number): RuntimeContainer {
  return {
    id,
    sandboxId: 'sb',
    name,
    state: 'running',
    restartCount: 0,
    hash: '',
    kind: 'regular',
    image: 'busybox:1.35',
    imageRef: '',
    createdAt: startedAt,
    startedAt,
    finishedAt: 0,
    exitCode: 0,
    reason: '',
    message: '',
    logPath: '',
    annotations: {},
  };
}

const state = (...containers: RuntimeContainer[]): PodRuntimeState => ({ uid: 'u1', sandboxes: [], containers });

/** An exec whose outcome per command name is switchable, counting calls. */
function scriptedExec() {
  const ok = new Map<string, boolean>();
  const calls: string[] = [];
  const exec: ExecFn = async (_id, cmd) => {
    calls.push(cmd[0]);
    const pass = ok.get(cmd[0]) ?? false;
    return { stdout: Buffer.from(pass ? '' : `${cmd[0]} says no\n`), stderr: Buffer.alloc(0), exitCode: pass ? 0 : 1 };
  };
  return { ok, calls, exec };
}

function setup(exec: ExecFn) {
  const timers = new FakeClock();
  const events: string[] = [];
  const wakes: string[] = [];
  const m = new ProbeManager({
    exec,
    event: (_pod, fieldPath, type, reason, message) => events.push(`${type} ${reason} ${fieldPath} ${message}`),
    onChange: (uid) => wakes.push(uid),
    clock: timers,
  });
  return { timers, events, wakes, m };
}

test('liveness probe fails after failureThreshold failures, one Unhealthy event each, then holds until a new instance', async () => {
  const x = scriptedExec();
  const { timers, events, wakes, m } = setup(x.exec);
  const app: Container = {
    name: 'app',
    image: 'busybox:1.35',
    livenessProbe: { exec: { command: ['live'] }, initialDelaySeconds: 5, periodSeconds: 10, failureThreshold: 3, successThreshold: 1, timeoutSeconds: 1 },
  };
  const p = pod(app);
  m.update(p, state(running('app', 'c1', timers.now())), '10.244.0.5', false);
  await timers.advance(4_999);
  assert.deepEqual(x.calls, [], 'nothing before initialDelaySeconds');
  assert.equal(m.results.liveness.get('c1'), 'success', 'liveness starts out successful');
  await timers.advance(1);
  assert.equal(x.calls.length, 1);
  await timers.advance(20_000);
  assert.equal(x.calls.length, 3, 'attempts 10 s apart');
  assert.equal(m.results.liveness.get('c1'), 'failure');
  assert.deepEqual(wakes, ['u1'], 'the pod is woken once, when the result changes');
  assert.deepEqual(events, Array(3).fill('Warning Unhealthy spec.containers{app} Liveness probe failed: live says no\n'));
  await timers.advance(60_000);
  assert.equal(x.calls.length, 3, 'on hold after a liveness failure');
  // The restarted instance is probed again from scratch.
  x.ok.set('live', true);
  m.update(p, state(running('app', 'c2', timers.now())), '10.244.0.5', false);
  assert.equal(m.results.liveness.has('c1'), false, 'the old instance is forgotten');
  await timers.advance(5_000);
  assert.equal(x.calls.length, 4);
  assert.equal(m.results.liveness.get('c2'), 'success');
});

test('readiness starts unready, needs successThreshold successes, and flips back after failureThreshold failures', async () => {
  const x = scriptedExec();
  x.ok.set('ready', true);
  const { timers, wakes, m } = setup(x.exec);
  const app: Container = {
    name: 'app',
    image: 'busybox:1.35',
    readinessProbe: { exec: { command: ['ready'] }, periodSeconds: 1, successThreshold: 2, failureThreshold: 2, timeoutSeconds: 1 },
  };
  m.update(pod(app), state(running('app', 'c1', timers.now())), '10.244.0.5', false);
  assert.equal(m.view.readiness('c1'), 'failure');
  await timers.advance(0);
  assert.equal(m.view.readiness('c1'), 'failure', 'one success is below successThreshold');
  await timers.advance(1_000);
  assert.equal(m.view.readiness('c1'), 'success');
  assert.equal(wakes.length, 1);
  x.ok.set('ready', false);
  await timers.advance(1_000);
  assert.equal(m.view.readiness('c1'), 'success');
  await timers.advance(1_000);
  assert.equal(m.view.readiness('c1'), 'failure');
  assert.equal(wakes.length, 2);
  x.ok.set('ready', true);
  await timers.advance(2_000);
  assert.equal(m.view.readiness('c1'), 'success', 'readiness keeps probing after a failure');
});

test('startup probe gates liveness and readiness; readiness runs as soon as startup passes', async () => {
  const x = scriptedExec();
  x.ok.set('ready', true);
  x.ok.set('live', true);
  const { timers, m } = setup(x.exec);
  const app: Container = {
    name: 'app',
    image: 'busybox:1.35',
    startupProbe: { exec: { command: ['start'] }, periodSeconds: 2, failureThreshold: 10, successThreshold: 1, timeoutSeconds: 1 },
    readinessProbe: { exec: { command: ['ready'] }, periodSeconds: 10, successThreshold: 1, failureThreshold: 3, timeoutSeconds: 1 },
    livenessProbe: { exec: { command: ['live'] }, periodSeconds: 10, successThreshold: 1, failureThreshold: 3, timeoutSeconds: 1 },
  };
  m.update(pod(app), state(running('app', 'c1', timers.now())), '10.244.0.5', false);
  await timers.advance(3_000);
  assert.deepEqual(x.calls, ['start', 'start'], 'only the startup probe runs before the container started');
  assert.equal(m.view.startup('c1'), undefined, 'no startup result before it passes or fails');
  x.ok.set('start', true);
  await timers.advance(1_000);
  assert.equal(m.view.startup('c1'), 'success');
  assert.equal(x.calls.at(-1), 'ready', 'readiness was triggered at once');
  assert.equal(m.view.readiness('c1'), 'success');
  await timers.advance(20_000);
  assert.ok(!x.calls.slice(4).includes('start'), 'the startup probe stops once the container started');
  assert.ok(x.calls.includes('live'));
});

test('a failing startup probe reports failure after failureThreshold and stops probing the instance', async () => {
  const x = scriptedExec();
  const { timers, events, m } = setup(x.exec);
  const app: Container = {
    name: 'app',
    image: 'busybox:1.35',
    startupProbe: { exec: { command: ['start'] }, periodSeconds: 1, failureThreshold: 3, successThreshold: 1, timeoutSeconds: 1 },
  };
  m.update(pod(app), state(running('app', 'c1', timers.now())), '10.244.0.5', false);
  await timers.advance(10_000);
  assert.equal(m.results.startup.get('c1'), 'failure');
  assert.equal(x.calls.length, 3);
  assert.equal(events[0], 'Warning Unhealthy spec.containers{app} Startup probe failed: start says no\n');
});

test('termination stops liveness with a success while readiness keeps probing', async () => {
  const x = scriptedExec();
  const { timers, m } = setup(x.exec);
  const app: Container = {
    name: 'app',
    image: 'busybox:1.35',
    livenessProbe: { exec: { command: ['live'] }, periodSeconds: 1, failureThreshold: 5, successThreshold: 1, timeoutSeconds: 1 },
    readinessProbe: { exec: { command: ['ready'] }, periodSeconds: 1, failureThreshold: 1, successThreshold: 1, timeoutSeconds: 1 },
  };
  const p = pod(app);
  const st = state(running('app', 'c1', timers.now()));
  m.update(p, st, '10.244.0.5', false);
  await timers.advance(2_000);
  m.update(p, st, '10.244.0.5', true);
  const before = x.calls.filter((c) => c === 'live').length;
  await timers.advance(10_000);
  assert.equal(x.calls.filter((c) => c === 'live').length, before, 'no liveness attempts while terminating');
  assert.equal(m.results.liveness.get('c1'), 'success');
  assert.ok(x.calls.filter((c) => c === 'ready').length >= 10, 'readiness continues');
  m.removePod('u1');
  const after = x.calls.length;
  await timers.advance(10_000);
  assert.equal(x.calls.length, after, 'removePod stops every worker');
  assert.equal(m.view.readiness('c1'), undefined);
});

test('an attempt that cannot run is retried three times and reported as errored without a result', async () => {
  let calls = 0;
  const exec: ExecFn = async () => {
    calls++;
    throw Object.assign(new Error('ExecSync: failed to exec in container: container is in CONTAINER_EXITED state'), { code: 'UNKNOWN' });
  };
  const { timers, events, m } = setup(exec);
  const app: Container = {
    name: 'app',
    image: 'busybox:1.35',
    livenessProbe: { exec: { command: ['live'] }, periodSeconds: 10, failureThreshold: 1, successThreshold: 1, timeoutSeconds: 1 },
  };
  m.update(pod(app), state(running('app', 'c1', timers.now())), '10.244.0.5', false);
  await timers.advance(0);
  assert.equal(calls, 3);
  assert.deepEqual(events, [
    'Warning Unhealthy spec.containers{app} Liveness probe errored: rpc error: code = Unknown desc = failed to exec in container: container is in CONTAINER_EXITED state',
  ]);
  assert.equal(m.results.liveness.get('c1'), 'success', 'an errored attempt does not change the result');
});

test('a container that stopped has its probes fail without waking the pod', async () => {
  const x = scriptedExec();
  x.ok.set('live', true);
  const { timers, wakes, m } = setup(x.exec);
  const app: Container = {
    name: 'app',
    image: 'busybox:1.35',
    livenessProbe: { exec: { command: ['live'] }, periodSeconds: 1, failureThreshold: 1, successThreshold: 1, timeoutSeconds: 1 },
  };
  const p = pod(app);
  const c1 = running('app', 'c1', timers.now());
  m.update(p, state(c1), '10.244.0.5', false);
  await timers.advance(1_000);
  m.update(p, state({ ...c1, state: 'exited', finishedAt: timers.now() }), '10.244.0.5', false);
  await timers.advance(5_000);
  assert.equal(m.results.liveness.get('c1'), 'failure');
  assert.deepEqual(wakes, [], 'nothing acts on the probes of a stopped container');
  assert.equal(x.calls.length, 2, 'no attempts after the container stopped');
});
