/**
 * discovery.k8s.io/v1 — the EndpointSlice API group, served under
 * /apis/discovery.k8s.io/v1 (kube-apiserver's `pkg/apis/discovery` and
 * `pkg/registry/discovery`).
 *
 * Owns: the table of the group's kinds, each in its own folder with its
 * declaration, storage rules and Table columns. Validation lives in
 * api/validation (endpointslice.ts), beside the core rules it reuses.
 * Adding a kind: a folder here and one line in `discoveryGroup.kinds`.
 */
import type { ApiGroup } from '../kind.ts';
import { endpointSliceKind } from './endpointslice/endpointslice.ts';

export const discoveryGroup: ApiGroup = {
  name: 'discovery.k8s.io',
  version: 'v1',
  kinds: [endpointSliceKind],
};
