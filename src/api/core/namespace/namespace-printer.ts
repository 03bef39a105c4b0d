/** `kubectl get namespace` columns (kubernetes `pkg/printers/internalversion/printers.go`). */
import type { Namespace } from 'kubernetes-types/core/v1.js';
import { translateTimestampSince } from '../../printers/human-duration.ts';
import { ageColumn, column, metaOf, nameColumn, type Printer } from '../../printers/table.ts';

/** Column descriptions: the swagger docs of the fields the columns show. */
const docs = {
  namespaceStatus: 'The status of the namespace',
};


export const namespacePrinter: Printer = {
  columns: [nameColumn, column('Status', 'string', docs.namespaceStatus), ageColumn],
  cells(obj, now) {
    const ns = obj as Namespace;
    return [metaOf(ns).name ?? '', ns.status?.phase ?? '', translateTimestampSince(metaOf(ns).creationTimestamp, now)];
  },
};
