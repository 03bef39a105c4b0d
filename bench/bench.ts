/**
 * berth's benchmarks, side by side in one run (targets from docs/design.md):
 *   - seed pod (2 trivial init + 2 long-running containers): API create →
 *     Running seen by a watch, against the raw CRI floor (≤ 1.15×) and
 *     `podman kube play` (≤ 0.5×);
 *   - berth's own overhead per init step (previous exit → next start, from
 *     containerd's event timestamps) beyond containerd's create+start (≤ 20 ms);
 *   - `berth serve` to ready with seed images imported (≤ 2 s);
 *   - an idle node with 10 running pods (< 1 % of a core);
 *   - 100 pods (1 init + 1 app): berth's RSS (≤ 200 MB) and `kubectl get pods` (≤ 150 ms).
 * Prints numbers and exits 0; it asserts nothing (that is the tests' job).
 * Usage: node bench/bench.ts [--runs N] [--skip-podman] [--skip-100]
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { containerdSocketPath } from '../src/containerd/socket-path.ts';
import { createCriClient } from '../src/cri/cri.ts';
import type { ContainerEvent } from '../src/cri/types.ts';
import { ApiClient } from './api-client.ts';
import { LocalNode } from '../src/cli/local-node.ts';
import { tearDownNode } from '../src/cli/node-teardown.ts';
import { BerthProcess } from './berth-process.ts';
import { measureCriFloor } from './cri-floor.ts';
import { measurePodman } from './podman.ts';
import { benchPod } from './seed-bench-pod.ts';

const { values } = parseArgs({
  options: { runs: { type: 'string', default: '5' }, 'skip-podman': { type: 'boolean' }, 'skip-100': { type: 'boolean' } },
});
const runs = Number(values.runs);

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor((s.length - 1) / 2)] : NaN;
};
const ms = (x: number) => `${x.toFixed(1)} ms`;
const rows: [string, string, string, string][] = [];
const report = (metric: string, value: string, target: string, ok: boolean | undefined) => {
  rows.push([metric, value, target, ok === undefined ? '' : ok ? 'ok' : 'MISSED']);
  console.log(`  ${metric}: ${value}${target ? `  (target ${target})` : ''}`);
};

const running = (pod: any) =>
  pod?.status?.phase === 'Running' && (pod.status.containerStatuses ?? []).every((c: any) => c.ready);

console.log(`berth benchmarks, ${runs} runs each, ${new Date().toISOString()}`);

console.log('\n[1] raw CRI floor for the seed pod');
const floor = await measureCriFloor(runs);
const floorMs = median(floor.totalMs);
const createStartMs = median(floor.createStartMs);
report('CRI floor, seed pod (median)', ms(floorMs), '', undefined);
report('containerd create+start per container (median)', ms(createStartMs), '', undefined);
report('containerd sandbox (median)', ms(median(floor.sandboxMs)), '', undefined);

console.log('\n[2] berth: seed pod, API create → Running seen by a watch');
const dataDir = mkdtempSync(join(tmpdir(), 'berth-bench-'));
let berth = new BerthProcess(dataDir);
let api: ApiClient | undefined;
try {
  await berth.ready;
  api = new ApiClient(berth.kubeconfig);
  const cri = createCriClient(containerdSocketPath(dataDir));
  const events: ContainerEvent[] = [];
  const evAc = new AbortController();
  cri.events.subscribe((e) => events.push(e), evAc.signal);

  const runPod = async (name: string) => {
    const list = await api!.request('GET', '/api/v1/namespaces/default/pods');
    let done!: (pod: any) => void;
    const doneP = new Promise<any>((r) => (done = r));
    const stop = await api!.watch(
      `/api/v1/namespaces/default/pods?watch=1&fieldSelector=metadata.name%3D${name}&resourceVersion=${list.body.metadata.resourceVersion}`,
      (e) => {
        if (running(e.object)) done(e.object);
      },
    );
    const t0 = performance.now();
    const created = await api!.request('POST', '/api/v1/namespaces/default/pods', benchPod(name));
    if (created.status !== 201) throw new Error(`create failed: ${JSON.stringify(created.body)}`);
    const pod = await doneP;
    const elapsed = performance.now() - t0;
    stop();
    return { elapsed, pod };
  };
  const deletePod = async (name: string) => {
    await api!.request('DELETE', `/api/v1/namespaces/default/pods/${name}?gracePeriodSeconds=0`);
  };

  // Warm-up: the first pod pays one-time costs (first TLS session, caches).
  await runPod('seed-bench-warmup');
  await deletePod('seed-bench-warmup');
  const totals: number[] = [];
  const steps: number[] = [];
  for (let i = 0; i < runs; i++) {
    const name = `seed-bench-${i}`;
    const { elapsed, pod } = await runPod(name);
    totals.push(elapsed);
    const id = (n: string) =>
      [...(pod.status.initContainerStatuses ?? []), ...pod.status.containerStatuses]
        .find((s: any) => s.name === n)
        .containerID.replace('containerd://', '');
    const at = (type: string, cid: string) => events.find((e) => e.type === type && e.id === cid)?.at;
    for (const [prev, next] of [
      ['init1', 'init2'],
      ['init2', 'app1'],
    ]) {
      const exited = at('exited', id(prev));
      const started = at('started', id(next));
      if (exited !== undefined && started !== undefined) steps.push(started - exited);
    }
    await deletePod(name);
    await sleep(300);
  }
  const berthMs = median(totals);
  report('berth, seed pod create → Running (median)', ms(berthMs), '', undefined);
  report('berth / CRI floor', `${(berthMs / floorMs).toFixed(2)}×`, '≤ 1.15×', berthMs / floorMs <= 1.15);
  // The same gap, measured the same way (containerd's event times), for berth
  // and for the floor script: the difference is berth's own overhead.
  const stepOverhead = median(steps) - median(floor.stepMs);
  report('init step, previous exit → next start: berth (median)', ms(median(steps)), '', undefined);
  report('init step, previous exit → next start: CRI floor (median)', ms(median(floor.stepMs)), '', undefined);
  report('berth overhead per init step beyond containerd', ms(stepOverhead), '≤ 20 ms', stepOverhead <= 20);

  // kubectl apply → Running, as a user sees it (includes kubectl's own start-up).
  const k = ['--kubeconfig', berth.kubeconfig, '--cache-dir', join(dataDir, 'kcache')];
  execFileSync('kubectl', [...k, 'get', 'ns'], { stdio: 'ignore' });
  const applyTimes: number[] = [];
  for (let i = 0; i < Math.min(runs, 3); i++) {
    const name = `seed-apply-${i}`;
    const t0 = performance.now();
    execFileSync('kubectl', [...k, 'apply', '-f', '-'], { input: JSON.stringify(benchPod(name)), stdio: ['pipe', 'ignore', 'inherit'] });
    execFileSync('kubectl', [...k, 'wait', '--for=condition=Ready', `pod/${name}`, '--timeout=60s'], { stdio: 'ignore' });
    applyTimes.push(performance.now() - t0);
    await deletePod(name);
  }
  report('kubectl apply → kubectl wait Ready, seed pod (median)', ms(median(applyTimes)), '', undefined);
  evAc.abort();
  cri.close();

  console.log('\n[3] berth serve → ready, seed images already imported');
  api.close();
  await berth.stop();
  const readyTimes: number[] = [];
  for (let i = 0; i < runs; i++) {
    berth = new BerthProcess(dataDir);
    readyTimes.push(await berth.ready);
    if (i < runs - 1) await berth.stop();
  }
  report('berth serve to ready (median, process start included)', ms(median(readyTimes)), '≤ 2000 ms', median(readyTimes) <= 2000);
  api = new ApiClient(berth.kubeconfig);

  if (!values['skip-100']) {
    const createMany = async (from: number, to: number) => {
      const names: string[] = [];
      for (let i = from; i < to; i++) names.push(`many-${i}`);
      const all = new Set(names);
      const list = await api!.request('GET', '/api/v1/namespaces/default/pods');
      let resolveAll!: () => void;
      const allRunning = new Promise<void>((r) => (resolveAll = r));
      const stop = await api!.watch(
        `/api/v1/namespaces/default/pods?watch=1&labelSelector=bench%3Dmany&resourceVersion=${list.body.metadata.resourceVersion}`,
        (e) => {
          if (running(e.object)) all.delete(e.object.metadata.name);
          if (all.size === 0) resolveAll();
        },
      );
      const t0 = performance.now();
      for (const n of names) {
        const p = benchPod(n, 1, 1);
        p.metadata.labels = { bench: 'many' };
        const r = await api!.request('POST', '/api/v1/namespaces/default/pods', p);
        if (r.status !== 201) throw new Error(`create ${n} failed: ${JSON.stringify(r.body)}`);
      }
      await allRunning;
      stop();
      return performance.now() - t0;
    };

    console.log('\n[4] idle node with 10 running pods');
    await createMany(0, 10);
    await sleep(5000);
    const cpu0 = berth.cpuSeconds();
    const idleSeconds = 30;
    await sleep(idleSeconds * 1000);
    const idlePct = ((berth.cpuSeconds() - cpu0) / idleSeconds) * 100;
    report('berth CPU while idle with 10 pods', `${idlePct.toFixed(2)} % of a core`, '< 1 %', idlePct < 1);

    console.log('\n[5] 100 pods (1 init + 1 app each)');
    const manyMs = await createMany(10, 100);
    report('90 more pods created → all Running', ms(manyMs), '', undefined);
    await sleep(2000);
    const rss = berth.rssMiB();
    report('berth RSS with 100 running pods', `${rss.toFixed(0)} MiB`, '≤ 200 MB', rss * 1.048576 <= 200);
    const getTimes: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      execFileSync('kubectl', ['--kubeconfig', berth.kubeconfig, '--cache-dir', join(dataDir, 'kcache'), 'get', 'pods'], { stdio: 'ignore' });
      getTimes.push(performance.now() - t0);
    }
    report('kubectl get pods over 100 pods (median, kubectl start-up included)', ms(median(getTimes)), '≤ 150 ms', median(getTimes) <= 150);
    const apiTimes: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      await api.request('GET', '/api/v1/namespaces/default/pods');
      apiTimes.push(performance.now() - t0);
    }
    report('API list of 100 pods (median)', ms(median(apiTimes)), '', undefined);
    console.log('  deleting the 100 pods');
    await api.request('DELETE', '/api/v1/namespaces/default/pods?gracePeriodSeconds=0');
  }
} finally {
  api?.close();
  // Let the node agent remove every sandbox (and so every netns) before berth stops.
  const cri = createCriClient(containerdSocketPath(dataDir));
  for (let i = 0; i < 240; i++) {
    const left = await cri.runtime.listPodSandbox().catch(() => []);
    if (left.length === 0) break;
    await sleep(250);
  }
  cri.close();
  await berth.stop();
  // What `berth down --purge` does: stop any shim left (a task containerd had
  // not cleaned up when it stopped), unmount, remove the data directory.
  await tearDownNode(new LocalNode(dataDir), { purge: true, podsTimeoutMs: 10_000, log: () => {} });
}

if (!values['skip-podman']) {
  console.log('\n[6] podman kube play, the same seed pod');
  const podman = await measurePodman(Math.min(runs, 3));
  if (podman.skipped) report('podman kube play', `skipped: ${podman.skipped}`, '', undefined);
  else {
    const p = median(podman.totalMs);
    report('podman kube play, seed pod (median)', ms(p), '', undefined);
    const berthMs = Number(rows.find((r) => r[0].startsWith('berth, seed pod'))?.[1].replace(' ms', ''));
    report('berth / podman kube play', `${(berthMs / p).toFixed(3)}×`, '≤ 0.5×', berthMs / p <= 0.5);
    if (podman.withoutInitMs.length) report('podman kube play, same pod without init containers (median)', ms(median(podman.withoutInitMs)), '', undefined);
  }
}

console.log('\nsummary');
const w = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i].length)));
for (const r of rows) console.log(`  ${r[0].padEnd(w[0])}  ${r[1].padEnd(w[1])}  ${r[2].padEnd(w[2])}  ${r[3]}`);
