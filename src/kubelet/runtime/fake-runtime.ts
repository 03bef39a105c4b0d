/**
 * Test double: an in-memory CRI `RuntimeService` on a virtual clock.
 * Sandboxes and containers move through CRI's states as containerd 1.6 moves
 * them, and it keeps the CRI runtime contract (cri/runtime-contract.ts, run
 * in fake-runtime.test.ts) that the gRPC client keeps on a real containerd:
 * the same filters, name reservations, NotFound and idempotent calls, exit
 * codes (137 for a kill, 143 by default for a stop with a grace period) and
 * error texts. Tests make containers exit (`exit`, `exitContainer`), lose a
 * sandbox (`loseSandbox`) and script exec results (`onExec`); ExecSync runs
 * no command. Every mutating call is logged in `calls`.
 */
import { join } from 'node:path';
import { CriCode, CriError } from '../../cri/errors.ts';
import type {
  Container,
  ContainerConfig,
  ContainerFilter,
  ContainerStateName,
  ContainerStatus,
  ExecSyncResult,
  PodSandbox,
  PodSandboxConfig,
  PodSandboxFilter,
  PodSandboxStatus,
  RuntimeService,
  VersionInfo,
} from '../../cri/types.ts';
import type { Clock } from '../../clock/clock.ts';

interface FakeSandbox {
  id: string;
  /** containerd's reserved sandbox name: `<name>_<namespace>_<uid>_<attempt>`. */
  name: string;
  config: PodSandboxConfig;
  state: 'SANDBOX_READY' | 'SANDBOX_NOTREADY';
  createdAt: number;
  ip: string;
}

interface FakeContainer {
  id: string;
  /** containerd's reserved container name: `<name>_<sandbox name>_<namespace>_<uid>_<attempt>`. */
  name: string;
  sandboxId: string;
  config: ContainerConfig;
  logPath: string;
  state: ContainerStateName;
  createdAt: number;
  startedAt: number;
  finishedAt: number;
  exitCode: number;
}

/** An image in containerd's image store, as ContainerStatus and ListContainers name it. */
export interface FakeImage {
  /** `sha256:…`, the image id. */
  id: string;
  /** The first repo tag. */
  name: string;
  /** The first repo digest, `<repo>@sha256:…`. */
  digest: string;
}

/** The seed busybox (its id shortened). */
export const fakeBusybox: FakeImage = {
  id: 'sha256:busybox',
  name: 'docker.io/library/busybox:1.35',
  digest: 'docker.io/library/busybox@sha256:535f89dcbd639c6d',
};

const matches = (labels: Record<string, string>, selector: Record<string, string> | undefined) =>
  Object.entries(selector ?? {}).every(([k, v]) => labels[k] === v);

const notFound = (method: string, what: string) => new CriError(method, CriCode.NotFound, `${method}: ${what}: not found`);

export class FakeRuntime implements RuntimeService {
  readonly calls: string[] = [];
  /** Exit code a container gets when StopContainer stops it (by container name); default 143. */
  readonly stopExitCodes = new Map<string, number>();
  /** This many StopContainer calls fail with UNAVAILABLE first. */
  failStops = 0;
  #clock: Clock;
  #seq = 0;
  #sandboxes = new Map<string, FakeSandbox>();
  #containers = new Map<string, FakeContainer>();
  #exec: (name: string, cmd: string[]) => ExecSyncResult = () => ({ stdout: Buffer.alloc(0), stderr: Buffer.alloc(0), exitCode: 0 });

  #images: FakeImage[];

  /** `images` is the image store: containers created from one of them, by id or name, report it as containerd does. */
  constructor(clock: Clock, images: FakeImage[] = [fakeBusybox]) {
    this.#clock = clock;
    this.#images = images;
  }

  #image(ref: string): FakeImage | undefined {
    return this.#images.find((i) => i.id === ref || i.name === ref);
  }

  onExec(fn: (containerName: string, cmd: string[]) => ExecSyncResult): void {
    this.#exec = fn;
  }

  /** The newest instance of a named container. */
  latest(name: string): FakeContainer | undefined {
    return [...this.#containers.values()].filter((c) => c.config.metadata.name === name).sort((a, b) => b.createdAt - a.createdAt || b.config.metadata.attempt - a.config.metadata.attempt)[0];
  }

  instances(name: string): FakeContainer[] {
    return [...this.#containers.values()].filter((c) => c.config.metadata.name === name);
  }

  /** The running instance of `name` exits now with `code`. */
  exit(name: string, code: number): void {
    const c = this.latest(name);
    if (!c) throw new Error(`fake runtime: ${name} is not running`);
    this.exitContainer(c.id, code);
  }

  /** The running container `id` exits now with `code`. */
  exitContainer(id: string, code: number): void {
    const c = this.#containers.get(id);
    if (!c || c.state !== 'CONTAINER_RUNNING') throw new Error(`fake runtime: ${c?.config.metadata.name ?? id} is not running`);
    this.#stop(c, code);
  }

  /** The pod's sandbox dies (its pause process was killed). */
  loseSandbox(id: string): void {
    const sb = this.#sandboxes.get(id)!;
    sb.state = 'SANDBOX_NOTREADY';
  }

  sandboxes(): FakeSandbox[] {
    return [...this.#sandboxes.values()];
  }

  async version(): Promise<VersionInfo> {
    return { version: '0.1.0', runtimeName: 'containerd', runtimeVersion: 'fake', runtimeApiVersion: 'v1' };
  }

  async runPodSandbox(config: PodSandboxConfig): Promise<string> {
    const m = config.metadata;
    const name = `${m.name}_${m.namespace}_${m.uid}_${m.attempt}`;
    const holder = [...this.#sandboxes.values()].find((s) => s.name === name);
    if (holder) {
      throw new CriError('RunPodSandbox', CriCode.Unknown, `RunPodSandbox: failed to reserve sandbox name "${name}": name "${name}" is reserved for "${holder.id}"`);
    }
    const id = `sb${++this.#seq}`;
    // Host-network sandboxes get no IP of their own, as containerd's getIPs.
    const ip = config.linux?.securityContext?.namespaceOptions?.network === 'NODE' ? '' : `10.244.0.${this.#seq}`;
    this.#sandboxes.set(id, { id, name, config, state: 'SANDBOX_READY', createdAt: this.#clock.now() + this.#seq / 1000, ip });
    this.calls.push(`RunPodSandbox attempt=${config.metadata.attempt}`);
    return id;
  }

  async stopPodSandbox(id: string): Promise<void> {
    const sb = this.#sandboxes.get(id);
    if (!sb) throw notFound('StopPodSandbox', `an error occurred when try to find sandbox "${id}"`);
    sb.state = 'SANDBOX_NOTREADY';
    for (const c of this.#containers.values()) {
      if (c.sandboxId === id && c.state === 'CONTAINER_RUNNING') this.#stop(c, 137);
    }
    this.calls.push(`StopPodSandbox ${id}`);
  }

  async removePodSandbox(id: string): Promise<void> {
    this.#sandboxes.delete(id);
    for (const [cid, c] of this.#containers) if (c.sandboxId === id) this.#containers.delete(cid);
    this.calls.push(`RemovePodSandbox ${id}`);
  }

  async podSandboxStatus(id: string): Promise<PodSandboxStatus> {
    const sb = this.#sandboxes.get(id);
    if (!sb) throw notFound('PodSandboxStatus', 'an error occurred when try to find sandbox');
    return { ...this.#sandbox(sb), ip: sb.state === 'SANDBOX_READY' ? sb.ip : '', additionalIps: [] };
  }

  #sandbox(sb: FakeSandbox): PodSandbox {
    return {
      id: sb.id,
      metadata: { ...sb.config.metadata },
      state: sb.state,
      createdAt: sb.createdAt,
      labels: sb.config.labels ?? {},
      annotations: sb.config.annotations ?? {},
    };
  }

  async listPodSandbox(filter?: PodSandboxFilter): Promise<PodSandbox[]> {
    return [...this.#sandboxes.values()]
      .filter((s) => (!filter?.id || s.id === filter.id) && (!filter?.state || s.state === filter.state))
      .filter((s) => matches(s.config.labels ?? {}, filter?.labelSelector))
      .map((s) => this.#sandbox(s));
  }

  async createContainer(sandboxId: string, config: ContainerConfig, sandboxConfig: PodSandboxConfig): Promise<string> {
    const sb = this.#sandboxes.get(sandboxId);
    if (!sb) throw notFound('CreateContainer', `failed to find sandbox id "${sandboxId}"`);
    if (sb.state !== 'SANDBOX_READY') {
      throw notFound('CreateContainer', `failed to get sandbox container task: no running task found: task ${sandboxId} not found`);
    }
    const m = sb.config.metadata;
    const name = `${config.metadata.name}_${m.name}_${m.namespace}_${m.uid}_${config.metadata.attempt}`;
    const holder = [...this.#containers.values()].find((c) => c.name === name);
    if (holder) {
      throw new CriError('CreateContainer', CriCode.Unknown, `CreateContainer: failed to reserve container name "${name}": name "${name}" is reserved for "${holder.id}"`);
    }
    const id = `${config.metadata.name}-${++this.#seq}`;
    this.#containers.set(id, {
      id,
      name,
      sandboxId,
      config,
      logPath: join(sandboxConfig.logDirectory ?? '', config.logPath ?? ''),
      state: 'CONTAINER_CREATED',
      createdAt: this.#clock.now() + this.#seq / 1000,
      startedAt: 0,
      finishedAt: 0,
      exitCode: 0,
    });
    this.calls.push(`CreateContainer ${config.metadata.name} attempt=${config.metadata.attempt}`);
    return id;
  }

  async startContainer(id: string): Promise<void> {
    const c = this.#get('StartContainer', id);
    if (c.state !== 'CONTAINER_CREATED') {
      throw new CriError('StartContainer', CriCode.Unknown, `StartContainer: failed to set starting state for container "${id}": container is in ${c.state} state`);
    }
    c.state = 'CONTAINER_RUNNING';
    c.startedAt = this.#clock.now();
    this.calls.push(`StartContainer ${c.config.metadata.name}`);
  }

  #stop(c: FakeContainer, code: number): void {
    c.state = 'CONTAINER_EXITED';
    c.exitCode = code;
    c.finishedAt = this.#clock.now();
  }

  async stopContainer(id: string, timeoutSeconds: number): Promise<void> {
    const c = this.#get('StopContainer', id);
    this.calls.push(`StopContainer ${c.config.metadata.name} timeout=${timeoutSeconds}`);
    if (this.failStops > 0) {
      this.failStops--;
      throw new CriError('StopContainer', CriCode.Unavailable, 'StopContainer: connection refused');
    }
    // No grace period: SIGKILL at once, as containerd does for timeout 0.
    const code = timeoutSeconds > 0 ? (this.stopExitCodes.get(c.config.metadata.name) ?? 143) : 137;
    if (c.state === 'CONTAINER_RUNNING') this.#stop(c, code);
  }

  /** Removing a container that is gone already succeeds, as in containerd. */
  async removeContainer(id: string): Promise<void> {
    const c = this.#containers.get(id);
    if (!c) return;
    this.#containers.delete(id);
    this.calls.push(`RemoveContainer ${c.config.metadata.name}`);
  }

  async listContainers(filter?: ContainerFilter): Promise<Container[]> {
    return [...this.#containers.values()]
      .filter((c) => (!filter?.id || c.id === filter.id) && (!filter?.podSandboxId || c.sandboxId === filter.podSandboxId))
      .filter((c) => (!filter?.state || c.state === filter.state) && matches(c.config.labels ?? {}, filter?.labelSelector))
      .map((c) => ({
        id: c.id,
        podSandboxId: c.sandboxId,
        metadata: { ...c.config.metadata },
        image: c.config.image.image,
        imageRef: this.#image(c.config.image.image)?.id ?? c.config.image.image,
        state: c.state,
        createdAt: c.createdAt,
        labels: c.config.labels ?? {},
        annotations: c.config.annotations ?? {},
      }));
  }

  async containerStatus(id: string): Promise<ContainerStatus> {
    const c = this.#get('ContainerStatus', id);
    const exited = c.state === 'CONTAINER_EXITED';
    return {
      id: c.id,
      metadata: { ...c.config.metadata },
      state: c.state,
      createdAt: c.createdAt,
      startedAt: c.startedAt,
      finishedAt: c.finishedAt,
      exitCode: c.exitCode,
      // The image's tag and digest, whichever way it was named at creation.
      image: this.#image(c.config.image.image)?.name ?? c.config.image.image,
      imageRef: this.#image(c.config.image.image)?.digest ?? c.config.image.image,
      reason: exited ? (c.exitCode === 0 ? 'Completed' : 'Error') : '',
      message: '',
      labels: c.config.labels ?? {},
      annotations: c.config.annotations ?? {},
      logPath: c.logPath,
    };
  }

  async execSync(id: string, cmd: string[], _timeoutSeconds: number): Promise<ExecSyncResult> {
    const c = this.#containers.get(id);
    if (!c) throw notFound('ExecSync', `failed to exec in container: failed to find container "${id}" in store`);
    if (c.state !== 'CONTAINER_RUNNING') {
      throw new CriError('ExecSync', CriCode.Unknown, `ExecSync: failed to exec in container: container is in ${c.state} state`);
    }
    this.calls.push(`ExecSync ${c.config.metadata.name} ${cmd.join(' ')}`);
    return this.#exec(c.config.metadata.name, cmd);
  }

  #get(method: string, id: string): FakeContainer {
    const c = this.#containers.get(id);
    if (!c) throw notFound(method, `an error occurred when try to find container "${id}"`);
    return c;
  }

  async exec(): Promise<string> {
    throw new Error('fake runtime: exec streaming is not supported');
  }

  async attach(): Promise<string> {
    throw new Error('fake runtime: attach is not supported');
  }

  async portForward(): Promise<string> {
    throw new Error('fake runtime: port-forward is not supported');
  }

  async reopenContainerLog(): Promise<void> {}
}
