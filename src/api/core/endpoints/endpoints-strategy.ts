/**
 * Storage rules for core/v1 Endpoints (kube-apiserver `pkg/registry/core/endpoint`).
 * v1 defaults a port's protocol to TCP (`SetDefaults_Endpoints`); nothing
 * else is server-set.
 */
import type { Endpoints } from 'kubernetes-types/core/v1.js';
import type { Strategy } from '../../kind.ts';
import type { Stored } from '../../types.ts';
import { validateEndpoints, validateEndpointsUpdate } from '../../validation/validation.ts';

function defaultEndpoints(ep: Stored<Endpoints>): void {
  for (const ss of ep.subsets ?? []) for (const p of ss.ports ?? []) if (!p.protocol) p.protocol = 'TCP';
}

export const endpointsStrategy: Strategy<Endpoints> = {
  selectableFields: [],
  fields: () => ({}),
  prepareForCreate: (ep) => defaultEndpoints(ep),
  validate: (ep) => validateEndpoints(ep),
  prepareForUpdate: (ep) => defaultEndpoints(ep),
  validateUpdate: (ep, old) => validateEndpointsUpdate(ep, old),
};
