/**
 * Reads a pod's runtime state back from CRI: its sandboxes (by the pod-uid
 * label) and every container instance with its status. Runtime objects are
 * the source of truth for what runs; remembered between calls is only what
 * cannot change or is not in CRI yet: statuses of exited containers, the
 * status of a container while ListContainers lists it running, sandbox IPs,
 * and exit and OOM events CRI has not caught up with.
 *
 * Termination messages are read here, as the kubelet does when it converts a
 * runtime status (termination-message.ts): once per exited instance, since
 * exited statuses are cached.
 */
import type { ContainerStatus as CriContainerStatus, RuntimeService } from '../../cri/types.ts';
import { isNotFound } from '../../cri/errors.ts';
import { systemClock, type Clock } from '../../clock/clock.ts';
import type { PodRuntimeState, RuntimeContainer, RuntimeContainerState, RuntimeSandbox } from '../container/pod-runtime-state.ts';
import { Annotation, Label } from './labels.ts';
import { exitedContainerMessage } from './termination-message.ts';

const stateNames: Record<string, RuntimeContainerState> = {
  CONTAINER_CREATED: 'created',
  CONTAINER_RUNNING: 'running',
  CONTAINER_EXITED: 'exited',
  CONTAINER_UNKNOWN: 'unknown',
};

async function toRuntimeContainer(s: CriContainerStatus, sandboxId: string): Promise<RuntimeContainer> {
  const state = stateNames[s.state] ?? 'unknown';
  return {
    id: s.id,
    sandboxId,
    name: s.labels[Label.containerName] ?? s.metadata.name,
    state,
    restartCount: Number(s.annotations[Annotation.restartCount] ?? s.metadata.attempt ?? 0) || 0,
    hash: s.annotations[Annotation.containerHash] ?? '',
    kind: (s.annotations[Annotation.containerKind] as RuntimeContainer['kind']) ?? '',
    image: s.image,
    imageRef: s.imageRef,
    createdAt: s.createdAt,
    startedAt: s.startedAt,
    finishedAt: s.finishedAt,
    exitCode: s.exitCode,
    reason: s.reason,
    message: state === 'exited' ? await exitedContainerMessage(s) : s.message,
    logPath: s.logPath,
    annotations: s.annotations,
  };
}

/**
 * containerd's CRI plugin learns of a task exit from the same event stream
 * berth listens to, and updates its container store 30–60 ms later; until then
 * CRI still reports the container running. The exit event carries the exit
 * status and time (equal to CRI's finishedAt), so a container whose exit was
 * seen is reported exited at once from the event; CRI's own status replaces it
 * as soon as CRI agrees. Sandboxes have no exit status to trust: their state is
 * re-read until CRI agrees, for at most this long.
 */
const exitSettleMs = 1000;

interface SeenExit {
  /**
   * When berth saw the event, on the platform's clock: the settle window
   * waits for containerd, which runs in real time whatever clock drives
   * the node agent.
   */
  seenAt: number;
  exitCode?: number;
  /** containerd's exit time, ms. */
  at?: number;
  oom?: boolean;
}

export class RuntimeObserver {
  #runtime: RuntimeService;
  /** Exited containers' statuses are final; keyed by container id. */
  #exited = new Map<string, RuntimeContainer>();
  /** Tasks whose exit was seen on the event stream, not yet reflected by CRI. */
  #exitSeen = new Map<string, SeenExit>();
  /** The CRI status of containers last seen running (it does not change while they run). */
  #running = new Map<string, CriContainerStatus>();
  /** IPs of sandboxes, by sandbox id. */
  #sandboxIps = new Map<string, string>();
  /** Containers the kernel OOM-killed (TaskOOM comes before TaskExit). */
  #oom = new Set<string>();
  /**
   * Per pod UID, the ids of its sandboxes and containers at its last observe:
   * what the runtime stops listing (pruned instances) is dropped from the
   * caches above, so a long crash loop does not grow them.
   */
  #listed = new Map<string, string[]>();
  #clock: Clock;

  constructor(runtime: RuntimeService, clock: Clock = systemClock) {
    this.#runtime = runtime;
    this.#clock = clock;
  }

  /** Records an exit seen on containerd's event stream (a container's, or a sandbox's pause process). */
  noteExit(id: string, exitCode?: number, at?: number): void {
    // Real time, for the settle window (see `SeenExit.seenAt`).
    this.#exitSeen.set(id, { seenAt: Date.now(), exitCode, at, oom: this.#oom.has(id) });
  }

  /** Whether this container's exit was seen: on the event stream, or final in CRI. */
  exitSeen(id: string): boolean {
    return this.#exitSeen.has(id) || this.#exited.has(id);
  }

  /** Records a TaskOOM event. */
  noteOom(id: string): void {
    this.#oom.add(id);
  }

  /**
   * A sandbox whose pause process exited stays READY in CRI until containerd
   * has handled the exit; re-read it until CRI agrees, as for containers.
   */
  async #sandboxReady(id: string, listedReady: boolean): Promise<boolean> {
    const seen = this.#exitSeen.get(id);
    if (seen === undefined || !listedReady) return listedReady;
    let ready: boolean = listedReady;
    let wait = 1;
    // Polls containerd in real time (see `seenAt`).
    while (ready && Date.now() - seen.seenAt < exitSettleMs) {
      await new Promise((r) => setTimeout(r, wait));
      wait = Math.min(wait * 2, 20);
      try {
        ready = (await this.#runtime.podSandboxStatus(id)).state === 'SANDBOX_READY';
      } catch (err) {
        if (!isNotFound(err)) throw err;
        ready = false;
      }
    }
    if (!ready) this.#exitSeen.delete(id);
    return ready;
  }

  /** CRI's status, or for a container whose exit CRI has not caught up with, the exit from the event. */
  async #containerStatus(id: string): Promise<{ status: CriContainerStatus; provisional: boolean }> {
    const s = await this.#runtime.containerStatus(id);
    if (s.state !== 'CONTAINER_RUNNING') {
      this.#exitSeen.delete(id);
      this.#oom.delete(id);
      this.#running.delete(id);
      return { status: s, provisional: false };
    }
    this.#running.set(id, s);
    const provisional = this.#provisionalExit(s);
    return provisional ? { status: provisional, provisional: true } : { status: s, provisional: false };
  }

  /** A CRI-running status turned exited by the exit event seen for it, if any. */
  #provisionalExit(s: CriContainerStatus): CriContainerStatus | undefined {
    const seen = this.#exitSeen.get(s.id);
    if (seen?.exitCode === undefined) return undefined;
    const exitCode = seen.exitCode;
    return {
      ...s,
      state: 'CONTAINER_EXITED',
      exitCode,
      finishedAt: seen.at ?? this.#clock.now(),
      reason: seen.oom || this.#oom.has(s.id) ? 'OOMKilled' : exitCode === 0 ? 'Completed' : 'Error',
    };
  }

  /** A sandbox's IP never changes while it lives, so it is read once. */
  async #sandboxIp(id: string): Promise<string> {
    const known = this.#sandboxIps.get(id);
    if (known) return known;
    try {
      const ip = (await this.#runtime.podSandboxStatus(id)).ip;
      if (ip) this.#sandboxIps.set(id, ip);
      return ip;
    } catch (err) {
      if (!isNotFound(err)) throw err;
      return '';
    }
  }

  async observe(uid: string): Promise<PodRuntimeState> {
    const selector = { [Label.podUid]: uid };
    const [sandboxList, containerList] = await Promise.all([
      this.#runtime.listPodSandbox({ labelSelector: selector }),
      this.#runtime.listContainers({ labelSelector: selector }),
    ]);
    sandboxList.sort((a, b) => b.createdAt - a.createdAt || b.metadata.attempt - a.metadata.attempt);
    const ids = [...sandboxList.map((s) => s.id), ...containerList.map((c) => c.id)];
    const listedNow = new Set(ids);
    this.#forgetIds((this.#listed.get(uid) ?? []).filter((id) => !listedNow.has(id)));
    this.#listed.set(uid, ids);
    // Sandbox and container statuses are independent reads: issue them together.
    const sandboxesP = Promise.all(
      sandboxList.map(async (sb, i): Promise<RuntimeSandbox> => {
        const ready = await this.#sandboxReady(sb.id, sb.state === 'SANDBOX_READY');
        return {
          id: sb.id,
          ready,
          attempt: sb.metadata.attempt,
          createdAt: sb.createdAt,
          ip: i === 0 && ready ? await this.#sandboxIp(sb.id) : '',
          hostNetwork: sb.annotations[Annotation.hostNetwork] === 'true',
        };
      }),
    );
    const containers: RuntimeContainer[] = [];
    const containersP = Promise.all(
      containerList.map(async (c) => {
        const cached = this.#exited.get(c.id);
        if (cached) {
          containers.push(cached);
          return;
        }
        // ListContainers already says whether CRI still has it running; a
        // running container's status does not change, so it is read once.
        const lastRunning = c.state === 'CONTAINER_RUNNING' ? this.#running.get(c.id) : undefined;
        if (lastRunning) {
          const provisional = this.#provisionalExit(lastRunning);
          containers.push(await toRuntimeContainer(provisional ?? lastRunning, c.podSandboxId));
          return;
        }
        try {
          const { status, provisional } = await this.#containerStatus(c.id);
          const rc = await toRuntimeContainer(status, c.podSandboxId);
          if (rc.state === 'exited' && !provisional) this.#exited.set(c.id, rc);
          containers.push(rc);
        } catch (err) {
          if (!isNotFound(err)) throw err;
        }
      }),
    );
    const [sandboxes] = await Promise.all([sandboxesP, containersP]);
    containers.sort((a, b) => b.createdAt - a.createdAt || b.restartCount - a.restartCount);
    return { uid, sandboxes, containers };
  }

  /** Forgets everything cached about a pod whose runtime objects were all removed. */
  forget(uid: string): void {
    this.#forgetIds(this.#listed.get(uid) ?? []);
    this.#listed.delete(uid);
  }

  #forgetIds(ids: Iterable<string>): void {
    for (const id of ids) {
      this.#exited.delete(id);
      this.#exitSeen.delete(id);
      this.#oom.delete(id);
      this.#sandboxIps.delete(id);
      this.#running.delete(id);
    }
  }
}
