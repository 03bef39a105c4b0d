/** `kubectl get secret` columns (kubernetes `pkg/printers/internalversion/printers.go`). */
import type { Secret } from 'kubernetes-types/core/v1.js';
import { translateTimestampSince } from '../../printers/human-duration.ts';
import { ageColumn, column, metaOf, nameColumn, type Printer } from '../../printers/table.ts';

/** Column descriptions: the swagger docs of the fields the columns show. */
const docs = {
  secretType: 'Used to facilitate programmatic handling of secret data. More info: https://kubernetes.io/docs/concepts/configuration/secret/#secret-types',
  secretData: "Data contains the secret data. Each key must consist of alphanumeric characters, '-', '_' or '.'. The serialized form of the secret data is a base64 encoded string, representing the arbitrary (possibly non-string) data value here. Described in https://tools.ietf.org/html/rfc4648#section-4",
};


export const secretPrinter: Printer = {
  columns: [nameColumn, column('Type', 'string', docs.secretType), column('Data', 'string', docs.secretData), ageColumn],
  cells(obj, now) {
    const secret = obj as Secret;
    return [
      metaOf(secret).name ?? '',
      secret.type ?? '',
      Object.keys(secret.data ?? {}).length,
      translateTimestampSince(metaOf(secret).creationTimestamp, now),
    ];
  },
};
