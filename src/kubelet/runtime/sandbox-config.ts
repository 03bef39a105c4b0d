/**
 * The CRI PodSandboxConfig for a pod (`generatePodSandboxConfig`): identity,
 * hostname, log directory, host ports, namespaces and sysctls. Labels carry
 * the pod UID so the kubelet can find the sandbox again after a restart.
 */
import { join } from 'node:path';
import type { Pod } from '../../api/api.ts';
import type { NamespaceOptions, PodSandboxConfig, PortMapping } from '../../cri/types.ts';
import { Annotation, Label } from './labels.ts';
import { podDnsConfig, podHostname, type ClusterDns } from './pod-dns.ts';

/** `<logRoot>/<namespace>_<name>_<uid>`, the kubelet's pod log directory. */
export function podLogDirectory(logRoot: string, pod: Pod): string {
  const m = pod.metadata!;
  return join(logRoot, `${m.namespace}_${m.name}_${m.uid}`);
}

/** `namespacesForPod`: the pod's network, PID and IPC namespaces, shared by its sandbox and every container. */
export function namespaceOptions(pod: Pod): NamespaceOptions {
  const spec = pod.spec!;
  return {
    network: spec.hostNetwork ? 'NODE' : 'POD',
    pid: spec.hostPID ? 'NODE' : spec.shareProcessNamespace ? 'POD' : 'CONTAINER',
    ipc: spec.hostIPC ? 'NODE' : 'POD',
  };
}

/** What the node tells every sandbox about DNS. */
export interface SandboxDns {
  cluster: ClusterDns;
  /** The host's resolv.conf text (for Default policy and the host's search domains). */
  hostResolvConf: string;
}

export function podSandboxConfig(pod: Pod, attempt: number, logRoot: string, dns: SandboxDns): PodSandboxConfig {
  const m = pod.metadata!;
  const spec = pod.spec!;
  const hostNetwork = spec.hostNetwork === true;
  const portMappings: PortMapping[] = [];
  for (const c of [...(spec.initContainers ?? []), ...spec.containers]) {
    for (const p of c.ports ?? []) {
      if (!p.hostPort) continue;
      portMappings.push({
        protocol: (p.protocol ?? 'TCP') as PortMapping['protocol'],
        containerPort: p.containerPort,
        hostPort: p.hostPort,
        ...(p.hostIP ? { hostIp: p.hostIP } : {}),
      });
    }
  }
  const sysctls: Record<string, string> = {};
  for (const s of spec.securityContext?.sysctls ?? []) sysctls[s.name] = s.value;
  const config: PodSandboxConfig = {
    metadata: { name: m.name!, namespace: m.namespace!, uid: m.uid!, attempt },
    hostname: hostNetwork ? undefined : podHostname(pod, dns.cluster.domain).hostname,
    logDirectory: podLogDirectory(logRoot, pod),
    portMappings,
    labels: {
      ...(m.labels ?? {}),
      [Label.podName]: m.name!,
      [Label.podNamespace]: m.namespace!,
      [Label.podUid]: m.uid!,
      [Label.managedBy]: 'true',
    },
    annotations: { ...(m.annotations ?? {}), [Annotation.hostNetwork]: String(hostNetwork) },
    linux: {
      sysctls,
      securityContext: {
        namespaceOptions: namespaceOptions(pod),
        ...(spec.securityContext?.runAsUser !== undefined ? { runAsUser: spec.securityContext.runAsUser } : {}),
        ...(spec.securityContext?.runAsGroup !== undefined ? { runAsGroup: spec.securityContext.runAsGroup } : {}),
        ...(spec.securityContext?.supplementalGroups ? { supplementalGroups: spec.securityContext.supplementalGroups } : {}),
      },
    },
  };
  config.dnsConfig = podDnsConfig(pod, dns.cluster, dns.hostResolvConf);
  return config;
}
