/**
 * One sync of a CronJob (kube-controller-manager pkg/controller/cronjob
 * cronjob_controllerv2.go `sync`, `syncCronJob`, `cleanupFinishedJobs`,
 * v1.33), on a copy of the cached CronJob whose status is written once at
 * the end when anything in it changed:
 *
 *   1. history: finished Jobs beyond the limits are deleted (background
 *      propagation), oldest first;
 *   2. the Jobs it controls: an unfinished one missing from status.active
 *      is UnexpectedJob (unless a live read of the CronJob lists it); a
 *      finished one leaves the list (SawCompletedJob) and a Complete one
 *      moves status.lastSuccessfulTime; a listed Job that no longer exists
 *      (checked live) is MissingJob;
 *   3. unless the CronJob is being deleted, has an unknown timeZone
 *      (UnknownTimeZone), is suspended, or its schedule does not parse
 *      (UnparseableSchedule) or never comes (InvalidSchedule): the most
 *      recent start time not yet run (TooManyMissedTimes when more than 100
 *      were missed), unless it is past startingDeadlineSeconds
 *      (MissSchedule), already started, or Forbid finds a Job still active
 *      (JobAlreadyActive). Replace deletes the active Jobs first. The Job is
 *      created (SuccessfulCreate), or found already created by this CronJob
 *      (a crash before the status write), and recorded in status.active and
 *      status.lastScheduleTime;
 *   4. the key comes back at the next start time (+100 ms); a sync that
 *      failed is retried with backoff; a suspended or broken CronJob waits
 *      for a change of its own.
 *
 * Events are recorded as `cronjob-controller` against the CronJob, with
 * upstream's reasons and texts.
 */
import { isDeepStrictEqual } from 'node:util';
import type { CronJob, Job } from 'kubernetes-types/batch/v1.js';
import type { ObjectReference } from 'kubernetes-types/core/v1.js';
import { ApiError, rfc3339 } from '../../api/api.ts';
import { CronParseError, loadLocationError, parseStandard, type CronSchedule } from '../../api/batch/cronjob/cron-schedule.ts';
import { goQuote } from '../../api/go-format.ts';
import type { EventRecorder, ResourceClient } from '../../client/client.ts';
import { controllerRefOf } from '../controller-ref.ts';
import { isNamespaceTerminating, ownerEventRef } from '../pod-template.ts';
import { finishedCondition, isJobFinished, isJobSucceeded, jobsBeyondHistoryLimits } from './history.ts';
import { cronJobKind, jobFromTemplate, jobName, jobReference } from './job-template.ts';
import { formatSchedule, nextScheduleTime, nextScheduleTimeDuration } from './schedule-times.ts';

export interface SyncDeps {
  cronJobs: ResourceClient<CronJob>;
  jobs: ResourceClient<Job>;
  recorder: EventRecorder;
  now: () => number;
}

export interface SyncOutcome {
  requeueAfterMs?: number;
}

const weekdays = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const monthNames = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Go's `t.UTC().Format(time.RFC1123Z)`: `Mon, 02 Jan 2006 15:04:05 +0000`. */
export function rfc1123zUTC(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${weekdays[d.getUTCDay()]}, ${p(d.getUTCDate())} ${monthNames[d.getUTCMonth()]} ${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}

const errText = (err: unknown) => (err instanceof Error ? err.message : String(err));
const inActiveList = (cj: CronJob, uid: string | undefined) => (cj.status?.active ?? []).some((r) => r.uid === uid);

/** Drops the Job from status.active; an empty list is omitted, as Go encodes it. */
function deleteFromActiveList(cj: CronJob, uid: string | undefined): void {
  const { active, ...rest } = cj.status ?? {};
  const left = (active ?? []).filter((r) => r.uid !== uid);
  cj.status = left.length > 0 ? { ...rest, active: left } : rest;
}

/** The Jobs whose controller reference names the CronJob (`getJobsToBeReconciled`: by name, as upstream). */
export function jobsToBeReconciled(cj: CronJob, jobs: readonly Job[]): Job[] {
  return jobs.filter((j) => controllerRefOf(j)?.name === cj.metadata?.name);
}

class CronJobSync {
  readonly #d: SyncDeps;
  /** The working copy; replaced by a live read when that read lists a Job the cache did not. */
  cj: CronJob;
  /** The status `cj` was read with: a write that changes nothing is skipped (it would only come back as a watch event). */
  baseStatus: CronJob['status'];
  updateStatus = false;

  constructor(deps: SyncDeps, cached: CronJob) {
    this.#d = deps;
    this.cj = structuredClone(cached);
    this.baseStatus = structuredClone(cached.status);
  }

  event(type: 'Normal' | 'Warning', reason: string, message: string): void {
    this.#d.recorder.record(ownerEventRef(this.cj, cronJobKind), type, reason, message);
  }

  get #ns(): string {
    return this.cj.metadata?.namespace ?? '';
  }

  /** `deleteJob`: delete with background propagation, then drop it from the active list. */
  deleteJob(job: Job): boolean {
    try {
      this.#d.jobs.delete(job.metadata?.namespace, job.metadata?.name ?? '', { propagationPolicy: 'Background' });
    } catch (err) {
      this.event('Warning', 'FailedDelete', `Deleted job: ${errText(err)}`);
      return false;
    }
    deleteFromActiveList(this.cj, job.metadata?.uid);
    this.event('Normal', 'SuccessfulDelete', `Deleted job ${job.metadata?.name}`);
    return true;
  }

  /** `cleanupFinishedJobs`. */
  cleanupFinishedJobs(jobs: readonly Job[]): void {
    for (const job of jobsBeyondHistoryLimits(this.cj, jobs)) {
      if (this.deleteJob(job)) this.updateStatus = true;
    }
  }

  #requeue(schedule: CronSchedule): SyncOutcome {
    return { requeueAfterMs: nextScheduleTimeDuration(this.cj, this.#d.now(), schedule) };
  }

  /** `syncCronJob`; throws what must be retried. */
  syncCronJob(jobs: readonly Job[]): SyncOutcome {
    const now = this.#d.now();
    const children = new Set<string | undefined>();
    for (const j of jobs) {
      children.add(j.metadata?.uid);
      const found = inActiveList(this.cj, j.metadata?.uid);
      if (!found && !isJobFinished(j)) {
        const live = this.#d.cronJobs.get(this.#ns, this.cj.metadata?.name ?? '');
        if (!live) throw new ApiError(404, 'NotFound', `cronjobs.batch "${this.cj.metadata?.name}" not found`);
        if (inActiveList(live, j.metadata?.uid)) {
          this.cj = structuredClone(live);
          this.baseStatus = structuredClone(live.status);
          continue;
        }
        // Created by someone else (kubectl create job --from), or ours before a crash kept it out of the status.
        this.event('Warning', 'UnexpectedJob', `Saw a job that the controller did not create or forgot: ${j.metadata?.name}`);
      } else if (isJobFinished(j)) {
        if (found) {
          deleteFromActiveList(this.cj, j.metadata?.uid);
          this.event('Normal', 'SawCompletedJob', `Saw completed job: ${j.metadata?.name}, condition: ${finishedCondition(j)}`);
          this.updateStatus = true;
        }
        if (isJobSucceeded(j)) {
          const completion = j.status?.completionTime;
          const last = this.cj.status?.lastSuccessfulTime;
          if ((!last && completion) || (last && completion && Date.parse(completion) > Date.parse(last))) {
            this.cj.status = { ...this.cj.status, lastSuccessfulTime: completion };
            this.updateStatus = true;
          }
        }
      }
    }

    // A listed Job that is gone (checked live: the cache may lag) leaves the list, or the CronJob stays active forever.
    for (const ref of [...(this.cj.status?.active ?? [])]) {
      if (children.has(ref.uid)) continue;
      if (!this.#d.jobs.get(ref.namespace, ref.name ?? '')) {
        this.event('Normal', 'MissingJob', `Active job went missing: ${ref.name}`);
        deleteFromActiveList(this.cj, ref.uid);
        this.updateStatus = true;
      }
    }

    if (this.cj.metadata?.deletionTimestamp) return {};

    const tz = this.cj.spec?.timeZone;
    if (typeof tz === 'string') {
      const tzErr = loadLocationError(tz);
      if (tzErr !== undefined) {
        this.event('Warning', 'UnknownTimeZone', `invalid timeZone: ${goQuote(tz)}: ${tzErr}`);
        return {};
      }
    }
    if (this.cj.spec?.suspend === true) return {};

    const formatted = formatSchedule(this.cj);
    if (formatted.tzInSchedule) {
      this.event(
        'Warning',
        'UnsupportedSchedule',
        `CRON_TZ or TZ used in schedule ${goQuote(this.cj.spec?.schedule ?? '')} is not officially supported, see https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/ for more details`,
      );
    }
    let schedule: CronSchedule;
    try {
      schedule = parseStandard(formatted.spec);
    } catch (err) {
      if (!(err instanceof CronParseError)) throw err;
      this.event('Warning', 'UnparseableSchedule', `unparseable schedule: ${goQuote(this.cj.spec?.schedule ?? '')} : ${err.message}`);
      return {};
    }

    const unmet = nextScheduleTime(this.cj, now, schedule);
    if (unmet.tooMany) {
      this.event('Warning', 'TooManyMissedTimes', 'too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew');
    }
    if (unmet.error !== undefined) {
      this.event('Warning', 'InvalidSchedule', `invalid schedule: ${this.cj.spec?.schedule} : ${unmet.error}`);
      return {};
    }
    const scheduled = unmet.time;
    // No start time due: only after a restart or an early requeue.
    if (scheduled === undefined) return this.#requeue(schedule);

    const sds = this.cj.spec?.startingDeadlineSeconds;
    if (typeof sds === 'number' && scheduled + sds * 1000 < now) {
      this.event('Warning', 'MissSchedule', `Missed scheduled time to start a job: ${rfc1123zUTC(scheduled)}`);
      return this.#requeue(schedule);
    }
    const name = jobName(this.cj, scheduled);
    const last = this.cj.status?.lastScheduleTime;
    const alreadyStarted = (this.cj.status?.active ?? []).some((r) => r.name === name && r.namespace === this.#ns);
    if (alreadyStarted || (last && Date.parse(last) === scheduled)) return this.#requeue(schedule);

    const policy = this.cj.spec?.concurrencyPolicy;
    if (policy === 'Forbid' && (this.cj.status?.active ?? []).length > 0) {
      this.event('Normal', 'JobAlreadyActive', 'Not starting job because prior execution is running and concurrency policy is Forbid');
      return this.#requeue(schedule);
    }
    if (policy === 'Replace') {
      for (const ref of [...(this.cj.status?.active ?? [])]) {
        const job = this.#d.jobs.get(ref.namespace, ref.name ?? '');
        if (!job) {
          const err = new ApiError(404, 'NotFound', `jobs.batch "${ref.name}" not found`);
          this.event('Warning', 'FailedGet', `Get job: ${err.message}`);
          throw err;
        }
        if (!this.deleteJob(job)) throw new Error(`could not replace job ${job.metadata?.namespace}/${job.metadata?.name}`);
        this.updateStatus = true;
      }
    }

    const req = jobFromTemplate(this.cj, scheduled);
    let created: Job;
    let alreadyExisted = false;
    try {
      created = this.#d.jobs.create(this.#ns, req);
    } catch (err) {
      if (isNamespaceTerminating(err)) throw err;
      if (!(err instanceof ApiError && err.reason === 'AlreadyExists')) {
        this.event('Warning', 'FailedCreate', `Error creating job: ${errText(err)}`);
        throw err;
      }
      // Ours from a sync whose status write was lost: record it; anyone else's: theirs to track.
      alreadyExisted = true;
      const existing = this.#d.jobs.get(this.#ns, name);
      if (!existing) throw err;
      created = existing;
      if (controllerRefOf(existing)?.uid !== this.cj.metadata?.uid) return {};
      if (inActiveList(this.cj, existing.metadata?.uid)) return {};
    }
    if (!alreadyExisted) this.event('Normal', 'SuccessfulCreate', `Created job ${created.metadata?.name}`);

    const ref: ObjectReference = jobReference(created);
    this.cj.status = { ...this.cj.status, active: [...(this.cj.status?.active ?? []), ref], lastScheduleTime: rfc3339(scheduled) };
    this.updateStatus = true;
    return this.#requeue(schedule);
  }
}

/**
 * `sync` of one CronJob key, given the cached CronJob and the namespace's
 * Jobs from the cache. Returns when to look again; throws to retry.
 */
export function syncCronJob(deps: SyncDeps, cached: CronJob, namespaceJobs: readonly Job[]): SyncOutcome {
  const jobs = jobsToBeReconciled(cached, namespaceJobs);
  const sync = new CronJobSync(deps, cached);
  sync.cleanupFinishedJobs(jobs);
  let outcome: SyncOutcome = {};
  let syncErr: unknown;
  try {
    outcome = sync.syncCronJob(jobs);
  } catch (err) {
    syncErr = err;
  }
  if (sync.updateStatus && !isDeepStrictEqual(sync.cj.status ?? {}, sync.baseStatus ?? {})) deps.cronJobs.updateStatus(sync.cj.metadata?.namespace, sync.cj);
  if (outcome.requeueAfterMs !== undefined) return outcome;
  if (syncErr !== undefined) throw syncErr;
  return {};
}
