/**
 * `kubectl get statefulsets` columns, from `printStatefulSet` in kubernetes
 * `pkg/printers/internalversion/printers.go` (v1.33): READY is
 * `status.readyReplicas/spec.replicas`; wide adds the template's containers
 * and images.
 */
import type { StatefulSet } from 'kubernetes-types/apps/v1.js';
import { translateTimestampSince } from '../../printers/human-duration.ts';
import { ageColumn, column, metaOf, nameColumn, type Printer } from '../../printers/table.ts';
import { containerCells, containersColumn, imagesColumn } from '../pod-template-columns.ts';

export const statefulSetPrinter: Printer = {
  columns: [nameColumn, column('Ready', 'string', 'Number of the pod with ready state'), ageColumn, containersColumn, imagesColumn],
  cells(obj, now) {
    const ss = obj as StatefulSet;
    // spec.replicas is defaulted to 1 on every stored StatefulSet (SetDefaults_StatefulSet).
    const desired = ss.spec?.replicas ?? 1;
    const ready = ss.status?.readyReplicas ?? 0;
    return [metaOf(ss).name ?? '', `${ready}/${desired}`, translateTimestampSince(metaOf(ss).creationTimestamp, now), ...containerCells(ss.spec?.template)];
  },
};
