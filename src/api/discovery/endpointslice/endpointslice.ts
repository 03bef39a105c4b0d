/** discovery.k8s.io/v1 EndpointSlice: its names and capabilities, storage rules and Table columns. */
import type { EndpointSlice } from 'kubernetes-types/discovery/v1.js';
import type { Kind } from '../../kind.ts';
import { endpointSlicePrinter } from './endpointslice-printer.ts';
import { endpointSliceStrategy } from './endpointslice-strategy.ts';

export const endpointSliceKind: Kind<EndpointSlice> = {
  info: {
    group: 'discovery.k8s.io',
    version: 'v1',
    resource: 'endpointslices',
    singular: 'endpointslice',
    kind: 'EndpointSlice',
    listKind: 'EndpointSliceList',
    namespaced: true,
    shortNames: [],
    categories: [],
    verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
    subresources: [],
  },
  strategy: endpointSliceStrategy,
  printer: endpointSlicePrinter,
};
