/**
 * Scale with everything running: 110 running pods (the kubelet's maxPods) on
 * a node with its controllers, Services and DNS: berth's RSS, its CPU while
 * idle (after a 20 s settle, over a window as long as a pod's resync period
 * with its jitter, 90 s, so every periodic loop is counted: relists, proxy
 * syncs, each pod's resync), an API list of all pods, `kubectl get pods`, and one watch event
 * delivered to 100 concurrent watchers (from the write to the last delivery).
 */
import { execFileSync } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ApiClient } from './api-client.ts';
import { berthParallel } from './berth-pods.ts';
import type { BerthProcess } from './berth-process.ts';

/** How long after the last pod is Running the idle measurement starts. */
export const settleMs = 20_000;

export interface ScaleResult {
  pods: number;
  createMs: number;
  rssMiB: number;
  idleCpuPercent: number;
  idleSeconds: number;
  listMs: number[];
  kubectlGetMs: number[];
  /** Per write: PATCH sent → the last of the watchers received the event. */
  fanoutMs: number[];
  watchers: number;
}

export async function measureScale(
  api: ApiClient,
  berth: BerthProcess,
  o: { pods: number; watchers: number; idleSeconds: number; kubectl?: string; cacheDir: string; log: (s: string) => void },
): Promise<ScaleResult> {
  o.log(`  creating ${o.pods} pods`);
  const createMs = await berthParallel(api, o.pods, 'scale');
  // Settle first: right after a burst of creation V8's memory reducer runs
  // its full collections for some seconds; idle is what follows.
  await sleep(settleMs);
  const rssMiB = berth.rssMiB();
  o.log(`  idle for ${o.idleSeconds} s`);
  const cpu0 = berth.cpuSeconds();
  const w0 = performance.now();
  await sleep(o.idleSeconds * 1000);
  const idleCpuPercent = ((berth.cpuSeconds() - cpu0) / ((performance.now() - w0) / 1000)) * 100;
  const listMs: number[] = [];
  for (let i = 0; i < 9; i++) {
    const t0 = performance.now();
    const r = await api.request('GET', '/api/v1/namespaces/default/pods');
    listMs.push(performance.now() - t0);
    if (r.body.items.length < o.pods) throw new Error(`listed ${r.body.items.length} pods, expected ${o.pods}`);
  }
  const kubectlGetMs: number[] = [];
  if (o.kubectl) {
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      execFileSync(o.kubectl, ['--kubeconfig', berth.kubeconfig, '--cache-dir', o.cacheDir, 'get', 'pods'], { stdio: 'ignore' });
      kubectlGetMs.push(performance.now() - t0);
    }
  }
  o.log(`  ${o.watchers} watchers`);
  const target = 'scale-0';
  const path = '/api/v1/namespaces/default/pods';
  const rv = (await api.request('GET', `${path}/${target}`)).body.metadata.resourceVersion;
  let expect = '';
  let pending = 0;
  let allSeen: () => void = () => {};
  const stops = await Promise.all(
    Array.from({ length: o.watchers }, () =>
      api.watch(`${path}?watch=1&fieldSelector=metadata.name%3D${target}&resourceVersion=${rv}`, (e) => {
        if (expect && e.object?.metadata?.labels?.fanout === expect && --pending === 0) allSeen();
      }),
    ),
  );
  const fanoutMs: number[] = [];
  try {
    for (let i = 0; i < 9; i++) {
      expect = `w${i}`;
      pending = o.watchers;
      const seen = new Promise<void>((r) => (allSeen = r));
      const t0 = performance.now();
      const r = await api.requestPatch(`${path}/${target}`, { metadata: { labels: { fanout: expect } } });
      if (r.status !== 200) throw new Error(`patch failed: ${JSON.stringify(r.body)}`);
      await seen;
      fanoutMs.push(performance.now() - t0);
      await sleep(200);
    }
  } finally {
    for (const s of stops) s();
  }
  return { pods: o.pods, createMs, rssMiB, idleCpuPercent, idleSeconds: o.idleSeconds, listMs, kubectlGetMs, fanoutMs, watchers: o.watchers };
}
