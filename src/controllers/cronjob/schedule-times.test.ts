import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CronJob } from 'kubernetes-types/batch/v1.js';
import { parseStandard } from '../../api/batch/cronjob/cron-schedule.ts';
import { formatSchedule, mostRecentScheduleTime, nextScheduleTime, nextScheduleTimeDuration } from './schedule-times.ts';

const T = (s: string) => Date.parse(s);
const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString().replace('.000Z', 'Z'));

function cj(schedule: string, created: string, extra: { last?: string; sds?: number; timeZone?: string } = {}): CronJob {
  return {
    metadata: { name: 'c', namespace: 'default', creationTimestamp: created },
    spec: {
      schedule,
      ...(extra.timeZone ? { timeZone: extra.timeZone } : {}),
      ...(extra.sds !== undefined ? { startingDeadlineSeconds: extra.sds } : {}),
      jobTemplate: {},
    },
    status: extra.last ? { lastScheduleTime: extra.last } : {},
  };
}

function mostRecent(c: CronJob, now: string, includeSds = false) {
  const r = mostRecentScheduleTime(c, T(now), parseStandard(formatSchedule(c).spec), includeSds);
  return { earliest: iso(r.earliest), mostRecent: iso(r.mostRecent), missed: r.missed, error: r.error };
}

// Cases of upstream utils_test.go TestMostRecentScheduleTime, in UTC.
test('mostRecentScheduleTime: none missed before the first start time', () => {
  assert.deepEqual(mostRecent(cj('0 * * * *', '2026-05-01T10:00:00Z', { timeZone: 'UTC' }), '2026-05-01T10:30:00Z'), {
    earliest: '2026-05-01T10:00:00Z',
    mostRecent: undefined,
    missed: 'none',
    error: undefined,
  });
});

test('mostRecentScheduleTime: the one start time since the creation time', () => {
  assert.deepEqual(mostRecent(cj('0 * * * *', '2026-05-01T10:00:00Z', { timeZone: 'UTC' }), '2026-05-01T11:00:01Z'), {
    earliest: '2026-05-01T10:00:00Z',
    mostRecent: '2026-05-01T11:00:00Z',
    missed: 'none',
    error: undefined,
  });
});

test('mostRecentScheduleTime: a few missed start times give the latest, counted from lastScheduleTime', () => {
  const c = cj('0 * * * *', '2026-05-01T08:00:00Z', { last: '2026-05-01T10:00:00Z', timeZone: 'UTC' });
  assert.deepEqual(mostRecent(c, '2026-05-01T15:20:00Z'), { earliest: '2026-05-01T10:00:00Z', mostRecent: '2026-05-01T15:00:00Z', missed: 'few', error: undefined });
});

test('mostRecentScheduleTime: an irregular schedule (30 6-16/4 * * 1-5) finds its latest time from the estimate', () => {
  // 2026-05-01 is a Friday; start times 06:30, 10:30, 14:30 on weekdays.
  const c = cj('30 6-16/4 * * 1-5', '2026-04-30T00:00:00Z', { timeZone: 'UTC' });
  assert.deepEqual(mostRecent(c, '2026-05-01T15:00:00Z'), { earliest: '2026-04-30T00:00:00Z', mostRecent: '2026-05-01T14:30:00Z', missed: 'few', error: undefined });
  // Upstream's estimate assumes even intervals: over a weekend it lands after the last start time and finds none.
  const weekend = cj('30 6-16/4 * * 1-5', '2026-04-29T00:00:00Z', { timeZone: 'UTC' });
  assert.deepEqual(mostRecent(weekend, '2026-05-02T12:00:00Z'), { earliest: '2026-04-29T00:00:00Z', mostRecent: undefined, missed: 'few', error: undefined });
});

test('mostRecentScheduleTime: more than 100 missed start times are many', () => {
  const c = cj('*/1 * * * *', '2026-05-01T00:00:00Z', { timeZone: 'UTC' });
  assert.deepEqual(mostRecent(c, '2026-05-01T03:00:30Z'), { earliest: '2026-05-01T00:00:00Z', mostRecent: '2026-05-01T03:00:00Z', missed: 'many', error: undefined });
});

test('mostRecentScheduleTime: startingDeadlineSeconds moves the earliest time up when asked', () => {
  const c = cj('*/1 * * * *', '2026-05-01T00:00:00Z', { sds: 300, timeZone: 'UTC' });
  assert.deepEqual(mostRecent(c, '2026-05-01T03:00:30Z', true), { earliest: '2026-05-01T02:55:30Z', mostRecent: '2026-05-01T03:00:00Z', missed: 'few', error: undefined });
  assert.equal(mostRecent(c, '2026-05-01T03:00:30Z', false).missed, 'many');
});

test('mostRecentScheduleTime: @every counts from the creation time', () => {
  const c = cj('@every 1h', '2026-05-01T10:17:00Z');
  assert.equal(mostRecent(c, '2026-05-01T14:00:00Z').mostRecent, '2026-05-01T13:17:00Z');
});

test('mostRecentScheduleTime: an impossible date is an error, as robfig parses it', () => {
  const r = mostRecent(cj('59 23 31 2 *', '2026-05-01T10:00:00Z', { timeZone: 'UTC' }), '2026-05-01T11:00:00Z');
  assert.equal(r.error, 'time difference between two schedules is less than 1 second');
  assert.equal(r.mostRecent, undefined);
});

test('nextScheduleTime gives the latest start time and flags too many missed', () => {
  const c = cj('*/1 * * * *', '2026-05-01T00:00:00Z', { timeZone: 'UTC' });
  const sched = parseStandard(formatSchedule(c).spec);
  assert.deepEqual(nextScheduleTime(c, T('2026-05-01T00:05:10Z'), sched), { time: T('2026-05-01T00:05:00Z'), tooMany: false, error: undefined });
  assert.deepEqual(nextScheduleTime(c, T('2026-05-01T05:00:10Z'), sched), { time: T('2026-05-01T05:00:00Z'), tooMany: true, error: undefined });
  assert.deepEqual(nextScheduleTime(c, T('2026-05-01T00:00:10Z'), sched), { tooMany: false, error: undefined });
});

test('nextScheduleTimeDuration waits for the start after the most recent one, plus 100 ms', () => {
  const c = cj('0 * * * *', '2026-05-01T10:00:00Z', { timeZone: 'UTC' });
  const sched = parseStandard(formatSchedule(c).spec);
  assert.equal(nextScheduleTimeDuration(c, T('2026-05-01T10:30:00Z'), sched), 30 * 60_000 + 100);
  assert.equal(nextScheduleTimeDuration(c, T('2026-05-01T13:30:00Z'), sched), 30 * 60_000 + 100);
  const done = cj('0 * * * *', '2026-05-01T10:00:00Z', { timeZone: 'UTC', last: '2026-05-01T11:00:00Z' });
  assert.equal(nextScheduleTimeDuration(done, T('2026-05-01T11:00:00.050Z'), sched), 60 * 60_000 + 50);
});

test('formatSchedule puts the time zone in front unless the schedule names one', () => {
  assert.deepEqual(formatSchedule(cj('@hourly', 'x', { timeZone: 'Europe/Berlin' })), { spec: 'TZ=Europe/Berlin @hourly', tzInSchedule: false });
  assert.deepEqual(formatSchedule(cj('TZ=UTC @hourly', 'x', { timeZone: 'Europe/Berlin' })), { spec: 'TZ=UTC @hourly', tzInSchedule: true });
  assert.deepEqual(formatSchedule(cj('@hourly', 'x', { timeZone: 'Nowhere/Land' })), { spec: '@hourly', tzInSchedule: false });
  assert.deepEqual(formatSchedule(cj('@hourly', 'x')), { spec: '@hourly', tzInSchedule: false });
});
