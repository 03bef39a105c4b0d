/**
 * Whole syncs — planner, executor, status — against an in-memory CRI on a
 * virtual clock: the crash-loop backoff schedule, sidecar shutdown order,
 * termination, deadlines, hooks, probes and sandbox loss, without sleeping.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Container, Event, Pod, PodStatus } from '../api/api.ts';
import { EventRecorder, type Client } from '../client/client.ts';
import { CriCode, CriError } from '../cri/errors.ts';
import { FakeClock } from '../clock/fake-clock.ts';
import { podEventSink } from './container/pod-events.ts';
import type { ProbeResult } from './container/probe-results.ts';
import type { ImageManager } from './images/images.ts';
import { PodExecutor } from './runtime/execute.ts';
import { FakeRuntime } from './runtime/fake-runtime.ts';
import { RuntimeObserver } from './runtime/observe.ts';
import { StatusManager } from './status/status-manager.ts';
import { effectiveGracePeriod, PodSyncer, type PodProber } from './sync-pod.ts';
import type { VolumeManager } from './volumes/volumes.ts';

const T0 = Date.parse('2026-03-01T10:00:00Z');

function c(name: string, extra: Partial<Container> = {}): Container {
  return { name, image: 'busybox:1.35', terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File', ...extra };
}

function podOf(spec: Partial<Pod['spec']> & { containers: Container[] }, name = 'p'): Pod {
  return {
    metadata: { name, namespace: 'default', uid: `uid-${name}`, resourceVersion: '1' },
    spec: { restartPolicy: 'Always', terminationGracePeriodSeconds: 30, nodeName: 'node1', ...spec },
    status: { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'True' }] },
  };
}

/** A probe results source the test sets by hand. */
class ManualProber implements PodProber {
  startup = new Map<string, ProbeResult>();
  liveness = new Map<string, ProbeResult>();
  readiness = new Map<string, ProbeResult>();
  terminating = false;
  removed = false;
  update(_pod: Pod, _state: unknown, _ip: string, terminating: boolean): void {
    this.terminating ||= terminating;
  }
  removePod(): void {
    this.removed = true;
  }
  get results() {
    return { startup: this.startup, liveness: this.liveness };
  }
  get view() {
    return { startup: (id: string) => this.startup.get(id), readiness: (id: string) => this.readiness.get(id) };
  }
}

function harness(t: { after(fn: () => void): void }) {
  const clock = new FakeClock(T0);
  const now = () => clock.now();
  const advance = (ms: number) => clock.step(ms);
  const runtime = new FakeRuntime(clock);
  const pods = new Map<string, Pod>();
  const gone = new Map<string, Pod>();
  const events: Event[] = [];
  const statuses: PodStatus[] = [];
  const finalDeletes: string[] = [];
  const wakes: string[] = [];
  /** Volume releases and final deletes, in the order they happened. */
  const order: string[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'berth-sync-test-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const client: Client = {
    pods: {
      get: () => undefined,
      watch: () => () => {},
      updateStatus(_ns, _name, uid, status) {
        const p = [...pods.values()].find((x) => x.metadata!.uid === uid);
        if (!p) return false;
        (p as { status?: PodStatus }).status = structuredClone(status);
        statuses.push(structuredClone(status));
        return true;
      },
      deleteFinal(_ns, name) {
        finalDeletes.push(name);
        order.push(`deleteFinal ${name}`);
      },
      bind() {},
    },
    events: {
      create(ev) {
        events.push(structuredClone(ev));
        return ev;
      },
      update(ev) {
        const i = events.findIndex((e) => e.metadata!.name === ev.metadata!.name);
        events[i] = structuredClone(ev);
        return true;
      },
    },
    config: { getConfigMap: () => undefined, getSecret: () => undefined },
    nodes: { upsert() {} },
  };
  const event = podEventSink(new EventRecorder(client.events, { component: 'kubelet', host: 'node1' }, now));
  // Stand-ins for the volume and image managers: no volumes, images always present.
  const volumes = {
    setUp: async () => new Map(),
    asSeen: (p: Pod) => p,
    containerMounts: async () => [],
    writeHostsFile: async () => join(dir, 'hosts'),
    terminationMessageFile: async () => join(dir, 'no-termination-message'),
    tearDown: async () => {},
    releaseVolumes: async (uid: string) => {
      order.push(`release ${uid}`);
    },
  } as unknown as VolumeManager;
  const images = { ensureImage: async () => ({ ok: true, imageRef: 'sha256:busybox' }), forgetPod() {} } as unknown as ImageManager;
  const observer = new RuntimeObserver(runtime, clock);
  const status = new StatusManager(client.pods, now);
  const executor = new PodExecutor({
    runtime,
    images,
    volumes,
    config: client.config,
    event,
    clock,
    logRoot: join(dir, 'logs'),
    hostIPs: ['10.244.0.1'],
    nodeAllocatable: { cpu: '2', memory: '4Gi', 'ephemeral-storage': '10Gi' },
    dns: { cluster: { servers: [], domain: 'cluster.local' }, hostResolvConf: '' },
    services: () => [],
    exec: (id, cmd, timeout) => runtime.execSync(id, cmd, timeout),
    log: () => {},
  });
  const prober = new ManualProber();
  const syncer = new PodSyncer({
    client,
    observer,
    executor,
    status,
    volumes,
    images,
    event,
    hostIP: '10.244.0.1',
    now,
    desired: (uid) => pods.get(uid),
    lastKnown: (uid) => gone.get(uid),
    prober,
    wake: (uid) => wakes.push(uid),
    log: () => {},
  });
  const add = (p: Pod) => pods.set(p.metadata!.uid!, p);
  // The status manager writes on the next turn; a test reads the API after a sync.
  const sync = async (p: Pod) => {
    const r = await syncer.sync(p.metadata!.uid!);
    status.flush();
    return r;
  };
  const eventLines = () => events.map((e) => `${e.type} ${e.reason} ${e.involvedObject.fieldPath ?? ''} ${e.message}${e.count! > 1 ? ` (x${e.count})` : ''}`.replace(/ {2}/, ' '));
  return { clock, advance, runtime, pods, gone, events, eventLines, statuses, finalDeletes, wakes, order, prober, add, sync, executor, logRoot: join(dir, 'logs') };
}

/** The pod's metadata, writable (the test plays the API server). */
const meta = (p: Pod) => p.metadata as { deletionTimestamp?: string; deletionGracePeriodSeconds?: number };

const cs = (p: Pod, name: string) => [...(p.status?.initContainerStatuses ?? []), ...(p.status?.containerStatuses ?? [])].find((s) => s.name === name)!;

test('a whole sync restarts a crashing app on the kubelet backoff schedule without re-running init containers', async (t) => {
  const h = harness(t);
  const p = podOf({ initContainers: [c('init')], containers: [c('app')] });
  h.add(p);
  await h.sync(p);
  assert.deepEqual(h.runtime.calls, ['RunPodSandbox attempt=0', 'CreateContainer init attempt=0', 'StartContainer init']);
  h.runtime.exit('init', 0);
  await h.sync(p);
  assert.equal(h.runtime.latest('app')?.state, 'CONTAINER_RUNNING');

  // Crash after crash: the delay before each restart.
  const waits: number[] = [];
  for (let i = 0; i < 8; i++) {
    h.advance(1000);
    h.runtime.exit('app', 1);
    let waited = 0;
    for (;;) {
      const r = await h.sync(p);
      if (h.runtime.latest('app')!.state === 'CONTAINER_RUNNING') break;
      assert.ok(r.requeueAfterMs! > 0, 'a held-back start asks to be synced when the window ends');
      if (waited === 0) {
        const app = cs(p, 'app');
        assert.equal(app.state?.waiting?.reason, 'CrashLoopBackOff');
        assert.equal(
          app.state?.waiting?.message,
          `back-off ${['10s', '20s', '40s', '1m20s', '2m40s', '5m0s', '5m0s'][i - 1]} restarting failed container=app pod=p_default(uid-p)`,
        );
        assert.equal(app.lastState?.terminated?.exitCode, 1);
        assert.equal(p.status?.phase, 'Running');
      }
      // Sync once more half-way (a resync): still held back, one more aggregated BackOff event.
      const half = Math.floor(r.requeueAfterMs! / 2);
      h.advance(half);
      waited += half;
      const r2 = await h.sync(p);
      assert.equal(h.runtime.latest('app')!.state, 'CONTAINER_EXITED');
      h.advance(r2.requeueAfterMs!);
      waited += r2.requeueAfterMs!;
    }
    waits.push(waited);
  }
  assert.deepEqual(waits, [0, 10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000]);
  assert.equal(h.runtime.latest('app')!.config.metadata.attempt, 8, 'restartCount counts every new instance');
  assert.equal(h.runtime.instances('init').length, 1, 'the init container never ran again');
  assert.equal(cs(p, 'app').restartCount, 8);
  const backoff = h.events.find((e) => e.reason === 'BackOff')!;
  assert.equal(backoff.type, 'Warning');
  assert.equal(backoff.message, 'Back-off restarting failed container app in pod p_default(uid-p)');
  assert.equal(backoff.involvedObject.fieldPath, 'spec.containers{app}');
  assert.equal(backoff.count, 14, 'identical BackOff events are aggregated into one with a count');

  // A container that ran for more than 10 minutes restarts at once, and the window starts over.
  h.advance(11 * 60_000);
  h.runtime.exit('app', 1);
  await h.sync(p);
  assert.equal(h.runtime.latest('app')!.state, 'CONTAINER_RUNNING');
  h.advance(1000);
  h.runtime.exit('app', 1);
  const r = await h.sync(p);
  assert.equal(r.requeueAfterMs, 10_000);
});

test('a whole sync retries a failing init container under Always, shows Init:Error then CrashLoopBackOff, and keeps the pod Pending', async (t) => {
  const h = harness(t);
  const p = podOf({ initContainers: [c('init')], containers: [c('app')] });
  h.add(p);
  await h.sync(p);
  h.runtime.exit('init', 1);
  await h.sync(p);
  assert.equal(h.runtime.latest('init')!.config.metadata.attempt, 1, 'the first retry is immediate');
  h.advance(500);
  h.runtime.exit('init', 1);
  await h.sync(p);
  assert.equal(cs(p, 'init').state?.waiting?.reason, 'CrashLoopBackOff');
  assert.equal(cs(p, 'init').restartCount, 1);
  assert.equal(p.status?.phase, 'Pending');
  assert.deepEqual(cs(p, 'app').state, { waiting: { reason: 'PodInitializing' } });
  assert.equal(h.runtime.latest('app'), undefined, 'no app container before initialization');
});

test('a whole sync fails a Never pod whose init container failed and never starts its app', async (t) => {
  const h = harness(t);
  const p = podOf({ restartPolicy: 'Never', initContainers: [c('sidecar', { restartPolicy: 'Always' }), c('init')], containers: [c('app')] });
  h.add(p);
  await h.sync(p);
  await h.sync(p);
  assert.equal(h.runtime.latest('init')?.state, 'CONTAINER_RUNNING', 'the sidecar started, then the init container');
  h.runtime.exit('init', 2);
  await h.sync(p);
  await h.sync(p);
  assert.equal(p.status?.phase, 'Failed');
  assert.equal(p.status?.reason, undefined);
  assert.equal(cs(p, 'init').state?.terminated?.exitCode, 2);
  assert.equal(h.runtime.latest('sidecar')!.state, 'CONTAINER_EXITED', 'the running sidecar was stopped');
  assert.equal(h.runtime.latest('app'), undefined);
  assert.ok(h.eventLines().includes('Normal Killing spec.initContainers{sidecar} Stopping container sidecar'));
});

test('a whole sync stops sidecars in reverse order after the app completes under Never and reports Succeeded', async (t) => {
  const h = harness(t);
  const p = podOf({
    restartPolicy: 'Never',
    initContainers: [c('s1', { restartPolicy: 'Always' }), c('s2', { restartPolicy: 'Always' })],
    containers: [c('app')],
  });
  h.add(p);
  for (let i = 0; i < 4; i++) await h.sync(p);
  assert.equal(h.runtime.latest('app')?.state, 'CONTAINER_RUNNING');
  assert.equal(p.status?.phase, 'Running');
  h.runtime.stopExitCodes.set('s1', 1);
  h.runtime.exit('app', 0);
  await h.sync(p);
  const stops = h.runtime.calls.filter((x) => x.startsWith('StopContainer'));
  assert.deepEqual(stops, ['StopContainer s2 timeout=30', 'StopContainer s1 timeout=30'], 'sidecars stop last-declared first');
  await h.sync(p);
  assert.equal(p.status?.phase, 'Succeeded', 'a sidecar exiting 1 on SIGTERM does not fail the pod');
  assert.equal(cs(p, 's1').state?.terminated?.exitCode, 1);
  assert.equal(p.status?.conditions?.find((x) => x.type === 'PodReadyToStartContainers')?.status, 'False');
  assert.equal(h.runtime.latest('s1')!.config.metadata.attempt, 0, 'sidecars were not restarted at completion');
});

test('a whole sync deletes a pod gracefully in the background, reports the terminal phase, then removes the object', async (t) => {
  const h = harness(t);
  const p = podOf({ terminationGracePeriodSeconds: 5, containers: [c('app')] });
  h.add(p);
  await h.sync(p);
  meta(p).deletionTimestamp = '2026-03-01T10:00:05Z';
  meta(p).deletionGracePeriodSeconds = 5;
  h.runtime.stopExitCodes.set('app', 0);
  const r = await h.sync(p);
  assert.deepEqual(r, {});
  assert.equal(h.prober.terminating, true, 'liveness and startup probes stop');
  await new Promise((res) => setImmediate(res));
  assert.deepEqual(h.wakes, ['uid-p'], 'the finished kill wakes the pod');
  assert.ok(h.runtime.calls.includes('StopContainer app timeout=5'));
  await h.sync(p);
  assert.equal(p.status?.phase, 'Succeeded', 'a graceful exit 0 ends Succeeded even under Always');
  assert.deepEqual(h.finalDeletes, ['p']);
  assert.deepEqual(h.order, ['release uid-p', 'deleteFinal p'], 'volumes are released before the API object goes');
  assert.ok(h.eventLines().includes('Normal Killing spec.containers{app} Stopping container app'));
});

test('a whole sync reports a pod deleted while its init container runs as Failed before it goes (TerminatePod)', async (t) => {
  const h = harness(t);
  const p = podOf({ terminationGracePeriodSeconds: 5, initContainers: [c('init1'), c('init2')], containers: [c('app')] });
  h.add(p);
  await h.sync(p);
  assert.equal(h.runtime.latest('init1')!.state, 'CONTAINER_RUNNING');
  meta(p).deletionTimestamp = '2026-03-01T10:00:05Z';
  meta(p).deletionGracePeriodSeconds = 5;
  await h.sync(p);
  await new Promise((res) => setImmediate(res));
  await h.sync(p);
  assert.deepEqual(h.finalDeletes, ['p']);
  const last = h.statuses[h.statuses.length - 1];
  assert.equal(last.phase, 'Failed', 'never left Pending: kubectl shows Init:Error');
  const init1 = last.initContainerStatuses!.find((x) => x.name === 'init1')!;
  assert.equal(init1.state?.terminated?.exitCode, 143);
  assert.equal(init1.state?.terminated?.reason, 'Error');
  assert.equal(last.initContainerStatuses!.find((x) => x.name === 'init2')!.state?.waiting?.reason, 'PodInitializing', 'init containers that never started stay waiting');
  assert.equal(last.containerStatuses![0].state?.waiting?.reason, 'PodInitializing', 'a pod that never initialized keeps its regular containers waiting');
});

test('a whole sync retries a failed kill of a deleted pod a second later instead of spinning', async (t) => {
  const h = harness(t);
  const p = podOf({ terminationGracePeriodSeconds: 5, containers: [c('app')] });
  h.add(p);
  await h.sync(p);
  meta(p).deletionTimestamp = '2026-03-01T10:00:05Z';
  meta(p).deletionGracePeriodSeconds = 5;
  h.runtime.failStops = 1;
  await h.sync(p);
  await new Promise((res) => setImmediate(res));
  assert.equal(h.wakes.length, 1);
  assert.deepEqual(await h.sync(p), { requeueAfterMs: 1000 }, 'the retry waits');
  assert.equal(h.runtime.calls.filter((x) => x.startsWith('StopContainer')).length, 1);
  h.advance(1000);
  await h.sync(p);
  await new Promise((res) => setImmediate(res));
  await h.sync(p);
  assert.equal(h.runtime.latest('app')!.state, 'CONTAINER_EXITED');
  assert.deepEqual(h.finalDeletes, ['p']);
});

test('effective grace period only shrinks, falls back to the pod grace for 0, and is at least 1', () => {
  const p = podOf({ terminationGracePeriodSeconds: 30, containers: [c('app')] });
  assert.equal(effectiveGracePeriod(p, undefined), 30);
  meta(p).deletionGracePeriodSeconds = 10;
  assert.equal(effectiveGracePeriod(p, undefined), 10);
  assert.equal(effectiveGracePeriod(p, 5), 5, 'a longer grace never replaces a shorter one');
  meta(p).deletionGracePeriodSeconds = 0;
  assert.equal(effectiveGracePeriod(p, undefined), 30, 'force deletion still gives the pod its grace on the node');
  (p.spec as { terminationGracePeriodSeconds?: number }).terminationGracePeriodSeconds = 0;
  assert.equal(effectiveGracePeriod(p, undefined), 1);
  (p.spec as { terminationGracePeriodSeconds?: number }).terminationGracePeriodSeconds = -5;
  delete meta(p).deletionGracePeriodSeconds;
  assert.equal(effectiveGracePeriod(p, undefined), 1, 'a negative pod grace is 1 s on the node, as calculateEffectiveGracePeriod');
});

test('a whole sync fails a pod whose activeDeadlineSeconds passed during initialization', async (t) => {
  const h = harness(t);
  const p = podOf({ activeDeadlineSeconds: 5, initContainers: [c('init')], containers: [c('app')] });
  h.add(p);
  const first = await h.sync(p);
  assert.equal(first.requeueAfterMs, 5000, 'the sync asks to run again when the deadline passes');
  h.advance(5000);
  await h.sync(p);
  assert.equal(p.status?.phase, 'Failed');
  assert.equal(p.status?.reason, 'DeadlineExceeded');
  assert.equal(p.status?.message, 'Pod was active on the node longer than the specified deadline');
  assert.equal(h.runtime.latest('init')!.state, 'CONTAINER_EXITED');
  assert.equal(h.runtime.latest('app'), undefined);
  assert.ok(h.eventLines().includes('Normal DeadlineExceeded  Pod was active on the node longer than the specified deadline'.replace('  ', ' ')));
  await h.sync(p);
  assert.equal(p.status?.phase, 'Failed', 'the phase stays Failed');
  assert.equal(p.status?.reason, 'DeadlineExceeded');
});

test('a whole sync kills a container whose postStart hook failed and shows PostStartHookError', async (t) => {
  const h = harness(t);
  const p = podOf({ containers: [c('app', { lifecycle: { postStart: { exec: { command: ['sh', '-c', 'exit 3'] } } } }), c('web')] });
  h.add(p);
  h.runtime.onExec((_name, cmd) => ({ stdout: Buffer.alloc(0), stderr: Buffer.from('nope'), exitCode: cmd.join(' ') === 'sh -c exit 3' ? 3 : 0 }));
  await h.sync(p);
  const calls = h.runtime.calls;
  assert.deepEqual(calls.slice(calls.indexOf('StartContainer app'), calls.indexOf('StartContainer app') + 4), [
    'StartContainer app',
    'ExecSync app sh -c exit 3',
    'StopContainer app timeout=30',
    'CreateContainer web attempt=0',
  ], 'the next container waits for the hook');
  assert.ok(h.eventLines().includes('Warning FailedPostStartHook spec.containers{app} PostStartHook failed'));
  assert.ok(h.eventLines().includes('Normal Killing spec.containers{app} FailedPostStartHook'));
  const app = cs(p, 'app');
  assert.equal(app.state?.waiting?.reason, 'PostStartHookError');
  assert.equal(
    app.state?.waiting?.message,
    'Exec lifecycle hook ([sh -c exit 3]) for Container "app" in Pod "p_default(uid-p)" failed - error: command \'sh -c exit 3\' exited with 3: nope, message: "nope"',
  );
});

test('a whole sync reports runtime failures with the kubelet texts: the gRPC error for a sandbox, the runtime message for a container', async (t) => {
  const h = harness(t);
  const p = podOf({ containers: [c('app')] });
  h.add(p);
  const runPodSandbox = h.runtime.runPodSandbox.bind(h.runtime);
  h.runtime.runPodSandbox = async () => {
    throw new CriError('RunPodSandbox', CriCode.Unknown, 'RunPodSandbox: failed to setup network for sandbox "sb1": plugin type="bridge" failed');
  };
  await h.sync(p);
  assert.deepEqual(h.eventLines(), [
    'Warning FailedCreatePodSandBox Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox "sb1": plugin type="bridge" failed',
  ]);
  h.runtime.runPodSandbox = runPodSandbox;
  const why = 'failed to create containerd task: failed to create shim task: OCI runtime create failed: exec: "nope": executable file not found in $PATH: unknown';
  h.runtime.startContainer = async () => {
    throw new CriError('StartContainer', CriCode.Unknown, `StartContainer: ${why}`);
  };
  await h.sync(p);
  assert.deepEqual(cs(p, 'app').state?.waiting, { reason: 'RunContainerError', message: why });
  assert.ok(h.eventLines().includes(`Warning Failed spec.containers{app} Error: ${why}`));
});

test('a whole sync runs preStop before stopping and gives the stop what is left of the grace period', async (t) => {
  const h = harness(t);
  const p = podOf({ terminationGracePeriodSeconds: 5, containers: [c('app', { lifecycle: { preStop: { exec: { command: ['cleanup'] } } } })] });
  h.add(p);
  await h.sync(p);
  meta(p).deletionTimestamp = '2026-03-01T10:00:05Z';
  meta(p).deletionGracePeriodSeconds = 5;
  await h.sync(p);
  await new Promise((res) => setImmediate(res));
  const calls = h.runtime.calls;
  assert.deepEqual(calls.slice(-3), ['ExecSync app cleanup', 'StopContainer app timeout=5', 'StopPodSandbox sb1']);
  await h.sync(p);
  assert.equal(p.status?.phase, 'Failed', 'a container that exits 143 on SIGTERM fails the pod');
});

test('a whole sync restarts a container that failed its liveness probe', async (t) => {
  const h = harness(t);
  const p = podOf({ containers: [c('app', { livenessProbe: { exec: { command: ['true'] } } })] });
  h.add(p);
  await h.sync(p);
  const first = h.runtime.latest('app')!;
  h.prober.liveness.set(first.id, 'failure');
  await h.sync(p);
  assert.ok(h.eventLines().includes('Normal Killing spec.containers{app} Container app failed liveness probe, will be restarted'));
  const second = h.runtime.latest('app')!;
  assert.notEqual(second.id, first.id);
  assert.equal(second.state, 'CONTAINER_RUNNING');
  assert.equal(second.config.metadata.attempt, 1);
});

test('a whole sync gates the next init container on a sidecar startup probe', async (t) => {
  const h = harness(t);
  const p = podOf({ initContainers: [c('sidecar', { restartPolicy: 'Always', startupProbe: { exec: { command: ['true'] } } }), c('init')], containers: [c('app')] });
  h.add(p);
  await h.sync(p);
  await h.sync(p);
  assert.equal(h.runtime.latest('init'), undefined, 'nothing after the sidecar before its startup probe passed');
  assert.equal(cs(p, 'sidecar').started, false);
  h.prober.startup.set(h.runtime.latest('sidecar')!.id, 'success');
  await h.sync(p);
  assert.equal(h.runtime.latest('init')?.state, 'CONTAINER_RUNNING');
  await h.sync(p);
  assert.equal(cs(p, 'sidecar').started, true);
  assert.equal(cs(p, 'sidecar').ready, true);
});

test('a whole sync recreates a lost sandbox, re-runs init containers from the first, and keeps restart counts', async (t) => {
  const h = harness(t);
  const p = podOf({ initContainers: [c('init1'), c('init2')], containers: [c('app')] });
  h.add(p);
  await h.sync(p);
  h.runtime.exit('init1', 0);
  await h.sync(p);
  h.runtime.exit('init2', 0);
  await h.sync(p);
  assert.equal(h.runtime.latest('app')?.state, 'CONTAINER_RUNNING');
  const [sb] = h.runtime.sandboxes();
  h.runtime.loseSandbox(sb.id);
  await h.sync(p);
  assert.ok(h.eventLines().includes('Normal SandboxChanged  Pod sandbox changed, it will be killed and re-created.'.replace('  ', ' ')));
  assert.ok(h.runtime.calls.includes('RunPodSandbox attempt=1'));
  assert.equal(h.runtime.instances('init1').length, 1, 'old init instances were purged');
  assert.equal(h.runtime.latest('init1')!.state, 'CONTAINER_RUNNING', 'init1 runs again');
  assert.equal(h.runtime.latest('app')!.state, 'CONTAINER_EXITED');
  await h.sync(p);
  assert.equal(p.status?.phase, 'Pending', 'the pod is Pending while it re-initializes');
  h.runtime.exit('init1', 0);
  await h.sync(p);
  h.runtime.exit('init2', 0);
  await h.sync(p);
  const app = h.runtime.latest('app')!;
  assert.equal(app.state, 'CONTAINER_RUNNING');
  assert.equal(app.config.metadata.attempt, 1, 'the restart count continues');
});

test('a whole sync stops and removes everything of a pod gone from the API with its last known grace', async (t) => {
  const h = harness(t);
  const p = podOf({ terminationGracePeriodSeconds: 7, containers: [c('app')] });
  h.add(p);
  await h.sync(p);
  h.pods.delete(p.metadata!.uid!);
  h.gone.set(p.metadata!.uid!, p);
  const r = await h.sync(p);
  assert.deepEqual(r, { done: true });
  assert.ok(h.runtime.calls.includes('StopContainer app timeout=7'), 'a force-deleted pod still gets its grace period');
  assert.equal(h.runtime.instances('app').length, 0);
  assert.equal(h.runtime.sandboxes().length, 0);
  assert.equal(h.prober.removed, true);
});

test('a whole sync removes the log directory of a pod gone from the API, and no other pod\'s', async (t) => {
  const h = harness(t);
  const p = podOf({ containers: [c('app')] });
  const other = podOf({ containers: [c('app')] }, 'other');
  h.add(p);
  h.add(other);
  await h.sync(p);
  await h.sync(other);
  // containerd writes the logs under the sandbox's log directory.
  const dirOf = (x: Pod) => join(h.logRoot, `default_${x.metadata!.name}_${x.metadata!.uid}`);
  for (const x of [p, other]) {
    mkdirSync(join(dirOf(x), 'app'), { recursive: true });
    writeFileSync(join(dirOf(x), 'app', '0.log'), '2026-03-01T10:00:00Z stdout F hi\n');
  }
  await h.sync(p);
  assert.ok(existsSync(dirOf(p)), 'a pod keeps its logs while its object exists');
  h.pods.delete(p.metadata!.uid!);
  h.gone.set(p.metadata!.uid!, p);
  assert.deepEqual(await h.sync(p), { done: true });
  assert.equal(existsSync(dirOf(p)), false);
  assert.ok(existsSync(join(dirOf(other), 'app', '0.log')));
});
