/** `kubectl get configmaps` columns (kubernetes `pkg/printers/internalversion/printers.go`). */
import type { ConfigMap } from 'kubernetes-types/core/v1.js';
import { translateTimestampSince } from '../../printers/human-duration.ts';
import { ageColumn, column, metaOf, nameColumn, type Printer } from '../../printers/table.ts';

/** Column descriptions: the swagger docs of the fields the columns show. */
const docs = {
  configMapData: 'Data contains the configuration data. Each key must consist of alphanumeric characters, \'-\', \'_\' or \'.\'. Values with non-UTF-8 byte sequences must use the BinaryData field. The keys stored in Data must not overlap with the keys in the BinaryData field, this is enforced during validation process.',
};


export const configMapPrinter: Printer = {
  columns: [nameColumn, column('Data', 'string', docs.configMapData), ageColumn],
  cells(obj, now) {
    const cm = obj as ConfigMap;
    const count = Object.keys(cm.data ?? {}).length + Object.keys(cm.binaryData ?? {}).length;
    return [metaOf(cm).name ?? '', count, translateTimestampSince(metaOf(cm).creationTimestamp, now)];
  },
};
