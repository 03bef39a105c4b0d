import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadLocationError, parseGoDuration, parseStandard } from './cron-schedule.ts';

const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

/** The first `n` times of `spec` after `from`. */
function times(spec: string, from: string, n: number): (string | undefined)[] {
  const s = parseStandard(spec);
  const out: (string | undefined)[] = [];
  let t: number | undefined = Date.parse(from);
  for (let i = 0; i < n && t !== undefined; i++) {
    t = s.next(t);
    out.push(iso(t));
  }
  return out;
}

test('parseStandard refuses what robfig ParseStandard refuses, with its error texts', () => {
  const cases: [string, string][] = [
    ['', 'empty spec string'],
    ['bogus', 'expected exactly 5 fields, found 1: [bogus]'],
    ['* * * * * *', 'expected exactly 5 fields, found 6: [* * * * * *]'],
    ['60 * * * *', 'end of range (60) above maximum (59): 60'],
    ['* 24 * * *', 'end of range (24) above maximum (23): 24'],
    ['0 0 0 * *', 'beginning of range (0) below minimum (1): 0'],
    ['* * * 13 *', 'end of range (13) above maximum (12): 13'],
    ['* * * * 7', 'end of range (7) above maximum (6): 7'],
    ['5-1 * * * *', 'beginning of range (5) beyond end of range (1): 5-1'],
    ['*/0 * * * *', 'step of range should be a positive number: */0'],
    ['1-2-3 * * * *', 'too many hyphens: 1-2-3'],
    ['1/2/3 * * * *', 'too many slashes: 1/2/3'],
    ['x * * * *', 'failed to parse int from x: strconv.Atoi: parsing "x": invalid syntax'],
    ['-1 * * * *', 'failed to parse int from : strconv.Atoi: parsing "": invalid syntax'],
    ['* * L * *', 'failed to parse int from L: strconv.Atoi: parsing "L": invalid syntax'],
    ['* * * * 1#2', 'failed to parse int from 1#2: strconv.Atoi: parsing "1#2": invalid syntax'],
    ['99999999999999999999 * * * *', 'failed to parse int from 99999999999999999999: strconv.Atoi: parsing "99999999999999999999": value out of range'],
    ['@bogus', 'unrecognized descriptor: @bogus'],
    ['@hourly ', 'unrecognized descriptor: @hourly '],
    ['@every 1x', 'failed to parse duration @every 1x: time: unknown unit "x" in duration "1x"'],
    ['@every 5', 'failed to parse duration @every 5: time: missing unit in duration "5"'],
    ['TZ=Bogus/Zone * * * * *', 'provided bad location Bogus/Zone: unknown time zone Bogus/Zone'],
    ['CRON_TZ=america/new_york * * * * *', 'provided bad location america/new_york: unknown time zone america/new_york'],
  ];
  for (const [spec, message] of cases) {
    assert.throws(() => parseStandard(spec), { message }, spec);
  }
});

test('parseStandard accepts names, question marks, lists, steps and every descriptor', () => {
  for (const spec of ['0 0 * JAN-mar sun', '0 0 ? * MON-FRI', '*/15 1,2,3 1-31/2 * *', '5/15 * * * *', '@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly', '@every 1h30m', 'TZ=UTC 0 * * * *', 'CRON_TZ=Europe/Berlin @daily']) {
    assert.doesNotThrow(() => parseStandard(spec), spec);
  }
});

test('every minute fires at each minute boundary strictly after the given time', () => {
  assert.deepEqual(times('*/1 * * * *', '2026-05-01T10:00:00Z', 3), ['2026-05-01T10:01:00.000Z', '2026-05-01T10:02:00.000Z', '2026-05-01T10:03:00.000Z']);
  assert.deepEqual(times('TZ=UTC * * * * *', '2026-05-01T10:00:59.500Z', 1), ['2026-05-01T10:01:00.000Z']);
});

test('@hourly and @weekly are robfig descriptor schedules', () => {
  assert.deepEqual(times('TZ=UTC @hourly', '2026-05-01T10:30:00Z', 2), ['2026-05-01T11:00:00.000Z', '2026-05-01T12:00:00.000Z']);
  // 2026-05-01 is a Friday: the next midnight starting a Sunday is May 3.
  assert.deepEqual(times('TZ=UTC @weekly', '2026-05-01T10:30:00Z', 1), ['2026-05-03T00:00:00.000Z']);
});

test('a step from a single value runs to the end of the field, as N-max/step', () => {
  assert.deepEqual(times('TZ=UTC 50/5 * * * *', '2026-05-01T10:00:00Z', 3), ['2026-05-01T10:50:00.000Z', '2026-05-01T10:55:00.000Z', '2026-05-01T11:50:00.000Z']);
});

test('day of month and day of week: either matches when both are restricted, the other decides when one is a star', () => {
  // 2026-01-01 is a Thursday.
  assert.deepEqual(times('TZ=UTC 0 0 1,15 * MON', '2026-01-01T00:00:30Z', 4), [
    '2026-01-05T00:00:00.000Z',
    '2026-01-12T00:00:00.000Z',
    '2026-01-15T00:00:00.000Z',
    '2026-01-19T00:00:00.000Z',
  ]);
  assert.deepEqual(times('TZ=UTC 0 0 ? * 1', '2026-01-01T00:00:30Z', 2), ['2026-01-05T00:00:00.000Z', '2026-01-12T00:00:00.000Z']);
  // `*/1` keeps robfig's star: only Mondays; `*/2` does not: odd days or Mondays.
  assert.deepEqual(times('TZ=UTC 0 0 */1 * 1', '2026-01-01T00:00:30Z', 1), ['2026-01-05T00:00:00.000Z']);
  assert.deepEqual(times('TZ=UTC 0 0 */2 * 1', '2026-01-01T00:00:30Z', 3), ['2026-01-03T00:00:00.000Z', '2026-01-05T00:00:00.000Z', '2026-01-07T00:00:00.000Z']);
});

test('a time in the spring-forward gap of America/New_York is skipped that day, as robfig does', () => {
  // 2026-03-08 02:00 EST jumps to 03:00 EDT: 02:30 does not exist that day.
  assert.deepEqual(times('TZ=America/New_York 30 2 * * *', '2026-03-07T12:00:00Z', 2), ['2026-03-09T06:30:00.000Z', '2026-03-10T06:30:00.000Z']);
});

test('a time in the fall-back overlap of America/New_York runs on both passes, as robfig does', () => {
  // 2026-11-01 02:00 EDT falls back to 01:00 EST: 01:30 happens at 05:30Z and at 06:30Z.
  assert.deepEqual(times('TZ=America/New_York 30 1 * * *', '2026-10-31T12:00:00Z', 3), [
    '2026-11-01T05:30:00.000Z',
    '2026-11-01T06:30:00.000Z',
    '2026-11-02T06:30:00.000Z',
  ]);
});

test('Europe/Berlin schedules follow its offsets across both transitions', () => {
  // 2026-03-29 02:00 CET jumps to 03:00 CEST; 2026-10-25 03:00 CEST falls back to 02:00 CET.
  assert.deepEqual(times('CRON_TZ=Europe/Berlin 0 9 * * *', '2026-03-28T00:00:00Z', 2), ['2026-03-28T08:00:00.000Z', '2026-03-29T07:00:00.000Z']);
  assert.deepEqual(times('CRON_TZ=Europe/Berlin 30 2 * * *', '2026-03-28T02:00:00Z', 1), ['2026-03-30T00:30:00.000Z']);
  assert.deepEqual(times('CRON_TZ=Europe/Berlin 30 2 * * *', '2026-10-24T12:00:00Z', 2), ['2026-10-25T00:30:00.000Z', '2026-10-25T01:30:00.000Z']);
});

test('@every adds its whole seconds to the current second', () => {
  assert.deepEqual(times('@every 90s', '2026-05-01T10:00:00.700Z', 2), ['2026-05-01T10:01:30.000Z', '2026-05-01T10:03:00.000Z']);
  assert.deepEqual(times('@every 10ms', '2026-05-01T10:00:00Z', 1), ['2026-05-01T10:00:01.000Z']);
});

test('a schedule that never matches has no next time (robfig zero time)', () => {
  assert.deepEqual(times('0 0 30 2 *', '2026-01-01T00:00:00Z', 1), [undefined]);
  assert.deepEqual(times('0 0 , * *', '2026-01-01T00:00:00Z', 1), [undefined]);
});

test('loadLocationError follows Go LoadLocation: exact zone names, UTC, Local', () => {
  assert.equal(loadLocationError('America/New_York'), undefined);
  assert.equal(loadLocationError('UTC'), undefined);
  assert.equal(loadLocationError('Local'), undefined);
  assert.equal(loadLocationError('utc'), 'unknown time zone utc');
  assert.equal(loadLocationError('Mars/Olympus'), 'unknown time zone Mars/Olympus');
  assert.equal(loadLocationError('+01:00'), 'unknown time zone +01:00');
  assert.equal(loadLocationError('../etc/passwd'), 'time: invalid location name');
});

test('parseGoDuration reads Go durations', () => {
  assert.equal(parseGoDuration('1h30m'), 5_400_000);
  assert.equal(parseGoDuration('1.5s'), 1500);
  assert.equal(parseGoDuration('-2m'), -120_000);
  assert.throws(() => parseGoDuration('bogus'), { message: 'time: invalid duration "bogus"' });
});
