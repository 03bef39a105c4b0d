/**
 * A 50-replica Deployment (1 init + 1 app container per pod) from create to
 * rolled out (kubectl rollout status's rule: observed, all updated and
 * available), beside the same 50 pods created directly over the API and
 * watched until all are Running and ready. The two are interleaved pair by
 * pair on one node (direct, deployment, direct, deployment, ...) after a
 * warm-up pair, so a drift of this shared machine lands on both sides; each
 * figure is printed as min / median / max with the per-pair ratio.
 * Prints numbers and exits 0; it asserts nothing.
 * Usage: node bench/deployment-bench.ts [--pairs N] [--replicas N] [--json]
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { ApiClient } from './api-client.ts';
import { BerthProcess } from './berth-process.ts';
import { benchPod } from './seed-bench-pod.ts';
import { LocalNode } from '../src/cli/local-node.ts';
import { tearDownNode } from '../src/cli/node-teardown.ts';

const { values } = parseArgs({ options: { pairs: { type: 'string', default: '3' }, replicas: { type: 'string', default: '50' }, json: { type: 'boolean' } } });
const pairs = Number(values.pairs);
const replicas = Number(values.replicas);
const log = (s: string) => {
  if (!values.json) console.log(s);
};

const ready = (pod: any) => pod?.status?.phase === 'Running' && (pod.status.containerStatuses ?? []).every((c: any) => c.ready) && !pod.metadata?.deletionTimestamp;

function template(label: string): any {
  const pod = benchPod('x', 1, 1);
  return { metadata: { labels: { bench: label } }, spec: pod.spec };
}

async function waitUntil(api: ApiClient, path: string, done: (objects: Map<string, any>) => boolean, start: () => Promise<void>): Promise<void> {
  const list = await api.request('GET', path);
  const objects = new Map<string, any>();
  for (const o of list.body.items) objects.set(o.metadata.name, o);
  let finish!: () => void;
  const finished = new Promise<void>((r) => (finish = r));
  const stop = await api.watch(`${path}${path.includes('?') ? '&' : '?'}watch=1&resourceVersion=${list.body.metadata.resourceVersion}`, (e) => {
    if (e.type === 'DELETED') objects.delete(e.object.metadata.name);
    else objects.set(e.object.metadata.name, e.object);
    if (done(objects)) finish();
  });
  await start();
  if (done(objects)) finish();
  await finished;
  stop();
}

async function gone(api: ApiClient, label: string): Promise<void> {
  const path = `/api/v1/namespaces/default/pods?labelSelector=bench%3D${label}`;
  for (;;) {
    const r = await api.request('GET', path);
    if (r.body.items.length === 0) return;
    await sleep(200);
  }
}

async function direct(api: ApiClient, label: string): Promise<number> {
  const t0 = performance.now();
  await waitUntil(
    api,
    `/api/v1/namespaces/default/pods?labelSelector=bench%3D${label}`,
    (pods) => pods.size === replicas && [...pods.values()].every(ready),
    async () => {
      await Promise.all(
        Array.from({ length: replicas }, async (_, i) => {
          const p = benchPod(`${label}-${i}`, 1, 1);
          p.metadata.labels = { bench: label };
          const r = await api.request('POST', '/api/v1/namespaces/default/pods', p);
          if (r.status !== 201) throw new Error(`create failed: ${JSON.stringify(r.body)}`);
        }),
      );
    },
  );
  const ms = performance.now() - t0;
  await api.request('DELETE', `/api/v1/namespaces/default/pods?labelSelector=bench%3D${label}&gracePeriodSeconds=0`);
  await gone(api, label);
  return ms;
}

async function deployment(api: ApiClient, label: string): Promise<number> {
  const d = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: label },
    spec: { replicas, selector: { matchLabels: { bench: label } }, template: template(label) },
  };
  const t0 = performance.now();
  await waitUntil(
    api,
    `/apis/apps/v1/namespaces/default/deployments?fieldSelector=metadata.name%3D${label}`,
    (ds) => {
      const o = ds.get(label);
      const s = o?.status ?? {};
      return !!o && (s.observedGeneration ?? 0) >= o.metadata.generation && s.updatedReplicas === replicas && s.replicas === replicas && s.availableReplicas === replicas;
    },
    async () => {
      const r = await api.request('POST', '/apis/apps/v1/namespaces/default/deployments', d);
      if (r.status !== 201) throw new Error(`create failed: ${JSON.stringify(r.body)}`);
    },
  );
  const ms = performance.now() - t0;
  await api.request('DELETE', `/apis/apps/v1/namespaces/default/deployments/${label}`);
  await gone(api, label);
  return ms;
}

const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return { min: s[0], median: s[Math.floor((s.length - 1) / 2)], max: s[s.length - 1] };
};
const fmt = (xs: number[], unit = 's', scale = 1000) => {
  const { min, median, max } = stats(xs);
  const f = (x: number) => (x / scale).toFixed(2);
  return `${f(min)} / ${f(median)} / ${f(max)} ${unit}`;
};

const dataDir = mkdtempSync(join(tmpdir(), 'berth-bench-'));
const berth = new BerthProcess(dataDir);
const api = await berth.ready.then(() => new ApiClient(berth.kubeconfig));
const directMs: number[] = [];
const deployMs: number[] = [];
try {
  log(`${replicas} pods (1 init + 1 app): created directly vs. one Deployment, ${pairs} interleaved pairs after a warm-up pair`);
  await direct(api, 'warm-direct');
  await deployment(api, 'warm-deploy');
  for (let i = 0; i < pairs; i++) {
    directMs.push(await direct(api, `direct-${i}`));
    deployMs.push(await deployment(api, `deploy-${i}`));
    log(`  pair ${i + 1}: direct ${(directMs[i] / 1000).toFixed(2)} s, deployment ${(deployMs[i] / 1000).toFixed(2)} s, ratio ${(deployMs[i] / directMs[i]).toFixed(2)}×`);
  }
  const ratios = deployMs.map((d, i) => d / directMs[i]);
  if (values.json) {
    console.log(JSON.stringify({ replicas, pairs, directMs: stats(directMs), deploymentMs: stats(deployMs), ratio: stats(ratios) }));
  } else {
    log(`  ${replicas} pods created directly → all Running (min / median / max): ${fmt(directMs)}`);
    log(`  ${replicas}-replica Deployment → rolled out (min / median / max):   ${fmt(deployMs)}`);
    log(`  ratio deployment / direct, per pair (min / median / max):    ${fmt(ratios, '×', 1)}`);
  }
} finally {
  api.close();
  await berth.stop();
  // What `berth down --purge` does: stop any shim left, unmount, remove the data directory.
  await tearDownNode(new LocalNode(dataDir), { purge: true, podsTimeoutMs: 10_000, log: () => {} });
}
