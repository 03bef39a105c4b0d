/**
 * The executor: carries out a PodActions plan over CRI, in the kubelet's
 * SyncPod order (pkg/kubelet/kuberuntime/kuberuntime_manager.go `SyncPod`):
 *   1. kill the pod (sandbox changed, or nothing left to run), purging init
 *      containers when a new sandbox follows; else kill single containers;
 *   2. prune old init-container instances;
 *   3. create the sandbox;
 *   4. start init containers in order (a regular one that fails to start
 *      aborts the rest; a sidecar that fails is skipped);
 *   5. start regular containers in order, each attempted.
 * Starting one container: crash-loop backoff check, image, create, start,
 * postStart hook (the next container waits for it), with the kubelet's
 * events. Start failures are recorded as the container's waiting reason for
 * the status generator.
 *
 * Stopping one container (`killContainer`, pkg/kubelet/kuberuntime/
 * kuberuntime_container.go): `Killing` event first, then preStop within the
 * grace period, the sidecar ordering wait, and StopContainer with whatever
 * grace is left, at least 2 s.
 */
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Service } from 'kubernetes-types/core/v1.js';
import type { Container, Pod } from '../../api/api.ts';
import type { ConfigClient } from '../../client/client.ts';
import { criErrorDetails, isNotFound, rpcErrorText } from '../../cri/errors.ts';
import type { PodSandboxConfig, RuntimeService } from '../../cri/types.ts';
import { podQosClass } from '../../api/defaults/defaults.ts';
import { Backoff } from '../container/backoff.ts';
import { sleep, type Clock } from '../../clock/clock.ts';
import { goDuration } from '../container/go-duration.ts';
import { fieldPathOf, type PodEventSink } from '../container/pod-events.ts';
import { isSidecar } from '../container/pod-predicates.ts';
import { instancesOf, latestContainer, type PodRuntimeState, type RuntimeContainer } from '../container/pod-runtime-state.ts';
import { ContainerConfigError, type StartFailure } from '../container/start-failure.ts';
import { Message, Reason, podDescription } from '../events/events.ts';
import type { ImageManager } from '../images/images.ts';
import { removePodLogs } from '../logs/pod-log-dirs.ts';
import type { ExecFn } from '../prober/exec-action.ts';
import { VolumesNotReadyError, type HostVolume, type VolumeManager } from '../volumes/volumes.ts';
import { containerConfig } from './container-config.ts';
import { makeEnvironment } from './env.ts';
import { containerHash } from './labels.ts';
import { runLifecycleHandler } from './lifecycle-hooks.ts';
import { KillReason, type PodActions } from './plan-pod-actions.ts';
import { podLogDirectory, podSandboxConfig, type SandboxDns } from './sandbox-config.ts';
import { serviceEnvironment } from './service-env.ts';
import type { StartSlots } from './start-slots.ts';
import { TerminationOrdering } from './termination-order.ts';

/** Seconds every stop gets at least (`minimumGracePeriodInSeconds`). */
const minimumGraceSeconds = 2;

export interface ExecutorDeps {
  runtime: RuntimeService;
  images: ImageManager;
  volumes: VolumeManager;
  config: ConfigClient;
  event: PodEventSink;
  clock: Clock;
  logRoot: string;
  hostIPs: string[];
  nodeAllocatable: { cpu: string; memory: string; 'ephemeral-storage': string };
  /** Cluster DNS and the host's resolv.conf, for every sandbox. */
  dns: SandboxDns;
  /** Every Service on the cluster, read when a container starts (for its service variables). */
  services: () => readonly Service[];
  /** Runs a command in a container (CRI ExecSync), for exec hooks. */
  exec: ExecFn;
  /** Bounds the runtime starts running at once (start-slots.ts). Default: unbounded. */
  startSlots?: StartSlots;
  /** Told of each sandbox and container the moment the runtime returns its id (the PLEG's `note`). */
  onCreated?: (id: string, podUid: string, kind: 'sandbox' | 'container') => void;
  log: (msg: string) => void;
}

export interface SyncResult {
  /** Start failures by container name, set during this sync (cleared on success). */
  failures: Map<string, StartFailure>;
  /** Milliseconds until a backoff window ends, when a start was held back. */
  requeueAfterMs?: number;
}

/** The kubelet's crash-loop backoff key: pod, namespace, uid, container, hash. */
export function backoffKey(pod: Pod, c: Container): string {
  return `${pod.metadata!.name}_${pod.metadata!.namespace}_${pod.metadata!.uid}_${c.name}_${containerHash(c)}`;
}

export class PodExecutor {
  #d: ExecutorDeps;
  /** Crash-loop backoff, 10 s doubling to 300 s (kubelet defaults). */
  readonly backoff: Backoff;

  constructor(deps: ExecutorDeps) {
    this.#d = deps;
    this.backoff = new Backoff(10_000, 300_000, deps.clock);
  }

  /** A runtime start (sandbox, container create or start), in its slot when starts are bounded. */
  #inSlot<T>(call: () => Promise<T>): Promise<T> {
    return this.#d.startSlots ? this.#d.startSlots.run(call) : call();
  }

  async sync(pod: Pod, state: PodRuntimeState, actions: PodActions, failures: Map<string, StartFailure>): Promise<SyncResult> {
    const result: SyncResult = { failures };
    const spec = pod.spec!;

    if (actions.killPod) {
      if (actions.createSandbox && actions.sandboxId) {
        this.#d.event(pod, undefined, 'Normal', Reason.SandboxChanged, Message.sandboxChanged());
      }
      await this.killPod(pod, state);
      if (actions.createSandbox) await this.#purgeInitContainers(pod, state);
      if (!actions.createSandbox) return result;
    } else {
      const podIP = state.sandboxes[0]?.ip || undefined;
      for (const k of actions.containersToKill) {
        await this.killContainer(pod, k.id, k.name, k.message, k.reason, { podIP });
      }
    }

    // After a purge the init instances are gone already; `state` still lists
    // them because restart counts and back-off continue from them.
    await this.#pruneInitContainers(pod, state, actions.createSandbox && actions.killPod);

    // Volumes before the sandbox, as the kubelet waits for them before SyncPod.
    let volumes: Map<string, HostVolume>;
    try {
      volumes = await this.#d.volumes.setUp(pod, (type, reason, message) => this.#d.event(pod, undefined, type, reason, message));
    } catch (err) {
      if (!(err instanceof VolumesNotReadyError)) throw err;
      result.requeueAfterMs = err.retryAfterMs;
      return result;
    }

    let sandboxId = actions.sandboxId;
    let podIPs = state.sandboxes[0]?.ready && state.sandboxes[0].ip ? [state.sandboxes[0].ip] : [];
    let sandboxConfig: PodSandboxConfig;
    try {
      sandboxConfig = podSandboxConfig(pod, actions.attempt, this.#d.logRoot, this.#d.dns);
    } catch (err) {
      // generatePodSandboxConfig failed (an FQDN hostname over 64 characters): the sandbox cannot be made.
      this.#d.event(pod, undefined, 'Warning', Reason.FailedCreatePodSandBox, Message.failedCreateSandbox(err instanceof Error ? err.message : String(err)));
      result.requeueAfterMs = 10_000;
      return result;
    }
    if (actions.createSandbox) {
      try {
        sandboxId = await this.#inSlot(() => this.#d.runtime.runPodSandbox(sandboxConfig));
        this.#d.onCreated?.(sandboxId, pod.metadata!.uid!, 'sandbox');
        const st = await this.#d.runtime.podSandboxStatus(sandboxId);
        podIPs = st.ip ? [st.ip] : [];
      } catch (err) {
        this.#d.event(pod, undefined, 'Warning', Reason.FailedCreatePodSandBox, Message.failedCreateSandbox(rpcErrorText(err)));
        result.requeueAfterMs = 1000;
        return result;
      }
    }

    const hostsFile = spec.hostNetwork || podIPs.length ? await this.#d.volumes.writeHostsFile(pod, podIPs) : undefined;

    const ctx: StartContext = { pod, state, sandboxId, sandboxConfig, podIPs, volumes, hostsFile, result };
    for (const idx of actions.initContainersToStart) {
      const c = (spec.initContainers ?? [])[idx];
      const ok = await this.#start(ctx, c, isSidecar(c) ? 'sidecar' : 'init');
      if (!ok && !isSidecar(c)) return result;
    }
    for (const idx of actions.containersToStart) {
      await this.#start(ctx, spec.containers[idx], 'regular');
    }
    return result;
  }

  /** Starts one container; false when it did not start (the reason is recorded). */
  async #start(ctx: StartContext, c: Container, kind: 'init' | 'sidecar' | 'regular'): Promise<boolean> {
    const { pod, state, result } = ctx;
    const fieldPath = fieldPathOf(pod, c.name);
    const fail = (reason: string, message: string) => {
      result.failures.set(c.name, { reason, message });
      return false;
    };

    // 1. Crash-loop backoff, from the newest exited instance's finish time.
    const exited = state.containers.find((x) => x.name === c.name && x.state === 'exited');
    if (exited) {
      const key = backoffKey(pod, c);
      if (this.backoff.isInBackOffSince(key, exited.finishedAt)) {
        this.#d.event(pod, fieldPath, 'Warning', Reason.BackOff, Message.backOffRestart(c.name, podDescription(pod)));
        const wait = this.backoff.remaining(key, exited.finishedAt);
        result.requeueAfterMs = Math.min(result.requeueAfterMs ?? Infinity, wait);
        return fail(
          'CrashLoopBackOff',
          `back-off ${goDuration(this.backoff.get(key))} restarting failed container=${c.name} pod=${podDescription(pod)}`,
        );
      }
      this.backoff.next(key, exited.finishedAt);
    }

    // 2. Image.
    const image = await this.#d.images.ensureImage(pod, c, (type, reason, message) => this.#d.event(pod, fieldPath, type, reason, message), {
      sandboxConfig: ctx.sandboxConfig,
    });
    if (!image.ok) {
      this.#d.event(pod, fieldPath, 'Warning', Reason.Failed, Message.error(image.reason));
      if (image.reason === 'ErrImagePull' || image.reason === 'ImagePullBackOff') result.requeueAfterMs = Math.min(result.requeueAfterMs ?? Infinity, 10_000);
      return fail(image.reason, image.message);
    }

    // 3. Configuration.
    const latest = latestContainer(state, c.name);
    const restartCount = latest ? latest.restartCount + 1 : await this.#restartCountFromLogs(pod, c.name);
    let id: string;
    try {
      const envs = makeEnvironment(c, {
        pod: this.#d.volumes.asSeen(pod),
        podIPs: ctx.podIPs,
        hostIPs: this.#d.hostIPs,
        config: this.#d.config,
        nodeAllocatable: this.#d.nodeAllocatable,
        serviceEnv: serviceEnvironment(pod, this.#d.services()),
      });
      const instance = randomBytes(4).toString('hex');
      const terminationMessageHostPath = await this.#d.volumes.terminationMessageFile(pod.metadata!.uid!, c.name, instance);
      const config = containerConfig({
        pod,
        container: c,
        kind,
        restartCount,
        image: image.imageRef,
        envs,
        volumeMounts: await this.#d.volumes.containerMounts(pod, c, ctx.volumes, envs),
        hostsFile: ctx.hostsFile,
        terminationMessageHostPath,
        qosClass: pod.status?.qosClass ?? podQosClass(pod),
        imageUser: image.user,
      });
      try {
        id = await this.#inSlot(() => this.#d.runtime.createContainer(ctx.sandboxId, config, ctx.sandboxConfig));
        this.#d.onCreated?.(id, ctx.pod.metadata!.uid!, 'container');
      } catch (err) {
        const why = criErrorDetails(err);
        this.#d.event(pod, fieldPath, 'Warning', Reason.Failed, Message.error(why));
        return fail('CreateContainerError', why);
      }
    } catch (err) {
      if (!(err instanceof ContainerConfigError)) throw err;
      this.#d.event(pod, fieldPath, 'Warning', Reason.Failed, Message.error(err.message));
      return fail('CreateContainerConfigError', err.message);
    }
    this.#d.event(pod, fieldPath, 'Normal', Reason.Created, Message.created(c.name));

    // 4. Start.
    try {
      await this.#inSlot(() => this.#d.runtime.startContainer(id));
    } catch (err) {
      const why = criErrorDetails(err);
      this.#d.event(pod, fieldPath, 'Warning', Reason.Failed, Message.error(why));
      return fail('RunContainerError', why);
    }
    this.#d.event(pod, fieldPath, 'Normal', Reason.Started, Message.started(c.name));

    // 5. postStart: the next container starts only after it returned.
    const postStart = c.lifecycle?.postStart;
    if (postStart) {
      const msg = await runLifecycleHandler(postStart, {
        pod,
        container: c,
        containerId: id,
        podIP: ctx.podIPs[0] ?? '',
        exec: this.#d.exec,
        clock: this.#d.clock,
      });
      if (msg !== undefined) {
        this.#d.event(pod, fieldPath, 'Warning', Reason.FailedPostStartHook, 'PostStartHook failed');
        try {
          await this.killContainer(pod, id, c.name, 'FailedPostStartHook', KillReason.FailedPostStartHook);
        } catch (err) {
          this.#d.log(`kill of ${c.name} after its postStart hook failed: ${err instanceof Error ? err.message : String(err)}`);
        }
        return fail('PostStartHookError', msg);
      }
    }
    result.failures.delete(c.name);
    return true;
  }

  /** After the runtime lost every instance, restart counts continue from the log file names. */
  async #restartCountFromLogs(pod: Pod, name: string): Promise<number> {
    const dir = join(podLogDirectory(this.#d.logRoot, pod), name);
    const files = await readdir(dir).catch(() => [] as string[]);
    let max = -1;
    for (const f of files) {
      const m = /^(\d+)\.log$/.exec(f);
      if (m) max = Math.max(max, Number(m[1]));
    }
    return max + 1;
  }

  /** `setTerminationGracePeriod`: deletion grace, else probe override, else the pod's. */
  #gracePeriod(pod: Pod | undefined, spec: Container | undefined, reason: KillReason): number {
    if (!pod) return minimumGraceSeconds;
    if (pod.metadata?.deletionGracePeriodSeconds !== undefined) return pod.metadata.deletionGracePeriodSeconds;
    if (reason === KillReason.StartupProbe && spec?.startupProbe?.terminationGracePeriodSeconds !== undefined) {
      return spec.startupProbe.terminationGracePeriodSeconds;
    }
    if (reason === KillReason.LivenessProbe && spec?.livenessProbe?.terminationGracePeriodSeconds !== undefined) {
      return spec.livenessProbe.terminationGracePeriodSeconds;
    }
    return pod.spec?.terminationGracePeriodSeconds ?? 30;
  }

  /**
   * `killContainer`: Killing event first, then preStop within the grace
   * period, the sidecar ordering wait, and StopContainer with what is left of
   * the grace period, at least 2 s. `gracePeriodOverride` (a pod termination's
   * effective grace) replaces the container's own grace before preStop.
   */
  async killContainer(
    pod: Pod | undefined,
    id: string,
    name: string,
    message: string,
    reason: KillReason,
    opts: { gracePeriodOverride?: number; ordering?: TerminationOrdering; podIP?: string } = {},
  ): Promise<void> {
    const spec = pod ? [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])].find((c) => c.name === name) : undefined;
    let grace = this.#gracePeriod(pod, spec, reason);
    if (pod && spec) {
      this.#d.event(pod, fieldPathOf(pod, name), 'Normal', Reason.Killing, message || Message.stopping(name));
    }
    if (opts.gracePeriodOverride !== undefined) grace = opts.gracePeriodOverride;
    const preStop = spec?.lifecycle?.preStop;
    const hookDone = new AbortController();
    try {
      if (pod && spec && preStop && grace > 0) grace -= await this.#preStop(pod, spec, id, grace, opts.podIP, hookDone.signal);
      if (opts.ordering && grace > 0) grace -= Math.floor(await opts.ordering.waitForTurn(name, grace));
      if (grace < minimumGraceSeconds) grace = minimumGraceSeconds;
      try {
        await this.#d.runtime.stopContainer(id, grace);
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    } finally {
      hookDone.abort();
      opts.ordering?.containerTerminated(name);
    }
  }

  /**
   * `executePreStopHook`: runs the hook for at most `grace` seconds and returns
   * the whole seconds it took. A hook still running then is left to end with
   * its container; one that fails records Warning FailedPreStopHook.
   */
  async #preStop(pod: Pod, spec: Container, id: string, grace: number, podIP: string | undefined, stopped: AbortSignal): Promise<number> {
    const clock = this.#d.clock;
    const started = clock.now();
    const ip = podIP ?? pod.status?.podIP ?? '';
    const hook = runLifecycleHandler(spec.lifecycle!.preStop!, { pod, container: spec, containerId: id, podIP: ip, exec: this.#d.exec, clock, signal: stopped })
      .then((msg) => {
        // A sleep hook cut short by the container's stop is not a failure.
        if (msg !== undefined && !(stopped.aborted && spec.lifecycle?.preStop?.sleep)) {
          this.#d.event(pod, fieldPathOf(pod, spec.name), 'Warning', Reason.FailedPreStopHook, 'PreStopHook failed');
        }
      })
      .catch((err) => this.#d.log(`preStop hook of ${spec.name} failed: ${err instanceof Error ? err.message : String(err)}`));
    const graceOver = new AbortController();
    await Promise.race([hook, sleep(clock, grace * 1000, graceOver.signal).catch(() => {})]);
    graceOver.abort();
    return Math.trunc((clock.now() - started) / 1000);
  }

  /** Stops every running container (sidecars last, in reverse order) and every sandbox. */
  async killPod(pod: Pod | undefined, state: PodRuntimeState, gracePeriodOverride?: number): Promise<void> {
    const running = state.containers.filter((c) => c.state === 'running');
    const hasSidecars = (pod?.spec?.initContainers ?? []).some(isSidecar);
    const ordering = pod && hasSidecars ? new TerminationOrdering(pod, running.map((c) => c.name), this.#d.clock) : undefined;
    const podIP = state.sandboxes[0]?.ip || undefined;
    const results = await Promise.allSettled(
      running.map((c) => this.killContainer(pod, c.id, c.name, '', KillReason.None, { gracePeriodOverride, ordering, podIP })),
    );
    const failed = results.find((r) => r.status === 'rejected') as PromiseRejectedResult | undefined;
    if (failed) {
      const why = failed.reason instanceof Error ? failed.reason.message : String(failed.reason);
      if (pod) this.#d.event(pod, undefined, 'Warning', Reason.FailedKillPod, `error killing pod: ${why}`);
      throw failed.reason;
    }
    for (const sb of state.sandboxes) {
      try {
        await this.#d.runtime.stopPodSandbox(sb.id);
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    }
  }

  /** Removes a container instance and its log file. */
  async removeContainer(c: RuntimeContainer): Promise<void> {
    try {
      await this.#d.runtime.removeContainer(c.id);
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
    if (c.logPath) await rm(c.logPath, { force: true });
  }

  /** When the sandbox is recreated, init containers and their logs go (`purgeInitContainers`, kuberuntime_container.go). */
  async #purgeInitContainers(pod: Pod, state: PodRuntimeState): Promise<void> {
    for (const ic of pod.spec!.initContainers ?? []) {
      for (const c of instancesOf(state, ic.name)) await this.removeContainer(c);
      await rm(join(podLogDirectory(this.#d.logRoot, pod), ic.name), { recursive: true, force: true });
    }
  }

  /**
   * Keeps the newest exited instance of each init container (so `--previous`
   * works) and the two newest instances of each regular container.
   */
  async #pruneInitContainers(pod: Pod, state: PodRuntimeState, initsPurged: boolean): Promise<void> {
    for (const ic of initsPurged ? [] : (pod.spec!.initContainers ?? [])) {
      const dead = instancesOf(state, ic.name).filter((c) => c.state === 'exited' || c.state === 'unknown');
      for (const c of dead.slice(1)) await this.removeContainer(c);
    }
    for (const rc of pod.spec!.containers) {
      const old = instancesOf(state, rc.name).slice(2).filter((c) => c.state === 'exited');
      for (const c of old) await this.removeContainer(c);
    }
  }

  /** Removes the pod's log directory (the pod is gone from the API and from the runtime). */
  async removePodLogs(uid: string): Promise<void> {
    await removePodLogs(this.#d.logRoot, uid);
  }

  /** Removes every container and sandbox of a pod that is gone from the API. */
  async removePod(state: PodRuntimeState): Promise<void> {
    for (const c of state.containers) await this.removeContainer(c);
    for (const sb of state.sandboxes) {
      try {
        await this.#d.runtime.stopPodSandbox(sb.id);
        await this.#d.runtime.removePodSandbox(sb.id);
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    }
  }
}

interface StartContext {
  pod: Pod;
  state: PodRuntimeState;
  sandboxId: string;
  sandboxConfig: PodSandboxConfig;
  podIPs: string[];
  volumes: Map<string, HostVolume>;
  hostsFile: string | undefined;
  result: SyncResult;
}
