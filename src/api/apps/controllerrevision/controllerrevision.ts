/** apps/v1 ControllerRevision: its names and capabilities, storage rules and Table columns. */
import type { ControllerRevision } from 'kubernetes-types/apps/v1.js';
import type { Kind } from '../../kind.ts';
import { controllerRevisionPrinter } from './controllerrevision-printer.ts';
import { controllerRevisionStrategy } from './controllerrevision-strategy.ts';

export const controllerRevisionKind: Kind<ControllerRevision> = {
  info: {
    group: 'apps',
    version: 'v1',
    resource: 'controllerrevisions',
    singular: 'controllerrevision',
    kind: 'ControllerRevision',
    listKind: 'ControllerRevisionList',
    namespaced: true,
    shortNames: [],
    categories: [],
    verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
    subresources: [],
  },
  strategy: controllerRevisionStrategy,
  printer: controllerRevisionPrinter,
};
