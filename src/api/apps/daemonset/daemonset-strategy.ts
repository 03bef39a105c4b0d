/**
 * Storage rules for apps/v1 DaemonSets (kube-apiserver `pkg/registry/apps/daemonset`
 * strategy.go): the shared workload rules with `SetDefaults_DaemonSet`, the
 * DaemonSet validation and the pod template warnings.
 *
 * The internal `spec.templateGeneration` is carried in apps/v1 by the
 * `deprecated.daemonset.template.generation` annotation: it starts at 1 and
 * grows by one with every change of the template; clients cannot set it on
 * update.
 */
import { isDeepStrictEqual } from 'node:util';
import type { DaemonSet } from 'kubernetes-types/apps/v1.js';
import { defaultDaemonSet } from '../../defaults/defaults.ts';
import type { Strategy } from '../../kind.ts';
import type { Stored } from '../../types.ts';
import { validateDaemonSet, validateDaemonSetStatusUpdate, validateDaemonSetUpdate } from '../../validation/validation.ts';
import { workloadStrategy, workloadWarnings } from '../workload-strategy.ts';

export const TEMPLATE_GENERATION_ANNOTATION = 'deprecated.daemonset.template.generation';

export function templateGeneration(ds: Stored<DaemonSet>): number {
  const v = ds.metadata.annotations?.[TEMPLATE_GENERATION_ANNOTATION] ?? '';
  // strconv.ParseInt: a whole decimal number, else the field keeps its zero value.
  return /^[+-]?[0-9]+$/.test(v) ? Number(v) : 0;
}

function setTemplateGeneration(ds: Stored<DaemonSet>, gen: number): void {
  ds.metadata.annotations = { ...(ds.metadata.annotations ?? {}), [TEMPLATE_GENERATION_ANNOTATION]: String(gen) };
}

export const daemonSetStrategy: Strategy<DaemonSet> = workloadStrategy<DaemonSet>({
  defaults: (ds) => defaultDaemonSet(ds),
  // The four scheduling counts are not omitempty in DaemonSetStatus.
  initialStatus: () => ({ currentNumberScheduled: 0, numberMisscheduled: 0, desiredNumberScheduled: 0, numberReady: 0 }),
  prepareForCreate(ds) {
    setTemplateGeneration(ds, Math.max(templateGeneration(ds), 1));
  },
  prepareForUpdate(ds, old) {
    const changed = !isDeepStrictEqual(ds.spec?.template, old.spec?.template);
    setTemplateGeneration(ds, templateGeneration(old) + (changed ? 1 : 0));
  },
  validate: (ds) => validateDaemonSet(ds),
  validateUpdate: (ds, old) => validateDaemonSetUpdate(ds, old),
  validateStatusUpdate: (ds, old) => validateDaemonSetStatusUpdate(ds, old),
  annotationsBumpGeneration: false,
  warnings: workloadWarnings<DaemonSet>(false),
});
