/** `kubectl get serviceaccount` columns (kubernetes `pkg/printers/internalversion/printers.go`). */
import type { ServiceAccount } from 'kubernetes-types/core/v1.js';
import { translateTimestampSince } from '../../printers/human-duration.ts';
import { ageColumn, column, metaOf, nameColumn, type Printer } from '../../printers/table.ts';

const secretsDoc =
  'Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use. Pods are only limited to this list if this service account has a "kubernetes.io/enforce-mountable-secrets" annotation set to "true". The "kubernetes.io/enforce-mountable-secrets" annotation is deprecated since v1.32. Prefer separate namespaces to isolate access to mounted secrets. This field should not be used to find auto-generated service account token secrets for use outside of pods. Instead, tokens can be requested directly using the TokenRequest API, or service account token secrets can be manually created. More info: https://kubernetes.io/docs/concepts/configuration/secret';

export const serviceAccountPrinter: Printer = {
  columns: [nameColumn, column('Secrets', 'string', secretsDoc), ageColumn],
  cells(obj, now) {
    const sa = obj as ServiceAccount;
    return [metaOf(sa).name ?? '', (sa.secrets ?? []).length, translateTimestampSince(metaOf(sa).creationTimestamp, now)];
  },
};
