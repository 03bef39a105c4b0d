/**
 * The raw CRI floor: a pod's CRI calls issued back to back by a script on
 * berth's own containerd (the node under test, so both sides share its state,
 * caches and CNI) — sandbox, then each init container created, started and
 * awaited (exit seen on containerd's event stream), then the app containers.
 * This is what any kubelet must at least spend; berth is measured against it.
 * Its sandboxes carry none of berth's labels, so berth's kubelet ignores them.
 */
import { join } from 'node:path';
import type { CriClient } from '../src/cri/cri.ts';
import type { ContainerConfig, PodSandboxConfig, RuntimeService } from '../src/cri/types.ts';
import type { EventLog } from './event-log.ts';
import type { PodTimeline } from './phases.ts';

export interface FloorPod {
  /** Sandbox call → last app container started. */
  totalMs: number;
  sandboxMs: number;
  /** createContainer + startContainer, per container. */
  createStartMs: number[];
  timeline: PodTimeline;
}

export class CriFloor {
  #cri: CriClient;
  #events: EventLog;
  #logRoot: string;
  #image?: string;
  #seq = 0;

  constructor(cri: CriClient, events: EventLog, logRoot: string) {
    this.#cri = cri;
    this.#events = events;
    this.#logRoot = logRoot;
  }

  async #imageId(): Promise<string> {
    this.#image ??= (await this.#cri.images.imageStatus('busybox:1.35'))!.id;
    return this.#image;
  }

  /** One pod with `inits` trivial init containers and `apps` long-running ones; resolves once the last app container started. */
  async pod(inits = 2, apps = 2): Promise<FloorPod> {
    const image = await this.#imageId();
    const n = this.#seq++;
    const rt = this.#cri.runtime;
    const t0 = performance.now();
    const t0Wall = Date.now();
    const sb: PodSandboxConfig = {
      metadata: { name: `floor-${n}`, namespace: 'bench-floor', uid: `floor-${n}-${process.pid}-${Date.now()}`, attempt: 0 },
      hostname: `floor-${n}`,
      logDirectory: join(this.#logRoot, `floor-${process.pid}-${n}`),
      linux: { securityContext: { namespaceOptions: { network: 'POD', pid: 'CONTAINER', ipc: 'POD' } } },
    };
    const sandboxId = await rt.runPodSandbox(sb);
    await rt.podSandboxStatus(sandboxId);
    const sandboxMs = performance.now() - t0;
    const createStartMs: number[] = [];
    const start = async (name: string, command: string[]) => {
      const c0 = performance.now();
      const config: ContainerConfig = { metadata: { name, attempt: 0 }, image: { image }, command, logPath: `${name}.log` };
      await this.#cri.images.imageStatus('busybox:1.35');
      const id = await rt.createContainer(sandboxId, config, sb);
      await rt.startContainer(id);
      createStartMs.push(performance.now() - c0);
      return id;
    };
    const ids: string[] = [];
    for (let i = 1; i <= inits; i++) {
      const id = await start(`init${i}`, ['true']);
      ids.push(id);
      await this.#events.waitExit(id);
    }
    for (let i = 1; i <= apps; i++) ids.push(await start(`app${i}`, ['sleep', '3600']));
    const totalMs = performance.now() - t0;
    const done = Date.now();
    await this.#events.waitFor(ids[ids.length - 1], 'started');
    return { totalMs, sandboxMs, createStartMs, timeline: { t0: t0Wall, sandboxId, ids, inits, done } };
  }

  /**
   * `count` pods issued at once (or, with `inFlight`, at most that many pods
   * at a time, each next one as soon as one is done); resolves with the time
   * until every one's app container started.
   */
  async parallel(count: number, inits = 1, apps = 1, inFlight = count): Promise<{ totalMs: number; sandboxIds: string[] }> {
    const t0 = performance.now();
    const sandboxIds: string[] = [];
    let issued = 0;
    await Promise.all(
      Array.from({ length: Math.min(inFlight, count) }, async () => {
        while (issued < count) {
          issued++;
          sandboxIds.push((await this.pod(inits, apps)).timeline.sandboxId);
        }
      }),
    );
    return { totalMs: performance.now() - t0, sandboxIds };
  }

  async remove(sandboxIds: string[]): Promise<void> {
    await Promise.all(sandboxIds.map((id) => removeSandbox(this.#cri.runtime, id)));
  }
}

/**
 * StopPodSandbox stops every container of the sandbox (CRI's contract), then
 * RemovePodSandbox removes them; on a loaded machine containerd can still
 * report a container running after the stop returned, so each container is
 * stopped too and the whole is retried for up to a minute.
 */
async function removeSandbox(runtime: RuntimeService, sandboxId: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await runtime.stopPodSandbox(sandboxId);
      for (const c of await runtime.listContainers({ podSandboxId: sandboxId })) await runtime.stopContainer(c.id, 0).catch(() => {});
      await runtime.removePodSandbox(sandboxId);
      return;
    } catch (err) {
      if (attempt >= 120) throw err;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}
