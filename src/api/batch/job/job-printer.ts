/**
 * `kubectl get jobs` columns, from `printJob` in kubernetes
 * `pkg/printers/internalversion/printers.go` (v1.33): STATUS from the
 * conditions (Complete, Failed, then Terminating, Suspended, FailureTarget,
 * SuccessCriteriaMet, else Running), COMPLETIONS as `succeeded/completions`
 * (`n/1` or `n/1 of p` without completions), DURATION from startTime to
 * completionTime (or now).
 */
import type { Job } from 'kubernetes-types/batch/v1.js';
import { formatLabelSelector } from '../../label-selector-string.ts';
import { humanDuration, parseTimestamp, translateTimestampSince } from '../../printers/human-duration.ts';
import { ageColumn, column, metaOf, nameColumn, type Printer } from '../../printers/table.ts';
import { containerCells, containersColumn, imagesColumn } from '../../apps/pod-template-columns.ts';

const docs = {
  succeeded:
    'The number of pods which reached phase Succeeded. The value increases monotonically for a given spec. However, it may decrease in reaction to scale down of elastic indexed jobs.',
  selector:
    'A label query over pods that should match the pod count. Normally, the system sets this field for you. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors',
};

function hasCondition(job: Job, type: string): boolean {
  return (job.status?.conditions ?? []).some((c) => c.type === type && c.status === 'True');
}

/** printJob's STATUS. */
export function jobStatusText(job: Job): string {
  if (hasCondition(job, 'Complete')) return 'Complete';
  if (hasCondition(job, 'Failed')) return 'Failed';
  if (job.metadata?.deletionTimestamp) return 'Terminating';
  if (hasCondition(job, 'Suspended')) return 'Suspended';
  if (hasCondition(job, 'FailureTarget')) return 'FailureTarget';
  if (hasCondition(job, 'SuccessCriteriaMet')) return 'SuccessCriteriaMet';
  return 'Running';
}

function completionsText(job: Job): string {
  const succeeded = job.status?.succeeded ?? 0;
  const completions = job.spec?.completions;
  if (completions !== undefined && completions !== null) return `${succeeded}/${completions}`;
  const parallelism = job.spec?.parallelism ?? 0;
  return parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
}

function durationText(job: Job, now: number): string {
  const start = parseTimestamp(job.status?.startTime);
  if (start === undefined) return '';
  const end = parseTimestamp(job.status?.completionTime);
  return humanDuration((end ?? now) - start);
}

export const jobPrinter: Printer = {
  columns: [
    nameColumn,
    column('Status', 'string', 'Status of the job.'),
    column('Completions', 'string', docs.succeeded),
    column('Duration', 'string', 'Time required to complete the job.'),
    ageColumn,
    containersColumn,
    imagesColumn,
    column('Selector', 'string', docs.selector, { priority: 1 }),
  ],
  cells(obj, now) {
    const job = obj as Job;
    return [
      metaOf(job).name ?? '',
      jobStatusText(job),
      completionsText(job),
      durationText(job, now),
      translateTimestampSince(metaOf(job).creationTimestamp, now),
      ...containerCells(job.spec?.template),
      formatLabelSelector(job.spec?.selector),
    ];
  },
};
