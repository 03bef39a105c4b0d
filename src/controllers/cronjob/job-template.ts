/**
 * The Job a CronJob starts for one scheduled time (kube-controller-manager
 * pkg/controller/cronjob utils.go `getJobFromTemplate2`, v1.33): named
 * `<cronjob>-<scheduled time in minutes since the epoch>`, so that a second
 * attempt for the same time (after a crash between creating the Job and
 * recording it) is refused as AlreadyExists instead of running twice; the
 * template's labels and annotations plus
 * `batch.kubernetes.io/cronjob-scheduled-timestamp` (RFC 3339 in the
 * CronJob's time zone, UTC without one: Go's LoadLocation("")); a controller
 * ownerReference to the CronJob; the template's spec.
 */
import type { CronJob, Job } from 'kubernetes-types/batch/v1.js';
import type { ObjectReference } from 'kubernetes-types/core/v1.js';
import { newControllerRef, type OwnerKind } from '../controller-ref.ts';

export const cronJobKind: OwnerKind = { apiVersion: 'batch/v1', kind: 'CronJob' };
export const scheduledTimestampAnnotation = 'batch.kubernetes.io/cronjob-scheduled-timestamp';

/** `getJobName`: minutes since the epoch, the controller's granularity. */
export function jobName(cj: CronJob, scheduledMs: number): string {
  return `${cj.metadata?.name ?? ''}-${Math.floor(scheduledMs / 60_000)}`;
}

const two = (n: number) => String(n).padStart(2, '0');

/** Go's `t.In(zone).Format(time.RFC3339)`: wall time in `zone` and its offset, `Z` for a zero offset. */
export function rfc3339InZone(ms: number, zone: string | undefined): string {
  const whole = Math.floor(ms / 1000) * 1000;
  let offsetMin = 0;
  if (zone && zone !== 'UTC') {
    const parts = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    }).formatToParts(new Date(whole));
    const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
    const wall = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
    offsetMin = Math.round((wall - whole) / 60_000);
  }
  const local = new Date(whole + offsetMin * 60_000).toISOString().slice(0, 19);
  if (offsetMin === 0) return `${local}Z`;
  const sign = offsetMin < 0 ? '-' : '+';
  const abs = Math.abs(offsetMin);
  return `${local}${sign}${two(Math.floor(abs / 60))}:${two(abs % 60)}`;
}

/** `getJobFromTemplate2`. */
export function jobFromTemplate(cj: CronJob, scheduledMs: number): Job {
  const template = cj.spec?.jobTemplate ?? {};
  const labels = { ...(template.metadata?.labels ?? {}) };
  const annotations: Record<string, string> = {
    ...(template.metadata?.annotations ?? {}),
    [scheduledTimestampAnnotation]: rfc3339InZone(scheduledMs, cj.spec?.timeZone ?? undefined),
  };
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name: jobName(cj, scheduledMs),
      namespace: cj.metadata?.namespace,
      ...(Object.keys(labels).length > 0 ? { labels } : {}),
      annotations,
      ownerReferences: [newControllerRef(cj, cronJobKind)],
    },
    spec: structuredClone(template.spec ?? { template: {} }),
  };
}

/** `ref.GetReference` of a Job: what status.active lists. */
export function jobReference(job: Job): ObjectReference {
  const m = job.metadata ?? {};
  const ref: ObjectReference = { kind: 'Job', namespace: m.namespace, name: m.name, uid: m.uid, apiVersion: 'batch/v1', resourceVersion: m.resourceVersion };
  return Object.fromEntries(Object.entries(ref).filter(([, v]) => v !== undefined)) as ObjectReference;
}
