/**
 * `RuntimeService` over gRPC: each method is one CRI call with its own
 * deadline. Stateless apart from the shared client; safe to call concurrently.
 */
import type { Client, ServiceDefinition } from '@grpc/grpc-js';
import type {
  ContainerConfig,
  ContainerFilter,
  ExecSyncResult,
  PodSandboxConfig,
  PodSandboxFilter,
  RuntimeService,
  StreamRequest,
  VersionInfo,
} from './types.ts';
import { serviceCall, type ServiceCall } from './unary-call.ts';
import {
  containerConfigToWire,
  containerFilterToWire,
  containerFromWire,
  containerStatusFromWire,
  podSandboxConfigToWire,
  podSandboxFilterToWire,
  podSandboxFromWire,
  podSandboxStatusFromWire,
} from './wire-mapping.ts';

/** Per-call deadlines in milliseconds. */
export interface CriTimeouts {
  /** Quick calls: status, list, start, remove, URL requests. */
  defaultMs: number;
  /** Calls that may set up networking or unpack rootfs: RunPodSandbox, CreateContainer, StopPodSandbox. */
  slowMs: number;
  /** PullImage: a registry download. */
  pullMs: number;
}

/** The kubelet's own default is 2 min for every call (--runtime-request-timeout). */
export const DEFAULT_CRI_TIMEOUTS: CriTimeouts = { defaultMs: 30_000, slowMs: 120_000, pullMs: 30 * 60_000 };

/** The CRI API version berth speaks, sent with Version. */
export const CRI_API_VERSION = 'v1';

export class GrpcRuntimeService implements RuntimeService {
  #t: CriTimeouts;
  #call: ServiceCall;

  constructor(client: Client, def: ServiceDefinition, timeouts: CriTimeouts) {
    this.#t = timeouts;
    this.#call = serviceCall(client, def, timeouts.defaultMs);
  }

  async version(): Promise<VersionInfo> {
    const r = await this.#call('Version', { version: CRI_API_VERSION });
    return { version: r.version, runtimeName: r.runtimeName, runtimeVersion: r.runtimeVersion, runtimeApiVersion: r.runtimeApiVersion };
  }

  async runPodSandbox(config: PodSandboxConfig): Promise<string> {
    const r = await this.#call('RunPodSandbox', { config: podSandboxConfigToWire(config), runtimeHandler: '' }, this.#t.slowMs);
    return r.podSandboxId;
  }

  async stopPodSandbox(podSandboxId: string): Promise<void> {
    await this.#call('StopPodSandbox', { podSandboxId }, this.#t.slowMs);
  }

  async removePodSandbox(podSandboxId: string): Promise<void> {
    await this.#call('RemovePodSandbox', { podSandboxId }, this.#t.slowMs);
  }

  async podSandboxStatus(podSandboxId: string) {
    const r = await this.#call('PodSandboxStatus', { podSandboxId, verbose: false });
    return podSandboxStatusFromWire(r.status);
  }

  async listPodSandbox(filter?: PodSandboxFilter) {
    const r = await this.#call('ListPodSandbox', { filter: podSandboxFilterToWire(filter) });
    return (r.items as unknown[]).map(podSandboxFromWire);
  }

  async createContainer(podSandboxId: string, config: ContainerConfig, sandboxConfig: PodSandboxConfig): Promise<string> {
    const r = await this.#call(
      'CreateContainer',
      { podSandboxId, config: containerConfigToWire(config), sandboxConfig: podSandboxConfigToWire(sandboxConfig) },
      this.#t.slowMs,
    );
    return r.containerId;
  }

  async startContainer(containerId: string): Promise<void> {
    await this.#call('StartContainer', { containerId }, this.#t.slowMs);
  }

  async stopContainer(containerId: string, timeoutSeconds: number): Promise<void> {
    const timeout = Math.max(0, Math.ceil(timeoutSeconds));
    // The call returns only after the grace period and the kill, so its deadline extends past both.
    await this.#call('StopContainer', { containerId, timeout }, timeout * 1000 + this.#t.defaultMs);
  }

  async removeContainer(containerId: string): Promise<void> {
    await this.#call('RemoveContainer', { containerId }, this.#t.slowMs);
  }

  async listContainers(filter?: ContainerFilter) {
    const r = await this.#call('ListContainers', { filter: containerFilterToWire(filter) });
    return (r.containers as unknown[]).map(containerFromWire);
  }

  async containerStatus(containerId: string) {
    const r = await this.#call('ContainerStatus', { containerId, verbose: false });
    return containerStatusFromWire(r.status);
  }

  async execSync(containerId: string, cmd: string[], timeoutSeconds: number): Promise<ExecSyncResult> {
    const timeout = Math.max(0, Math.ceil(timeoutSeconds));
    const deadline = timeout > 0 ? timeout * 1000 + this.#t.defaultMs : Infinity;
    const r = await this.#call('ExecSync', { containerId, cmd, timeout }, deadline);
    return { stdout: Buffer.from(r.stdout), stderr: Buffer.from(r.stderr), exitCode: r.exitCode };
  }

  async exec(req: StreamRequest): Promise<string> {
    const r = await this.#call('Exec', {
      containerId: req.containerId,
      cmd: req.cmd ?? [],
      tty: req.tty ?? false,
      stdin: req.stdin ?? false,
      stdout: req.stdout ?? false,
      stderr: req.stderr ?? false,
    });
    return r.url;
  }

  async attach(req: StreamRequest): Promise<string> {
    const r = await this.#call('Attach', {
      containerId: req.containerId,
      tty: req.tty ?? false,
      stdin: req.stdin ?? false,
      stdout: req.stdout ?? false,
      stderr: req.stderr ?? false,
    });
    return r.url;
  }

  async portForward(podSandboxId: string, ports: number[]): Promise<string> {
    const r = await this.#call('PortForward', { podSandboxId, port: ports });
    return r.url;
  }

  async reopenContainerLog(containerId: string): Promise<void> {
    await this.#call('ReopenContainerLog', { containerId });
  }
}
