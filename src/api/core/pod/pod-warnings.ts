/**
 * Warnings kube-apiserver returns (as `Warning:` headers) when a Pod is
 * created: the pod strategy's `WarningsOnCreate` (pkg/registry/core/pod/strategy.go)
 * and `GetWarningsForPod` (pkg/api/pod/warnings.go), v1.33, with their texts.
 * Pure; the object is defaulted and valid.
 *
 * Ported: the metadata.name DNS-label warning, deprecated node labels in
 * nodeSelector, node affinity and topology spread keys, deprecated annotations,
 * deprecated and removed volume plugins, projected paths that collide with a
 * serviceAccountToken path, duplicate hostAliases IPs and imagePullSecrets,
 * empty imagePullSecret names, fractional byte quantities, seccomp
 * annotations without the field, env entries that hide an earlier one,
 * hostIP without hostPort and duplicate/overlapping/ambiguous ports across
 * containers, a negative terminationGracePeriodSeconds. Not ported: null
 * label selectors in topology spread and pod (anti-)affinity terms (their
 * v1.33 status is unverified), ephemeral volume claim templates' PVC warnings.
 * Updates get none: pods' `WarningsOnUpdate` returns nothing.
 */
import type { Container, ContainerPort, Pod, PodSpec } from 'kubernetes-types/core/v1.js';
import { tryParseQuantity } from '../../validation/quantity.ts';
import { isDNS1123Label } from '../../validation/string-formats.ts';
import { nodeLabelDeprecatedMessage, nodeSelectorTermWarnings } from './deprecated-node-labels.ts';

const deprecatedAnnotations: readonly { key: string; message: string }[] = [
  { key: 'scheduler.alpha.kubernetes.io/critical-pod', message: 'non-functional in v1.16+; use the "priorityClassName" field instead' },
  { key: 'security.alpha.kubernetes.io/sysctls', message: 'non-functional in v1.11+; use the "sysctls" field instead' },
  { key: 'security.alpha.kubernetes.io/unsafe-sysctls', message: 'non-functional in v1.11+; use the "sysctls" field instead' },
];

/** Volume sources kept in the API whose plugins are deprecated or gone, with warnings.go's texts. */
const deprecatedVolumes: readonly [string, string][] = [
  ['photonPersistentDisk', 'deprecated in v1.11, non-functional in v1.16+'],
  ['gitRepo', 'deprecated in v1.11'],
  ['scaleIO', 'deprecated in v1.16, non-functional in v1.22+'],
  ['flocker', 'deprecated in v1.22, non-functional in v1.25+'],
  ['storageos', 'deprecated in v1.22, non-functional in v1.25+'],
  ['quobyte', 'deprecated in v1.22, non-functional in v1.25+'],
  ['glusterfs', 'deprecated in v1.25, non-functional in v1.26+'],
  ['cephfs', 'deprecated in v1.28, non-functional in v1.31+'],
  ['rbd', 'deprecated in v1.28, non-functional in v1.31+'],
];

/** The Go field names of these sources, as the warning paths print them. */
const goVolumeField: Record<string, string> = { storageos: 'storageOS' };

const seccompPodAnnotation = 'seccomp.security.alpha.kubernetes.io/pod';
const seccompContainerAnnotationPrefix = 'container.seccomp.security.alpha.kubernetes.io/';

/** `%+v` of the internal api.ContainerPort, as the hostIP warning prints it. */
function goPort(p: ContainerPort): string {
  return `{Name:${p.name ?? ''} HostPort:${p.hostPort ?? 0} ContainerPort:${p.containerPort} Protocol:${p.protocol ?? ''} HostIP:${p.hostIP ?? ''}}`;
}

/** A memory or ephemeral-storage quantity that is not a whole number of bytes, in canonical form. */
function fractionalBytes(value: unknown): string | undefined {
  const q = tryParseQuantity(value);
  return q && q.milliValue() % 1000n !== 0n ? q.toString() : undefined;
}

/** `VisitContainersWithPath`: init, regular, then ephemeral containers, with their paths. */
function containersWithPath(spec: PodSpec): [Container, string][] {
  return [
    ...(spec.initContainers ?? []).map((c, i): [Container, string] => [c, `spec.initContainers[${i}]`]),
    ...(spec.containers ?? []).map((c, i): [Container, string] => [c, `spec.containers[${i}]`]),
    ...(spec.ephemeralContainers ?? []).map((c, i): [Container, string] => [c as Container, `spec.ephemeralContainers[${i}]`]),
  ];
}

/** `WarningsOnCreate` of the pod strategy. */
export function podWarningsOnCreate(pod: Pod): string[] {
  const warnings: string[] = [];
  const msgs = isDNS1123Label(pod.metadata?.name ?? '');
  if (msgs.length) {
    warnings.push(`metadata.name: this is used in the Pod's hostname, which can result in surprising behavior; a DNS label is recommended: [${msgs.join(' ')}]`);
  }
  warnings.push(...getWarningsForPod(pod));
  return warnings;
}

/** `GetWarningsForPod` (warningsForPodSpecAndMeta with no field path prefix). */
export function getWarningsForPod(pod: Pod): string[] {
  const spec = pod.spec!;
  const annotations = pod.metadata?.annotations ?? {};
  const warnings: string[] = [];

  for (const k of Object.keys(spec.nodeSelector ?? {})) {
    const msg = nodeLabelDeprecatedMessage(k);
    if (msg) warnings.push(`spec.nodeSelector[${k}]: ${msg}`);
  }
  const nodeAffinity = spec.affinity?.nodeAffinity;
  if (nodeAffinity) {
    const required = 'spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms';
    (nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? []).forEach((term, i) => {
      warnings.push(...nodeSelectorTermWarnings(term, `${required}[${i}]`));
    });
    (nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution ?? []).forEach((term, i) => {
      warnings.push(...nodeSelectorTermWarnings(term.preference, `spec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[${i}].preference`));
    });
  }
  (spec.topologySpreadConstraints ?? []).forEach((t, i) => {
    const msg = nodeLabelDeprecatedMessage(t.topologyKey);
    if (msg) warnings.push(`spec.topologySpreadConstraints[${i}].topologyKey: ${t.topologyKey} is ${msg}`);
  });

  for (const d of deprecatedAnnotations) {
    if (d.key in annotations) warnings.push(`metadata.annotations[${d.key}]: ${d.message}`);
  }

  (spec.volumes ?? []).forEach((v, i) => {
    for (const [field, message] of deprecatedVolumes) {
      if ((v as unknown as Record<string, unknown>)[field]) warnings.push(`spec.volumes[${i}].${goVolumeField[field] ?? field}: ${message}`);
    }
  });

  const tokenPaths = new Set<string>();
  for (const v of spec.volumes ?? []) {
    for (const s of v.projected?.sources ?? []) if (s.serviceAccountToken) tokenPaths.add(s.serviceAccountToken.path);
  }
  if (tokenPaths.size) {
    (spec.volumes ?? []).forEach((v, i) => {
      for (const s of v.projected?.sources ?? []) {
        const dup = (kind: string, items: { path: string }[] | undefined) =>
          (items ?? []).forEach((item, j) => {
            if (tokenPaths.has(item.path)) warnings.push(`spec.volumes[${i}].projected.sources.${kind}[${j}]: has duplicated path with ServiceAccountToken ${JSON.stringify(item.path)}`);
          });
        if (s.configMap) dup('configMap', s.configMap.items);
        if (s.secret) dup('secrets', s.secret.items);
        if (s.downwardAPI) dup('downwardAPI', s.downwardAPI.items);
        const bundle = (s as { clusterTrustBundle?: { path: string } }).clusterTrustBundle;
        if (bundle && tokenPaths.has(bundle.path)) {
          warnings.push(`spec.volumes[${i}].projected.sources.ClusterTrustBundle: has duplicated path with ServiceAccountToken ${JSON.stringify(bundle.path)}`);
        }
      }
    });
  }

  const seen = new Set<string>();
  (spec.hostAliases ?? []).forEach((a, i) => {
    const ip = a.ip ?? '';
    if (seen.has(ip)) warnings.push(`spec.hostAliases[${i}].ip: duplicate ip ${JSON.stringify(ip)}`);
    else seen.add(ip);
  });
  const secrets = new Set<string>();
  (spec.imagePullSecrets ?? []).forEach((s, i) => {
    const name = s.name ?? '';
    if (secrets.has(name)) warnings.push(`spec.imagePullSecrets[${i}].name: duplicate name ${JSON.stringify(name)}`);
    else secrets.add(name);
  });
  (spec.imagePullSecrets ?? []).forEach((s, i) => {
    if (!s.name) warnings.push(`spec.imagePullSecrets[${i}].name: invalid empty name ""`);
  });

  for (const r of ['memory', 'ephemeral-storage']) {
    const bad = fractionalBytes(spec.overhead?.[r]);
    if (bad) warnings.push(`spec.overhead[${r}]: fractional byte value ${JSON.stringify(bad)} is invalid, must be an integer`);
  }

  if (!spec.securityContext?.seccompProfile && seccompPodAnnotation in annotations) {
    warnings.push(`metadata.annotations[${seccompPodAnnotation}]: non-functional in v1.27+; use the "seccompProfile" field instead`);
  }

  const containers = containersWithPath(spec);
  for (const [c, path] of containers) {
    const key = seccompContainerAnnotationPrefix + c.name;
    if (!c.securityContext?.seccompProfile && key in annotations) {
      warnings.push(`metadata.annotations[${key}]: non-functional in v1.27+; use the "seccompProfile" field instead`);
    }
    for (const [list, r] of [['limits', 'memory'], ['requests', 'memory'], ['limits', 'ephemeral-storage'], ['requests', 'ephemeral-storage']] as const) {
      const bad = fractionalBytes(c.resources?.[list]?.[r]);
      if (bad) warnings.push(`${path}.resources.${list}[${r}]: fractional byte value ${JSON.stringify(bad)} is invalid, must be an integer`);
    }
    const names = new Set<string>();
    (c.env ?? []).forEach((e, i) => {
      if (!names.has(e.name)) {
        names.add(e.name);
        return;
      }
      // A redefinition is fine only when it builds on the earlier value (X="$(X)suffix").
      const ref = `$(${e.name})`;
      const value = e.value ?? '';
      if (e.valueFrom || value === ref || !value.includes(ref)) {
        warnings.push(`${path}.env[${i}]: hides previous definition of ${JSON.stringify(e.name)}, which may be dropped when using apply`);
      }
    });
  }

  const allPorts = new Map<string, { field: string; port: ContainerPort }[]>();
  for (const [c, path] of containers) {
    (c.ports ?? []).forEach((port, i) => {
      const field = `${path}.ports[${i}]`;
      const hostIP = port.hostIP ?? '';
      const hostPort = port.hostPort ?? 0;
      if (hostIP !== '' && hostPort === 0) warnings.push(`${field}: hostIP set without hostPort: ${goPort(port)}`);
      const k = `${port.containerPort}/${port.protocol ?? ''}`;
      const others = allPorts.get(k);
      if (!others) {
        allPorts.set(k, [{ field, port }]);
        return;
      }
      for (const other of others) {
        const otherIP = other.port.hostIP ?? '';
        const otherPort = other.port.hostPort ?? 0;
        if (hostIP === otherIP && hostPort === otherPort) warnings.push(`${field}: duplicate port definition with ${other.field}`);
        else if (hostPort === 0 || otherPort === 0) warnings.push(`${field}: overlapping port definition with ${other.field}`);
        else if (hostPort === otherPort && (hostIP === '') !== (otherIP === '')) {
          warnings.push(`${field}: dangerously ambiguous port definition with ${other.field}`);
        }
      }
      others.push({ field, port });
    });
  }

  if (typeof spec.terminationGracePeriodSeconds === 'number' && spec.terminationGracePeriodSeconds < 0) {
    warnings.push('spec.terminationGracePeriodSeconds: must be >= 0; negative values are invalid and will be treated as 1');
  }
  return warnings;
}
