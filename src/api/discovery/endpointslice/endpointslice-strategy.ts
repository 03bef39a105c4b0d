/**
 * Storage rules for discovery.k8s.io/v1 EndpointSlices (kube-apiserver
 * `pkg/registry/discovery/endpointslice` strategy.go, v1.33): generation
 * starts at 1 and grows with every change beyond metadata (labels count),
 * port names and protocols default to `""` and TCP, `deprecatedTopology`
 * written through v1 is dropped, and `hints.forNodes` is dropped while its
 * feature (PreferSameTrafficDistribution, alpha in v1.33) is off.
 */
import { isDeepStrictEqual } from 'node:util';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1.js';
import type { Strategy } from '../../kind.ts';
import type { Stored } from '../../types.ts';
import { validateEndpointSlice, validateEndpointSliceUpdate } from '../../validation/validation.ts';

type Slice = Stored<EndpointSlice>;
type HintsWithNodes = { forNodes?: unknown };

/** `SetDefaults_EndpointPort`, and Go's encoding of the struct fields that have no omitempty. */
function defaultEndpointSlice(slice: Slice): void {
  // `endpoints` and `ports` have no omitempty: a nil list is `null` on the wire.
  slice.endpoints ??= null as unknown as Slice['endpoints'];
  slice.ports ??= null as unknown as Slice['ports'];
  for (const ep of slice.endpoints ?? []) ep.conditions ??= {};
  for (const p of slice.ports ?? []) {
    p.name ??= '';
    p.protocol ??= 'TCP';
  }
}

const forNodesInUse = (slice: Slice | undefined): boolean =>
  (slice?.endpoints ?? []).some((ep) => (ep.hints as HintsWithNodes | undefined)?.forNodes !== undefined);

function dropDisabledFields(slice: Slice, old: Slice | undefined): void {
  if (forNodesInUse(old)) return;
  for (const ep of slice.endpoints ?? []) if (ep.hints) delete (ep.hints as HintsWithNodes).forNodes;
}

/**
 * `dropTopologyOnV1`: v1 writes may not set deprecatedTopology. A node name the
 * previous version recorded only there moves to nodeName, so partial updates
 * keep it. Unchanged endpoints are left alone.
 */
function dropTopologyOnV1(slice: Slice, old: Slice | undefined): void {
  if (old && isDeepStrictEqual(old.endpoints ?? null, slice.endpoints ?? null)) return;
  const prevNodeNames = new Set<string>();
  for (const ep of old?.endpoints ?? []) {
    const n = ep.deprecatedTopology?.['kubernetes.io/hostname'];
    if (n) prevNodeNames.add(n);
  }
  for (const ep of slice.endpoints ?? []) {
    const n = ep.deprecatedTopology?.['kubernetes.io/hostname'];
    if (ep.nodeName === undefined && n !== undefined && prevNodeNames.has(n)) ep.nodeName = n;
    delete ep.deprecatedTopology;
  }
}

/** Everything but metadata, plus the labels: what bumps the generation. */
function generationRelevant(slice: Slice): unknown {
  const { metadata, ...rest } = slice;
  return { ...rest, apiVersion: undefined, kind: undefined, labels: metadata.labels ?? {} };
}

export const endpointSliceStrategy: Strategy<EndpointSlice> = {
  selectableFields: [],
  fields: () => ({}),
  prepareForCreate(slice) {
    defaultEndpointSlice(slice);
    slice.metadata.generation = 1;
    dropDisabledFields(slice, undefined);
    dropTopologyOnV1(slice, undefined);
  },
  validate: (slice) => validateEndpointSlice(slice),
  prepareForUpdate(slice, old) {
    defaultEndpointSlice(slice);
    const gen = old.metadata.generation ?? 0;
    slice.metadata.generation = isDeepStrictEqual(generationRelevant(slice), generationRelevant(old)) ? gen : gen + 1;
    dropDisabledFields(slice, old);
    dropTopologyOnV1(slice, old);
  },
  validateUpdate: (slice, old) => validateEndpointSliceUpdate(slice, old),
};
