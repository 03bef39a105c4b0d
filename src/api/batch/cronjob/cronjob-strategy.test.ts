import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CronJob } from 'kubernetes-types/batch/v1.js';
import { ApiError } from '../../errors.ts';
import { renderFieldError } from '../../field-error.ts';
import { validateCronJobUpdate } from '../../validation/validation.ts';
import { defaultCronJob } from './cronjob-defaults.ts';
import { cronJobStrategy } from './cronjob-strategy.ts';
import { controllerFixture } from '../../../controllers/controller-fixture.ts';

const ns = 'default';

function cronJob(name: string, spec: Partial<CronJob['spec']> = {}, jobSpec: Record<string, unknown> = {}): CronJob {
  return {
    metadata: { name, namespace: ns },
    spec: {
      schedule: '*/1 * * * *',
      jobTemplate: { spec: { template: { spec: { restartPolicy: 'OnFailure', containers: [{ name: 'c', image: 'busybox:1.35' }] } }, ...jobSpec } },
      ...spec,
    },
  } as CronJob;
}

function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof ApiError);
    return err.message;
  }
  assert.fail('not refused');
}

test('cronjob strategy applies SetDefaults_CronJob and the template PodSpec defaults, but not the Job defaults', (t) => {
  const f = controllerFixture(t);
  const created = f.client.resource('cronjobs').create(ns, cronJob('tick'));
  const spec = created.spec!;
  assert.equal(spec.concurrencyPolicy, 'Allow');
  assert.equal(spec.suspend, false);
  assert.equal(spec.successfulJobsHistoryLimit, 3);
  assert.equal(spec.failedJobsHistoryLimit, 1);
  const jobSpec = spec.jobTemplate.spec!;
  assert.equal(jobSpec.backoffLimit, undefined);
  assert.equal(jobSpec.completions, undefined);
  assert.equal(jobSpec.selector, undefined);
  assert.equal(jobSpec.template.spec?.dnsPolicy, 'ClusterFirst');
  assert.equal(jobSpec.template.spec?.containers[0].terminationMessagePath, '/dev/termination-log');
  assert.deepEqual(created.status, {});
  assert.equal(created.metadata?.generation, 1);
});

test('cronjob strategy keeps explicit zeros and policies', (t) => {
  const f = controllerFixture(t);
  const created = f.client
    .resource('cronjobs')
    .create(ns, cronJob('keep', { concurrencyPolicy: 'Forbid', suspend: true, successfulJobsHistoryLimit: 0, failedJobsHistoryLimit: 0 }));
  assert.equal(created.spec?.concurrencyPolicy, 'Forbid');
  assert.equal(created.spec?.suspend, true);
  assert.equal(created.spec?.successfulJobsHistoryLimit, 0);
  assert.equal(created.spec?.failedJobsHistoryLimit, 0);
});

test('cronjob strategy refuses schedules, time zones and names as ValidateCronJobCreate does', (t) => {
  const f = controllerFixture(t);
  const cjs = f.client.resource('cronjobs');
  const cases: [CronJob, string][] = [
    [cronJob('a', { schedule: 'bogus' }), 'CronJob.batch "a" is invalid: spec.schedule: Invalid value: "bogus": expected exactly 5 fields, found 1: [bogus]'],
    [cronJob('a', { schedule: '' }), 'CronJob.batch "a" is invalid: spec.schedule: Required value'],
    [cronJob('a', { schedule: '61 * * * *' }), 'CronJob.batch "a" is invalid: spec.schedule: Invalid value: "61 * * * *": end of range (61) above maximum (59): 61'],
    [
      cronJob('a', { schedule: 'TZ=UTC 0 * * * *' }),
      'CronJob.batch "a" is invalid: spec.schedule: Invalid value: "TZ=UTC 0 * * * *": cannot use TZ or CRON_TZ in schedule, use timeZone field instead',
    ],
    [cronJob('a', { timeZone: 'Continent/Zone' }), 'CronJob.batch "a" is invalid: spec.timeZone: Invalid value: "Continent/Zone": unknown time zone Continent/Zone'],
    [cronJob('a', { timeZone: '' }), 'CronJob.batch "a" is invalid: spec.timeZone: Invalid value: "": timeZone must be nil or non-empty string'],
    [cronJob('a', { timeZone: ' ' }), 'CronJob.batch "a" is invalid: spec.timeZone: Invalid value: " ": unknown time zone  '],
    [cronJob('a', { timeZone: 'America/New_York/../x' }), 'CronJob.batch "a" is invalid: spec.timeZone: Invalid value: "America/New_York/../x": unknown time zone America/New_York/../x'],
    [
      cronJob('a', { timeZone: 'Local' }),
      'CronJob.batch "a" is invalid: spec.timeZone: Invalid value: "Local": timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones',
    ],
    [cronJob('a', { startingDeadlineSeconds: -1 }), 'CronJob.batch "a" is invalid: spec.startingDeadlineSeconds: Invalid value: -1: must be greater than or equal to 0'],
    [cronJob('a', { successfulJobsHistoryLimit: -1 }), 'CronJob.batch "a" is invalid: spec.successfulJobsHistoryLimit: Invalid value: -1: must be greater than or equal to 0'],
    [cronJob('a', { failedJobsHistoryLimit: -1 }), 'CronJob.batch "a" is invalid: spec.failedJobsHistoryLimit: Invalid value: -1: must be greater than or equal to 0'],
    [
      cronJob('a', { concurrencyPolicy: 'Sometimes' as never }),
      'CronJob.batch "a" is invalid: spec.concurrencyPolicy: Unsupported value: "Sometimes": supported values: "Allow", "Forbid", "Replace"',
    ],
    [
      cronJob('a'.repeat(53)),
      `CronJob.batch "${'a'.repeat(53)}" is invalid: metadata.name: Invalid value: "${'a'.repeat(53)}": must be no more than 52 characters`,
    ],
    [cronJob('a', {}, { parallelism: -1 }), 'CronJob.batch "a" is invalid: spec.jobTemplate.spec.parallelism: Invalid value: -1: must be greater than or equal to 0'],
    [
      cronJob('a', {}, { selector: { matchLabels: { a: 'b' } } }),
      'CronJob.batch "a" is invalid: spec.jobTemplate.spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"a":"b"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: `selector` will be auto-generated',
    ],
    [
      cronJob('a', {}, { manualSelector: true }),
      'CronJob.batch "a" is invalid: spec.jobTemplate.spec.manualSelector: Unsupported value: true: supported values: "nil", "false"',
    ],
  ];
  for (const [cj, message] of cases) assert.equal(refusal(() => cjs.create(ns, cj)), message);
  const always = cronJob('a');
  always.spec!.jobTemplate.spec!.template.spec!.restartPolicy = 'Always';
  assert.equal(
    refusal(() => cjs.create(ns, always)),
    'CronJob.batch "a" is invalid: spec.jobTemplate.spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"',
  );
});

test('cronjob strategy accepts a time zone and macros, and a 52-character name', (t) => {
  const f = controllerFixture(t);
  const cjs = f.client.resource('cronjobs');
  assert.equal(cjs.create(ns, cronJob('ny', { schedule: '@hourly', timeZone: 'America/New_York' })).spec?.timeZone, 'America/New_York');
  assert.ok(cjs.create(ns, cronJob('b'.repeat(52), { schedule: '@every 1h' })));
});

test('cronjob update keeps a TZ= schedule it already had, refuses it next to timeZone, and warns about it', () => {
  const old = cronJob('old', { schedule: 'TZ=UTC 0 * * * *' });
  Object.assign(old.metadata!, { resourceVersion: '7' });
  defaultCronJob(old);
  const render = (cj: CronJob) => validateCronJobUpdate(cj, old).map(renderFieldError);
  const kept = structuredClone(old);
  kept.spec!.schedule = 'CRON_TZ=UTC 30 * * * *';
  assert.deepEqual(render(kept), []);
  const both = structuredClone(kept);
  both.spec!.timeZone = 'UTC';
  assert.deepEqual(render(both), ['spec.schedule: Invalid value: "CRON_TZ=UTC 30 * * * *": cannot use both timeZone field and TZ or CRON_TZ in schedule']);
  const stored = (cj: CronJob, generation: number) => ({ ...cj, metadata: { ...cj.metadata, generation } }) as never;
  assert.deepEqual(cronJobStrategy.warnings!(stored(kept, 1), stored(old, 1)), [
    'cannot use TZ or CRON_TZ in spec.spec.schedule, use timeZone instead, see https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/ for more details',
  ]);
  // A time zone unchanged by the update is not checked again.
  const zoned = cronJob('z', { timeZone: 'Gone/Zone' });
  Object.assign(zoned.metadata!, { resourceVersion: '7' });
  defaultCronJob(zoned);
  assert.deepEqual(validateCronJobUpdate(zoned, zoned).map(renderFieldError), []);
});

test('cronjob warnings on create name a non-DNS-label name and the job template', () => {
  const cj = cronJob('Tick.v1');
  defaultCronJob(cj);
  const warnings = cronJobStrategy.warnings!({ ...cj, metadata: { ...cj.metadata, generation: 1 } } as never);
  assert.match(warnings[0], /^metadata\.name: this is used in Pod names and hostnames/);
});

test('cronjob status update writes only the status', (t) => {
  const f = controllerFixture(t);
  const cjs = f.client.resource('cronjobs');
  const created = cjs.create(ns, cronJob('st'));
  const when = '2026-05-01T10:00:00Z';
  const updated = cjs.updateStatus(ns, { ...created, spec: { ...created.spec!, schedule: '@daily' }, status: { lastScheduleTime: when } });
  assert.equal(updated.status?.lastScheduleTime, when);
  assert.equal(updated.spec?.schedule, '*/1 * * * *');
  assert.equal(updated.metadata?.generation, 1);
});
