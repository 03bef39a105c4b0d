/**
 * batch/v1 Job status validation: `ValidateJobUpdateStatus` of kubernetes
 * `pkg/apis/batch/validation` validation.go (v1.33) with the options the
 * Job status strategy turns on (`getStatusValidationOptions`, JobManagedBy
 * and JobSuccessPolicy enabled): each rule applies when the fields it
 * judges change in the update, so an old invalid status may stay; a
 * SuccessCriteriaMet condition is allowed on any Job (the controller sets it
 * before Complete).
 */
import { isDeepStrictEqual } from 'node:util';
import { omitValue, type FieldError } from '../field-error.ts';
import { validateNonnegative } from './apps-template.ts';
import { parseIndexesFormat } from './batch-job.ts';
import { child, duplicate, index, invalid, invalidGoSyntax, isObj, list, obj, required, str, type Obj } from './field-errors.ts';
import { validateObjectMetaUpdate } from './object-meta.ts';

const condTrue = (job: Obj, type: string): boolean => list(obj(job.status).conditions).some((c) => c.type === type && c.status === 'True');
const isComplete = (j: Obj) => condTrue(j, 'Complete');
const isFailed = (j: Obj) => condTrue(j, 'Failed');
const isFinished = (j: Obj) => isComplete(j) || isFailed(j);
const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);
const changed = (a: unknown, b: unknown) => !isDeepStrictEqual(a ?? null, b ?? null);

/** Every index of an interval list below `completions` (what parses). */
function indexesOf(s: string, completions: number): number[] {
  const out: number[] = [];
  if (!s) return out;
  for (const part of s.split(',')) {
    const [a, b] = part.split('-');
    const x = Number(a);
    const y = b === undefined ? x : Number(b);
    if (!Number.isInteger(x) || !Number.isInteger(y)) return out;
    for (let i = x; i <= y && i < completions; i++) out.push(i);
  }
  return out;
}

/** validateFailedIndexesNotOverlapCompleted. */
function overlapError(completed: string, failed: string, completions: number): string | undefined {
  const done = new Set(indexesOf(completed, completions));
  const ix = indexesOf(failed, completions).find((i) => done.has(i));
  return ix === undefined ? undefined : `failedIndexes and completedIndexes overlap at index: ${ix}`;
}

/** `validateJobStatus` under the strategy's options. */
function validateJobStatus(job: Obj, old: Obj): FieldError[] {
  const status = obj(job.status);
  const oldStatus = obj(old.status);
  const spec = obj(job.spec);
  const p = 'status';
  const cp = child(p, 'conditions');
  const errs: FieldError[] = [];
  for (const f of ['active', 'succeeded', 'failed', 'ready', 'terminating']) {
    if (typeof status[f] === 'number') errs.push(...validateNonnegative(status[f], child(p, f)));
  }
  if (isObj(status.uncountedTerminatedPods)) {
    const up = child(p, 'uncountedTerminatedPods');
    const seen = new Set<string>();
    for (const which of ['succeeded', 'failed']) {
      const uids: unknown[] = Array.isArray(status.uncountedTerminatedPods[which]) ? status.uncountedTerminatedPods[which] : [];
      uids.forEach((u, i) => {
        const ip = index(child(up, which), i);
        const k = str(u);
        if (k === '') errs.push(invalid(ip, k, 'must not be empty'));
        else if (seen.has(k)) errs.push(duplicate(ip, k));
        else seen.add(k);
      });
    }
  }
  const indexed = spec.completionMode === 'Indexed';
  const completions = num(spec.completions);
  const finishedChanged = isFinished(old) !== isFinished(job);
  const completeChanged = isComplete(old) !== isComplete(job);
  const failedChanged = isFailed(old) !== isFailed(job);
  const failureTargetChanged = condTrue(old, 'FailureTarget') !== condTrue(job, 'FailureTarget');
  const scmChanged = condTrue(old, 'SuccessCriteriaMet') !== condTrue(job, 'SuccessCriteriaMet');
  const completedIndexesChanged = (oldStatus.completedIndexes ?? '') !== (status.completedIndexes ?? '');
  const failedIndexesChanged = changed(oldStatus.failedIndexes, status.failedIndexes);
  const activeChanged = (num(oldStatus.active) ?? 0) !== (num(status.active) ?? 0);
  const startTimeChanged = changed(oldStatus.startTime, status.startTime);
  const completionTimeChanged = changed(oldStatus.completionTime, status.completionTime);
  const readyChanged = changed(oldStatus.ready, status.ready);
  const terminatingChanged = changed(oldStatus.terminating, status.terminating);
  const uncountedChanged = changed(oldStatus.uncountedTerminatedPods, status.uncountedTerminatedPods);
  const suspendedWithZeroCompletions = spec.suspend === true && completions === 0;

  if ((completeChanged || failedChanged) && isComplete(job) && isFailed(job)) errs.push(invalid(cp, omitValue, 'cannot set Complete=True and Failed=true conditions'));
  if ((completeChanged || failureTargetChanged) && isComplete(job) && condTrue(job, 'FailureTarget')) {
    errs.push(invalid(cp, omitValue, 'cannot set Complete=True and FailureTarget=true conditions'));
  }
  if ((completeChanged || completionTimeChanged) && status.completionTime != null && !isComplete(job)) {
    errs.push(invalid(child(p, 'completionTime'), status.completionTime, 'cannot set completionTime when there is no Complete=True condition'));
  }
  if ((completeChanged || completionTimeChanged) && status.completionTime == null && isComplete(job)) {
    errs.push(required(child(p, 'completionTime'), 'completionTime is required for Complete jobs'));
  }
  if ((startTimeChanged || completionTimeChanged) && status.startTime && status.completionTime && Date.parse(status.completionTime) < Date.parse(status.startTime)) {
    errs.push(invalid(child(p, 'completionTime'), status.completionTime, 'completionTime cannot be set before startTime'));
  }
  if ((failedChanged || failureTargetChanged) && isFailed(job) && !condTrue(job, 'FailureTarget')) {
    errs.push(invalid(cp, omitValue, 'cannot set Failed=True condition without the FailureTarget=true condition'));
  }
  if ((completeChanged || scmChanged) && isComplete(job) && !condTrue(job, 'SuccessCriteriaMet')) {
    errs.push(invalid(cp, omitValue, 'cannot set Complete=True condition without the SuccessCriteriaMet=true condition'));
  }
  const finished = isFinished(job);
  if ((finishedChanged || activeChanged) && (num(status.active) ?? 0) > 0 && finished) errs.push(invalid(child(p, 'active'), status.active, 'active>0 is invalid for finished job'));
  if ((finishedChanged || startTimeChanged) && !suspendedWithZeroCompletions && status.startTime == null && finished) {
    errs.push(required(child(p, 'startTime'), 'startTime is required for finished job'));
  }
  if ((finishedChanged || uncountedChanged) && finished) {
    const u = obj(status.uncountedTerminatedPods);
    if (list(u.succeeded).length + list(u.failed).length + (Array.isArray(u.succeeded) ? u.succeeded.length : 0) + (Array.isArray(u.failed) ? u.failed.length : 0) > 0) {
      errs.push(invalidGoSyntax(child(p, 'uncountedTerminatedPods'), 'batch.UncountedTerminatedPods{...}', 'uncountedTerminatedPods needs to be empty for finished job'));
    }
  }
  if (completedIndexesChanged && completions !== undefined) {
    const r = parseIndexesFormat(str(status.completedIndexes), completions);
    if ('error' in r) errs.push(invalid(child(p, 'completedIndexes'), str(status.completedIndexes), `error parsing completedIndexes: ${r.error}`));
  }
  if (failedIndexesChanged && completions !== undefined && typeof spec.backoffLimitPerIndex === 'number' && typeof status.failedIndexes === 'string') {
    const r = parseIndexesFormat(status.failedIndexes, completions);
    if ('error' in r) errs.push(invalid(child(p, 'failedIndexes'), status.failedIndexes, `error parsing failedIndexes: ${r.error}`));
  }
  if (completedIndexesChanged && !indexed && str(status.completedIndexes) !== '') {
    errs.push(invalid(child(p, 'completedIndexes'), status.completedIndexes, 'cannot set non-empty completedIndexes when non-indexed completion mode'));
  }
  if (failedIndexesChanged && typeof spec.backoffLimitPerIndex !== 'number' && typeof status.failedIndexes === 'string') {
    errs.push(invalid(child(p, 'failedIndexes'), status.failedIndexes, 'cannot set non-null failedIndexes when backoffLimitPerIndex is null'));
  }
  if ((failedIndexesChanged || completedIndexesChanged) && completions !== undefined && typeof status.failedIndexes === 'string') {
    const msg = overlapError(str(status.completedIndexes), status.failedIndexes, completions);
    if (msg) errs.push(invalid(child(p, 'failedIndexes'), status.failedIndexes, msg));
  }
  if ((finishedChanged || terminatingChanged) && (num(status.terminating) ?? 0) > 0 && finished) {
    errs.push(invalid(child(p, 'terminating'), status.terminating, 'terminating>0 is invalid for finished job'));
  }
  if ((readyChanged || activeChanged) && typeof status.ready === 'number' && status.ready > (num(status.active) ?? 0)) {
    errs.push(invalid(child(p, 'ready'), status.ready, 'cannot set more ready pods than active'));
  }
  const scm = condTrue(job, 'SuccessCriteriaMet');
  if (scm && isFailed(job)) errs.push(invalid(cp, omitValue, 'cannot set SuccessCriteriaMet=True and Failed=true conditions'));
  if (scm && condTrue(job, 'FailureTarget')) errs.push(invalid(cp, omitValue, 'cannot set SuccessCriteriaMet=True and FailureTarget=true conditions'));
  if (isObj(spec.successPolicy) && !scm && isComplete(job)) errs.push(invalid(cp, omitValue, 'cannot set Complete=True for Job with SuccessPolicy unless SuccessCriteriaMet=True'));
  return errs;
}

/** `ValidateJobUpdateStatus`. */
export function validateJobStatusUpdate(jobIn: unknown, oldIn: unknown): FieldError[] {
  const job = obj(jobIn);
  const old = obj(oldIn);
  const status = obj(job.status);
  const oldStatus = obj(old.status);
  const spec = obj(job.spec);
  const errs = validateObjectMetaUpdate(job.metadata, old.metadata, 'metadata');
  errs.push(...validateJobStatus(job, old));
  const cp = 'status.conditions';
  for (const t of ['Failed', 'Complete', 'FailureTarget']) {
    if (condTrue(old, t) && !condTrue(job, t)) errs.push(invalid(cp, omitValue, `cannot disable the terminal ${t}=True condition`));
  }
  if ((num(status.failed) ?? 0) < (num(oldStatus.failed) ?? 0)) errs.push(invalid('status.failed', num(status.failed) ?? 0, 'cannot decrease the failed counter'));
  // Elastic Indexed Jobs (completions == parallelism) may scale their successes down.
  const mayDecrease = spec.completionMode === 'Indexed' && isDeepStrictEqual(spec.completions, spec.parallelism);
  if (!mayDecrease && (num(status.succeeded) ?? 0) < (num(oldStatus.succeeded) ?? 0)) {
    errs.push(invalid('status.succeeded', num(status.succeeded) ?? 0, 'cannot decrease the succeeded counter'));
  }
  if (status.completionTime && oldStatus.completionTime && status.completionTime !== oldStatus.completionTime) {
    errs.push(invalid('status.completionTime', status.completionTime, 'completionTime cannot be mutated'));
  }
  if (oldStatus.startTime && oldStatus.startTime !== status.startTime && spec.suspend !== true) {
    errs.push(required('status.startTime', 'startTime cannot be removed for unsuspended job'));
  }
  if (condTrue(old, 'SuccessCriteriaMet') && !condTrue(job, 'SuccessCriteriaMet')) errs.push(invalid(cp, omitValue, 'cannot disable the SuccessCriteriaMet=True condition'));
  if (isComplete(old) && !condTrue(old, 'SuccessCriteriaMet') && condTrue(job, 'SuccessCriteriaMet')) {
    errs.push(invalid(cp, omitValue, 'cannot set SuccessCriteriaMet=True for Job already has Complete=true conditions'));
  }
  return errs;
}
