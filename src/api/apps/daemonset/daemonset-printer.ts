/**
 * `kubectl get daemonsets` columns, from `printDaemonSet` in kubernetes
 * `pkg/printers/internalversion/printers.go` (v1.33): the scheduling counts
 * from the status, then the template's node selector.
 */
import type { DaemonSet } from 'kubernetes-types/apps/v1.js';
import { formatLabelSelector } from '../../label-selector-string.ts';
import { translateTimestampSince } from '../../printers/human-duration.ts';
import { ageColumn, column, metaOf, nameColumn, type Printer } from '../../printers/table.ts';
import { containerCells, containersColumn, imagesColumn } from '../pod-template-columns.ts';

/** Column descriptions: the swagger docs of the fields the columns show. */
const docs = {
  desiredNumberScheduled:
    'The total number of nodes that should be running the daemon pod (including nodes correctly running the daemon pod). More info: https://kubernetes.io/docs/concepts/workloads/controllers/daemonset/',
  currentNumberScheduled:
    'The number of nodes that are running at least 1 daemon pod and are supposed to run the daemon pod. More info: https://kubernetes.io/docs/concepts/workloads/controllers/daemonset/',
  numberReady: 'numberReady is the number of nodes that should be running the daemon pod and have one or more of the daemon pod running with a Ready Condition.',
  updatedNumberScheduled: 'The total number of nodes that are running updated daemon pod',
  numberAvailable:
    'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available (ready for at least spec.minReadySeconds)',
  nodeSelector:
    "NodeSelector is a selector which must be true for the pod to fit on a node. Selector which must match a node's labels for the pod to be scheduled on that node. More info: https://kubernetes.io/docs/concepts/configuration/assign-pod-node/",
  selector:
    "A label query over pods that are managed by the daemon set. Must match in order to be controlled. It must match the pod template's labels. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors",
};

/** `labels.FormatLabels`: `k=v` pairs sorted by key, `<none>` when empty. */
function formatLabels(set: Record<string, string> | undefined): string {
  const keys = Object.keys(set ?? {}).sort();
  return keys.length === 0 ? '<none>' : keys.map((k) => `${k}=${set![k]}`).join(',');
}

export const daemonSetPrinter: Printer = {
  columns: [
    nameColumn,
    column('Desired', 'integer', docs.desiredNumberScheduled),
    column('Current', 'integer', docs.currentNumberScheduled),
    column('Ready', 'integer', docs.numberReady),
    column('Up-to-date', 'integer', docs.updatedNumberScheduled),
    column('Available', 'integer', docs.numberAvailable),
    column('Node Selector', 'string', docs.nodeSelector),
    ageColumn,
    containersColumn,
    imagesColumn,
    column('Selector', 'string', docs.selector, { priority: 1 }),
  ],
  cells(obj, now) {
    const ds = obj as DaemonSet;
    const s = ds.status;
    return [
      metaOf(ds).name ?? '',
      s?.desiredNumberScheduled ?? 0,
      s?.currentNumberScheduled ?? 0,
      s?.numberReady ?? 0,
      s?.updatedNumberScheduled ?? 0,
      s?.numberAvailable ?? 0,
      formatLabels(ds.spec?.template?.spec?.nodeSelector),
      translateTimestampSince(metaOf(ds).creationTimestamp, now),
      ...containerCells(ds.spec?.template),
      formatLabelSelector(ds.spec?.selector),
    ];
  },
};
