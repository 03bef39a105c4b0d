/** Storage rules for core/v1 ConfigMaps. */
import { validateConfigMap, validateConfigMapUpdate } from '../../api/validation/validation.ts';
import type { Strategy } from '../strategy.ts';

export const configMapStrategy: Strategy = {
  info: {
    group: '',
    version: 'v1',
    resource: 'configmaps',
    singular: 'configmap',
    kind: 'ConfigMap',
    listKind: 'ConfigMapList',
    namespaced: true,
    shortNames: ['cm'],
    categories: [],
    verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
    subresources: [],
  },
  selectableFields: [],
  fields: () => ({}),
  prepareForCreate() {},
  validate: (cm) => validateConfigMap(cm),
  prepareForUpdate() {},
  validateUpdate: (cm, old) => validateConfigMapUpdate(cm, old),
};
