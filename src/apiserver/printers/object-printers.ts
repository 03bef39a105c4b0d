/**
 * Columns of the small kinds whose printers are one line each in kubernetes
 * `pkg/printers/internalversion/printers.go` (Namespace, ConfigMap, Secret),
 * and the Name/Age fallback for kinds with no printer.
 */
import type { ConfigMap, Namespace, Secret } from 'kubernetes-types/core/v1.js';
import type { ObjectMeta } from 'kubernetes-types/meta/v1.js';
import { docs } from './column-docs.ts';
import { translateTimestampSince } from './human-duration.ts';
import { column, type Printer } from './table.ts';

const nameColumn = column('Name', 'string', docs.name, { format: 'name' });
const ageColumn = column('Age', 'string', docs.creationTimestamp);

function meta(obj: unknown): ObjectMeta {
  return (obj as { metadata?: ObjectMeta } | null)?.metadata ?? {};
}

export const namespacePrinter: Printer = {
  columns: [nameColumn, column('Status', 'string', docs.namespaceStatus), ageColumn],
  cells(obj, now) {
    const ns = obj as Namespace;
    return [meta(ns).name ?? '', ns.status?.phase ?? '', translateTimestampSince(meta(ns).creationTimestamp, now)];
  },
};

export const configMapPrinter: Printer = {
  columns: [nameColumn, column('Data', 'string', docs.configMapData), ageColumn],
  cells(obj, now) {
    const cm = obj as ConfigMap;
    const count = Object.keys(cm.data ?? {}).length + Object.keys(cm.binaryData ?? {}).length;
    return [meta(cm).name ?? '', count, translateTimestampSince(meta(cm).creationTimestamp, now)];
  },
};

export const secretPrinter: Printer = {
  columns: [nameColumn, column('Type', 'string', docs.secretType), column('Data', 'string', docs.secretData), ageColumn],
  cells(obj, now) {
    const secret = obj as Secret;
    return [
      meta(secret).name ?? '',
      secret.type ?? '',
      Object.keys(secret.data ?? {}).length,
      translateTimestampSince(meta(secret).creationTimestamp, now),
    ];
  },
};

/**
 * For kinds without a printer. (kube-apiserver's default convertor shows
 * `Name` and `Created At`; berth shows `Name` and `Age`, which every kind it
 * serves has a printer for anyway.)
 */
export const genericPrinter: Printer = {
  columns: [nameColumn, ageColumn],
  cells(obj, now) {
    return [meta(obj).name ?? '', translateTimestampSince(meta(obj).creationTimestamp, now)];
  },
};
