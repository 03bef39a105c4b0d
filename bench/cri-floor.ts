/**
 * The raw CRI floor: the seed pod's CRI calls issued back to back by a script
 * on berth's own containerd — sandbox, then each init container created,
 * started and awaited (exit seen on containerd's event stream), then both app
 * containers. This is what any kubelet must at least spend; berth is measured
 * against it.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Containerd } from '../src/containerd/containerd.ts';
import { LocalNode } from '../src/cli/local-node.ts';
import { tearDownNode } from '../src/cli/node-teardown.ts';
import { createCriClient } from '../src/cri/cri.ts';
import type { ContainerConfig, PodSandboxConfig, RuntimeService } from '../src/cri/types.ts';

export interface FloorResult {
  totalMs: number[];
  sandboxMs: number[];
  createStartMs: number[];
  /** Previous container's exit → next container's start, from containerd's event times. */
  stepMs: number[];
}

const projectImages = join(import.meta.dirname, '..', 'images');

export async function measureCriFloor(runs: number): Promise<FloorResult> {
  const dataDir = mkdtempSync(join(tmpdir(), 'berth-bench-floor-'));
  const ac = new AbortController();
  const containerd = new Containerd({ dataDir });
  const out: FloorResult = { totalMs: [], sandboxMs: [], createStartMs: [], stepMs: [] };
  try {
    await containerd.start(ac.signal);
    await containerd.importImages(projectImages);
    const cri = createCriClient(containerd.socketPath);
    try {
      const exits = new Map<string, () => void>();
      const seen = new Set<string>();
      const eventAt = new Map<string, number>();
      cri.events.subscribe((e) => {
        eventAt.set(`${e.type} ${e.id}`, e.at);
        if (e.type !== 'exited') return;
        seen.add(e.id);
        exits.get(e.id)?.();
      }, ac.signal);
      const waitExit = (id: string) =>
        new Promise<void>((r) => {
          if (seen.has(id)) r();
          else exits.set(id, r);
        });
      const image = (await cri.images.imageStatus('busybox:1.35'))!.id;
      for (let run = 0; run < runs; run++) {
        const t0 = performance.now();
        const sb: PodSandboxConfig = {
          metadata: { name: `floor-${run}`, namespace: 'bench', uid: `floor-${run}-${process.pid}`, attempt: 0 },
          hostname: `floor-${run}`,
          logDirectory: join(dataDir, 'logs', String(run)),
          linux: { securityContext: { namespaceOptions: { network: 'POD', pid: 'CONTAINER', ipc: 'POD' } } },
        };
        const sbId = await cri.runtime.runPodSandbox(sb);
        await cri.runtime.podSandboxStatus(sbId);
        out.sandboxMs.push(performance.now() - t0);
        const start = async (name: string, command: string[]) => {
          const c0 = performance.now();
          const config: ContainerConfig = { metadata: { name, attempt: 0 }, image: { image }, command, logPath: `${name}.log` };
          await cri.images.imageStatus('busybox:1.35');
          const id = await cri.runtime.createContainer(sbId, config, sb);
          await cri.runtime.startContainer(id);
          out.createStartMs.push(performance.now() - c0);
          return id;
        };
        const ids: string[] = [];
        for (const n of ['init1', 'init2']) {
          const id = await start(n, ['true']);
          ids.push(id);
          await waitExit(id);
        }
        for (const n of ['app1', 'app2']) ids.push(await start(n, ['sleep', '3600']));
        out.totalMs.push(performance.now() - t0);
        await new Promise((r) => setTimeout(r, 50));
        for (let i = 0; i < 2; i++) {
          const exited = eventAt.get(`exited ${ids[i]}`);
          const started = eventAt.get(`started ${ids[i + 1]}`);
          if (exited !== undefined && started !== undefined) out.stepMs.push(started - exited);
        }
        await teardown(cri.runtime, sbId);
      }
    } finally {
      cri.close();
    }
  } finally {
    ac.abort();
    await containerd.stop();
    await tearDownNode(new LocalNode(dataDir), { purge: true, podsTimeoutMs: 10_000, log: () => {} });
  }
  return out;
}

async function teardown(runtime: RuntimeService, sandboxId: string): Promise<void> {
  for (const c of await runtime.listContainers({ podSandboxId: sandboxId })) {
    await runtime.stopContainer(c.id, 0).catch(() => {});
    await runtime.removeContainer(c.id).catch(() => {});
  }
  await runtime.stopPodSandbox(sandboxId);
  await runtime.removePodSandbox(sandboxId);
}
