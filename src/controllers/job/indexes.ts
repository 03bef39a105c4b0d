/**
 * Completion indexes of Indexed Jobs (kube-controller-manager
 * pkg/controller/job/indexed_job_utils.go): ordered intervals as
 * `status.completedIndexes`/`failedIndexes` write them (`1,3-5`), the index
 * a pod carries, which indexes still need a pod, the pod name prefix and
 * template additions of an index.
 */
import type { Pod, PodTemplateSpec } from 'kubernetes-types/core/v1.js';

export const completionIndexAnnotation = 'batch.kubernetes.io/job-completion-index';
export const indexFailureCountAnnotation = 'batch.kubernetes.io/job-index-failure-count';
export const indexIgnoredFailureCountAnnotation = 'batch.kubernetes.io/job-index-ignored-failure-count';
export const completionIndexEnvName = 'JOB_COMPLETION_INDEX';
export const unknownCompletionIndex = -1;

/** Closed intervals, ordered and not touching. */
export type Intervals = readonly { first: number; last: number }[];

export function total(iv: Intervals): number {
  return iv.reduce((n, i) => n + i.last - i.first + 1, 0);
}

export function has(iv: Intervals, ix: number): boolean {
  return iv.some((i) => i.first <= ix && ix <= i.last);
}

/** `orderedIntervals.String()`. */
export function formatIntervals(iv: Intervals): string {
  return iv.map((i) => (i.first === i.last ? `${i.first}` : i.last === i.first + 1 ? `${i.first},${i.last}` : `${i.first}-${i.last}`)).join(',');
}

/** `withOrderedIndexes`: the union with more indexes, merged into intervals. */
export function withIndexes(iv: Intervals, indexes: Iterable<number>): { first: number; last: number }[] {
  const all = new Set<number>();
  for (const i of iv) for (let x = i.first; x <= i.last; x++) all.add(x);
  for (const x of indexes) all.add(x);
  return fromSorted([...all].sort((a, b) => a - b));
}

export function merge(a: Intervals, b: Intervals): { first: number; last: number }[] {
  const xs: number[] = [];
  for (const i of b) for (let x = i.first; x <= i.last; x++) xs.push(x);
  return withIndexes(a, xs);
}

function fromSorted(xs: number[]): { first: number; last: number }[] {
  const out: { first: number; last: number }[] = [];
  for (const x of xs) {
    const last = out[out.length - 1];
    if (last && last.last + 1 === x) last.last = x;
    else out.push({ first: x, last: x });
  }
  return out;
}

/** `parseIndexesFromString`: what parses of `s`, indexes below `completions` only; parse errors drop the rest. */
export function parseIntervals(s: string | undefined, completions: number): { first: number; last: number }[] {
  const out: { first: number; last: number }[] = [];
  if (!s) return out;
  for (const part of s.split(',')) {
    const limits = part.split('-');
    const first = Number.parseInt(limits[0], 10);
    if (!/^\d+$/.test(limits[0]) || first >= completions) break;
    let last = first;
    if (limits.length > 1) {
      if (!/^\d+$/.test(limits[1])) break;
      last = Math.min(Number.parseInt(limits[1], 10), completions - 1);
    }
    const prev = out[out.length - 1];
    if (prev && prev.last + 1 >= first) prev.last = Math.max(prev.last, last);
    else out.push({ first, last });
  }
  return out;
}

/** `getCompletionIndex`: the annotation's index, or -1 when absent or not a non-negative integer. */
export function completionIndexOf(pod: Pod): number {
  const v = pod.metadata?.annotations?.[completionIndexAnnotation];
  if (v === undefined || !/^\d+$/.test(v)) return unknownCompletionIndex;
  const n = Number(v);
  return n <= 2147483647 ? n : unknownCompletionIndex;
}

/** `podGenerateNameWithIndex`: `<job>-<index>-`, the job name cut so the prefix stays within 58 characters. */
export function podGenerateNameWithIndex(jobName: string, index: number): string {
  const suffix = `-${index}-`;
  const prefix = jobName + suffix;
  return prefix.length > 58 ? jobName.slice(0, 58 - suffix.length) + suffix : prefix;
}

/** `addCompletionIndexEnvVariables`: JOB_COMPLETION_INDEX from the pod's index label, in every (init) container without one. */
export function addCompletionIndexEnv(template: PodTemplateSpec): void {
  const spec = template.spec;
  if (!spec) return;
  for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? [])]) {
    if ((c.env ?? []).some((e) => e.name === completionIndexEnvName)) continue;
    c.env = [...(c.env ?? []), { name: completionIndexEnvName, valueFrom: { fieldRef: { fieldPath: `metadata.labels['${completionIndexAnnotation}']` } } }];
  }
}

/** The annotation, label and hostname of index `ix` (addCompletionIndexAnnotation, addCompletionIndexLabel). */
export function addCompletionIndex(template: PodTemplateSpec, jobName: string, ix: number): void {
  template.metadata ??= {};
  template.metadata.annotations = { ...template.metadata.annotations, [completionIndexAnnotation]: String(ix) };
  template.metadata.labels = { ...template.metadata.labels, [completionIndexAnnotation]: String(ix) };
  template.spec!.hostname = `${jobName}-${ix}`;
}

/**
 * `firstPendingIndexes`: up to `count` lowest indexes below `completions`
 * that are neither in `nonPending` (succeeded, failed, active, and
 * terminating when only failed pods are replaced).
 */
export function firstPendingIndexes(nonPending: Intervals, count: number, completions: number): number[] {
  const out: number[] = [];
  let candidate = 0;
  for (const iv of nonPending) {
    for (; candidate < completions && out.length < count && candidate < iv.first; candidate++) out.push(candidate);
    if (candidate < iv.last + 1) candidate = iv.last + 1;
  }
  for (; candidate < completions && out.length < count; candidate++) out.push(candidate);
  return out;
}

/** An annotation's non-negative count, 0 when absent or invalid (getIndexFailureCount). */
export function annotationCount(pod: Pod, key: string): number {
  const v = pod.metadata?.annotations?.[key];
  if (v === undefined || !/^\d+$/.test(v)) return 0;
  const n = Number(v);
  return n <= 2147483647 ? n : 0;
}
