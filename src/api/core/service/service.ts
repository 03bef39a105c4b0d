/** core/v1 Service: its names and capabilities, storage rules and Table columns. */
import type { Service } from 'kubernetes-types/core/v1.js';
import type { Kind } from '../../kind.ts';
import { servicePrinter } from './service-printer.ts';
import { serviceStrategy } from './service-strategy.ts';

export const serviceKind: Kind<Service> = {
  info: {
    group: '',
    version: 'v1',
    resource: 'services',
    singular: 'service',
    kind: 'Service',
    listKind: 'ServiceList',
    namespaced: true,
    shortNames: ['svc'],
    categories: ['all'],
    verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
    // kube-apiserver also serves services/proxy, which berth does not.
    subresources: ['status'],
  },
  strategy: serviceStrategy,
  printer: servicePrinter,
};
