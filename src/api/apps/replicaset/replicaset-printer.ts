/**
 * `kubectl get replicasets` columns, from `printReplicaSet` in kubernetes
 * `pkg/printers/internalversion/printers.go` (v1.33): DESIRED from the
 * spec, CURRENT and READY from the status, integers.
 */
import type { ReplicaSet } from 'kubernetes-types/apps/v1.js';
import { formatLabelSelector } from '../../label-selector-string.ts';
import { translateTimestampSince } from '../../printers/human-duration.ts';
import { ageColumn, column, metaOf, nameColumn, type Printer } from '../../printers/table.ts';
import { containerCells, containersColumn, imagesColumn } from '../pod-template-columns.ts';

/** Column descriptions: the swagger docs of the fields the columns show. */
const docs = {
  specReplicas:
    'Replicas is the number of desired replicas. This is a pointer to distinguish between explicit zero and unspecified. Defaults to 1. More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicationcontroller/#what-is-a-replicationcontroller',
  statusReplicas: 'Replicas is the most recently observed number of replicas. More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicationcontroller/#what-is-a-replicationcontroller',
  readyReplicas: 'readyReplicas is the number of pods targeted by this ReplicaSet with a Ready Condition.',
  selector:
    "Selector is a label query over pods that should match the replica count. Label keys and values that must match in order to be controlled by this replica set. It must match the pod template's labels. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors",
};

export const replicaSetPrinter: Printer = {
  columns: [
    nameColumn,
    column('Desired', 'integer', docs.specReplicas),
    column('Current', 'integer', docs.statusReplicas),
    column('Ready', 'integer', docs.readyReplicas),
    ageColumn,
    containersColumn,
    imagesColumn,
    column('Selector', 'string', docs.selector, { priority: 1 }),
  ],
  cells(obj, now) {
    const rs = obj as ReplicaSet;
    const status = rs.status ?? { replicas: 0 };
    return [
      metaOf(rs).name ?? '',
      // spec.replicas is defaulted to 1 on every stored ReplicaSet (SetDefaults_ReplicaSet).
      rs.spec?.replicas ?? 1,
      status.replicas ?? 0,
      status.readyReplicas ?? 0,
      translateTimestampSince(metaOf(rs).creationTimestamp, now),
      ...containerCells(rs.spec?.template),
      formatLabelSelector(rs.spec?.selector),
    ];
  },
};
