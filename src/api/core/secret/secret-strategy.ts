/**
 * Storage rules for core/v1 Secrets. `stringData` is write-only: it is merged
 * into `data` (base64) and dropped, as kube-apiserver does.
 */
import { defaultSecret } from '../../defaults/defaults.ts';
import { validateSecret, validateSecretUpdate } from '../../validation/validation.ts';
import type { Secret } from 'kubernetes-types/core/v1.js';
import type { Strategy } from '../../kind.ts';

export const secretStrategy: Strategy<Secret> = {
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
