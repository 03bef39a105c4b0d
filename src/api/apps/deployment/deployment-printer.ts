/**
 * `kubectl get deployments` columns, from `printDeployment` in kubernetes
 * `pkg/printers/internalversion/printers.go` (v1.33). READY is
 * `ready/desired`; SELECTOR is the selector's text form, '' when empty
 * (printDeployment writes `selector.String()`, not FormatLabelSelector).
 */
import type { Deployment } from 'kubernetes-types/apps/v1.js';
import { labelSelectorString } from '../../label-selector-string.ts';
import { translateTimestampSince } from '../../printers/human-duration.ts';
import { ageColumn, column, metaOf, nameColumn, type Printer } from '../../printers/table.ts';
import { containerCells, containersColumn, imagesColumn } from '../pod-template-columns.ts';

/** Column descriptions: printDeployment's own text and the swagger docs of the fields shown. */
const docs = {
  ready: 'Number of the pod with ready state',
  updatedReplicas: 'Total number of non-terminated pods targeted by this deployment that have the desired template spec.',
  availableReplicas: 'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.',
  selector: "Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment. It must match the pod template's labels.",
};

function selectorText(d: Deployment): string {
  try {
    return labelSelectorString(d.spec?.selector);
  } catch {
    return '<invalid>';
  }
}

export const deploymentPrinter: Printer = {
  columns: [
    nameColumn,
    column('Ready', 'string', docs.ready),
    column('Up-to-date', 'string', docs.updatedReplicas),
    column('Available', 'string', docs.availableReplicas),
    ageColumn,
    containersColumn,
    imagesColumn,
    column('Selector', 'string', docs.selector, { priority: 1 }),
  ],
  cells(obj, now) {
    const d = obj as Deployment;
    const status = d.status ?? {};
    // spec.replicas is defaulted to 1 on every stored Deployment (SetDefaults_Deployment).
    const desired = d.spec?.replicas ?? 1;
    return [
      metaOf(d).name ?? '',
      `${status.readyReplicas ?? 0}/${desired}`,
      status.updatedReplicas ?? 0,
      status.availableReplicas ?? 0,
      translateTimestampSince(metaOf(d).creationTimestamp, now),
      ...containerCells(d.spec?.template),
      selectorText(d),
    ];
  },
};
