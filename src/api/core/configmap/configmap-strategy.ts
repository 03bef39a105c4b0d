/** Storage rules for core/v1 ConfigMaps. */
import { validateConfigMap, validateConfigMapUpdate } from '../../validation/validation.ts';
import type { ConfigMap } from 'kubernetes-types/core/v1.js';
import type { Strategy } from '../../kind.ts';

export const configMapStrategy: Strategy<ConfigMap> = {
  selectableFields: [],
  fields: () => ({}),
  prepareForCreate() {},
  validate: (cm) => validateConfigMap(cm),
  prepareForUpdate() {},
  validateUpdate: (cm, old) => validateConfigMapUpdate(cm, old),
};
