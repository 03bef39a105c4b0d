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

const tables: Record<string, Record<string, ListType>> = {
  Pod: {
    ...metadata,
    'spec.containers': map('name'),
    ...under('spec.containers', container),
    'spec.initContainers': map('name'),
    ...under('spec.initContainers', container),
    'spec.ephemeralContainers': map('name'),
    ...under('spec.ephemeralContainers', container),
    'spec.volumes': map('name'),
    'spec.imagePullSecrets': map('name'),
    'spec.hostAliases': map('ip'),
    'spec.topologySpreadConstraints': map('topologyKey', 'whenUnsatisfiable'),
    'spec.schedulingGates': map('name'),
    'spec.resourceClaims': map('name'),
    'status.conditions': map('type'),
  },
  Node: { ...metadata, 'spec.podCIDRs': set, 'status.conditions': map('type'), 'status.addresses': map('type') },
  Namespace: { ...metadata, 'status.conditions': map('type') },
  Service: { ...metadata, 'spec.ports': map('port', 'protocol'), 'status.conditions': map('type') },
};

export function listTypeFor(kind: string, dotted: string): ListType {
  return own(own(tables, kind), dotted) ?? own(metadata, dotted) ?? atomic;
}
