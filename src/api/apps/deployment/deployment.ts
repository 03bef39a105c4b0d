/** apps/v1 Deployment: its names and capabilities, storage rules and Table columns. */
import type { Deployment } from 'kubernetes-types/apps/v1.js';
import type { Kind } from '../../kind.ts';
import { deploymentPrinter } from './deployment-printer.ts';
import { deploymentStrategy } from './deployment-strategy.ts';

export const deploymentKind: Kind<Deployment> = {
  info: {
    group: 'apps',
    version: 'v1',
    resource: 'deployments',
    singular: 'deployment',
    kind: 'Deployment',
    listKind: 'DeploymentList',
    namespaced: true,
    shortNames: ['deploy'],
    categories: ['all'],
    verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
    subresources: ['status', 'scale'],
  },
  strategy: deploymentStrategy,
  printer: deploymentPrinter,
};
