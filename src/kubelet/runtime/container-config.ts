/**
 * The CRI ContainerConfig for one container instance
 * (`generateContainerConfig`): command and args, working dir, environment,
 * mounts (volumes, /etc/hosts, the termination-message file), resources as
 * cgroup limits, security context, and the labels and annotations that let
 * berth recognize the instance after a restart.
 */
import { join } from 'node:path';
import type { Container, Pod } from '../../api/api.ts';
import type { ContainerConfig, LinuxContainerResources, Mount } from '../../cri/types.ts';
import { tryParseQuantity } from '../../api/validation/quantity.ts';
import { Annotation, Label, containerHash } from './labels.ts';
import type { HostVolume } from '../volumes/volumes.ts';
import { ContainerConfigError } from './env.ts';

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
  volumes: ReadonlyMap<string, HostVolume>;
  /** Kubelet-managed /etc/hosts, when the pod has its own network. */
  hostsFile?: string;
  terminationMessageHostPath: string;
  qosClass: string;
}

function resources(c: Container, qos: string): LinuxContainerResources {
  const r: LinuxContainerResources = {};
  const limits = c.resources?.limits ?? {};
  const requests = c.resources?.requests ?? {};
  const mem = tryParseQuantity(limits.memory);
  if (mem) r.memoryLimitInBytes = Number(mem.value());
  const cpuLimit = tryParseQuantity(limits.cpu);
  if (cpuLimit) {
    r.cpuPeriod = 100_000;
    r.cpuQuota = Math.max(1000, Number(cpuLimit.milliValue()) * 100);
  }
  const cpuRequest = tryParseQuantity(requests.cpu ?? limits.cpu);
  r.cpuShares = cpuRequest ? Math.max(2, Math.floor((Number(cpuRequest.milliValue()) * 1024) / 1000)) : 2;
  r.oomScoreAdj = qos === 'Guaranteed' ? -997 : qos === 'BestEffort' ? 1000 : 999;
  return r;
}

function mounts(input: ContainerConfigInput): Mount[] {
  const out: Mount[] = [];
  for (const vm of input.container.volumeMounts ?? []) {
    const vol = input.volumes.get(vm.name);
    if (!vol) throw new ContainerConfigError(`cannot find volume "${vm.name}" to mount into container "${input.container.name}"`);
    const hostPath = vm.subPath ? join(vol.hostPath, vm.subPath) : vol.hostPath;
    out.push({
      containerPath: vm.mountPath,
      hostPath,
      readonly: vm.readOnly === true || vol.readOnly,
      propagation:
        vm.mountPropagation === 'Bidirectional'
          ? 'PROPAGATION_BIDIRECTIONAL'
          : vm.mountPropagation === 'HostToContainer'
            ? 'PROPAGATION_HOST_TO_CONTAINER'
            : 'PROPAGATION_PRIVATE',
    });
  }
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
  const sc = c.securityContext ?? {};
  const psc = pod.spec!.securityContext ?? {};
  const privileged = sc.privileged === true;
  const runAsUser = sc.runAsUser ?? psc.runAsUser;
  const runAsGroup = sc.runAsGroup ?? psc.runAsGroup;
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
      resources: resources(c, input.qosClass),
      securityContext: {
        privileged,
        ...(sc.capabilities
          ? { capabilities: { addCapabilities: sc.capabilities.add ?? [], dropCapabilities: sc.capabilities.drop ?? [] } }
          : {}),
        ...(runAsUser !== undefined ? { runAsUser } : {}),
        ...(runAsGroup !== undefined ? { runAsGroup } : {}),
        readonlyRootfs: sc.readOnlyRootFilesystem === true,
        noNewPrivs: sc.allowPrivilegeEscalation === false,
        namespaceOptions: {
          network: pod.spec!.hostNetwork ? 'NODE' : 'POD',
          pid: pod.spec!.hostPID ? 'NODE' : pod.spec!.shareProcessNamespace ? 'POD' : 'CONTAINER',
          ipc: pod.spec!.hostIPC ? 'NODE' : 'POD',
        },
        maskedPaths: privileged ? [] : defaultMaskedPaths,
        readonlyPaths: privileged ? [] : defaultReadonlyPaths,
        ...(psc.supplementalGroups ? { supplementalGroups: psc.supplementalGroups } : {}),
      },
    },
  };
}
