/**
 * Strategic-merge-patch metadata: the `patchStrategy` / `patchMergeKey`
 * struct tags of `k8s.io/api/core/v1/types.go` and `meta/v1/types.go`, as
 * data. Keys are JSON paths from the object root; a list adds no segment for
 * its items (`spec.containers.ports` is the ports of any container).
 *
 * Fields not listed follow the default: objects merge key by key, lists are
 * replaced whole.
 */

export interface FieldPatchMeta {
  /** `merge`: lists merge by `mergeKey` (lists of objects) or as sets (primitives). */
  strategy: 'merge' | 'replace';
  mergeKey?: string;
  /** `retainKeys`: a `$retainKeys` directive is expected in this field's items. */
  retainKeys?: boolean;
}

export type PatchMetaTable = Readonly<Record<string, FieldPatchMeta>>;

const merge = (mergeKey?: string, retainKeys = false): FieldPatchMeta =>
  mergeKey === undefined ? { strategy: 'merge' } : retainKeys ? { strategy: 'merge', mergeKey, retainKeys } : { strategy: 'merge', mergeKey };

function under(prefix: string, table: PatchMetaTable): PatchMetaTable {
  return Object.fromEntries(Object.entries(table).map(([path, meta]) => [`${prefix}.${path}`, meta]));
}

/** `metav1.ObjectMeta`. */
const objectMeta: PatchMetaTable = {
  finalizers: merge(),
  ownerReferences: merge('uid'),
};

/** `v1.Container` (and the container part of `v1.EphemeralContainer`). */
const container: PatchMetaTable = {
  ports: merge('containerPort'),
  env: merge('name'),
  volumeMounts: merge('mountPath'),
  volumeDevices: merge('devicePath'),
};

/** `v1.PodSpec`. */
const podSpec: PatchMetaTable = {
  volumes: merge('name', true),
  initContainers: merge('name'),
  ...under('initContainers', container),
  containers: merge('name'),
  ...under('containers', container),
  ephemeralContainers: merge('name'),
  ...under('ephemeralContainers', container),
  imagePullSecrets: merge('name'),
  hostAliases: merge('ip'),
  topologySpreadConstraints: merge('topologyKey'),
  schedulingGates: merge('name'),
  resourceClaims: merge('name', true),
};

/** `v1.PodStatus`. (`containerStatuses` and friends carry no tags: replaced whole.) */
const podStatus: PatchMetaTable = {
  conditions: merge('type'),
  podIPs: merge('ip'),
  hostIPs: merge('ip'),
  resourceClaimStatuses: merge('name', true),
};

const metadataOnly: PatchMetaTable = under('metadata', objectMeta);

/** Per Kind. */
export const patchMeta: Readonly<Record<string, PatchMetaTable>> = {
  Pod: { ...metadataOnly, ...under('spec', podSpec), ...under('status', podStatus) },
  ConfigMap: metadataOnly,
  Secret: metadataOnly,
  Event: metadataOnly,
  Namespace: { ...metadataOnly, 'status.conditions': merge('type') },
  Node: {
    ...metadataOnly,
    'spec.podCIDRs': merge(),
    'status.conditions': merge('type'),
    'status.addresses': merge('type'),
  },
  // `v1.ServiceSpec`/`v1.ServiceStatus`; Endpoints and EndpointSlice lists carry no tags.
  Service: { ...metadataOnly, 'spec.ports': merge('port'), 'status.conditions': merge('type') },
  Endpoints: metadataOnly,
  EndpointSlice: metadataOnly,
  // apps/v1: the pod template's ObjectMeta and PodSpec tags under spec.template; status conditions by type.
  Deployment: workload(),
  ReplicaSet: workload(),
  DaemonSet: workload(),
  StatefulSet: workload(),
  ControllerRevision: metadataOnly,
};

/** A workload kind (`apps/v1` Deployment, ReplicaSet, DaemonSet, StatefulSet): its pod template and status conditions. */
function workload(): PatchMetaTable {
  return { ...metadataOnly, ...under('spec.template.metadata', objectMeta), ...under('spec.template.spec', podSpec), 'status.conditions': merge('type') };
}

/** Metadata for `kind`; kinds without an entry get the ObjectMeta tags only. */
export function patchMetaFor(kind: string): PatchMetaTable {
  return Object.hasOwn(patchMeta, kind) ? patchMeta[kind] : metadataOnly;
}
