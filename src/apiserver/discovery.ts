/**
 * Discovery documents: /version, aggregated discovery (apidiscovery.k8s.io/v2)
 * for clients that ask for it, and legacy /api, /apis, /api/v1 otherwise
 * (kubectl ≤ 1.29 only understands legacy or v2beta1).
 */
import { groupVersion, type ResourceInfo } from '../api/kind.ts';

export const kubernetesVersion = { major: '1', minor: '33', gitVersion: 'v1.33.0+berth' } as const;

export function versionBody(): Record<string, string> {
  return {
    major: kubernetesVersion.major,
    minor: kubernetesVersion.minor,
    gitVersion: kubernetesVersion.gitVersion,
    gitCommit: '0000000000000000000000000000000000000000',
    gitTreeState: 'clean',
    buildDate: '2026-01-01T00:00:00Z',
    goVersion: 'go1.24.0',
    compiler: 'gc',
    platform: `linux/${process.arch === 'x64' ? 'amd64' : process.arch}`,
  };
}

export const aggregatedContentType = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';

/** True when the Accept header asks for aggregated discovery v2. */
export function wantsAggregated(accept: string | undefined): boolean {
  if (!accept) return false;
  return accept.split(',').some((c) => {
    const p = c.split(';').map((s) => s.trim());
    return p.includes('g=apidiscovery.k8s.io') && p.includes('v=v2') && p.includes('as=APIGroupDiscoveryList');
  });
}

function subresourceVerbs(sub: string): string[] {
  switch (sub) {
    case 'status':
    case 'scale':
      return ['get', 'patch', 'update'];
    case 'log':
      return ['get'];
    case 'exec':
    case 'attach':
    case 'portforward':
      return ['create', 'get'];
    case 'binding':
    case 'eviction':
    case 'token':
      return ['create'];
    case 'finalize':
      return ['update'];
    default:
      return ['get'];
  }
}

function subresourceKind(info: ResourceInfo, sub: string): { group: string; version: string; kind: string } {
  switch (sub) {
    case 'log':
    case 'exec':
    case 'attach':
      return { group: '', version: 'v1', kind: info.kind === 'Pod' ? (sub === 'log' ? 'Pod' : 'PodExecOptions') : info.kind };
    case 'portforward':
      return { group: '', version: 'v1', kind: 'PodPortForwardOptions' };
    case 'binding':
      return { group: '', version: 'v1', kind: 'Binding' };
    case 'scale':
      return { group: 'autoscaling', version: 'v1', kind: 'Scale' };
    case 'token':
      return { group: 'authentication.k8s.io', version: 'v1', kind: 'TokenRequest' };
    default:
      return { group: info.group, version: info.version, kind: info.kind };
  }
}

/** The resources one group serves in one version, as discovery lists them. */
export interface GroupResources {
  group: string;
  version: string;
  resources: readonly ResourceInfo[];
}

/** Groups the resources by group and version, keeping their order (core first, as the kind table lists it). */
export function byGroupVersion(resources: readonly ResourceInfo[]): GroupResources[] {
  const out: GroupResources[] = [];
  for (const r of resources) {
    let g = out.find((x) => x.group === r.group && x.version === r.version);
    if (!g) out.push((g = { group: r.group, version: r.version, resources: [] }));
    (g.resources as ResourceInfo[]).push(r);
  }
  return out;
}

function aggregatedResource(r: ResourceInfo): unknown {
  return {
    resource: r.resource,
    responseKind: { group: r.group, version: r.version, kind: r.kind },
    scope: r.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: r.singular,
    verbs: r.verbs,
    ...(r.shortNames.length ? { shortNames: r.shortNames } : {}),
    ...(r.categories.length ? { categories: r.categories } : {}),
    ...(r.subresources.length
      ? {
          subresources: r.subresources.map((s) => ({
            subresource: s,
            responseKind: subresourceKind(r, s),
            verbs: subresourceVerbs(s),
          })),
        }
      : {}),
  };
}

/**
 * An aggregated discovery list (apidiscovery.k8s.io/v2): at /api the core
 * group (its item has no name), at /apis every named group.
 */
export function aggregatedDiscovery(groups: readonly GroupResources[]): unknown {
  return {
    kind: 'APIGroupDiscoveryList',
    apiVersion: 'apidiscovery.k8s.io/v2',
    metadata: {},
    items: groups.map((g) => ({
      metadata: g.group ? { name: g.group, creationTimestamp: null } : { creationTimestamp: null },
      versions: [{ version: g.version, resources: g.resources.map(aggregatedResource), freshness: 'Current' }],
    })),
  };
}

export function legacyApiVersions(serverAddress: string): unknown {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

function apiGroup(g: GroupResources): Record<string, unknown> {
  const version = { groupVersion: groupVersion(g), version: g.version };
  return { name: g.group, versions: [version], preferredVersion: version };
}

/** /apis: the named groups (APIGroupList). */
export function legacyGroups(groups: readonly GroupResources[]): unknown {
  return { kind: 'APIGroupList', apiVersion: 'v1', groups: groups.map(apiGroup) };
}

/** /apis/<group>: one named group (APIGroup). */
export function legacyGroup(g: GroupResources): unknown {
  return { kind: 'APIGroup', apiVersion: 'v1', ...apiGroup(g) };
}

/** /api/v1 or /apis/<group>/<version>: the resources of one group version (APIResourceList). */
export function legacyResourceList(g: GroupResources): unknown {
  const list: unknown[] = [];
  for (const r of g.resources) {
    list.push({
      name: r.resource,
      singularName: r.singular,
      namespaced: r.namespaced,
      kind: r.kind,
      verbs: r.verbs,
      ...(r.shortNames.length ? { shortNames: r.shortNames } : {}),
      ...(r.categories.length ? { categories: r.categories } : {}),
    });
    for (const s of r.subresources) {
      const kind = subresourceKind(r, s);
      // Group and version are named only when the subresource's kind lives elsewhere (deployments/scale: autoscaling/v1 Scale).
      const foreign = kind.group !== r.group || kind.version !== r.version;
      list.push({
        name: `${r.resource}/${s}`,
        singularName: '',
        namespaced: r.namespaced,
        ...(foreign ? { group: kind.group, version: kind.version } : {}),
        kind: kind.kind,
        verbs: subresourceVerbs(s),
      });
    }
  }
  return { kind: 'APIResourceList', groupVersion: groupVersion(g), resources: list };
}
