/**
 * The benchmark runs behind `npm run bench` and `npm run bench:check`. Every
 * comparison is interleaved pair by pair on one node (floor, berth, floor,
 * berth, ...) after a warm-up pair, so a drift of this shared machine lands
 * on both sides; every figure is a min / median / max, ratios are per pair.
 * The CRI floor runs on berth's own containerd (cri-floor.ts).
 * Sections: seed (seed pod, berth's time per init step and the phase trace),
 * parallel (N pods at once), play (`npx berth play`), kubectl (apply →
 * Running), scale (110 running pods), podman (opt-in).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { stringify } from 'yaml';
import { containerdSocketPath } from '../src/containerd/socket-path.ts';
import { createCriClient, type CriClient } from '../src/cri/cri.ts';
import { LocalNode } from '../src/cli/local-node.ts';
import { tearDownNode } from '../src/cli/node-teardown.ts';
import { ApiClient } from './api-client.ts';
import { berthParallel, berthSeedPod, removeBerthPods } from './berth-pods.ts';
import { BerthProcess } from './berth-process.ts';
import { CriFloor } from './cri-floor.ts';
import { EventLog } from './event-log.ts';
import { applyToRunning, directKubectl, KUBECTL_DISPATCHER, warmKubectl } from './kubectl-bench.ts';
import { initSteps, phases } from './phases.ts';
import { timePlay } from './play-bench.ts';
import { measurePodman } from './podman.ts';
import { measureScale } from './scale-bench.ts';
import { StartSlots } from '../src/kubelet/runtime/start-slots.ts';
import { benchPod } from './seed-bench-pod.ts';
import { waitForQuiet } from './quiet.ts';
import { ratios, spread, type Spread } from './stats.ts';

export const SECTIONS = ['seed', 'parallel', 'play', 'kubectl', 'scale', 'podman'] as const;
export type Section = (typeof SECTIONS)[number];
export const DEFAULT_SECTIONS: Section[] = ['seed', 'parallel', 'play', 'kubectl', 'scale'];

export interface BenchOptions {
  sections: Section[];
  /** Interleaved pairs for the seed pod (after one warm-up pair). */
  pairs: number;
  parallelPods: number;
  parallelPairs: number;
  playRuns: number;
  kubectlRuns: number;
  scalePods: number;
  watchers: number;
  idleSeconds: number;
  log: (s: string) => void;
}

export interface PairedFigure {
  floorMs: Spread;
  berthMs: Spread;
  ratio: Spread;
  perPair: { floorMs: number; berthMs: number; ratio: number }[];
}

function paired(floor: number[], berth: number[]): PairedFigure {
  const r = ratios(berth, floor);
  return {
    floorMs: spread(floor),
    berthMs: spread(berth),
    ratio: spread(r),
    perPair: floor.map((f, i) => ({ floorMs: f, berthMs: berth[i], ratio: r[i] })),
  };
}

export interface BenchResult {
  startedAt: string;
  machine: { cpus: number; loadAverageAtStart: number[]; loadAverageAtEnd?: number[] };
  seed?: PairedFigure & {
    initStep: { floorMs: Spread; berthMs: Spread; berthOwnMs: Spread; perPairOwnMs: number[] };
    trace: Record<string, { floorMs: Spread; berthMs: Spread; berthMinusFloorMs: Spread }>;
    statusVisible: Record<string, Spread>;
    writeToWatchMs: Spread;
  };
  parallel?: PairedFigure & { pods: number; boundedInFlight: number; boundedFloorMs: Spread; berthOverBoundedRatio: Spread };
  play?: Record<string, { startMs: Spread; applyMs: Spread; outcomeMs: Spread; teardownMs: Spread; totalMs: Spread; exitCodes: number[] }>;
  kubectl?: { direct?: { binary: string; ms: Spread }; dispatcher?: { binary: string; ms: Spread } };
  scale?: {
    pods: number;
    createMs: number;
    rssMiB: number;
    idleCpuPercent: number;
    idleSeconds: number;
    listMs: Spread;
    kubectlGetMs: Spread;
    watchers: number;
    fanoutMs: Spread;
  };
  podman?: { skipped?: string; totalMs?: Spread; withoutInitMs?: Spread };
  /** Section → why it did not finish; the other sections still ran. */
  errors?: Record<string, string>;
}

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);

export async function runBench(o: BenchOptions): Promise<BenchResult> {
  const res: BenchResult = { startedAt: new Date().toISOString(), machine: { cpus: cpus().length, loadAverageAtStart: loadavg() } };
  const has = (s: Section) => o.sections.includes(s);
  const guard = async (section: Section, body: () => Promise<void>) => {
    const q = await waitForQuiet();
    o.log(`\n(${section}: ${q.quiet ? `machine quiet after ${(q.waitedMs / 1000).toFixed(0)} s` : `machine still busy after ${(q.waitedMs / 1000).toFixed(0)} s; measuring anyway`})`);
    try {
      await body();
    } catch (err) {
      (res.errors ??= {})[section] = err instanceof Error ? err.message : String(err);
      o.log(`  ${section} did not finish: ${res.errors[section]}`);
    }
  };

  // The user's path runs first, alone: its ephemeral node is then the only node on the machine.
  if (has('play')) await guard('play', async () => {
    o.log('\n[play] npx berth play --ephemeral, command → exit');
    const dir = mkdtempSync(join(tmpdir(), 'berth-bench-play-'));
    const seedFile = join(dir, 'seed-bench.yaml');
    writeFileSync(seedFile, stringify(benchPod('seed-bench')));
    const kubia = join(import.meta.dirname, '..', 'examples', 'kubia-init.yaml');
    // The example's init-demo prints its steps over 0.5 s of `sleep 0.1`;
    // without them, what is left is berth's path.
    const kubiaQuick = join(dir, 'kubia-init-no-sleep.yaml');
    const kubiaText = readFileSync(kubia, 'utf8');
    if (!kubiaText.includes('sleep 0.1; done')) throw new Error('examples/kubia-init.yaml changed: its init-demo loop no longer sleeps 0.1 s a step');
    writeFileSync(kubiaQuick, kubiaText.replace('sleep 0.1; done', 'done'));
    const files: Record<string, string> = {
      'examples/kubia-init.yaml': kubia,
      'examples/kubia-init.yaml without init-demo\'s 0.5 s of sleep': kubiaQuick,
      'seed bench pod (trivial inits)': seedFile,
    };
    const runs: Record<string, Awaited<ReturnType<typeof timePlay>>[]> = {};
    try {
      const order = Object.entries(files);
      for (let i = 0; i < o.playRuns; i++) {
        // Each file takes each place in the round in turn: none is always first.
        for (const [label, file] of [...order.slice(i % order.length), ...order.slice(0, i % order.length)]) {
          (runs[label] ??= []).push(await timePlay(file));
          o.log(`  ${label}: run ${i + 1} ${(runs[label].at(-1)!.totalMs / 1000).toFixed(2)} s`);
        }
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    res.play = {};
    for (const [label, rs] of Object.entries(runs)) {
      res.play[label] = {
        startMs: spread(rs.map((r) => r.startMs)),
        applyMs: spread(rs.map((r) => r.applyMs)),
        outcomeMs: spread(rs.map((r) => r.outcomeMs)),
        teardownMs: spread(rs.map((r) => r.teardownMs)),
        totalMs: spread(rs.map((r) => r.totalMs)),
        exitCodes: rs.map((r) => r.exitCode),
      };
    }
  });

  const needsNode = has('seed') || has('parallel') || has('kubectl') || has('scale');
  if (needsNode) {
    const dataDir = mkdtempSync(join(tmpdir(), 'berth-bench-'));
    const berth = new BerthProcess(dataDir);
    let api: ApiClient | undefined;
    let cri: CriClient | undefined;
    const ac = new AbortController();
    try {
      await berth.ready;
      api = new ApiClient(berth.kubeconfig);
      cri = createCriClient(containerdSocketPath(dataDir));
      const events = new EventLog(cri.events, ac.signal);
      const floor = new CriFloor(cri, events, join(dataDir, 'bench-floor-logs'));
      // Wait for the node and the default ServiceAccount, as a user's first pod would find them.
      for (let i = 0; i < 100; i++) {
        const sa = await api.request('GET', '/api/v1/namespaces/default/serviceaccounts/default');
        if (sa.status === 200) break;
        await sleep(100);
      }

      const [a, c] = [api, cri];
      if (has('seed')) await guard('seed', () => seedSection(o, res, a, c, events, floor));
      if (has('parallel')) await guard('parallel', async () => {
        o.log(`\n[parallel] ${o.parallelPods} pods (1 init + 1 app) at once: raw CRI vs berth's API, ${o.parallelPairs} interleaved pairs`);
        // Beside the floor the issue defines (every pod issued at once), the same
        // pods over raw CRI with a few in flight, as berth's start slots allow:
        // what the runtime itself can do when it is not thrashed.
        const inFlight = new StartSlots().size;
        const f: number[] = [];
        const bounded: number[] = [];
        const b: number[] = [];
        for (let i = 0; i < o.parallelPairs; i++) {
          const fl = await floor.parallel(o.parallelPods, 1, 1);
          f.push(fl.totalMs);
          await floor.remove(fl.sandboxIds);
          b.push(await berthParallel(a, o.parallelPods, 'par'));
          await removeBerthPods(a, c, 'bench=par');
          const fb = await floor.parallel(o.parallelPods, 1, 1, inFlight);
          bounded.push(fb.totalMs);
          await floor.remove(fb.sandboxIds);
          o.log(`  pair ${i + 1}: floor ${(f[i] / 1000).toFixed(2)} s, berth ${(b[i] / 1000).toFixed(2)} s (${(b[i] / f[i]).toFixed(2)}×); raw CRI with ${inFlight} pods in flight ${(bounded[i] / 1000).toFixed(2)} s`);
        }
        res.parallel = { pods: o.parallelPods, ...paired(f, b), boundedInFlight: inFlight, boundedFloorMs: spread(bounded), berthOverBoundedRatio: spread(ratios(b, bounded)) };
      });
      if (has('kubectl')) await guard('kubectl', async () => {
        o.log('\n[kubectl] kubectl apply → Running (seed pod), kubectl start-up included');
        const cacheDir = join(dataDir, 'kcache');
        const direct = directKubectl();
        const bins: [string, string][] = [...(direct ? [['direct', direct] as [string, string]] : []), ['dispatcher', KUBECTL_DISPATCHER]];
        for (const [, bin] of bins) await warmKubectl(bin, berth.kubeconfig, cacheDir);
        const times: Record<string, number[]> = {};
        for (let i = 0; i < o.kubectlRuns; i++) {
          for (const [label, bin] of bins) {
            (times[label] ??= []).push(await applyToRunning(a, bin, berth.kubeconfig, cacheDir, `apply-${label}-${i}`));
            await removeBerthPods(a, c, 'bench=berth');
          }
        }
        res.kubectl = {};
        for (const [label, bin] of bins) res.kubectl![label as 'direct' | 'dispatcher'] = { binary: bin, ms: spread(times[label]) };
      });
      if (has('scale')) await guard('scale', async () => {
        o.log(`\n[scale] ${o.scalePods} running pods`);
        const s = await measureScale(a, berth, {
          pods: o.scalePods,
          watchers: o.watchers,
          idleSeconds: o.idleSeconds,
          kubectl: directKubectl() ?? KUBECTL_DISPATCHER,
          cacheDir: join(dataDir, 'kcache'),
          log: o.log,
        });
        res.scale = { ...s, listMs: spread(s.listMs), kubectlGetMs: spread(s.kubectlGetMs), fanoutMs: spread(s.fanoutMs) };
        await removeBerthPods(a, c, 'bench=scale');
      });
    } finally {
      ac.abort();
      api?.close();
      if (cri) {
        // Let the node agent remove every sandbox (and so every netns) before berth stops.
        for (let i = 0; i < 600; i++) {
          const left = await cri.runtime.listPodSandbox().catch(() => []);
          if (left.length === 0) break;
          await sleep(250);
        }
        cri.close();
      }
      await berth.stop();
      await tearDownNode(new LocalNode(dataDir), { purge: true, podsTimeoutMs: 10_000, log: () => {} });
    }
  }

  if (has('podman')) {
    o.log('\n[podman] podman kube play, the same seed pod');
    const p = await measurePodman(Math.min(o.pairs, 3));
    res.podman = p.skipped ? { skipped: p.skipped } : { totalMs: spread(p.totalMs), withoutInitMs: spread(p.withoutInitMs) };
  }
  res.machine.loadAverageAtEnd = loadavg();
  return res;
}

async function seedSection(o: BenchOptions, res: BenchResult, api: ApiClient, cri: CriClient, events: EventLog, floor: CriFloor): Promise<void> {
  o.log(`\n[seed] seed pod (2 trivial init + 2 app): raw CRI floor vs berth, 1 warm-up + ${o.pairs} interleaved pairs`);
  const floorTotals: number[] = [];
  const berthTotals: number[] = [];
  const floorStep: number[] = [];
  const berthStep: number[] = [];
  const floorPhases: Record<string, number>[] = [];
  const berthPhases: Record<string, number>[] = [];
  const visible: Record<string, number[]> = {};
  for (let i = -1; i < o.pairs; i++) {
    const fp = await floor.pod(2, 2);
    await floor.remove([fp.timeline.sandboxId]);
    const bp = await berthSeedPod(api, cri, events, `seed-bench-${i + 1}`);
    await removeBerthPods(api, cri, 'bench=berth');
    if (i < 0) continue; // the warm-up pair pays one-time costs (first TLS session, caches)
    floorTotals.push(fp.totalMs);
    berthTotals.push(bp.totalMs);
    floorStep.push(mean(initSteps(fp.timeline, events)));
    berthStep.push(mean(initSteps(bp.timeline, events)));
    floorPhases.push(phases(fp.timeline, events));
    berthPhases.push(phases(bp.timeline, events));
    // When each init container's exit reached a watch as status (kubelet status write + API + watch).
    const ids = bp.timeline.ids;
    for (const [k, name] of ['init1', 'init2'].entries()) {
      const exited = events.times(ids[k]).exited;
      if (exited !== undefined && bp.statusSeen[name] !== undefined) (visible[`${name} exit → terminated status seen on a watch`] ??= []).push(bp.statusSeen[name] - exited);
    }
    o.log(`  pair ${i + 1}: floor ${fp.totalMs.toFixed(0)} ms, berth ${bp.totalMs.toFixed(0)} ms (${(bp.totalMs / fp.totalMs).toFixed(2)}×)`);
  }
  const trace: Record<string, { floorMs: Spread; berthMs: Spread; berthMinusFloorMs: Spread }> = {};
  const names = [...new Set([...floorPhases.flatMap(Object.keys), ...berthPhases.flatMap(Object.keys)])];
  for (const n of names) {
    const f = floorPhases.map((p) => p[n] ?? NaN);
    const b = berthPhases.map((p) => p[n] ?? NaN);
    trace[n] = { floorMs: spread(f), berthMs: spread(b), berthMinusFloorMs: spread(b.map((x, i) => x - f[i])) };
  }
  // The API's own part of a status change: a write → its watch delivery, on an object nobody else writes.
  const writeToWatch: number[] = [];
  const cm = '/api/v1/namespaces/default/configmaps';
  await api.request('POST', cm, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'bench-probe' }, data: { n: '0' } });
  const rv = (await api.request('GET', `${cm}/bench-probe`)).body.metadata.resourceVersion;
  let want = '';
  let seen: () => void = () => {};
  const stop = await api.watch(`${cm}?watch=1&fieldSelector=metadata.name%3Dbench-probe&resourceVersion=${rv}`, (e) => {
    if (e.object?.data?.n === want) seen();
  });
  for (let i = 1; i <= o.pairs; i++) {
    want = String(i);
    const got = new Promise<void>((r) => (seen = r));
    const t0 = performance.now();
    await api.requestPatch(`${cm}/bench-probe`, { data: { n: want } });
    await got;
    writeToWatch.push(performance.now() - t0);
  }
  stop();
  await api.request('DELETE', `${cm}/bench-probe`);
  const own = berthStep.map((b, i) => b - floorStep[i]);
  res.seed = {
    ...paired(floorTotals, berthTotals),
    initStep: { floorMs: spread(floorStep), berthMs: spread(berthStep), berthOwnMs: spread(own), perPairOwnMs: own },
    trace,
    statusVisible: Object.fromEntries(Object.entries(visible).map(([k, v]) => [k, spread(v)])),
    writeToWatchMs: spread(writeToWatch),
  };
}
