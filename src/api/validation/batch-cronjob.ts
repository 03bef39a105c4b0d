/**
 * batch/v1 CronJob validation: kubernetes `pkg/apis/batch/validation`
 * validation.go (v1.33) `ValidateCronJobCreate`, `ValidateCronJobUpdate`
 * and `ValidateJobTemplateSpec`. The schedule is parsed as robfig/cron's
 * ParseStandard parses it (api/batch/cronjob/cron-schedule.ts, whose error
 * texts are the detail of `spec.schedule: Invalid value`); the time zone is
 * checked as Go's LoadLocation; the job template as a Job spec
 * (batch-job.ts `validateJobSpecFields`) whose selector is generated.
 *
 * The status strategy validates nothing of its own (cronJobStatusStrategy's
 * ValidateUpdate is empty); only the common metadata rules apply.
 */
import { loadLocationError, parseStandard } from '../batch/cronjob/cron-schedule.ts';
import type { FieldError } from '../field-error.ts';
import { goLabelSelector } from './apps-go-syntax.ts';
import { validateNonnegative } from './apps-template.ts';
import { validateJobSpecFields } from './batch-job.ts';
import { child, invalid, invalidGoSyntax, notSupported, obj, required, validateEnum, type Obj } from './field-errors.ts';
import { validateObjectMeta, validateObjectMetaUpdate } from './object-meta.ts';
import { nameIsDNSSubdomain } from './string-formats.ts';

/** The Job name suffix (`-<minutes since epoch>`) takes 11 of a DNS-1035 label's 63 characters. */
export const MaxCronJobNameLength = 63 - 11;

/** IANA naming rules per path component (`^[A-Za-z\.\-_0-9+]{1,14}$`, no `.`/`..`, no leading `-`). */
const validTimeZoneCharacters = /^[A-Za-z.\-_0-9+]{1,14}$/;

/** `validateScheduleFormat`. */
function validateScheduleFormat(schedule: string, allowTZInSchedule: boolean, timeZone: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  try {
    parseStandard(schedule);
  } catch (err) {
    errs.push(invalid(path, schedule, (err as Error).message));
  }
  if (allowTZInSchedule && schedule.includes('TZ') && typeof timeZone === 'string') {
    errs.push(invalid(path, schedule, 'cannot use both timeZone field and TZ or CRON_TZ in schedule'));
  } else if (!allowTZInSchedule && schedule.includes('TZ')) {
    errs.push(invalid(path, schedule, 'cannot use TZ or CRON_TZ in schedule, use timeZone field instead'));
  }
  return errs;
}

/** `validateTimeZone`. */
export function validateTimeZone(timeZone: unknown, path: string): FieldError[] {
  if (typeof timeZone !== 'string') return [];
  if (timeZone.length === 0) return [invalid(path, timeZone, 'timeZone must be nil or non-empty string')];
  for (const part of timeZone.split('/')) {
    if (part === '.' || part === '..' || part.startsWith('-') || !validTimeZoneCharacters.test(part)) {
      return [invalid(path, timeZone, `unknown time zone ${timeZone}`)];
    }
  }
  const errs: FieldError[] = [];
  if (timeZone.toLowerCase() === 'local') {
    errs.push(invalid(path, timeZone, 'timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones'));
  }
  const loadErr = loadLocationError(timeZone);
  if (loadErr !== undefined) errs.push(invalid(path, timeZone, loadErr));
  return errs;
}

/** `ValidateJobTemplateSpec`: a Job spec whose selector the Job registry will generate. */
export function validateJobTemplateSpec(template: Obj, path: string): FieldError[] {
  const spec = obj(template.spec);
  const specPath = child(path, 'spec');
  const errs = validateJobSpecFields(spec, specPath);
  if (spec.selector !== undefined && spec.selector !== null) {
    errs.push(invalidGoSyntax(child(specPath, 'selector'), goLabelSelector(spec.selector), '`selector` will be auto-generated'));
  }
  if (spec.manualSelector === true) errs.push(notSupported(child(specPath, 'manualSelector'), true, ['nil', 'false']));
  return errs;
}

/** `validateCronJobSpec`; `oldSpec` is undefined on create. */
function validateCronJobSpec(spec: Obj, oldSpec: Obj | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const schedule = typeof spec.schedule === 'string' ? spec.schedule : '';
  const schedulePath = child(path, 'schedule');
  if (schedule.length === 0) {
    errs.push(required(schedulePath));
  } else {
    const allowTZ = oldSpec !== undefined && typeof oldSpec.schedule === 'string' && oldSpec.schedule.includes('TZ');
    errs.push(...validateScheduleFormat(schedule, allowTZ, spec.timeZone, schedulePath));
  }
  if (typeof spec.startingDeadlineSeconds === 'number') errs.push(...validateNonnegative(spec.startingDeadlineSeconds, child(path, 'startingDeadlineSeconds')));
  const tz = typeof spec.timeZone === 'string' ? spec.timeZone : undefined;
  const oldTz = oldSpec && typeof oldSpec.timeZone === 'string' ? oldSpec.timeZone : undefined;
  if (oldSpec === undefined || tz !== oldTz) errs.push(...validateTimeZone(tz, child(path, 'timeZone')));
  errs.push(...validateEnum(typeof spec.concurrencyPolicy === 'string' ? spec.concurrencyPolicy : '', ['Allow', 'Forbid', 'Replace'], child(path, 'concurrencyPolicy')));
  errs.push(...validateJobTemplateSpec(obj(spec.jobTemplate), child(path, 'jobTemplate')));
  if (typeof spec.successfulJobsHistoryLimit === 'number') {
    errs.push(...validateNonnegative(spec.successfulJobsHistoryLimit, child(path, 'successfulJobsHistoryLimit')));
  }
  if (typeof spec.failedJobsHistoryLimit === 'number') errs.push(...validateNonnegative(spec.failedJobsHistoryLimit, child(path, 'failedJobsHistoryLimit')));
  return errs;
}

/** `ValidateCronJobCreate`, after defaulting. */
export function validateCronJob(cjIn: unknown): FieldError[] {
  const cj = obj(cjIn);
  const errs = validateObjectMeta(cj.metadata, true, nameIsDNSSubdomain, 'metadata');
  errs.push(...validateCronJobSpec(obj(cj.spec), undefined, 'spec'));
  const name = typeof obj(cj.metadata).name === 'string' ? (obj(cj.metadata).name as string) : '';
  if (name.length > MaxCronJobNameLength) errs.push(invalid('metadata.name', name, `must be no more than ${MaxCronJobNameLength} characters`));
  return errs;
}

/** `ValidateCronJobUpdate`: no name length limit, so that older long-named CronJobs stay editable. */
export function validateCronJobUpdate(cjIn: unknown, oldIn: unknown): FieldError[] {
  const cj = obj(cjIn);
  const old = obj(oldIn);
  const errs = validateObjectMetaUpdate(cj.metadata, old.metadata, 'metadata');
  errs.push(...validateCronJobSpec(obj(cj.spec), obj(old.spec), 'spec'));
  return errs;
}

/** The status strategy's ValidateUpdate is empty: the common metadata rules only. */
export function validateCronJobStatusUpdate(cjIn: unknown, oldIn: unknown): FieldError[] {
  return validateObjectMetaUpdate(obj(cjIn).metadata, obj(oldIn).metadata, 'metadata');
}
