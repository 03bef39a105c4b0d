/**
 * Pods run through berth's API for the benchmarks: the seed pod with its
 * timeline (for the same phases as the CRI floor, plus when each status
 * change reached a watch), N pods created at once, and their removal down to
 * the last sandbox so the next run starts from the same empty node.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { CriClient } from '../src/cri/cri.ts';
import { Label } from '../src/kubelet/runtime/labels.ts';
import type { ApiClient } from './api-client.ts';
import type { EventLog } from './event-log.ts';
import type { PodTimeline } from './phases.ts';
import { benchPod } from './seed-bench-pod.ts';

const PODS = '/api/v1/namespaces/default/pods';

export const runningReady = (pod: any) =>
  pod?.status?.phase === 'Running' && (pod.status.containerStatuses ?? []).every((c: any) => c.ready) && !pod.metadata?.deletionTimestamp;

export interface BerthPod {
  totalMs: number;
  timeline: PodTimeline;
  /** Container name → Date.now() when a watch first showed it terminated (inits) or running (apps). */
  statusSeen: Record<string, number>;
}

export async function berthSeedPod(api: ApiClient, cri: CriClient, events: EventLog, name: string, inits = 2, apps = 2): Promise<BerthPod> {
  const list = await api.request('GET', `${PODS}?fieldSelector=metadata.name%3D${name}`);
  let done!: (pod: any) => void;
  const doneP = new Promise<any>((r) => (done = r));
  const statusSeen: Record<string, number> = {};
  const stop = await api.watch(`${PODS}?watch=1&fieldSelector=metadata.name%3D${name}&resourceVersion=${list.body.metadata.resourceVersion}`, (e) => {
    const now = Date.now();
    for (const s of e.object?.status?.initContainerStatuses ?? []) if (s.state?.terminated) statusSeen[s.name] ??= now;
    for (const s of e.object?.status?.containerStatuses ?? []) if (s.state?.running) statusSeen[s.name] ??= now;
    if (runningReady(e.object)) done(e.object);
  });
  const t0Wall = Date.now();
  const t0 = performance.now();
  const created = await api.request('POST', PODS, benchPod(name, inits, apps));
  if (created.status !== 201) throw new Error(`create ${name} failed: ${JSON.stringify(created.body)}`);
  const pod = await doneP;
  const totalMs = performance.now() - t0;
  const doneWall = Date.now();
  stop();
  const statuses = [...(pod.status.initContainerStatuses ?? []), ...pod.status.containerStatuses];
  const id = (n: string) => String(statuses.find((s: any) => s.name === n)?.containerID ?? '').replace('containerd://', '');
  const names = [...Array.from({ length: inits }, (_, i) => `init${i + 1}`), ...Array.from({ length: apps }, (_, i) => `app${i + 1}`)];
  const ids = names.map(id);
  const sandboxes = await cri.runtime.listPodSandbox({ labelSelector: { [Label.podUid]: pod.metadata.uid } });
  await events.waitFor(ids[ids.length - 1], 'started');
  return { totalMs, timeline: { t0: t0Wall, sandboxId: sandboxes[0]?.id ?? '', ids, inits, done: doneWall }, statusSeen };
}

/** `count` pods (1 init + 1 app) created at once; resolves with the time until a watch saw every one Running and ready. */
export async function berthParallel(api: ApiClient, count: number, label: string): Promise<number> {
  const names = Array.from({ length: count }, (_, i) => `${label}-${i}`);
  const waiting = new Set(names);
  const list = await api.request('GET', `${PODS}?labelSelector=bench%3D${label}`);
  let all!: () => void;
  const allRunning = new Promise<void>((r) => (all = r));
  const stop = await api.watch(`${PODS}?watch=1&labelSelector=bench%3D${label}&resourceVersion=${list.body.metadata.resourceVersion}`, (e) => {
    if (runningReady(e.object)) waiting.delete(e.object.metadata.name);
    if (waiting.size === 0) all();
  });
  const t0 = performance.now();
  await Promise.all(
    names.map(async (n) => {
      const p = benchPod(n, 1, 1);
      p.metadata.labels = { bench: label };
      const r = await api.request('POST', PODS, p);
      if (r.status !== 201) throw new Error(`create ${n} failed: ${JSON.stringify(r.body)}`);
    }),
  );
  await allRunning;
  const ms = performance.now() - t0;
  stop();
  return ms;
}

/** Deletes the pods (gracePeriodSeconds=0) and waits until they and every sandbox berth made are gone. */
export async function removeBerthPods(api: ApiClient, cri: CriClient, selector: string): Promise<void> {
  await api.request('DELETE', `${PODS}?labelSelector=${encodeURIComponent(selector)}&gracePeriodSeconds=0`);
  for (let i = 0; i < 1200; i++) {
    const left = (await api.request('GET', `${PODS}?labelSelector=${encodeURIComponent(selector)}`)).body.items.length;
    const sandboxes = await cri.runtime.listPodSandbox({ labelSelector: { [Label.managedBy]: 'true' } });
    if (left === 0 && sandboxes.length === 0) return;
    await sleep(100);
  }
  throw new Error(`pods ${selector} were not removed within 120 s`);
}
