import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Container, ContainerStatus, Pod, PodStatus } from '../../api/api.ts';
import type { PodRuntimeState, RuntimeContainer, RuntimeContainerState } from '../container/pod-runtime-state.ts';
import { noProbes, type ProbeView } from '../container/probe-results.ts';
import type { StartFailure } from '../container/start-failure.ts';
import { generatePodStatus } from './generate-status.ts';

const T0 = Date.parse('2026-03-01T10:00:00Z');

function c(name: string, extra: Partial<Container> = {}): Container {
  return { name, image: 'busybox:1.35', ...extra };
}

function pod(opts: { policy?: string; inits?: Container[]; apps?: Container[]; deleting?: boolean; gates?: string[] } = {}): Pod {
  return {
    metadata: { name: 'p', namespace: 'default', uid: 'u1', ...(opts.deleting ? { deletionTimestamp: '2026-03-01T10:05:00Z' } : {}) },
    spec: {
      restartPolicy: opts.policy ?? 'Always',
      initContainers: opts.inits ?? [],
      containers: opts.apps ?? [c('app')],
      ...(opts.gates ? { readinessGates: opts.gates.map((g) => ({ conditionType: g })) } : {}),
    },
    status: { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'True' }] },
  };
}

let seq = 0;
function inst(name: string, state: RuntimeContainerState, exitCode = 0, extra: Partial<RuntimeContainer> = {}): RuntimeContainer {
  seq++;
  return {
    id: `${name}-${seq}`,
    sandboxId: 'sb1',
    name,
    state,
    restartCount: 0,
    hash: '',
    kind: '',
    image: 'docker.io/library/busybox:1.35',
    imageRef: 'sha256:abc',
    createdAt: T0 + seq * 1000,
    startedAt: state === 'created' ? 0 : T0 + seq * 1000,
    finishedAt: state === 'exited' ? T0 + seq * 1000 + 500 : 0,
    exitCode,
    reason: state === 'exited' ? (exitCode === 0 ? 'Completed' : 'Error') : '',
    message: '',
    logPath: '',
    annotations: {},
    ...extra,
  };
}

/** Runtime state with one ready sandbox; `containers` newest first. */
function rt(containers: RuntimeContainer[], ready = true): PodRuntimeState {
  return { uid: 'u1', sandboxes: [{ id: 'sb1', ready, attempt: 0, createdAt: T0, ip: ready ? '10.244.0.7' : '', hostNetwork: false }], containers };
}

function gen(
  p: Pod,
  state: PodRuntimeState,
  opts: { previous?: PodStatus; failures?: Map<string, StartFailure>; probes?: ProbeView; terminal?: boolean } = {},
): PodStatus {
  return generatePodStatus({
    pod: p,
    state,
    previous: opts.previous ?? p.status ?? {},
    failures: opts.failures ?? new Map(),
    probes: opts.probes ?? noProbes,
    podIsTerminal: opts.terminal ?? false,
    hostIP: '10.244.0.1',
  });
}

const conds = (s: PodStatus) => (s.conditions ?? []).map((x) => [x.type, x.status, x.reason ?? '', x.message ?? ''].join('|'));
const byName = (list: ContainerStatus[] | undefined, name: string) => list!.find((s) => s.name === name)!;

test('status generator reports a pod whose first init container runs as Pending with Kubernetes condition order and texts', () => {
  const p = pod({ inits: [c('init1'), c('sidecar', { restartPolicy: 'Always' })], apps: [c('web'), c('app')] });
  const s = gen(p, rt([inst('init1', 'running')]));
  assert.equal(s.phase, 'Pending');
  assert.equal(s.podIP, '10.244.0.7');
  assert.deepEqual(s.hostIPs, [{ ip: '10.244.0.1' }]);
  assert.deepEqual(conds(s), [
    'PodReadyToStartContainers|True||',
    'Initialized|False|ContainersNotInitialized|containers with incomplete status: [init1 sidecar]',
    'Ready|False|ContainersNotReady|containers with unready status: [sidecar web app]',
    'ContainersReady|False|ContainersNotReady|containers with unready status: [sidecar web app]',
    'PodScheduled|True||',
  ]);
  assert.deepEqual(s.initContainerStatuses!.map((x) => x.name), ['init1', 'sidecar'], 'init statuses follow the spec');
  assert.deepEqual(s.containerStatuses!.map((x) => x.name), ['app', 'web'], 'container statuses are sorted by name');
  const init1 = byName(s.initContainerStatuses, 'init1');
  assert.equal(init1.started, true);
  assert.equal(init1.ready, false);
  assert.equal(init1.containerID?.startsWith('containerd://init1-'), true);
  assert.equal(init1.image, 'docker.io/library/busybox:1.35');
  assert.equal(init1.imageID, 'sha256:abc');
  assert.ok(init1.state?.running?.startedAt);
  assert.deepEqual(byName(s.initContainerStatuses, 'sidecar').state, { waiting: { reason: 'PodInitializing' } });
  const app = byName(s.containerStatuses, 'app');
  assert.deepEqual(app.state, { waiting: { reason: 'PodInitializing' } });
  assert.equal(app.restartCount, 0);
  assert.equal(app.started, false);
  assert.equal(app.imageID, '');
});

test('status generator defaults containers of a pod without init containers to ContainerCreating', () => {
  const s = gen(pod(), rt([]));
  assert.deepEqual(byName(s.containerStatuses, 'app').state, { waiting: { reason: 'ContainerCreating' } });
  assert.equal(s.initContainerStatuses, undefined);
  assert.equal(conds(s)[1], 'Initialized|True||');
});

test('status generator shows a crash-looping init container as waiting CrashLoopBackOff with its last run, pod Pending', () => {
  const p = pod({ inits: [c('init1')] });
  const failures = new Map([['init1', { reason: 'CrashLoopBackOff', message: 'back-off 20s restarting failed container=init1 pod=p_default(u1)' }]]);
  const s = gen(p, rt([inst('init1', 'exited', 1, { restartCount: 2 }), inst('init1', 'exited', 1, { restartCount: 1 })]), { failures });
  const init1 = byName(s.initContainerStatuses, 'init1');
  assert.deepEqual(init1.state, { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 20s restarting failed container=init1 pod=p_default(u1)' } });
  assert.equal(init1.lastState?.terminated?.exitCode, 1);
  assert.equal(init1.lastState?.terminated?.reason, 'Error');
  assert.equal(init1.restartCount, 2);
  assert.equal(s.phase, 'Pending');
});

test('status generator keeps showing Error until a start failure is recorded', () => {
  const p = pod({ inits: [c('init1')] });
  const s = gen(p, rt([inst('init1', 'exited', 3)]));
  const init1 = byName(s.initContainerStatuses, 'init1');
  assert.equal(init1.state?.terminated?.exitCode, 3);
  assert.equal(init1.state?.terminated?.reason, 'Error');
  assert.equal(s.phase, 'Pending');
});

test('status generator fails a Never pod whose init container failed, with an empty reason', () => {
  const p = pod({ policy: 'Never', inits: [c('init1'), c('init2')] });
  const s = gen(p, rt([inst('init1', 'exited', 1)], false));
  assert.equal(s.phase, 'Failed');
  assert.equal(s.reason, undefined);
  assert.deepEqual(byName(s.initContainerStatuses, 'init2').state, { waiting: { reason: 'PodInitializing' } });
  assert.deepEqual(conds(s).slice(0, 4), [
    'PodReadyToStartContainers|False||',
    'Initialized|False|ContainersNotInitialized|containers with incomplete status: [init1 init2]',
    'Ready|False|PodFailed|',
    'ContainersReady|False|PodFailed|',
  ]);
});

test('status generator counts a started sidecar as ready and the pod Running once the app runs', () => {
  const p = pod({ inits: [c('init1'), c('sidecar', { restartPolicy: 'Always' })] });
  const s = gen(p, rt([inst('app', 'running'), inst('sidecar', 'running'), inst('init1', 'exited', 0)]));
  assert.equal(s.phase, 'Running');
  const init1 = byName(s.initContainerStatuses, 'init1');
  assert.equal(init1.ready, true, 'a completed init container is ready');
  assert.equal(init1.started, false);
  const sidecar = byName(s.initContainerStatuses, 'sidecar');
  assert.equal(sidecar.started, true);
  assert.equal(sidecar.ready, true);
  assert.deepEqual(conds(s).slice(1, 4), ['Initialized|True||', 'Ready|True||', 'ContainersReady|True||']);
});

test('status generator gates started on the startup probe and ready on the readiness probe', () => {
  const p = pod({
    apps: [c('app', { startupProbe: { exec: { command: ['true'] } }, readinessProbe: { exec: { command: ['true'] } } })],
  });
  const state = rt([inst('app', 'running', 0, { id: 'app-x' })]);
  const none = gen(p, state);
  assert.equal(byName(none.containerStatuses, 'app').started, false);
  assert.equal(byName(none.containerStatuses, 'app').ready, false);
  const startedOnly = gen(p, state, { probes: { startup: () => 'success', readiness: () => 'failure' } });
  assert.equal(byName(startedOnly.containerStatuses, 'app').started, true);
  assert.equal(byName(startedOnly.containerStatuses, 'app').ready, false);
  assert.equal(conds(startedOnly)[3], 'ContainersReady|False|ContainersNotReady|containers with unready status: [app]');
  const ready = gen(p, state, { probes: { startup: (id) => (id === 'app-x' ? 'success' : undefined), readiness: () => 'success' } });
  assert.equal(byName(ready.containerStatuses, 'app').ready, true);
  assert.equal(ready.phase, 'Running');
});

test('status generator reports readiness gates that are missing or not True', () => {
  const p = pod({ gates: ['example.com/lb', 'example.com/db'] });
  p.status!.conditions!.push({ type: 'example.com/db', status: 'False' });
  const s = gen(p, rt([inst('app', 'running')]));
  const ready = s.conditions!.find((x) => x.type === 'Ready')!;
  assert.equal(ready.status, 'False');
  assert.equal(ready.reason, 'ReadinessGatesNotReady');
  assert.equal(
    ready.message,
    'corresponding condition of pod readiness gate "example.com/lb" does not exist., the status of pod readiness gate "example.com/db" is not "True", but False',
  );
  assert.ok(s.conditions!.some((x) => x.type === 'example.com/db'), 'conditions owned by others are kept');
});

test('status generator completes a Never pod with PodCompleted conditions', () => {
  const p = pod({ policy: 'Never', inits: [c('init1')] });
  const s = gen(p, rt([inst('app', 'exited', 0), inst('init1', 'exited', 0)]), { terminal: true });
  assert.equal(s.phase, 'Succeeded');
  assert.deepEqual(conds(s).slice(1, 4), ['Initialized|True|PodCompleted|', 'Ready|False|PodCompleted|', 'ContainersReady|False|PodCompleted|']);
});

test('status generator decides the phase from regular containers only when a sidecar failed', () => {
  const p = pod({ policy: 'Never', inits: [c('sidecar', { restartPolicy: 'Always' })] });
  const s = gen(p, rt([inst('sidecar', 'exited', 1), inst('app', 'exited', 0)]), { terminal: true });
  assert.equal(s.phase, 'Succeeded');
  assert.equal(byName(s.initContainerStatuses, 'sidecar').state?.terminated?.exitCode, 1);
});

test('status generator reports Succeeded when a deleted Always pod exited 0 and Failed when it was killed', () => {
  const p = pod({ deleting: true });
  assert.equal(gen(p, rt([inst('app', 'exited', 0)], false), { terminal: true }).phase, 'Succeeded');
  assert.equal(gen(p, rt([inst('app', 'exited', 137)], false), { terminal: true }).phase, 'Failed');
  assert.equal(gen(p, rt([inst('app', 'exited', 0)], false)).phase, 'Running', 'an Always pod that is not terminal is restarting');
});

test('status generator never moves a terminal phase back and keeps its reason', () => {
  const p = pod();
  const previous: PodStatus = { phase: 'Failed', reason: 'DeadlineExceeded', message: 'Pod was active on the node longer than the specified deadline' };
  const s = gen(p, rt([inst('app', 'running')]), { previous });
  assert.equal(s.phase, 'Failed');
  assert.equal(s.reason, 'DeadlineExceeded');
  assert.equal(s.message, 'Pod was active on the node longer than the specified deadline');
});

test('status generator keeps a completed init container terminated after its runtime record is gone', () => {
  const p = pod({ inits: [c('init1')] });
  const first = gen(p, rt([inst('app', 'running'), inst('init1', 'exited', 0)]));
  const later = gen(p, rt([inst('app', 'running')]), { previous: first });
  assert.deepEqual(byName(later.initContainerStatuses, 'init1').state, byName(first.initContainerStatuses, 'init1').state);
  assert.equal(later.phase, 'Running');
});

test('status generator marks a vanished running container with ContainerStatusUnknown and counts a restart', () => {
  const p = pod();
  const first = gen(p, rt([inst('app', 'running', 0, { restartCount: 1 })]));
  const later = gen(p, rt([]), { previous: first });
  const app = byName(later.containerStatuses, 'app');
  assert.deepEqual(app.state, { waiting: { reason: 'ContainerCreating' } });
  assert.deepEqual(app.lastState, {
    terminated: {
      reason: 'ContainerStatusUnknown',
      message: 'The container could not be located when the pod was deleted.  The container used to be Running',
      exitCode: 137,
    },
  });
  assert.equal(app.restartCount, 2);
});

test('status generator shows the newest instance as state and the one before as lastState', () => {
  const p = pod();
  const s = gen(p, rt([inst('app', 'running', 0, { restartCount: 2 }), inst('app', 'exited', 2, { restartCount: 1, message: 'boom' })]));
  const app = byName(s.containerStatuses, 'app');
  assert.ok(app.state?.running);
  assert.equal(app.restartCount, 2);
  assert.equal(app.lastState?.terminated?.exitCode, 2);
  assert.equal(app.lastState?.terminated?.message, 'boom');
  assert.match(app.lastState?.terminated?.containerID ?? '', /^containerd:\/\/app-/);
});

test('status generator reports a container created but never started as waiting without a reason', () => {
  const s = gen(pod(), rt([inst('app', 'created')]));
  assert.deepEqual(byName(s.containerStatuses, 'app').state, { waiting: {} });
});

test('status generator shows PostStartHookError as the waiting reason of a container that will restart', () => {
  const failures = new Map([['app', { reason: 'PostStartHookError', message: 'Exec lifecycle hook ([false]) failed' }]]);
  const s = gen(pod(), rt([inst('app', 'exited', 137)]), { failures });
  const app = byName(s.containerStatuses, 'app');
  assert.equal(app.state?.waiting?.reason, 'PostStartHookError');
  assert.equal(app.lastState?.terminated?.exitCode, 137);
  const never = gen(pod({ policy: 'Never' }), rt([inst('app', 'exited', 137)]), { failures });
  assert.equal(byName(never.containerStatuses, 'app').state?.terminated?.exitCode, 137, 'a container that will not restart keeps its terminated state');
});

test('status generator shows a crash-looping sidecar of a Never pod terminated with its last exit, as v1.33, and the pod Running', () => {
  const failures = new Map([['sidecar', { reason: 'CrashLoopBackOff', message: 'back-off 20s restarting failed container=sidecar pod=p_default(u1)' }]]);
  const state = () => rt([inst('app', 'running'), inst('sidecar', 'exited', 1, { restartCount: 2 }), inst('sidecar', 'exited', 1, { restartCount: 1 })]);
  const never = gen(pod({ policy: 'Never', inits: [c('sidecar', { restartPolicy: 'Always' })] }), state(), { failures });
  const sidecar = byName(never.initContainerStatuses, 'sidecar');
  assert.equal(sidecar.state?.terminated?.exitCode, 1, 'ShouldContainerBeRestarted is false under Never: no waiting reason');
  assert.equal(sidecar.state?.terminated?.reason, 'Error');
  assert.equal(sidecar.lastState?.terminated?.exitCode, 1);
  assert.equal(sidecar.restartCount, 2);
  assert.equal(never.phase, 'Running', 'a terminated sidecar does not decide the phase');

  const always = gen(pod({ policy: 'Always', inits: [c('sidecar', { restartPolicy: 'Always' })] }), state(), { failures });
  assert.equal(byName(always.initContainerStatuses, 'sidecar').state?.waiting?.reason, 'CrashLoopBackOff');
  assert.equal(always.phase, 'Running');
});

test('status generator reports volumeMounts from the spec, then keeps them as first reported', () => {
  const mounts = [{ name: 'data', mountPath: '/data' }, { name: 'cfg', mountPath: '/etc/cfg', readOnly: true, recursiveReadOnly: 'IfPossible' }];
  const p = pod({ inits: [c('init1', { volumeMounts: [{ name: 'data', mountPath: '/work' }] })], apps: [c('app', { volumeMounts: mounts })] });
  const first = gen(p, rt([]));
  const want = [{ name: 'data', mountPath: '/data' }, { name: 'cfg', mountPath: '/etc/cfg', readOnly: true, recursiveReadOnly: 'Disabled' }];
  assert.deepEqual(byName(first.containerStatuses, 'app').volumeMounts, want);
  assert.deepEqual(byName(first.initContainerStatuses, 'init1').volumeMounts, [{ name: 'data', mountPath: '/work' }]);
  const running = gen(p, rt([inst('app', 'running'), inst('init1', 'exited', 0)]), { previous: first });
  assert.deepEqual(byName(running.containerStatuses, 'app').volumeMounts, want);
  assert.deepEqual(byName(running.initContainerStatuses, 'init1').volumeMounts, [{ name: 'data', mountPath: '/work' }]);
  const noPrevious = gen(p, rt([inst('app', 'running')]), { previous: {} });
  assert.equal(byName(noPrevious.containerStatuses, 'app').volumeMounts, undefined, 'a runtime instance takes them from the previous status only');
});

test('status generator reports the resources of running containers, init containers included', () => {
  const resources = { limits: { memory: '64Mi', cpu: '500m' }, requests: { memory: '32Mi', cpu: '250m' } };
  const p = pod({ inits: [c('sidecar', { restartPolicy: 'Always', resources })], apps: [c('app', { resources }), c('bare')] });
  const first = gen(p, rt([]));
  assert.equal(byName(first.containerStatuses, 'app').resources, undefined, 'not while waiting');
  const s = gen(p, rt([inst('bare', 'running'), inst('app', 'running'), inst('sidecar', 'running')]), { previous: first });
  const want = { limits: { cpu: '500m', memory: '64Mi' }, requests: { cpu: '250m', memory: '32Mi' } };
  assert.deepEqual(byName(s.containerStatuses, 'app').resources, want);
  assert.deepEqual(byName(s.initContainerStatuses, 'sidecar').resources, want);
  assert.deepEqual(byName(s.containerStatuses, 'bare').resources, {});
  assert.equal(JSON.stringify(byName(s.containerStatuses, 'app').resources), '{"limits":{"cpu":"500m","memory":"64Mi"},"requests":{"cpu":"250m","memory":"32Mi"}}');
});
