/**
 * core/v1 ServiceAccount: its names and capabilities (short name `sa`, the
 * `token` subresource for TokenRequests, create only), storage rules and
 * Table columns; and the ServiceAccount admission plugin pods are created
 * through (serviceaccount-admission.ts).
 */
import type { ServiceAccount } from 'kubernetes-types/core/v1.js';
import type { Kind } from '../../kind.ts';
import { serviceAccountPrinter } from './serviceaccount-printer.ts';
import { serviceAccountStrategy } from './serviceaccount-strategy.ts';

export const serviceAccountKind: Kind<ServiceAccount> = {
  info: {
    group: '',
    version: 'v1',
    resource: 'serviceaccounts',
    singular: 'serviceaccount',
    kind: 'ServiceAccount',
    listKind: 'ServiceAccountList',
    namespaced: true,
    shortNames: ['sa'],
    categories: [],
    verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
    subresources: ['token'],
  },
  strategy: serviceAccountStrategy,
  printer: serviceAccountPrinter,
};
