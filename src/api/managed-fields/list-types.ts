/**
 * Server-side apply's list semantics (`x-kubernetes-list-type` and
 * `x-kubernetes-list-map-keys` in the v1 OpenAPI): lists keyed by fields
 * merge item by item, sets merge by value, every other list is atomic.
 * Paths are dotted JSON paths without list indices, as in patch-meta.ts.
 */
import { own } from '../json-object.ts';

export type ListType = { type: 'atomic' } | { type: 'set' } | { type: 'map'; keys: readonly string[] };

const map = (...keys: string[]): ListType => ({ type: 'map', keys });
const set: ListType = { type: 'set' };
const atomic: ListType = { type: 'atomic' };

const container: Record<string, ListType> = {
  ports: map('containerPort', 'protocol'),
  env: map('name'),
  volumeMounts: map('mountPath'),
  volumeDevices: map('devicePath'),
};

function under(prefix: string, table: Record<string, ListType>): Record<string, ListType> {
  return Object.fromEntries(Object.entries(table).map(([k, v]) => [`${prefix}.${k}`, v]));
}

const metadata: Record<string, ListType> = {
  'metadata.finalizers': set,
  'metadata.ownerReferences': map('uid'),
};

/** `v1.PodSpec`, as the pod's spec and as a workload's spec.template.spec. */
const podSpec: Record<string, ListType> = {
  containers: map('name'),
  ...under('containers', container),
  initContainers: map('name'),
  ...under('initContainers', container),
  ephemeralContainers: map('name'),
  ...under('ephemeralContainers', container),
  volumes: map('name'),
  imagePullSecrets: map('name'),
  hostAliases: map('ip'),
  topologySpreadConstraints: map('topologyKey', 'whenUnsatisfiable'),
  schedulingGates: map('name'),
  resourceClaims: map('name'),
};

/** apps/v1 Deployment, ReplicaSet, DaemonSet, StatefulSet: the pod template's metadata and spec, status conditions by type. */
const workload: Record<string, ListType> = {
  ...metadata,
  'spec.template.metadata.finalizers': set,
  'spec.template.metadata.ownerReferences': map('uid'),
  ...under('spec.template.spec', podSpec),
  'status.conditions': map('type'),
};

const tables: Record<string, Record<string, ListType>> = {
  Pod: { ...metadata, ...under('spec', podSpec), 'status.conditions': map('type') },
  Deployment: workload,
  ReplicaSet: workload,
  DaemonSet: workload,
  StatefulSet: workload,
  Node: { ...metadata, 'spec.podCIDRs': set, 'status.conditions': map('type'), 'status.addresses': map('type') },
  Namespace: { ...metadata, 'status.conditions': map('type') },
  Service: { ...metadata, 'spec.ports': map('port', 'protocol'), 'status.conditions': map('type') },
};

export function listTypeFor(kind: string, dotted: string): ListType {
  return own(own(tables, kind), dotted) ?? own(metadata, dotted) ?? atomic;
}
