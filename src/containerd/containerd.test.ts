/**
 * Integration tests on the real containerd 1.6 (run as root): supervision,
 * seed image import, and the CRI client end to end. Each test cleans up every
 * sandbox, process, mount and directory it creates (containerd-fixture.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ContainerEvent, PodSandboxConfig } from '../cri/types.ts';
import { Containerd, ContainerdError, ContainerdErrorCode } from './containerd.ts';
import { containerdFixture, mountsUnder, shimsOf } from './containerd-fixture.ts';
import { processAlive, processArgv } from './process-table.ts';
import { BUSYBOX_IMAGE, PAUSE_IMAGE } from './seed-images.ts';

const asRoot = { skip: process.getuid?.() !== 0 ? 'needs root' : false, timeout: 60_000 };

function sandboxConfig(dir: string, name: string): PodSandboxConfig {
  return {
    metadata: { name, uid: `uid-${name}`, namespace: 'default', attempt: 0 },
    hostname: name,
    logDirectory: `${dir}/logs/${name}`,
    labels: { 'berth.test/pod': name },
    linux: { securityContext: { namespaceOptions: { pid: 'CONTAINER' } } },
  };
}

/** Collects events and lets a test wait for one. */
function eventRecorder() {
  const seen: (ContainerEvent & { receivedAt: number })[] = [];
  const waiters: { match: (e: ContainerEvent) => boolean; resolve: (e: ContainerEvent & { receivedAt: number }) => void }[] = [];
  return {
    seen,
    onEvent(e: ContainerEvent) {
      const r = { ...e, receivedAt: Date.now() };
      seen.push(r);
      for (const w of [...waiters]) {
        if (w.match(e)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(r);
        }
      }
    },
    next(match: (e: ContainerEvent) => boolean, ms = 10_000): Promise<ContainerEvent & { receivedAt: number }> {
      const already = seen.find(match);
      if (already) return Promise.resolve(already);
      return new Promise((resolve, reject) => {
        const w = { match, resolve };
        waiters.push(w);
        setTimeout(() => {
          if (waiters.includes(w)) reject(new Error('event did not arrive in time'));
        }, ms).unref();
      });
    },
  };
}

async function until<T>(get: () => Promise<T>, ok: (v: T) => boolean, ms = 5000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await get();
    if (ok(v)) return v;
    if (Date.now() > deadline) throw new Error(`condition not met in ${ms} ms (last: ${JSON.stringify(v)})`);
    await sleep(5);
  }
}

test('containerd runs a busybox pod from the seed images and reports the exit as an event', asRoot, async (t) => {
  const fx = await containerdFixture(t);
  const ac = new AbortController();
  t.after(() => ac.abort());

  // Cold: first start, both archives imported.
  let t0 = performance.now();
  const cold = fx.containerd();
  await cold.start(ac.signal);
  const coldReadyMs = performance.now() - t0;
  t0 = performance.now();
  const coldImport = await cold.importImages(fx.imagesDir);
  const coldImportMs = performance.now() - t0;
  assert.deepEqual(coldImport.map((r) => [r.images, r.imported]), [
    [[BUSYBOX_IMAGE], true],
    [[PAUSE_IMAGE], true],
  ]);
  await cold.stop();

  // Warm: images already there, so ready-plus-import is just a start and two lookups.
  t0 = performance.now();
  const cd = fx.containerd();
  await cd.start(ac.signal);
  const warmReadyMs = performance.now() - t0;
  const warmImport = await cd.importImages(fx.imagesDir);
  const warmTotalMs = performance.now() - t0;
  assert.deepEqual(warmImport.map((r) => r.imported), [false, false]);
  assert.ok(warmTotalMs < 2000, `warm start + import took ${warmTotalMs} ms`);

  const cri = fx.cri(cd.socketPath);
  const version = await cri.runtime.version();
  assert.equal(version.runtimeName, 'containerd');
  assert.equal(version.runtimeApiVersion, 'v1');
  const busybox = await cri.images.imageStatus(BUSYBOX_IMAGE);
  assert.ok(busybox);
  assert.deepEqual(busybox.repoTags, [BUSYBOX_IMAGE]);
  assert.match(busybox.repoDigests[0], /^docker\.io\/library\/busybox@sha256:[0-9a-f]{64}$/);

  const events = eventRecorder();
  cri.events.subscribe(events.onEvent, ac.signal);

  t0 = performance.now();
  const sbConfig = sandboxConfig(fx.dir, 'alpha');
  const sandbox = await cri.runtime.runPodSandbox(sbConfig);
  const sandboxMs = performance.now() - t0;
  const sbStatus = await cri.runtime.podSandboxStatus(sandbox);
  assert.equal(sbStatus.state, 'SANDBOX_READY');
  assert.match(sbStatus.ip, /^10\.244\.\d{1,3}\.\d{1,3}$/);
  assert.deepEqual(sbStatus.labels, { 'berth.test/pod': 'alpha' });
  // The sandbox's own task events come through the same stream: the subscription is live.
  await events.next((e) => e.id === sandbox && e.type === 'started');

  t0 = performance.now();
  const container = await cri.runtime.createContainer(
    sandbox,
    {
      metadata: { name: 'main', attempt: 0 },
      image: { image: BUSYBOX_IMAGE },
      command: ['sh', '-c', 'echo hello; echo oops >&2; hostname; exit 3'],
      logPath: 'main/0.log',
      labels: { 'berth.test/container': 'main' },
    },
    sbConfig,
  );
  await cri.runtime.startContainer(container);
  const createStartMs = performance.now() - t0;

  const exited = await events.next((e) => e.id === container && e.type === 'exited');
  assert.equal(exited.exitStatus, 3);
  const exitLatencyMs = exited.receivedAt - exited.at;
  // Pushed, not polled (a relist would take a second or more); how fast is the bench's business, so the bound is generous.
  assert.ok(exitLatencyMs >= 0 && exitLatencyMs < 1000, `exit event latency ${exitLatencyMs} ms`);
  assert.ok(events.seen.some((e) => e.id === container && e.type === 'started'));

  // CRI updates its own status after it has deleted the task: a few tens of ms after the event.
  const settleStart = performance.now();
  const status = await until(() => cri.runtime.containerStatus(container), (s) => s.state === 'CONTAINER_EXITED');
  const statusLagMs = performance.now() - settleStart;
  assert.equal(status.exitCode, 3);
  assert.equal(status.reason, 'Error');
  assert.equal(status.image, BUSYBOX_IMAGE);
  assert.match(status.imageRef, /^docker\.io\/library\/busybox@sha256:/);
  // CRI stamps startedAt after runc start returns, so a fast exit can carry finishedAt < startedAt.
  assert.ok(status.startedAt > 0 && status.finishedAt > 0 && Math.abs(status.finishedAt - status.startedAt) < 1000, JSON.stringify(status));
  assert.ok(Math.abs(status.finishedAt - exited.at) < 5, 'the event and CRI agree on the exit time');
  assert.equal(status.logPath, `${fx.dir}/logs/alpha/main/0.log`);

  const lines = readFileSync(status.logPath, 'utf8').trimEnd().split('\n');
  for (const l of lines) assert.match(l, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z (stdout|stderr) F .*$/);
  const bodies = lines.map((l) => l.split(' ').slice(1).join(' ')).sort();
  assert.deepEqual(bodies, ['stderr F oops', 'stdout F alpha', 'stdout F hello']);

  const listed = await cri.runtime.listContainers({ podSandboxId: sandbox, labelSelector: { 'berth.test/container': 'main' } });
  assert.deepEqual(listed.map((c) => [c.id, c.state]), [[container, 'CONTAINER_EXITED']]);

  await cri.runtime.removeContainer(container);
  await cri.runtime.stopPodSandbox(sandbox);
  await cri.runtime.removePodSandbox(sandbox);
  assert.deepEqual(await cri.runtime.listPodSandbox(), []);
  await cd.stop();
  assert.deepEqual(mountsUnder(fx.dir), []);

  t.diagnostic(
    `containerd ready cold ${coldReadyMs.toFixed(0)} ms (+ import ${coldImportMs.toFixed(0)} ms); ` +
      `warm ready ${warmReadyMs.toFixed(0)} ms, ready+import check ${warmTotalMs.toFixed(0)} ms; ` +
      `sandbox ${sandboxMs.toFixed(0)} ms; container create+start ${createStartMs.toFixed(0)} ms; ` +
      `exit event latency ${exitLatencyMs} ms; CRI status settled ${statusLagMs.toFixed(0)} ms after the event`,
  );
});

test('containers keep running while containerd is stopped, and a restarted containerd picks them up', asRoot, async (t) => {
  const fx = await containerdFixture(t);
  const ac = new AbortController();
  t.after(() => ac.abort());
  const first = fx.containerd();
  await first.start(ac.signal);
  await first.importImages(fx.imagesDir);
  const socketPath = first.socketPath;
  const cri = fx.cri(socketPath);
  const events = eventRecorder();
  cri.events.subscribe(events.onEvent, ac.signal);

  const sbConfig = sandboxConfig(fx.dir, 'bravo');
  const sandbox = await cri.runtime.runPodSandbox(sbConfig);
  const container = await cri.runtime.createContainer(
    sandbox,
    { metadata: { name: 'sleeper', attempt: 0 }, image: { image: BUSYBOX_IMAGE }, command: ['sleep', '3600'], logPath: 'sleeper/0.log' },
    sbConfig,
  );
  await cri.runtime.startContainer(container);
  assert.equal((await cri.runtime.containerStatus(container)).state, 'CONTAINER_RUNNING');

  await first.stop();
  assert.equal(first.ready, false);
  // containerd is gone; the shims and the container's process are not.
  const shims = shimsOf(socketPath);
  assert.ok(shims.length >= 1, 'shims survive containerd');
  const sleepers = readdirSync('/proc')
    .filter((p) => /^\d+$/.test(p))
    .filter((p) => processArgv(Number(p))?.join(' ') === 'sleep 3600' && shims.includes(parentOf(Number(p))));
  assert.equal(sleepers.length, 1, 'the container process is still running');
  await assert.rejects(cri.runtime.version(), /UNAVAILABLE|Version/);

  const second = fx.containerd();
  await second.start(ac.signal);
  assert.equal((await cri.runtime.containerStatus(container)).state, 'CONTAINER_RUNNING');
  const exec = await cri.runtime.execSync(container, ['sh', '-c', 'echo up; exit 4'], 10);
  assert.equal(exec.stdout.toString(), 'up\n');
  assert.equal(exec.exitCode, 4);
  // Streaming URLs point at the (new) streaming server the supervisor found.
  assert.match(second.streamAddress ?? '', /^127\.0\.0\.1:\d+$/);
  const execUrl = await cri.runtime.exec({ containerId: container, cmd: ['sh'], stdin: true, stdout: true });
  assert.ok(execUrl.startsWith(`http://${second.streamAddress}/exec/`), execUrl);
  const pfUrl = await cri.runtime.portForward(sandbox, [80]);
  assert.ok(pfUrl.startsWith(`http://${second.streamAddress}/portforward/`), pfUrl);

  // The subscription made before the restart resubscribed by itself.
  const stopAt = Date.now();
  await cri.runtime.stopContainer(container, 0);
  const exited = await events.next((e) => e.id === container && e.type === 'exited' && e.at >= stopAt - 1000);
  assert.equal(exited.exitStatus, 137);

  await cri.runtime.stopPodSandbox(sandbox);
  await cri.runtime.removePodSandbox(sandbox);
  await second.stop();
  assert.deepEqual(shimsOf(socketPath), []);
});

function parentOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
}

test('the supervisor restarts a containerd that dies and reports not ready until it answers again', asRoot, async (t) => {
  const fx = await containerdFixture(t);
  const ac = new AbortController();
  t.after(() => ac.abort());
  const log: string[] = [];
  const cd = fx.containerd({ restartBackoff: { initialMs: 200, maxMs: 1000 }, log: (m) => log.push(m) });
  const transitions: string[] = [];
  cd.onReady(() => transitions.push('ready'));
  cd.onNotReady((why) => transitions.push(`not ready: ${why}`));
  await cd.start(ac.signal);
  assert.deepEqual(transitions, ['ready']);
  const firstPid = cd.pid!;
  assert.equal(readFileSync(cd.pidPath, 'utf8').trim(), String(firstPid));

  const killedAt = performance.now();
  process.kill(firstPid, 'SIGKILL');
  await until(async () => transitions.length, (n) => n >= 2, 2000);
  assert.equal(transitions[1], 'not ready: containerd exited (signal SIGKILL)');
  assert.equal(cd.ready, false);
  await until(async () => transitions.length, (n) => n >= 3, 5000);
  const recoveredMs = performance.now() - killedAt;
  assert.equal(transitions[2], 'ready');
  assert.ok(recoveredMs >= 200, `restarted after the backoff (${recoveredMs} ms)`);
  assert.notEqual(cd.pid, firstPid);
  assert.equal(readFileSync(cd.pidPath, 'utf8').trim(), String(cd.pid));
  const cri = fx.cri(cd.socketPath);
  assert.equal((await cri.runtime.version()).runtimeName, 'containerd');
  assert.match(cd.streamAddress ?? '', /^127\.0\.0\.1:\d+$/);

  await cd.stop();
  await cd.stop();
  assert.equal(cd.ready, false);
  assert.equal(processAlive(firstPid), false);
  t.diagnostic(`containerd back after SIGKILL in ${recoveredMs.toFixed(0)} ms (backoff 200 ms)`);
});

test('start stops a containerd left over from a killed berth, and never a process that is not ours', asRoot, async (t) => {
  const fx = await containerdFixture(t);
  const ac = new AbortController();
  t.after(() => ac.abort());
  // "Berth A" loses its containerd to "berth B" on the same data directory; A must not restart it soon.
  const a = fx.containerd({ restartBackoff: { initialMs: 60_000, maxMs: 60_000 } });
  await a.start(ac.signal);
  const leftover = a.pid!;
  const b = fx.containerd();
  await b.start(ac.signal);
  assert.equal(processAlive(leftover), false, 'the leftover containerd was stopped');
  assert.ok(b.pid && b.pid !== leftover);
  await a.stop();
  assert.ok(processAlive(b.pid), 'stopping A does not touch B');
  assert.equal(readFileSync(b.pidPath, 'utf8').trim(), String(b.pid));
  await b.stop();

  // A pid file naming some other process: it is left alone.
  const stranger = spawn('sleep', ['30'], { stdio: 'ignore' });
  t.after(() => stranger.kill('SIGKILL'));
  writeFileSync(b.pidPath, `${stranger.pid}\n`);
  const c = fx.containerd();
  await c.start(ac.signal);
  assert.ok(processAlive(stranger.pid!), 'an unrelated process named by the pid file survives');
  await c.stop();
});

test('start fails with the log path when containerd exits before it is ready', asRoot, async (t) => {
  const fx = await containerdFixture(t);
  const cd = fx.containerd({ containerdPath: '/bin/false' });
  await assert.rejects(
    cd.start(AbortSignal.timeout(10_000)),
    (err: unknown) => err instanceof ContainerdError && err.code === ContainerdErrorCode.ExitedEarly && err.message.includes(cd.logPath),
  );
  assert.equal(cd.ready, false);
  await cd.stop();
  const again = new Containerd({ dataDir: fx.dataDir, containerdPath: '/bin/false' });
  await again.stop();
});
