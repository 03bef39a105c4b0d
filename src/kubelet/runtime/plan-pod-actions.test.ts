import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Container, Pod } from '../../api/api.ts';
import { containerHash } from './labels.ts';
import type { PodRuntimeState, RuntimeContainer, RuntimeContainerState } from '../container/pod-runtime-state.ts';
import type { ProbeResults } from '../container/probe-results.ts';
import { planPodActions, type PodActions } from './plan-pod-actions.ts';

// Fixtures: a pod with init containers i1, i2 (optionally a sidecar s) and app containers a, b.

function c(name: string, extra: Partial<Container> = {}): Container {
  return { name, image: 'busybox:1.35', ...extra };
}

function pod(opts: { policy?: string; inits?: Container[]; apps?: Container[]; deleting?: boolean } = {}): Pod {
  return {
    metadata: { name: 'p', namespace: 'default', uid: 'u1', ...(opts.deleting ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}) },
    spec: {
      restartPolicy: opts.policy ?? 'Always',
      initContainers: opts.inits ?? [c('i1'), c('i2')],
      containers: opts.apps ?? [c('a'), c('b')],
    },
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
    hash: containerHash({ name, image: 'busybox:1.35' }),
    kind: '',
    image: 'busybox:1.35',
    imageRef: 'sha256:x',
    createdAt: seq,
    startedAt: seq,
    finishedAt: state === 'exited' ? seq : 0,
    exitCode,
    reason: state === 'exited' ? (exitCode === 0 ? 'Completed' : 'Error') : '',
    message: '',
    logPath: '',
    annotations: {},
    ...extra,
  };
}

/** Runtime state with a ready sandbox; `containers` newest first. */
function rt(containers: RuntimeContainer[], sandbox: { ready?: boolean; ip?: string } = {}): PodRuntimeState {
  return {
    uid: 'u1',
    sandboxes: [{ id: 'sb1', ready: sandbox.ready ?? true, attempt: 0, createdAt: 0, ip: sandbox.ip ?? '10.244.0.5', hostNetwork: false }],
    containers,
  };
}

function summary(a: PodActions) {
  return {
    killPod: a.killPod,
    createSandbox: a.createSandbox,
    init: a.initContainersToStart,
    start: a.containersToStart,
    kill: a.containersToKill.map((k) => k.message),
  };
}

const none = { killPod: false, createSandbox: false, init: [], start: [], kill: [] };

interface Row {
  name: string;
  pod: Pod;
  state: PodRuntimeState;
  probes?: ProbeResults;
  want: ReturnType<typeof summary>;
}

const sidecar = (extra: Partial<Container> = {}) => c('s', { restartPolicy: 'Always', ...extra });
const probes = (startup: [string, 'success' | 'failure'][] = [], liveness: [string, 'success' | 'failure'][] = []): ProbeResults => ({
  startup: new Map(startup),
  liveness: new Map(liveness),
});

const rows: Row[] = [
  {
    name: 'planner creates the sandbox and starts init container 0 when nothing exists',
    pod: pod(),
    state: { uid: 'u1', sandboxes: [], containers: [] },
    want: { ...none, killPod: true, createSandbox: true, init: [0] },
  },
  {
    name: 'planner starts the app containers when a pod without init containers has a fresh sandbox',
    pod: pod({ inits: [] }),
    state: { uid: 'u1', sandboxes: [], containers: [] },
    want: { ...none, killPod: true, createSandbox: true, start: [0, 1] },
  },
  {
    name: 'planner starts init container 0 when the sandbox is ready and no container exists',
    pod: pod(),
    state: rt([]),
    want: { ...none, init: [0] },
  },
  {
    name: 'planner waits while a regular init container runs',
    pod: pod(),
    state: rt([inst('i1', 'running')]),
    want: none,
  },
  {
    name: 'planner starts the next init container when the previous one exited 0',
    pod: pod(),
    state: rt([inst('i1', 'exited', 0)]),
    want: { ...none, init: [1] },
  },
  {
    name: 'planner starts the app containers when the last init container exited 0',
    pod: pod(),
    state: rt([inst('i2', 'exited', 0), inst('i1', 'exited', 0)]),
    want: { ...none, start: [0, 1] },
  },
  ...(['Always', 'OnFailure'] as const).map((policy) => ({
    name: `planner restarts a failed init container under ${policy}`,
    pod: pod({ policy }),
    state: rt([inst('i1', 'exited', 1)]),
    want: { ...none, init: [0] },
  })),
  {
    name: 'planner kills the pod when an init container fails under Never',
    pod: pod({ policy: 'Never' }),
    state: rt([inst('i2', 'exited', 2), inst('i1', 'exited', 0)]),
    want: { ...none, killPod: true },
  },
  {
    name: 'planner treats an OOMKilled init container as failed even with exit 0',
    pod: pod({ policy: 'Never' }),
    state: rt([inst('i1', 'exited', 0, { reason: 'OOMKilled' })]),
    want: { ...none, killPod: true },
  },
  {
    name: 'planner retries an init container left in created state',
    pod: pod(),
    state: rt([inst('i1', 'created')]),
    want: { ...none, init: [0] },
  },
  {
    name: 'planner kills and restarts an init container in unknown state under Always',
    pod: pod(),
    state: rt([inst('i1', 'unknown')]),
    want: { ...none, init: [0], kill: ['Init container is in "unknown" state, try killing it before restart'] },
  },
  {
    name: 'planner never re-runs init containers once an app container runs, even if their records are gone',
    pod: pod(),
    state: rt([inst('a', 'running'), inst('b', 'running')]),
    want: none,
  },
  {
    name: 'planner restarts an exited app container under Always without touching init containers',
    pod: pod(),
    state: rt([inst('a', 'exited', 0), inst('b', 'running'), inst('i2', 'exited', 0), inst('i1', 'exited', 0)]),
    want: { ...none, start: [0] },
  },
  {
    name: 'planner restarts a failed app container under OnFailure',
    pod: pod({ policy: 'OnFailure' }),
    state: rt([inst('a', 'exited', 1), inst('b', 'running'), inst('i2', 'exited'), inst('i1', 'exited')]),
    want: { ...none, start: [0] },
  },
  {
    name: 'planner leaves a succeeded app container alone under OnFailure',
    pod: pod({ policy: 'OnFailure' }),
    state: rt([inst('a', 'exited', 0), inst('b', 'running'), inst('i2', 'exited'), inst('i1', 'exited')]),
    want: none,
  },
  {
    name: 'planner kills the pod when every app container is done under Never',
    pod: pod({ policy: 'Never' }),
    state: rt([inst('a', 'exited', 0), inst('b', 'exited', 1), inst('i2', 'exited'), inst('i1', 'exited')]),
    want: { ...none, killPod: true },
  },
  {
    name: 'planner kills the pod when every app container succeeded under OnFailure',
    pod: pod({ policy: 'OnFailure' }),
    state: rt([inst('a', 'exited', 0), inst('b', 'exited', 0), inst('i2', 'exited'), inst('i1', 'exited')]),
    want: { ...none, killPod: true },
  },
  {
    name: 'planner restarts a running app container whose image changed, even under Never',
    pod: pod({ policy: 'Never', apps: [c('a', { image: 'busybox:1.36' }), c('b')] }),
    state: rt([inst('a', 'running'), inst('b', 'running'), inst('i2', 'exited'), inst('i1', 'exited')]),
    want: { ...none, start: [0], kill: ['Container a definition changed, will be restarted'] },
  },
  {
    name: 'planner restarts an app container that failed its liveness probe under Always',
    pod: pod(),
    state: rt([inst('a', 'running', 0, { id: 'a-live' }), inst('b', 'running'), inst('i2', 'exited'), inst('i1', 'exited')]),
    probes: probes([], [['a-live', 'failure']]),
    want: { ...none, start: [0], kill: ['Container a failed liveness probe, will be restarted'] },
  },
  {
    name: 'planner kills without restart an app container that failed liveness under Never',
    pod: pod({ policy: 'Never' }),
    state: rt([inst('a', 'running', 0, { id: 'a-live' }), inst('b', 'running'), inst('i2', 'exited'), inst('i1', 'exited')]),
    probes: probes([], [['a-live', 'failure']]),
    want: { ...none, kill: ['Container a failed liveness probe'] },
  },
  {
    name: 'planner starts nothing for a pod being deleted once its apps are gone',
    pod: pod({ deleting: true }),
    state: rt([inst('a', 'exited', 0), inst('b', 'exited', 0), inst('i2', 'exited'), inst('i1', 'exited')]),
    want: { ...none, killPod: true },
  },
  {
    name: 'planner recreates the sandbox and restarts from init container 0 when the sandbox died',
    pod: pod(),
    state: rt([inst('a', 'exited', 137), inst('b', 'exited', 137), inst('i2', 'exited'), inst('i1', 'exited')], { ready: false }),
    want: { ...none, killPod: true, createSandbox: true, init: [0] },
  },
  {
    name: 'planner does not recreate a lost sandbox under Never once containers ran',
    pod: pod({ policy: 'Never' }),
    state: {
      ...rt([inst('i1', 'exited', 0)], { ready: false }),
      sandboxes: [{ id: 'sb1', ready: false, attempt: 0, createdAt: 0, ip: '', hostNetwork: false }],
    },
    want: { ...none, killPod: true, createSandbox: false },
  },
  {
    name: 'planner recreates a sandbox that has no IP',
    pod: pod(),
    state: rt([], { ip: '' }),
    want: { ...none, killPod: true, createSandbox: true, init: [0] },
  },
  // Native sidecars (restartable init containers, kuberuntime_container.go computeInitContainerActions).
  {
    name: 'planner starts the next init container as soon as a sidecar without startupProbe runs',
    pod: pod({ inits: [sidecar(), c('i2')] }),
    state: rt([inst('s', 'running')]),
    want: { ...none, init: [1] },
  },
  {
    name: 'planner waits for a sidecar startupProbe before the next init container',
    pod: pod({ inits: [sidecar({ startupProbe: { exec: { command: ['true'] } } }), c('i2')] }),
    state: rt([inst('s', 'running', 0, { id: 's-1' })]),
    want: none,
  },
  {
    name: 'planner starts the next init container once the sidecar startupProbe succeeded',
    pod: pod({ inits: [sidecar({ startupProbe: { exec: { command: ['true'] } } }), c('i2')] }),
    state: rt([inst('s', 'running', 0, { id: 's-1' })]),
    probes: probes([['s-1', 'success']]),
    want: { ...none, init: [1] },
  },
  {
    name: 'planner kills and restarts a sidecar whose startupProbe failed',
    pod: pod({ inits: [sidecar({ startupProbe: { exec: { command: ['true'] } } }), c('i2')] }),
    state: rt([inst('s', 'running', 0, { id: 's-1' })]),
    probes: probes([['s-1', 'failure']]),
    want: { ...none, init: [0], kill: ['Init container s failed startup probe'] },
  },
  {
    name: 'planner restarts an exited sidecar under Never',
    pod: pod({ policy: 'Never', inits: [sidecar(), c('i2')] }),
    state: rt([inst('i2', 'running'), inst('s', 'exited', 0)]),
    want: { ...none, init: [0] },
  },
  {
    name: 'planner restarts a crashed sidecar after initialization while apps keep running',
    pod: pod({ inits: [sidecar(), c('i2')] }),
    state: rt([inst('a', 'running'), inst('b', 'running'), inst('s', 'exited', 1), inst('i2', 'exited')]),
    want: { ...none, init: [0] },
  },
  {
    name: 'planner starts the apps when the last init container is a started sidecar',
    pod: pod({ inits: [c('i1'), sidecar()] }),
    state: rt([inst('s', 'running'), inst('i1', 'exited', 0)]),
    want: { ...none, start: [0, 1] },
  },
  {
    name: 'planner kills the pod and does not restart sidecars when apps completed under Never',
    pod: pod({ policy: 'Never', inits: [sidecar(), c('i2')] }),
    state: rt([inst('a', 'exited', 0), inst('b', 'exited', 0), inst('s', 'exited', 143), inst('i2', 'exited')]),
    want: { ...none, killPod: true },
  },
  {
    name: 'planner restarts a sidecar that failed liveness without touching apps',
    pod: pod({ inits: [sidecar({ livenessProbe: { exec: { command: ['true'] } } }), c('i2')] }),
    state: rt([inst('a', 'running'), inst('b', 'running'), inst('s', 'running', 0, { id: 's-1' }), inst('i2', 'exited')]),
    probes: probes([], [['s-1', 'failure']]),
    want: { ...none, init: [0], kill: ['Init container s failed liveness probe'] },
  },
  {
    name: 'planner restarts a sidecar whose image changed',
    pod: pod({ inits: [sidecar({ image: 'busybox:1.36' }), c('i2')] }),
    state: rt([inst('a', 'running'), inst('b', 'running'), inst('s', 'running'), inst('i2', 'exited')]),
    want: { ...none, init: [0], kill: ['Init container s definition changed'] },
  },
  {
    name: 'planner kills the pod when a regular init container fails after a sidecar started under Never',
    pod: pod({ policy: 'Never', inits: [sidecar(), c('i2')] }),
    state: rt([inst('i2', 'exited', 1), inst('s', 'running')]),
    want: { ...none, killPod: true },
  },
  {
    name: 'planner retries a failed init container while the earlier sidecar keeps running under OnFailure',
    pod: pod({ policy: 'OnFailure', inits: [sidecar(), c('i2')] }),
    state: rt([inst('i2', 'exited', 1), inst('s', 'running')]),
    want: { ...none, init: [1] },
  },
  {
    name: 'planner ignores an image change of a completed regular init container',
    pod: pod({ inits: [c('i1', { image: 'busybox:1.36' }), c('i2')] }),
    state: rt([inst('a', 'running'), inst('b', 'running'), inst('i2', 'exited'), inst('i1', 'exited')]),
    want: none,
  },
  // The rest of the table: regular containers by exit and policy (computePodActions, ShouldContainerBeRestarted).
  {
    name: 'planner restarts an app container that failed under Always',
    pod: pod(),
    state: rt([inst('a', 'exited', 2), inst('b', 'running'), inst('i2', 'exited'), inst('i1', 'exited')]),
    want: { ...none, start: [0] },
  },
  {
    name: 'planner leaves a failed app container alone under Never while another still runs',
    pod: pod({ policy: 'Never' }),
    state: rt([inst('a', 'exited', 1), inst('b', 'running'), inst('i2', 'exited'), inst('i1', 'exited')]),
    want: none,
  },
  {
    name: 'planner leaves an app container that exited 0 alone under Never while another still runs',
    pod: pod({ policy: 'Never' }),
    state: rt([inst('a', 'exited', 0), inst('b', 'running'), inst('i2', 'exited'), inst('i1', 'exited')]),
    want: none,
  },
  {
    name: 'planner restarts both app containers under Always when both exited',
    pod: pod(),
    state: rt([inst('a', 'exited', 0), inst('b', 'exited', 1), inst('i2', 'exited'), inst('i1', 'exited')]),
    want: { ...none, start: [0, 1] },
  },
  {
    name: 'planner starts an app container left in created state',
    pod: pod(),
    state: rt([inst('a', 'created'), inst('b', 'running'), inst('i2', 'exited'), inst('i1', 'exited')]),
    want: { ...none, start: [0] },
  },
  {
    name: 'planner kills and restarts an app container in unknown state',
    pod: pod({ policy: 'Never' }),
    state: rt([inst('a', 'unknown'), inst('b', 'running'), inst('i2', 'exited'), inst('i1', 'exited')]),
    want: { ...none, start: [0], kill: ['Container is in "unknown" state, try killing it before restart'] },
  },
  {
    name: 'planner restarts an app container that failed its startup probe under OnFailure',
    pod: pod({ policy: 'OnFailure' }),
    state: rt([inst('a', 'running', 0, { id: 'a-s' }), inst('b', 'running'), inst('i2', 'exited'), inst('i1', 'exited')]),
    probes: probes([['a-s', 'failure']]),
    want: { ...none, start: [0], kill: ['Container a failed startup probe, will be restarted'] },
  },
  {
    name: 'planner kills the pod under Never when a regular init container is in unknown state',
    pod: pod({ policy: 'Never' }),
    state: rt([inst('i1', 'unknown')]),
    want: { ...none, killPod: true },
  },
  {
    name: 'planner waits for a running regular init container even when a later one has no record',
    pod: pod({ inits: [c('i1'), c('i2'), c('i3')] }),
    state: rt([inst('i2', 'running'), inst('i1', 'exited', 0)]),
    want: none,
  },
  {
    name: 'planner lets a running regular init container finish with its old image',
    pod: pod({ inits: [c('i1', { image: 'busybox:1.36' }), c('i2')] }),
    state: rt([inst('i1', 'running')]),
    want: none,
  },
  {
    name: 'planner does not restart a regular init container whose record vanished after initialization',
    pod: pod(),
    state: rt([inst('a', 'running'), inst('b', 'exited', 1)]),
    want: { ...none, start: [1] },
  },
  {
    name: 'planner does not recreate a lost sandbox under OnFailure when every app container succeeded',
    pod: pod({ policy: 'OnFailure' }),
    state: rt([inst('a', 'exited', 0), inst('b', 'exited', 0), inst('i2', 'exited'), inst('i1', 'exited')], { ready: false }),
    want: { ...none, killPod: true, createSandbox: false },
  },
  {
    name: 'planner recreates a lost sandbox under OnFailure when an app container still has to succeed',
    pod: pod({ policy: 'OnFailure' }),
    state: rt([inst('a', 'exited', 0), inst('b', 'exited', 137), inst('i2', 'exited'), inst('i1', 'exited')], { ready: false }),
    want: { ...none, killPod: true, createSandbox: true, init: [0] },
  },
  // Sidecars: every policy restarts them, and they never keep a finished pod alive.
  ...(['Always', 'OnFailure', 'Never'] as const).map((policy) => ({
    name: `planner restarts a sidecar that exited 0 after initialization under ${policy}`,
    pod: pod({ policy, inits: [sidecar(), c('i2')] }),
    state: rt([inst('a', 'running'), inst('b', 'running'), inst('s', 'exited', 0), inst('i2', 'exited')]),
    want: { ...none, init: [0] },
  })),
  {
    name: 'planner restarts a sidecar whose record vanished after initialization',
    pod: pod({ inits: [sidecar(), c('i2')] }),
    state: rt([inst('a', 'running'), inst('b', 'running'), inst('i2', 'exited')]),
    want: { ...none, init: [0] },
  },
  {
    name: 'planner kills and restarts a sidecar in unknown state',
    pod: pod({ policy: 'Never', inits: [sidecar(), c('i2')] }),
    state: rt([inst('i2', 'running'), inst('s', 'unknown')]),
    want: { ...none, init: [0], kill: ['Init container is in "unknown" state, try killing it before restart'] },
  },
  {
    name: 'planner starts the second sidecar only after the first passed its startup probe',
    pod: pod({ inits: [sidecar({ startupProbe: { exec: { command: ['true'] } } }), c('s2', { restartPolicy: 'Always', startupProbe: { exec: { command: ['true'] } } })] }),
    state: rt([inst('s2', 'running', 0, { id: 's2-1' }), inst('s', 'running', 0, { id: 's-1' })]),
    probes: probes([['s-1', 'success']]),
    want: none,
  },
  {
    name: 'planner starts the apps once the last sidecar passed its startup probe',
    pod: pod({ inits: [sidecar({ startupProbe: { exec: { command: ['true'] } } }), c('s2', { restartPolicy: 'Always', startupProbe: { exec: { command: ['true'] } } })] }),
    state: rt([inst('s2', 'running', 0, { id: 's2-1' }), inst('s', 'running', 0, { id: 's-1' })]),
    probes: probes([['s-1', 'success'], ['s2-1', 'success']]),
    want: { ...none, start: [0, 1] },
  },
  {
    name: 'planner restarts a sidecar that recovered from a failed startup probe and keeps the next init container waiting',
    pod: pod({ inits: [sidecar({ startupProbe: { exec: { command: ['true'] } } }), c('i2')] }),
    state: rt([inst('s', 'exited', 137, { id: 's-1' })]),
    probes: probes([['s-1', 'failure']]),
    want: { ...none, init: [0] },
  },
  {
    name: 'planner completes an OnFailure pod with a running sidecar once every app container succeeded',
    pod: pod({ policy: 'OnFailure', inits: [sidecar(), c('i2')] }),
    state: rt([inst('a', 'exited', 0), inst('b', 'exited', 0), inst('s', 'running'), inst('i2', 'exited')]),
    want: { ...none, killPod: true },
  },
  {
    name: 'planner keeps an Always pod with sidecars running when an app container exits',
    pod: pod({ inits: [sidecar(), c('i2')] }),
    state: rt([inst('a', 'exited', 0), inst('b', 'running'), inst('s', 'running'), inst('i2', 'exited')]),
    want: { ...none, start: [0] },
  },
  {
    name: 'planner does not restart a sidecar when a liveness failure arrives for a sidecar without a liveness probe',
    pod: pod({ inits: [sidecar(), c('i2')] }),
    state: rt([inst('a', 'running'), inst('b', 'running'), inst('s', 'running', 0, { id: 's-1' }), inst('i2', 'exited')]),
    probes: probes([], [['s-1', 'failure']]),
    want: none,
  },
];

for (const row of rows) {
  test(row.name, () => {
    assert.deepEqual(summary(planPodActions(row.pod, row.state, row.probes)), row.want);
  });
}
