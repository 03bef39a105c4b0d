/**
 * Mapping between berth's CRI shapes (types.ts) and the decoded/encodable CRI
 * wire objects (camelCase, int64 as strings, enums as names; see
 * grpc-definitions.ts). Pure functions, no I/O.
 *
 * Time: CRI carries int64 nanoseconds since the epoch; berth uses integer
 * milliseconds (floor). 0 stays 0 ("unset").
 */
import type {
  Container,
  ContainerConfig,
  ContainerFilter,
  ContainerStatus,
  Image,
  Labels,
  LinuxContainerSecurityContext,
  NamespaceOptions,
  PodSandbox,
  PodSandboxConfig,
  PodSandboxFilter,
  PodSandboxStatus,
} from './types.ts';

/** int64 nanoseconds (decimal string, number or bigint) → integer milliseconds. */
export function nsToMs(ns: string | number | bigint | null | undefined): number {
  if (ns === null || ns === undefined || ns === '') return 0;
  return Number(BigInt(ns) / 1_000_000n);
}

/** A google.protobuf.Timestamp ({seconds, nanos}) → integer milliseconds. */
export function timestampToMs(ts: { seconds?: string | number | null; nanos?: number | null } | null | undefined): number {
  if (!ts) return 0;
  return Number(BigInt(ts.seconds ?? 0) * 1000n) + Math.floor((ts.nanos ?? 0) / 1_000_000);
}

function labels(m: Labels | null | undefined): Labels {
  return { ...(m ?? {}) };
}

function int64Value(v: number | undefined): { value: number } | undefined {
  return v === undefined ? undefined : { value: v };
}

function namespaceOptions(ns: NamespaceOptions | undefined) {
  if (!ns) return undefined;
  return { network: ns.network ?? 'POD', pid: ns.pid ?? 'POD', ipc: ns.ipc ?? 'POD' };
}

export function podSandboxConfigToWire(c: PodSandboxConfig): unknown {
  const sc = c.linux?.securityContext;
  return {
    metadata: { ...c.metadata },
    hostname: c.hostname ?? '',
    logDirectory: c.logDirectory ?? '',
    dnsConfig: c.dnsConfig
      ? { servers: c.dnsConfig.servers ?? [], searches: c.dnsConfig.searches ?? [], options: c.dnsConfig.options ?? [] }
      : undefined,
    portMappings: (c.portMappings ?? []).map((p) => ({
      protocol: p.protocol,
      containerPort: p.containerPort,
      hostPort: p.hostPort ?? 0,
      hostIp: p.hostIp ?? '',
    })),
    labels: labels(c.labels),
    annotations: labels(c.annotations),
    linux: c.linux
      ? {
          cgroupParent: c.linux.cgroupParent ?? '',
          sysctls: labels(c.linux.sysctls),
          securityContext: sc
            ? {
                namespaceOptions: namespaceOptions(sc.namespaceOptions),
                privileged: sc.privileged ?? false,
                runAsUser: int64Value(sc.runAsUser),
                runAsGroup: int64Value(sc.runAsGroup),
                supplementalGroups: sc.supplementalGroups ?? [],
                readonlyRootfs: sc.readonlyRootfs ?? false,
              }
            : undefined,
        }
      : undefined,
  };
}

function containerSecurityContextToWire(sc: LinuxContainerSecurityContext) {
  return {
    capabilities: sc.capabilities
      ? { addCapabilities: sc.capabilities.addCapabilities ?? [], dropCapabilities: sc.capabilities.dropCapabilities ?? [] }
      : undefined,
    privileged: sc.privileged ?? false,
    namespaceOptions: namespaceOptions(sc.namespaceOptions),
    runAsUser: int64Value(sc.runAsUser),
    runAsGroup: int64Value(sc.runAsGroup),
    runAsUsername: sc.runAsUsername ?? '',
    readonlyRootfs: sc.readonlyRootfs ?? false,
    supplementalGroups: sc.supplementalGroups ?? [],
    noNewPrivs: sc.noNewPrivs ?? false,
    maskedPaths: sc.maskedPaths ?? [],
    readonlyPaths: sc.readonlyPaths ?? [],
    seccomp: sc.seccomp ? { profileType: sc.seccomp.profileType, localhostRef: sc.seccomp.localhostRef ?? '' } : undefined,
  };
}

export function containerConfigToWire(c: ContainerConfig): unknown {
  const r = c.linux?.resources;
  return {
    metadata: { ...c.metadata },
    image: { image: c.image.image },
    command: c.command ?? [],
    args: c.args ?? [],
    workingDir: c.workingDir ?? '',
    envs: (c.envs ?? []).map((e) => ({ key: e.key, value: e.value })),
    mounts: (c.mounts ?? []).map((m) => ({
      containerPath: m.containerPath,
      hostPath: m.hostPath,
      readonly: m.readonly ?? false,
      propagation: m.propagation ?? 'PROPAGATION_PRIVATE',
    })),
    labels: labels(c.labels),
    annotations: labels(c.annotations),
    logPath: c.logPath ?? '',
    stdin: c.stdin ?? false,
    stdinOnce: c.stdinOnce ?? false,
    tty: c.tty ?? false,
    linux: c.linux
      ? {
          resources: r
            ? {
                cpuPeriod: r.cpuPeriod ?? 0,
                cpuQuota: r.cpuQuota ?? 0,
                cpuShares: r.cpuShares ?? 0,
                memoryLimitInBytes: r.memoryLimitInBytes ?? 0,
                oomScoreAdj: r.oomScoreAdj ?? 0,
                cpusetCpus: r.cpusetCpus ?? '',
              }
            : undefined,
          securityContext: c.linux.securityContext ? containerSecurityContextToWire(c.linux.securityContext) : undefined,
        }
      : undefined,
  };
}

export function podSandboxFilterToWire(f: PodSandboxFilter | undefined): unknown {
  if (!f) return undefined;
  return { id: f.id ?? '', state: f.state ? { state: f.state } : undefined, labelSelector: labels(f.labelSelector) };
}

export function containerFilterToWire(f: ContainerFilter | undefined): unknown {
  if (!f) return undefined;
  return {
    id: f.id ?? '',
    podSandboxId: f.podSandboxId ?? '',
    state: f.state ? { state: f.state } : undefined,
    labelSelector: labels(f.labelSelector),
  };
}

function metadataFromWire(m: any) {
  return { name: m?.name ?? '', uid: m?.uid ?? '', namespace: m?.namespace ?? '', attempt: m?.attempt ?? 0 };
}

export function podSandboxFromWire(s: any): PodSandbox {
  return {
    id: s.id,
    metadata: metadataFromWire(s.metadata),
    state: s.state,
    createdAt: nsToMs(s.createdAt),
    labels: labels(s.labels),
    annotations: labels(s.annotations),
  };
}

export function podSandboxStatusFromWire(s: any): PodSandboxStatus {
  return {
    ...podSandboxFromWire(s),
    ip: s.network?.ip ?? '',
    additionalIps: (s.network?.additionalIps ?? []).map((p: { ip: string }) => p.ip),
  };
}

export function containerFromWire(c: any): Container {
  return {
    id: c.id,
    podSandboxId: c.podSandboxId,
    metadata: { name: c.metadata?.name ?? '', attempt: c.metadata?.attempt ?? 0 },
    image: c.image?.image ?? '',
    imageRef: c.imageRef,
    state: c.state,
    createdAt: nsToMs(c.createdAt),
    labels: labels(c.labels),
    annotations: labels(c.annotations),
  };
}

export function containerStatusFromWire(s: any): ContainerStatus {
  return {
    id: s.id,
    metadata: { name: s.metadata?.name ?? '', attempt: s.metadata?.attempt ?? 0 },
    state: s.state,
    createdAt: nsToMs(s.createdAt),
    startedAt: nsToMs(s.startedAt),
    finishedAt: nsToMs(s.finishedAt),
    exitCode: s.exitCode,
    image: s.image?.image ?? '',
    imageRef: s.imageRef,
    reason: s.reason,
    message: s.message,
    labels: labels(s.labels),
    annotations: labels(s.annotations),
    logPath: s.logPath,
  };
}

export function imageFromWire(i: any): Image {
  const image: Image = { id: i.id, repoTags: [...i.repoTags], repoDigests: [...i.repoDigests], size: Number(i.size) };
  if (i.uid) image.uid = Number(i.uid.value);
  if (i.username) image.username = i.username;
  return image;
}
