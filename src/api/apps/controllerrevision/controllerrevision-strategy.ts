/**
 * Storage rules for apps/v1 ControllerRevisions (kube-apiserver
 * `pkg/registry/apps/controllerrevision` strategy.go): no status, no
 * generation, no defaults; `data` is immutable.
 */
import type { ControllerRevision } from 'kubernetes-types/apps/v1.js';
import type { Strategy } from '../../kind.ts';
import { validateControllerRevision, validateControllerRevisionUpdate } from '../../validation/validation.ts';

export const controllerRevisionStrategy: Strategy<ControllerRevision> = {
  selectableFields: [],
  fields: () => ({}),
  prepareForCreate: () => {},
  validate: (cr) => validateControllerRevision(cr),
  prepareForUpdate: () => {},
  validateUpdate: (cr, old) => validateControllerRevisionUpdate(cr, old),
};
