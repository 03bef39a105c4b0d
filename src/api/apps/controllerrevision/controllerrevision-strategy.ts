/**
 * Storage rules for apps/v1 ControllerRevisions (kube-apiserver
 * `pkg/registry/apps/controllerrevision` strategy.go): no status, no
 * generation; `data` and `revision` are immutable.
 */
import type { ControllerRevision } from 'kubernetes-types/apps/v1.js';
import type { Strategy } from '../../kind.ts';

export const controllerRevisionStrategy: Strategy<ControllerRevision> = {
  selectableFields: [],
  fields: () => ({}),
  prepareForCreate: () => {},
  validate: () => [],
  prepareForUpdate: () => {},
  validateUpdate: () => [],
};
