/**
 * Storage rules for core/v1 Secrets. `stringData` is write-only: it is merged
 * into `data` (base64) and dropped, as kube-apiserver does.
 */
import { defaultSecret } from '../../api/defaults/defaults.ts';
import { validateSecret, validateSecretUpdate } from '../../api/validation/validation.ts';
import type { Strategy } from '../strategy.ts';

export const secretStrategy: Strategy = {
  info: {
    group: '',
    version: 'v1',
    resource: 'secrets',
    singular: 'secret',
    kind: 'Secret',
    listKind: 'SecretList',
    namespaced: true,
    shortNames: [],
    categories: [],
    verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
    subresources: [],
  },
  selectableFields: ['type'],
  fields: (s) => ({ type: s.type ?? '' }),
  prepareForCreate: (secret) => defaultSecret(secret),
  validate: (s) => validateSecret(s),
  prepareForUpdate(secret, old) {
    secret.type ||= old.type;
    defaultSecret(secret);
  },
  validateUpdate: (s, old) => validateSecretUpdate(s, old),
};
