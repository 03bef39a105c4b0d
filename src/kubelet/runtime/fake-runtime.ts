/**
 * Test helper: an in-memory CRI `RuntimeService` on a virtual clock. Sandboxes
 * and containers move through CRI's states as containerd moves them; tests
 * make containers exit (`exit`), lose a sandbox (`loseSandbox`) and script
 * exec results (`onExec`). Every mutating call is logged in `calls`.
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
import type { Clock } from '../container/clock.ts';

interface FakeSandbox {
  id: string;
  config: PodSandboxConfig;
  state: 'SANDBOX_READY' | 'SANDBOX_NOTREADY';
  createdAt: number;
  ip: string;
}

interface FakeContainer {
  id: string;
  sandboxId: string;
  config: ContainerConfig;
  logPath: string;
  state: ContainerStateName;
  createdAt: number;
  startedAt: number;
  finishedAt: number;
  exitCode: number;
}

const matches = (labels: Record<string, string>, selector: Record<string, string> | undefined) =>
  Object.entries(selector ?? {}).every(([k, v]) => labels[k] === v);

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

  constructor(clock: Clock) {
    this.#clock = clock;
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
    if (!c || c.state !== 'CONTAINER_RUNNING') throw new Error(`fake runtime: ${name} is not running`);
    c.state = 'CONTAINER_EXITED';
    c.exitCode = code;
    c.finishedAt = this.#clock.now();
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
    const id = `sb${++this.#seq}`;
    this.#sandboxes.set(id, { id, config, state: 'SANDBOX_READY', createdAt: this.#clock.now() + this.#seq / 1000, ip: `10.244.0.${this.#seq}` });
    this.calls.push(`RunPodSandbox attempt=${config.metadata.attempt}`);
    return id;
  }

  async stopPodSandbox(id: string): Promise<void> {
    const sb = this.#sandboxes.get(id);
    if (!sb) throw new CriError('StopPodSandbox', CriCode.NotFound, `StopPodSandbox: sandbox ${id} not found`);
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
    if (!sb) throw new CriError('PodSandboxStatus', CriCode.NotFound, `PodSandboxStatus: sandbox ${id} not found`);
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
    return [...this.#sandboxes.values()].filter((s) => matches(s.config.labels ?? {}, filter?.labelSelector)).map((s) => this.#sandbox(s));
  }

  async createContainer(sandboxId: string, config: ContainerConfig, sandboxConfig: PodSandboxConfig): Promise<string> {
    const sb = this.#sandboxes.get(sandboxId);
    if (!sb || sb.state !== 'SANDBOX_READY') throw new CriError('CreateContainer', CriCode.Unknown, `CreateContainer: sandbox ${sandboxId} is not ready`);
    const id = `${config.metadata.name}-${++this.#seq}`;
    this.#containers.set(id, {
      id,
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
    if (c.state === 'CONTAINER_RUNNING') this.#stop(c, this.stopExitCodes.get(c.config.metadata.name) ?? 143);
  }

  async removeContainer(id: string): Promise<void> {
    const c = this.#get('RemoveContainer', id);
    this.#containers.delete(id);
    this.calls.push(`RemoveContainer ${c.config.metadata.name}`);
  }

  async listContainers(filter?: ContainerFilter): Promise<Container[]> {
    return [...this.#containers.values()]
      .filter((c) => matches(c.config.labels ?? {}, filter?.labelSelector))
      .map((c) => ({
        id: c.id,
        podSandboxId: c.sandboxId,
        metadata: { ...c.config.metadata },
        image: c.config.image.image,
        imageRef: c.config.image.image,
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
      image: 'docker.io/library/busybox:1.35',
      imageRef: c.config.image.image,
      reason: exited ? (c.exitCode === 0 ? 'Completed' : 'Error') : '',
      message: '',
      labels: c.config.labels ?? {},
      annotations: c.config.annotations ?? {},
      logPath: c.logPath,
    };
  }

  async execSync(id: string, cmd: string[], _timeoutSeconds: number): Promise<ExecSyncResult> {
    const c = this.#get('ExecSync', id);
    this.calls.push(`ExecSync ${c.config.metadata.name} ${cmd.join(' ')}`);
    return this.#exec(c.config.metadata.name, cmd);
  }

  #get(method: string, id: string): FakeContainer {
    const c = this.#containers.get(id);
    if (!c) throw new CriError(method, CriCode.NotFound, `${method}: container ${id} not found`);
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
