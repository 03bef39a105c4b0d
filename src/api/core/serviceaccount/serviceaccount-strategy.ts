/**
 * Storage rules for core/v1 ServiceAccounts (kubernetes
 * `pkg/registry/core/serviceaccount/strategy.go`): secret references keep
 * only their name; the deprecated enforce-mountable-secrets annotation warns.
 */
import type { ServiceAccount } from 'kubernetes-types/core/v1.js';
import type { Strategy } from '../../kind.ts';
import { validateServiceAccount, validateServiceAccountUpdate } from '../../validation/serviceaccount.ts';

/** The annotation whose use kube-apiserver warns about since v1.32. */
export const enforceMountableSecretsAnnotation = 'kubernetes.io/enforce-mountable-secrets';

function cleanSecretReferences(sa: ServiceAccount): void {
  if (sa.secrets) sa.secrets = sa.secrets.map((s) => (s.name === undefined ? {} : { name: s.name }));
}

function warnings(sa: ServiceAccount, old?: ServiceAccount): string[] {
  if (old?.metadata?.annotations?.[enforceMountableSecretsAnnotation]) return [];
  if (!sa.metadata?.annotations?.[enforceMountableSecretsAnnotation]) return [];
  return [`metadata.annotations[${enforceMountableSecretsAnnotation}]: deprecated in v1.32+; prefer separate namespaces to isolate access to mounted secrets`];
}

export const serviceAccountStrategy: Strategy<ServiceAccount> = {
  selectableFields: [],
  fields: () => ({}),
  prepareForCreate: (sa) => cleanSecretReferences(sa),
  validate: (sa) => validateServiceAccount(sa),
  prepareForUpdate: (sa) => cleanSecretReferences(sa),
  validateUpdate: (sa, old) => validateServiceAccountUpdate(sa, old),
  warnings: (sa, old) => warnings(sa, old),
};
