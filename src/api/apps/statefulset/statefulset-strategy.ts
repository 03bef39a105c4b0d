/**
 * Storage rules for apps/v1 StatefulSets (kube-apiserver
 * `pkg/registry/apps/statefulset` strategy.go, v1.33): the shared workload
 * rules with `SetDefaults_StatefulSet`, the StatefulSet validation and the
 * pod template warnings (no name warning: the name is validated as a DNS
 * label).
 *
 * dropStatefulSetDisabledFields: MaxUnavailableStatefulSet is an alpha gate,
 * off in v1.33, so `updateStrategy.rollingUpdate.maxUnavailable` is dropped
 * on create, and on update unless the stored object already has it.
 */
import type { StatefulSet } from 'kubernetes-types/apps/v1.js';
import { defaultStatefulSet } from '../../defaults/apps-defaults.ts';
import type { Strategy } from '../../kind.ts';
import { validateStatefulSet, validateStatefulSetStatusUpdate, validateStatefulSetUpdate } from '../../validation/apps-statefulset.ts';
import { workloadStrategy, workloadWarnings } from '../workload-strategy.ts';

function maxUnavailableInUse(ss: StatefulSet | undefined): boolean {
  const mu = ss?.spec?.updateStrategy?.rollingUpdate?.maxUnavailable;
  return mu !== undefined && mu !== null;
}

function dropDisabledFields(ss: StatefulSet, old?: StatefulSet): void {
  const ru = ss.spec?.updateStrategy?.rollingUpdate;
  if (ru && !maxUnavailableInUse(old)) delete ru.maxUnavailable;
}

export const statefulSetStrategy: Strategy<StatefulSet> = workloadStrategy<StatefulSet>({
  defaults: (ss) => defaultStatefulSet(ss),
  // replicas and availableReplicas are not omitempty in StatefulSetStatus.
  initialStatus: () => ({ replicas: 0, availableReplicas: 0 }),
  prepareForCreate: (ss) => dropDisabledFields(ss),
  prepareForUpdate: (ss, old) => dropDisabledFields(ss, old),
  validate: (ss) => validateStatefulSet(ss),
  validateUpdate: (ss, old) => validateStatefulSetUpdate(ss, old),
  validateStatusUpdate: (ss, old) => validateStatefulSetStatusUpdate(ss, old),
  warnings: workloadWarnings<StatefulSet>(false),
});
