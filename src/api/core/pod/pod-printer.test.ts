import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ContainerStatus, Pod, PodCondition } from 'kubernetes-types/core/v1.js';
import { podPrinter, summarizePod } from './pod-printer.ts';

const NOW = Date.parse('2025-06-01T12:00:00Z');
const ago = (seconds: number): string => new Date(NOW - seconds * 1000).toISOString().replace('.000Z', 'Z');

const running = (name: string, extra: Partial<ContainerStatus> = {}): ContainerStatus => ({
  name,
  image: 'busybox',
  imageID: '',
  ready: true,
  started: true,
  restartCount: 0,
  state: { running: { startedAt: ago(100) } },
  ...extra,
});
const waiting = (name: string, reason: string, extra: Partial<ContainerStatus> = {}): ContainerStatus => ({
  name,
  image: 'busybox',
  imageID: '',
  ready: false,
  started: false,
  restartCount: 0,
  state: { waiting: { reason } },
  ...extra,
});
const terminated = (
  name: string,
  exitCode: number,
  reason?: string,
  extra: Partial<ContainerStatus> = {},
  signal?: number,
): ContainerStatus => ({
  name,
  image: 'busybox',
  imageID: '',
  ready: false,
  started: false,
  restartCount: 0,
  state: { terminated: { exitCode, reason, signal, finishedAt: ago(50) } },
  ...extra,
});
const cond = (type: string, status: string, reason?: string): PodCondition => ({ type, status, reason });

interface PodShape {
  /** Init containers in spec order; a leading `+` marks a sidecar (restartPolicy Always). */
  init?: string[];
  containers?: string[];
  phase?: string;
  reason?: string;
  conditions?: PodCondition[];
  initStatuses?: ContainerStatus[];
  statuses?: ContainerStatus[];
  deleting?: boolean;
  readinessGates?: string[];
}

function pod(p: PodShape): Pod {
  const initContainers = (p.init ?? []).map((n) =>
    n.startsWith('+') ? { name: n.slice(1), image: 'busybox', restartPolicy: 'Always' } : { name: n, image: 'busybox' },
  );
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: 'p',
      namespace: 'default',
      creationTimestamp: ago(120),
      ...(p.deleting ? { deletionTimestamp: ago(1) } : {}),
    },
    spec: {
      initContainers,
      containers: (p.containers ?? ['app']).map((name) => ({ name, image: 'busybox' })),
      readinessGates: p.readinessGates?.map((conditionType) => ({ conditionType })),
    },
    status: {
      phase: p.phase,
      reason: p.reason,
      conditions: p.conditions,
      initContainerStatuses: p.initStatuses,
      containerStatuses: p.statuses,
    },
  };
}

describe('summarizePod', () => {
  const cases: { name: string; pod: PodShape; ready: string; status: string; restarts?: string }[] = [
    { name: 'shows Pending and 0/1 when nothing is reported yet', pod: { phase: 'Pending' }, ready: '0/1', status: 'Pending' },
    {
      name: 'shows SchedulingGated when PodScheduled says so',
      pod: { phase: 'Pending', conditions: [cond('PodScheduled', 'False', 'SchedulingGated')] },
      ready: '0/1',
      status: 'SchedulingGated',
    },
    {
      name: 'shows Init:0/2 while the first init container runs',
      pod: {
        phase: 'Pending',
        init: ['i1', 'i2'],
        initStatuses: [running('i1', { ready: false }), waiting('i2', 'PodInitializing')],
        statuses: [waiting('app', 'PodInitializing')],
      },
      ready: '0/1',
      status: 'Init:0/2',
    },
    {
      name: 'shows Init:0/2 while the first init container waits with PodInitializing',
      pod: {
        phase: 'Pending',
        init: ['i1', 'i2'],
        initStatuses: [waiting('i1', 'PodInitializing'), waiting('i2', 'PodInitializing')],
      },
      ready: '0/1',
      status: 'Init:0/2',
    },
    {
      name: 'shows Init:1/2 once the first init container exited 0',
      pod: {
        phase: 'Pending',
        init: ['i1', 'i2'],
        initStatuses: [terminated('i1', 0, 'Completed'), running('i2', { ready: false })],
      },
      ready: '0/1',
      status: 'Init:1/2',
    },
    {
      name: 'shows PodInitializing when init is done and the app is not created yet',
      pod: {
        phase: 'Pending',
        init: ['i1', 'i2'],
        conditions: [cond('Initialized', 'True')],
        initStatuses: [terminated('i1', 0, 'Completed'), terminated('i2', 0, 'Completed')],
        statuses: [waiting('app', 'PodInitializing')],
      },
      ready: '0/1',
      status: 'PodInitializing',
    },
    {
      name: 'shows ContainerCreating for a pod without init containers',
      pod: { phase: 'Pending', statuses: [waiting('app', 'ContainerCreating')] },
      ready: '0/1',
      status: 'ContainerCreating',
    },
    {
      name: 'shows Init:Error when an init container failed with a reason',
      pod: { phase: 'Pending', init: ['i1'], initStatuses: [terminated('i1', 1, 'Error', { restartCount: 1 })] },
      ready: '0/1',
      status: 'Init:Error',
      restarts: '1',
    },
    {
      name: 'shows Init:CrashLoopBackOff when an init container is backing off',
      pod: {
        phase: 'Pending',
        init: ['i1'],
        initStatuses: [
          waiting('i1', 'CrashLoopBackOff', {
            restartCount: 3,
            lastState: { terminated: { exitCode: 1, reason: 'Error', finishedAt: ago(20) } },
          }),
        ],
      },
      ready: '0/1',
      status: 'Init:CrashLoopBackOff',
      restarts: '3 (20s ago)',
    },
    {
      name: 'keeps Init:Error for a failed pod with restartPolicy Never',
      pod: { phase: 'Failed', init: ['i1'], initStatuses: [terminated('i1', 1, 'Error')] },
      ready: '0/1',
      status: 'Init:Error',
    },
    {
      name: 'shows Init:OOMKilled',
      pod: { phase: 'Pending', init: ['i1'], initStatuses: [terminated('i1', 137, 'OOMKilled')] },
      ready: '0/1',
      status: 'Init:OOMKilled',
    },
    {
      name: 'shows Init:Signal:9 for a reasonless signalled init container',
      pod: { phase: 'Pending', init: ['i1'], initStatuses: [terminated('i1', 137, undefined, {}, 9)] },
      ready: '0/1',
      status: 'Init:Signal:9',
    },
    {
      name: 'shows Init:ExitCode:3 for a reasonless failed init container',
      pod: { phase: 'Pending', init: ['i1'], initStatuses: [terminated('i1', 3)] },
      ready: '0/1',
      status: 'Init:ExitCode:3',
    },
    {
      name: 'shows Init:ErrImagePull',
      pod: { phase: 'Pending', init: ['i1'], initStatuses: [waiting('i1', 'ErrImagePull')] },
      ready: '0/1',
      status: 'Init:ErrImagePull',
    },
    {
      name: 'shows Init:ImagePullBackOff',
      pod: { phase: 'Pending', init: ['i1'], initStatuses: [waiting('i1', 'ImagePullBackOff')] },
      ready: '0/1',
      status: 'Init:ImagePullBackOff',
    },
    {
      name: 'shows Init:CreateContainerConfigError',
      pod: { phase: 'Pending', init: ['i1'], initStatuses: [waiting('i1', 'CreateContainerConfigError')] },
      ready: '0/1',
      status: 'Init:CreateContainerConfigError',
    },
    {
      name: 'counts a started ready sidecar in READY while a later init container runs',
      pod: {
        phase: 'Pending',
        init: ['i1', '+side', 'i2'],
        initStatuses: [terminated('i1', 0, 'Completed'), running('side'), running('i2', { ready: false })],
      },
      ready: '1/2',
      status: 'Init:2/3',
    },
    {
      name: 'shows Init:0/1 while a sidecar has not started yet',
      pod: {
        phase: 'Pending',
        init: ['+side'],
        initStatuses: [running('side', { started: false, ready: false })],
      },
      ready: '0/2',
      status: 'Init:0/1',
    },
    {
      name: 'shows 2/2 Running for one ready app container and one ready sidecar',
      pod: {
        phase: 'Running',
        init: ['+side'],
        conditions: [cond('Initialized', 'True'), cond('Ready', 'True')],
        initStatuses: [running('side')],
        statuses: [running('app')],
      },
      ready: '2/2',
      status: 'Running',
    },
    {
      name: 'shows 0/2 Completed for a finished job pod with a sidecar',
      pod: {
        phase: 'Succeeded',
        init: ['+side'],
        conditions: [cond('Initialized', 'True')],
        initStatuses: [terminated('side', 0, 'Completed')],
        statuses: [terminated('app', 0, 'Completed')],
      },
      ready: '0/2',
      status: 'Completed',
    },
    {
      name: 'shows CrashLoopBackOff with the time of the newest restart',
      pod: {
        phase: 'Running',
        conditions: [cond('Initialized', 'True')],
        statuses: [
          waiting('app', 'CrashLoopBackOff', {
            restartCount: 4,
            lastState: { terminated: { exitCode: 1, reason: 'Error', finishedAt: ago(20) } },
          }),
        ],
      },
      ready: '0/1',
      status: 'CrashLoopBackOff',
      restarts: '4 (20s ago)',
    },
    {
      name: 'shows NotReady when one container completed and another runs but the pod is not Ready',
      pod: {
        phase: 'Running',
        containers: ['a', 'b'],
        conditions: [cond('Initialized', 'True'), cond('Ready', 'False')],
        statuses: [terminated('a', 0, 'Completed'), running('b')],
      },
      ready: '1/2',
      status: 'NotReady',
    },
    {
      name: 'shows Running when one container completed and another runs and the pod is Ready',
      pod: {
        phase: 'Running',
        containers: ['a', 'b'],
        conditions: [cond('Initialized', 'True'), cond('Ready', 'True')],
        statuses: [terminated('a', 0, 'Completed'), running('b')],
      },
      ready: '1/2',
      status: 'Running',
    },
    {
      name: 'shows the alphabetically first container reason because statuses are walked backwards',
      pod: {
        phase: 'Running',
        containers: ['a', 'b'],
        statuses: [waiting('a', 'CrashLoopBackOff'), waiting('b', 'ErrImagePull')],
      },
      ready: '0/2',
      status: 'CrashLoopBackOff',
    },
    {
      name: 'shows Signal:9 for a reasonless signalled regular container',
      pod: { phase: 'Running', containers: ['a'], statuses: [terminated('a', 137, undefined, {}, 9)] },
      ready: '0/1',
      status: 'Signal:9',
    },
    {
      name: 'shows ExitCode:2 for a reasonless non-zero exit of a regular container',
      pod: { phase: 'Running', containers: ['a'], statuses: [terminated('a', 2)] },
      ready: '0/1',
      status: 'ExitCode:2',
    },
    {
      name: 'shows DeadlineExceeded from status.reason',
      pod: { phase: 'Failed', reason: 'DeadlineExceeded', statuses: [terminated('app', 137, 'Error')] },
      ready: '0/1',
      status: 'Error',
    },
    {
      name: 'shows DeadlineExceeded when no container status overrides it',
      pod: { phase: 'Failed', reason: 'DeadlineExceeded' },
      ready: '0/1',
      status: 'DeadlineExceeded',
    },
    {
      name: 'shows Terminating for a running pod with a deletion timestamp',
      pod: {
        phase: 'Running',
        deleting: true,
        conditions: [cond('Initialized', 'True'), cond('Ready', 'True')],
        statuses: [running('app')],
      },
      ready: '1/1',
      status: 'Terminating',
    },
    {
      name: 'keeps Completed for a succeeded pod being deleted',
      pod: { phase: 'Succeeded', deleting: true, statuses: [terminated('app', 0, 'Completed')] },
      ready: '0/1',
      status: 'Completed',
    },
    {
      name: 'shows Unknown for a deleted pod whose node was lost',
      pod: { phase: 'Running', reason: 'NodeLost', deleting: true, statuses: [running('app')] },
      ready: '1/1',
      status: 'Unknown',
    },
    {
      name: 'shows Init:CrashLoopBackOff for a running pod whose sidecar crash-loops after initialization',
      pod: {
        phase: 'Running',
        init: ['+side'],
        conditions: [cond('Initialized', 'True'), cond('Ready', 'False')],
        initStatuses: [
          waiting('side', 'CrashLoopBackOff', {
            started: false,
            restartCount: 2,
            lastState: { terminated: { exitCode: 1, reason: 'Error', finishedAt: ago(30) } },
          }),
        ],
        statuses: [running('app')],
      },
      ready: '1/2',
      status: 'Init:CrashLoopBackOff',
      restarts: '2 (30s ago)',
    },
    {
      name: 'drops regular init container restarts once the pod is initialized',
      pod: {
        phase: 'Running',
        init: ['i1'],
        conditions: [cond('Initialized', 'True'), cond('Ready', 'True')],
        initStatuses: [
          terminated('i1', 0, 'Completed', {
            restartCount: 5,
            lastState: { terminated: { exitCode: 1, finishedAt: ago(10) } },
          }),
        ],
        statuses: [running('app')],
      },
      ready: '1/1',
      status: 'Running',
      restarts: '0',
    },
    {
      name: 'counts regular init container restarts while initializing',
      pod: {
        phase: 'Pending',
        init: ['i1'],
        initStatuses: [
          running('i1', { ready: false, restartCount: 2, lastState: { terminated: { exitCode: 1, finishedAt: ago(90) } } }),
        ],
      },
      ready: '0/1',
      status: 'Init:0/1',
      restarts: '2 (90s ago)',
    },
    {
      name: 'sums sidecar and app restarts and shows the newest restart time',
      pod: {
        phase: 'Running',
        init: ['+side'],
        conditions: [cond('Initialized', 'True'), cond('Ready', 'True')],
        initStatuses: [running('side', { restartCount: 1, lastState: { terminated: { exitCode: 1, finishedAt: ago(600) } } })],
        statuses: [running('app', { restartCount: 2, lastState: { terminated: { exitCode: 1, finishedAt: ago(45) } } })],
      },
      ready: '2/2',
      status: 'Running',
      restarts: '3 (45s ago)',
    },
    {
      name: 'shows a bare restart count when no finish time is known',
      pod: {
        phase: 'Running',
        conditions: [cond('Initialized', 'True')],
        statuses: [running('app', { restartCount: 7 })],
      },
      ready: '1/1',
      status: 'Running',
      restarts: '7',
    },
  ];

  for (const c of cases) {
    it(`summarizePod ${c.name}`, () => {
      const got = summarizePod(pod(c.pod), NOW);
      assert.equal(got.status, c.status);
      assert.equal(got.ready, c.ready);
      assert.equal(got.restarts, c.restarts ?? '0');
    });
  }

  it('summarizePod shows Init:0/2, Init:1/2, PodInitializing, Running along a healthy start', () => {
    const seen = [
      pod({ phase: 'Pending' }),
      pod({ phase: 'Pending', init: ['i1', 'i2'], initStatuses: [running('i1', { ready: false }), waiting('i2', 'PodInitializing')] }),
      pod({ phase: 'Pending', init: ['i1', 'i2'], initStatuses: [terminated('i1', 0, 'Completed'), running('i2', { ready: false })] }),
      pod({
        phase: 'Pending',
        init: ['i1', 'i2'],
        conditions: [cond('Initialized', 'True')],
        initStatuses: [terminated('i1', 0, 'Completed'), terminated('i2', 0, 'Completed')],
        statuses: [waiting('app', 'PodInitializing')],
      }),
      pod({
        phase: 'Running',
        init: ['i1', 'i2'],
        conditions: [cond('Initialized', 'True'), cond('Ready', 'True')],
        initStatuses: [terminated('i1', 0, 'Completed'), terminated('i2', 0, 'Completed')],
        statuses: [running('app')],
      }),
    ].map((p) => summarizePod(p, NOW).status);
    assert.deepEqual(seen, ['Pending', 'Init:0/2', 'Init:1/2', 'PodInitializing', 'Running']);
  });
});

describe('podPrinter', () => {
  it('podPrinter fills the wide cells with <none> when IP, node and gates are unset', () => {
    const cells = podPrinter.cells(pod({ phase: 'Pending' }), NOW);
    assert.deepEqual(cells, ['p', '0/1', 'Pending', '0', '2m', '<none>', '<none>', '<none>', '<none>']);
  });

  it('podPrinter shows the first pod IP, the node and readiness gates passed/total', () => {
    const p = pod({
      phase: 'Running',
      readinessGates: ['example.com/a', 'example.com/b'],
      conditions: [cond('example.com/a', 'True'), cond('example.com/b', 'False')],
      statuses: [running('app')],
    });
    p.spec!.nodeName = 'node1';
    p.status!.podIPs = [{ ip: '10.88.0.7' }, { ip: 'fd00::7' }];
    p.status!.nominatedNodeName = 'node2';
    assert.deepEqual(podPrinter.cells(p, NOW).slice(5), ['10.88.0.7', 'node1', 'node2', '1/2']);
  });

  it('podPrinter marks succeeded and failed pods with a Completed row condition', () => {
    assert.deepEqual(podPrinter.conditions!(pod({ phase: 'Succeeded' })), [
      { type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' },
    ]);
    assert.equal(podPrinter.conditions!(pod({ phase: 'Failed' }))?.[0].reason, 'Failed');
    assert.equal(podPrinter.conditions!(pod({ phase: 'Running' })), undefined);
  });
});
