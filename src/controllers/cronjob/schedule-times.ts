/**
 * The CronJob controller's schedule arithmetic (kube-controller-manager
 * pkg/controller/cronjob/utils.go, v1.33), pure functions of the CronJob,
 * the time and its parsed schedule:
 *
 *   - `formatSchedule`: the schedule text handed to the parser — as written
 *     when it carries `TZ`/`CRON_TZ` itself, `TZ=<timeZone> <schedule>` when
 *     spec.timeZone names a loadable zone, else as written (the local zone);
 *   - `mostRecentScheduleTime`: the latest start time in (earliest, now],
 *     where earliest is status.lastScheduleTime or the creation time (or
 *     now - startingDeadlineSeconds when later), found by upstream's
 *     approximation: count the intervals between the first two times that
 *     fit before now, then walk the last one or two; more than 100 is "many";
 *   - `nextScheduleTime`: that time, when it is not in the future;
 *   - `nextScheduleTimeDuration`: how long until the key must be
 *     reconciled again (the next start after the most recent one, plus
 *     100 ms for clock skew).
 *
 * Times are ms since the epoch; a schedule's `undefined` is robfig's zero
 * time (year 1), which the arithmetic keeps as Go does.
 */
import type { CronJob } from 'kubernetes-types/batch/v1.js';
import { loadLocationError, type CronSchedule } from '../../api/batch/cronjob/cron-schedule.ts';

/** Go's zero time.Time (0001-01-01T00:00:00Z) in ms since the epoch. */
export const goZeroTime = -62_135_596_800_000;

/** Padding added to every requeue at a schedule time, for clock skew (nextScheduleDelta). */
export const nextScheduleDeltaMs = 100;

export type MissedSchedules = 'none' | 'few' | 'many';

export interface MostRecent {
  /** status.lastScheduleTime, else the creation time (moved up to now - startingDeadlineSeconds when asked). */
  earliest: number;
  /** The latest start time in (earliest, now], if any. */
  mostRecent?: number;
  missed: MissedSchedules;
  /** The schedule's two next times are less than a second apart (e.g. `0 0 31 2 *`, which never comes). */
  error?: string;
}

const next = (s: CronSchedule, t: number) => (t === goZeroTime ? goZeroTime : (s.next(t) ?? goZeroTime));

const parseTime = (t: string | undefined): number | undefined => {
  if (!t) return undefined;
  const ms = Date.parse(t);
  return Number.isNaN(ms) ? undefined : ms;
};

/** `mostRecentScheduleTime`. */
export function mostRecentScheduleTime(cj: CronJob, now: number, schedule: CronSchedule, includeStartingDeadlineSeconds: boolean): MostRecent {
  let earliest = parseTime(cj.metadata?.creationTimestamp) ?? goZeroTime;
  const last = parseTime(cj.status?.lastScheduleTime);
  if (last !== undefined) earliest = last;
  const sds = cj.spec?.startingDeadlineSeconds;
  if (includeStartingDeadlineSeconds && typeof sds === 'number') {
    const deadline = now - sds * 1000;
    if (deadline > earliest) earliest = deadline;
  }
  const t1 = next(schedule, earliest);
  const t2 = next(schedule, t1);
  if (now < t1) return { earliest, missed: 'none' };
  if (now < t2) return { earliest, mostRecent: t1, missed: 'none' };
  // An impossible schedule (31 February) gives zero times, 0 s apart.
  const between = Math.round((t2 - t1) / 1000);
  if (between < 1) return { earliest, missed: 'none', error: 'time difference between two schedules is less than 1 second' };
  // Rough count of the start times that fit between the first one and now.
  const elapsed = Math.trunc((now - t1) / 1000);
  const missedCount = Math.trunc(elapsed / between) + 1;
  // Start one interval before the estimate so that irregular schedules (30 6-16/4 * * 1-5) and @every land right.
  const potentialEarliest = t1 + (missedCount - 2) * between * 1000;
  let mostRecent: number | undefined;
  for (let t = next(schedule, potentialEarliest); t !== goZeroTime && t <= now; t = next(schedule, t)) mostRecent = t;
  const missed: MissedSchedules = missedCount > 100 ? 'many' : missedCount > 0 ? 'few' : 'none';
  return { earliest, mostRecent, missed };
}

/** `nextScheduleTimeDuration`: ms until the next start after the most recent one (or after now), plus the padding. */
export function nextScheduleTimeDuration(cj: CronJob, now: number, schedule: CronSchedule): number {
  const r = mostRecentScheduleTime(cj, now, schedule, false);
  let from: number;
  if (r.error !== undefined) from = now;
  else if (r.mostRecent !== undefined) from = r.mostRecent;
  else from = r.missed === 'none' ? r.earliest : now;
  return next(schedule, from) + nextScheduleDeltaMs - now;
}

export interface UnmetTime {
  /** The start time to act on now, if any. */
  time?: number;
  /** More than 100 start times were missed (the TooManyMissedTimes warning). */
  tooMany: boolean;
  error?: string;
}

/** `nextScheduleTime`: the most recent start time not after now, honouring startingDeadlineSeconds. */
export function nextScheduleTime(cj: CronJob, now: number, schedule: CronSchedule): UnmetTime {
  const r = mostRecentScheduleTime(cj, now, schedule, true);
  if (r.mostRecent === undefined || r.mostRecent > now) return { tooMany: false, error: r.error };
  return { time: r.mostRecent, tooMany: r.missed === 'many', error: r.error };
}

export interface FormattedSchedule {
  spec: string;
  /** The schedule names its own zone (the UnsupportedSchedule warning). */
  tzInSchedule: boolean;
}

/** `formatSchedule`. */
export function formatSchedule(cj: CronJob): FormattedSchedule {
  const schedule = cj.spec?.schedule ?? '';
  if (schedule.includes('TZ')) return { spec: schedule, tzInSchedule: true };
  const tz = cj.spec?.timeZone;
  if (typeof tz === 'string' && loadLocationError(tz) === undefined) return { spec: `TZ=${tz} ${schedule}`, tzInSchedule: false };
  return { spec: schedule, tzInSchedule: false };
}
