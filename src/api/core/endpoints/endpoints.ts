/**
 * core/v1 Endpoints: its names and capabilities, storage rules and Table
 * columns. Deprecated in v1.33 in favour of discovery.k8s.io/v1
 * EndpointSlices; kube-apiserver says so in a warning on every request.
 */
import type { Endpoints } from 'kubernetes-types/core/v1.js';
import type { Kind } from '../../kind.ts';
import { endpointsPrinter } from './endpoints-printer.ts';
import { endpointsStrategy } from './endpoints-strategy.ts';

export const endpointsKind: Kind<Endpoints> = {
  info: {
    group: '',
    version: 'v1',
    resource: 'endpoints',
    singular: 'endpoints',
    kind: 'Endpoints',
    listKind: 'EndpointsList',
    namespaced: true,
    shortNames: ['ep'],
    categories: [],
    verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
    subresources: [],
    deprecationWarning: 'v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice',
  },
  strategy: endpointsStrategy,
  printer: endpointsPrinter,
};
