/**
 * The CRI ContainerConfig for one container instance
 * (`generateContainerConfig`): command and args, working dir, environment,
 * mounts (the volume mounts the volume manager resolved, /etc/hosts, the
 * termination-message file), resources as cgroup limits
 * (`generateLinuxContainerResources`), the effective security context
 * (`determineEffectiveSecurityContext`), and the labels and annotations that
 * let berth recognize the instance after a restart. Pure.
 */
import { totalmem } from 'node:os';
import { join } from 'node:path';
import { goQuote, type Container, type Pod } from '../../api/api.ts';
import type { ContainerConfig, LinuxContainerResources, LinuxContainerSecurityContext, Mount, SecurityProfile } from '../../cri/types.ts';
import { tryParseQuantity } from '../../api/validation/quantity.ts';
import { ContainerConfigError } from '../container/start-failure.ts';
import { podDescription } from '../events/events.ts';
import { Annotation, Label, containerHash } from './labels.ts';
import { namespaceOptions } from './sandbox-config.ts';

const defaultMaskedPaths = [
  '/proc/asound',
  '/proc/acpi',
  '/proc/kcore',
  '/proc/keys',
  '/proc/latency_stats',
  '/proc/timer_list',
  '/proc/timer_stats',
  '/proc/sched_debug',
  '/proc/scsi',
  '/sys/firmware',
  '/sys/devices/virtual/powercap',
];
const defaultReadonlyPaths = ['/proc/bus', '/proc/fs', '/proc/irq', '/proc/sys', '/proc/sysrq-trigger'];

export interface ContainerConfigInput {
  pod: Pod;
  container: Container;
  kind: 'init' | 'sidecar' | 'regular';
  restartCount: number;
  /** The image reference to run (the resolved image id or the spec image). */
  image: string;
  envs: { key: string; value: string }[];
  /** The container's volumeMounts, resolved to host paths by the volume manager. */
  volumeMounts: Mount[];
  /** Kubelet-managed /etc/hosts, when the pod has one. */
  hostsFile?: string;
  terminationMessageHostPath: string;
  qosClass: string;
  /** The image's user, for the runAsNonRoot check (from CRI ImageStatus). */
  imageUser?: { uid?: number; username?: string };
  /** The node's memory in bytes (the Burstable OOM score adjustment scales with it). */
  memoryCapacityBytes?: number;
}

/** `cm.MilliCPUToShares`. */
export function milliCpuToShares(milliCpu: bigint): number {
  if (milliCpu === 0n) return 2;
  const shares = (milliCpu * 1024n) / 1000n;
  if (shares < 2n) return 2;
  if (shares > 262_144n) return 262_144;
  return Number(shares);
}

/** `milliCPUToQuota` with the 100 ms CFS period; 0 means no quota. */
export function milliCpuToQuota(milliCpu: bigint, periodUs = 100_000n): number {
  if (milliCpu === 0n) return 0;
  const quota = (milliCpu * periodUs) / 1000n;
  return Number(quota < 1000n ? 1000n : quota);
}

const guaranteedOomScoreAdj = -997;
const bestEffortOomScoreAdj = 1000;

function memoryRequest(c: Container): bigint {
  return tryParseQuantity(c.resources?.requests?.memory)?.value() ?? 0n;
}

/**
 * `qos.GetContainerOOMScoreAdjust`: Guaranteed -997, BestEffort 1000,
 * Burstable 1000 - 1000 × request / capacity clamped to [3, 999]; a sidecar
 * gets no higher a score than the lowest regular container, so the kernel
 * kills it last. (containerd may only raise berth's own score, not lower it.)
 */
export function oomScoreAdj(pod: Pod, c: Container, qos: string, capacity: number, isSidecar: boolean): number {
  if (qos === 'Guaranteed') return guaranteedOomScoreAdj;
  if (qos === 'BestEffort') return bestEffortOomScoreAdj;
  const burstable = (req: bigint): number => {
    let adj = 1000 - Number((1000n * req) / BigInt(Math.max(1, Math.floor(capacity))));
    if (adj < 1000 + guaranteedOomScoreAdj) adj = 1000 + guaranteedOomScoreAdj + 1;
    if (adj === bestEffortOomScoreAdj) adj -= 1;
    return adj;
  };
  let adj = burstable(memoryRequest(c));
  if (isSidecar) {
    for (const rc of pod.spec?.containers ?? []) adj = Math.min(adj, burstable(memoryRequest(rc)));
  }
  return adj;
}

/** `calculateLinuxResources` + OOM score: shares from the cpu request (or limit), quota from the cpu limit, the memory limit. */
export function linuxResources(pod: Pod, c: Container, qos: string, capacity: number, isSidecar: boolean): LinuxContainerResources {
  const limits = c.resources?.limits ?? {};
  const requests = c.resources?.requests ?? {};
  const cpuLimit = tryParseQuantity(limits.cpu)?.milliValue() ?? 0n;
  const cpuRequest = requests.cpu !== undefined ? (tryParseQuantity(requests.cpu)?.milliValue() ?? 0n) : cpuLimit;
  const r: LinuxContainerResources = {
    cpuShares: milliCpuToShares(cpuRequest),
    cpuPeriod: 100_000,
    cpuQuota: milliCpuToQuota(cpuLimit),
    oomScoreAdj: oomScoreAdj(pod, c, qos, capacity, isSidecar),
  };
  const mem = tryParseQuantity(limits.memory)?.value() ?? 0n;
  if (mem !== 0n) r.memoryLimitInBytes = Number(mem);
  return r;
}

/** `%q` of `format.Pod`: `"name_namespace(uid)"`. */
function podName(pod: Pod): string {
  return goQuote(podDescription(pod));
}

/**
 * `verifyRunAsNonRoot`: with runAsNonRoot, the container must not run as
 * uid 0, either by runAsUser or by the image's user.
 */
export function verifyRunAsNonRoot(pod: Pod, c: Container, imageUser: ContainerConfigInput['imageUser']): void {
  const sc = c.securityContext ?? {};
  const psc = pod.spec?.securityContext ?? {};
  if ((sc.runAsNonRoot ?? psc.runAsNonRoot) !== true) return;
  const runAsUser = sc.runAsUser ?? psc.runAsUser;
  if (runAsUser !== undefined) {
    if (runAsUser === 0) {
      throw new ContainerConfigError(`container's runAsUser breaks non-root policy (pod: ${podName(pod)}, container: ${c.name})`);
    }
    return;
  }
  if (imageUser?.uid !== undefined) {
    if (imageUser.uid === 0) {
      throw new ContainerConfigError(`container has runAsNonRoot and image will run as root (pod: ${podName(pod)}, container: ${c.name})`);
    }
    return;
  }
  const username = imageUser?.username ?? '';
  if (username !== '') {
    throw new ContainerConfigError(
      `container has runAsNonRoot and image has non-numeric user (${username}), cannot verify user is non-root (pod: ${podName(pod)}, container: ${c.name})`,
    );
  }
  // An image without a user runs as root.
  throw new ContainerConfigError(`container has runAsNonRoot and image will run as root (pod: ${podName(pod)}, container: ${c.name})`);
}

/** Where Localhost seccomp profiles live: the kubelet's default `<root-dir>/seccomp`, so manifests port unchanged. */
export const seccompProfileRoot = '/var/lib/kubelet/seccomp';

/**
 * `getSeccompProfile`: the container's profile, else the pod's, else
 * Unconfined (the kubelet's default without `--seccomp-default`).
 */
export function seccompProfile(pod: Pod, c: Container): SecurityProfile {
  const p = c.securityContext?.seccompProfile ?? pod.spec?.securityContext?.seccompProfile;
  if (p?.type === 'RuntimeDefault') return { profileType: 'RuntimeDefault' };
  if (p?.type === 'Localhost') {
    if (!p.localhostProfile) throw new ContainerConfigError('localhostProfile must be set if seccompProfile type is Localhost.');
    return { profileType: 'Localhost', localhostRef: join(seccompProfileRoot, p.localhostProfile) };
  }
  return { profileType: 'Unconfined' };
}

/** The effective security context: the container's fields over the pod's, fsGroup among the groups. */
export function securityContext(pod: Pod, c: Container): LinuxContainerSecurityContext {
  const sc = c.securityContext ?? {};
  const psc = pod.spec?.securityContext ?? {};
  const privileged = sc.privileged === true;
  const unmasked = sc.procMount === 'Unmasked';
  const runAsUser = sc.runAsUser ?? psc.runAsUser;
  const runAsGroup = sc.runAsGroup ?? psc.runAsGroup;
  const groups = [...(psc.supplementalGroups ?? [])];
  if (psc.fsGroup !== undefined) groups.push(psc.fsGroup);
  return {
    privileged,
    ...(sc.capabilities
      ? { capabilities: { addCapabilities: sc.capabilities.add ?? [], dropCapabilities: sc.capabilities.drop ?? [] } }
      : {}),
    ...(runAsUser !== undefined ? { runAsUser } : {}),
    ...(runAsGroup !== undefined ? { runAsGroup } : {}),
    readonlyRootfs: sc.readOnlyRootFilesystem === true,
    noNewPrivs: sc.allowPrivilegeEscalation === false,
    namespaceOptions: namespaceOptions(pod),
    maskedPaths: privileged || unmasked ? [] : defaultMaskedPaths,
    readonlyPaths: privileged || unmasked ? [] : defaultReadonlyPaths,
    ...(groups.length ? { supplementalGroups: groups } : {}),
    seccomp: seccompProfile(pod, c),
  };
}

function mounts(input: ContainerConfigInput): Mount[] {
  const out = [...input.volumeMounts];
  const mountedAt = new Set(out.map((m) => m.containerPath));
  if (input.hostsFile && !mountedAt.has('/etc/hosts')) {
    out.push({ containerPath: '/etc/hosts', hostPath: input.hostsFile, readonly: false });
  }
  const tmp = input.container.terminationMessagePath ?? '/dev/termination-log';
  if (tmp && !mountedAt.has(tmp)) out.push({ containerPath: tmp, hostPath: input.terminationMessageHostPath, readonly: false });
  return out;
}

export function containerConfig(input: ContainerConfigInput): ContainerConfig {
  const { pod, container: c } = input;
  const m = pod.metadata!;
  verifyRunAsNonRoot(pod, c, input.imageUser);
  return {
    metadata: { name: c.name, attempt: input.restartCount },
    image: { image: input.image },
    command: c.command ?? [],
    args: c.args ?? [],
    workingDir: c.workingDir ?? '',
    envs: input.envs,
    mounts: mounts(input),
    labels: {
      [Label.podName]: m.name!,
      [Label.podNamespace]: m.namespace!,
      [Label.podUid]: m.uid!,
      [Label.containerName]: c.name,
      [Label.managedBy]: 'true',
    },
    annotations: {
      [Annotation.containerHash]: containerHash(c),
      [Annotation.restartCount]: String(input.restartCount),
      [Annotation.terminationMessagePath]: c.terminationMessagePath ?? '/dev/termination-log',
      [Annotation.terminationMessagePolicy]: c.terminationMessagePolicy ?? 'File',
      [Annotation.gracePeriod]: String(pod.spec!.terminationGracePeriodSeconds ?? 30),
      [Annotation.containerKind]: input.kind,
      [Annotation.terminationMessageHostPath]: input.terminationMessageHostPath,
    },
    logPath: join(c.name, `${input.restartCount}.log`),
    stdin: c.stdin === true,
    stdinOnce: c.stdinOnce === true,
    tty: c.tty === true,
    linux: {
      resources: linuxResources(pod, c, input.qosClass, input.memoryCapacityBytes ?? totalmem(), input.kind === 'sidecar'),
      securityContext: securityContext(pod, c),
    },
  };
}
