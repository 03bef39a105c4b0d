import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CronJob, Job, JobStatus } from 'kubernetes-types/batch/v1.js';
import { rfc3339 } from '../../api/api.ts';
import { controllerFixture, type ControllerFixture } from '../controller-fixture.ts';
import { cronJobController } from './cronjob.ts';

const ns = 'default';
const T = (s: string) => Date.parse(s);
const minutes = (iso: string) => Math.floor(T(iso) / 60_000);

function cronJobSpec(name: string, spec: Partial<CronJob['spec']> = {}): CronJob {
  return {
    metadata: { name, namespace: ns },
    spec: {
      schedule: '*/1 * * * *',
      timeZone: 'UTC',
      jobTemplate: {
        metadata: { labels: { app: name }, annotations: { team: 'ops' } },
        spec: { template: { spec: { restartPolicy: 'OnFailure', containers: [{ name: 'c', image: 'busybox:1.35', command: ['echo', 'tick'] }] } } },
      },
      ...spec,
    },
  } as CronJob;
}

/** A fixture whose clock (and so the registry's timestamps) starts at `startIso`. */
function setup(t: { after(fn: () => void): void }, startIso: string) {
  const f = controllerFixture(t);
  f.clock.step(T(startIso) - f.clock.now());
  return helpers(f);
}

function helpers(f: ControllerFixture) {
  const cronJobs = f.client.resource('cronjobs');
  const jobs = f.client.resource('jobs');
  return {
    f,
    cronJobs,
    jobs,
    cj: (name: string) => cronJobs.get(ns, name)!,
    jobNames: () =>
      jobs
        .list(ns)
        .items.filter((j) => !j.metadata?.deletionTimestamp)
        .map((j) => j.metadata!.name!)
        .sort(),
    events: () => f.registry.events.list(ns).items.map((e) => [e.type, e.reason, e.message]),
    reasons: () => f.registry.events.list(ns).items.map((e) => e.reason),
    run: () => f.run([cronJobController]),
    advanceTo: (iso: string) => f.clock.advance(T(iso) - f.clock.now()),
    finish: async (name: string, how: 'Complete' | 'Failed', atIso: string) => {
      const job = jobs.get(ns, name)!;
      const at = rfc3339(T(atIso));
      const status: JobStatus =
        how === 'Complete'
          ? {
              startTime: at,
              completionTime: at,
              succeeded: 1,
              conditions: [
                { type: 'SuccessCriteriaMet', status: 'True', lastTransitionTime: at, lastProbeTime: at },
                { type: 'Complete', status: 'True', lastTransitionTime: at, lastProbeTime: at },
              ],
            }
          : {
              startTime: at,
              failed: 1,
              conditions: [
                { type: 'FailureTarget', status: 'True', lastTransitionTime: at, lastProbeTime: at },
                { type: 'Failed', status: 'True', lastTransitionTime: at, lastProbeTime: at },
              ],
            };
      jobs.updateStatus(ns, { ...job, status });
      await f.clock.settle();
    },
  };
}

test('cronjob starts a Job at each minute of */1 * * * *, named by the minute, owned by the CronJob, requeued at the next minute', async (t) => {
  const h = setup(t, '2026-05-01T10:00:30Z');
  const cj = h.cronJobs.create(ns, cronJobSpec('tick'));
  await h.run();
  assert.deepEqual(h.jobNames(), [], 'nothing is due before 10:01');
  assert.deepEqual(h.f.clock.pendingDelays.includes(30_100), true, 'requeued at 10:01:00 + 100 ms');

  await h.advanceTo('2026-05-01T10:01:00.100Z');
  const first = `tick-${minutes('2026-05-01T10:01:00Z')}`;
  assert.deepEqual(h.jobNames(), [first]);
  const job = h.jobs.get(ns, first)!;
  assert.deepEqual(job.metadata?.ownerReferences, [{ apiVersion: 'batch/v1', kind: 'CronJob', name: 'tick', uid: cj.metadata!.uid, controller: true, blockOwnerDeletion: true }]);
  assert.equal(job.metadata?.annotations?.['batch.kubernetes.io/cronjob-scheduled-timestamp'], '2026-05-01T10:01:00Z');
  assert.equal(job.metadata?.annotations?.team, 'ops');
  assert.equal(job.metadata?.labels?.app, 'tick');
  assert.deepEqual(job.spec?.template.spec?.containers[0].command, ['echo', 'tick']);
  const status = h.cj('tick').status!;
  assert.equal(status.lastScheduleTime, '2026-05-01T10:01:00Z');
  assert.deepEqual(
    status.active?.map((r) => [r.kind, r.apiVersion, r.namespace, r.name, r.uid]),
    [['Job', 'batch/v1', ns, first, job.metadata!.uid]],
  );
  assert.deepEqual(h.events(), [['Normal', 'SuccessfulCreate', `Created job ${first}`]]);
  const ev = h.f.registry.events.list(ns).items[0];
  assert.equal(ev.source?.component, 'cronjob-controller');
  assert.deepEqual([ev.involvedObject.kind, ev.involvedObject.name], ['CronJob', 'tick']);

  // Allow: the next minute starts another Job beside the running one.
  await h.advanceTo('2026-05-01T10:02:00.100Z');
  assert.deepEqual(h.jobNames(), [first, `tick-${minutes('2026-05-01T10:02:00Z')}`]);
  assert.equal(h.cj('tick').status?.active?.length, 2);
});

test('cronjob runs @hourly at the top of each hour only', async (t) => {
  const h = setup(t, '2026-05-01T10:20:00Z');
  h.cronJobs.create(ns, cronJobSpec('hourly', { schedule: '@hourly' }));
  await h.run();
  await h.advanceTo('2026-05-01T10:59:59Z');
  assert.deepEqual(h.jobNames(), []);
  await h.advanceTo('2026-05-01T11:00:00.200Z');
  assert.deepEqual(h.jobNames(), [`hourly-${minutes('2026-05-01T11:00:00Z')}`]);
  await h.advanceTo('2026-05-01T11:59:00Z');
  assert.equal(h.jobNames().length, 1);
});

test('cronjob follows timeZone America/New_York through the fall-back hour: 01:00 runs on both passes', async (t) => {
  // 2026-11-01 02:00 EDT falls back to 01:00 EST.
  const h = setup(t, '2026-11-01T04:30:00Z');
  h.cronJobs.create(ns, cronJobSpec('ny', { schedule: '0 1 * * *', timeZone: 'America/New_York', successfulJobsHistoryLimit: 10 }));
  await h.run();
  await h.advanceTo('2026-11-01T05:00:00.100Z');
  const edt = `ny-${minutes('2026-11-01T05:00:00Z')}`;
  assert.deepEqual(h.jobNames(), [edt]);
  assert.equal(h.jobs.get(ns, edt)!.metadata?.annotations?.['batch.kubernetes.io/cronjob-scheduled-timestamp'], '2026-11-01T01:00:00-04:00');
  await h.advanceTo('2026-11-01T06:00:00.100Z');
  const est = `ny-${minutes('2026-11-01T06:00:00Z')}`;
  assert.deepEqual(h.jobNames(), [edt, est]);
  assert.equal(h.jobs.get(ns, est)!.metadata?.annotations?.['batch.kubernetes.io/cronjob-scheduled-timestamp'], '2026-11-01T01:00:00-05:00');
  // Then 01:00 EST the next day.
  await h.advanceTo('2026-11-02T05:59:00Z');
  assert.equal(h.jobNames().length, 2);
});

test('cronjob follows timeZone Europe/Berlin through spring-forward: 02:30 does not exist that day and is skipped', async (t) => {
  // 2026-03-29 02:00 CET jumps to 03:00 CEST.
  const h = setup(t, '2026-03-28T12:00:00Z');
  h.cronJobs.create(ns, cronJobSpec('berlin', { schedule: '30 2 * * *', timeZone: 'Europe/Berlin' }));
  await h.run();
  await h.advanceTo('2026-03-29T12:00:00Z');
  assert.deepEqual(h.jobNames(), []);
  await h.advanceTo('2026-03-30T00:30:00.100Z');
  assert.deepEqual(h.jobNames(), [`berlin-${minutes('2026-03-30T00:30:00Z')}`]);
  assert.equal(
    h.jobs.get(ns, `berlin-${minutes('2026-03-30T00:30:00Z')}`)!.metadata?.annotations?.['batch.kubernetes.io/cronjob-scheduled-timestamp'],
    '2026-03-30T02:30:00+02:00',
  );
});

test('cronjob without startingDeadlineSeconds runs only the most recent of several missed start times, late', async (t) => {
  const h = setup(t, '2026-05-01T10:00:30Z');
  h.cronJobs.create(ns, cronJobSpec('late'));
  // The controller was down for ten minutes.
  h.f.clock.step(T('2026-05-01T10:10:45Z') - h.f.clock.now());
  await h.run();
  assert.deepEqual(h.jobNames(), [`late-${minutes('2026-05-01T10:10:00Z')}`]);
  assert.equal(h.cj('late').status?.lastScheduleTime, '2026-05-01T10:10:00Z');
  assert.deepEqual(h.reasons(), ['SuccessfulCreate']);
});

test('cronjob with startingDeadlineSeconds does not start a start time older than the deadline', async (t) => {
  const h = setup(t, '2026-05-01T10:00:30Z');
  h.cronJobs.create(ns, cronJobSpec('strict', { startingDeadlineSeconds: 30 }));
  h.f.clock.step(T('2026-05-01T10:10:45Z') - h.f.clock.now());
  await h.run();
  assert.deepEqual(h.jobNames(), [], '10:10 is 45 s ago, past the 30 s deadline');
  await h.advanceTo('2026-05-01T10:11:00.100Z');
  assert.deepEqual(h.jobNames(), [`strict-${minutes('2026-05-01T10:11:00Z')}`]);
});

test('cronjob warns TooManyMissedTimes past 100 missed start times and still starts the latest', async (t) => {
  const h = setup(t, '2026-05-01T10:00:30Z');
  h.cronJobs.create(ns, cronJobSpec('rogue'));
  h.f.clock.step(T('2026-05-01T13:30:10Z') - h.f.clock.now());
  await h.run();
  assert.deepEqual(h.events(), [
    ['Warning', 'TooManyMissedTimes', 'too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew'],
    ['Normal', 'SuccessfulCreate', `Created job rogue-${minutes('2026-05-01T13:30:00Z')}`],
  ]);
  assert.deepEqual(h.jobNames(), [`rogue-${minutes('2026-05-01T13:30:00Z')}`]);
});

test('cronjob with a startingDeadlineSeconds below 100 intervals does not warn about missed start times', async (t) => {
  const h = setup(t, '2026-05-01T10:00:30Z');
  h.cronJobs.create(ns, cronJobSpec('bounded', { startingDeadlineSeconds: 120 }));
  h.f.clock.step(T('2026-05-01T13:30:10Z') - h.f.clock.now());
  await h.run();
  assert.deepEqual(h.reasons(), ['SuccessfulCreate']);
});

test('cronjob with concurrencyPolicy Forbid skips a start time while a Job is active, and starts again once it finished', async (t) => {
  const h = setup(t, '2026-05-01T10:00:30Z');
  h.cronJobs.create(ns, cronJobSpec('forbid', { concurrencyPolicy: 'Forbid' }));
  await h.run();
  await h.advanceTo('2026-05-01T10:01:00.100Z');
  const first = `forbid-${minutes('2026-05-01T10:01:00Z')}`;
  await h.advanceTo('2026-05-01T10:02:00.100Z');
  assert.deepEqual(h.jobNames(), [first]);
  assert.deepEqual(h.events().at(-1), ['Normal', 'JobAlreadyActive', 'Not starting job because prior execution is running and concurrency policy is Forbid']);

  await h.finish(first, 'Complete', '2026-05-01T10:02:30Z');
  // The skipped 10:02 is still the most recent unmet start time (no startingDeadlineSeconds): it starts late.
  const second = `forbid-${minutes('2026-05-01T10:02:00Z')}`;
  const cj = h.cj('forbid');
  assert.deepEqual(cj.status?.active?.map((r) => r.name), [second], 'the finished Job left status.active');
  assert.equal(cj.status?.lastSuccessfulTime, '2026-05-01T10:02:30Z');
  assert.deepEqual(h.events().slice(-2), [
    ['Normal', 'SawCompletedJob', `Saw completed job: ${first}, condition: Complete`],
    ['Normal', 'SuccessfulCreate', `Created job ${second}`],
  ]);
  assert.deepEqual(h.jobNames(), [first, second]);
});

test('cronjob with concurrencyPolicy Replace deletes the active Job before starting the next', async (t) => {
  const h = setup(t, '2026-05-01T10:00:30Z');
  h.cronJobs.create(ns, cronJobSpec('replace', { concurrencyPolicy: 'Replace' }));
  await h.run();
  await h.advanceTo('2026-05-01T10:01:00.100Z');
  const first = `replace-${minutes('2026-05-01T10:01:00Z')}`;
  await h.advanceTo('2026-05-01T10:02:00.100Z');
  const second = `replace-${minutes('2026-05-01T10:02:00Z')}`;
  assert.deepEqual(h.jobNames(), [second]);
  assert.deepEqual(
    h.cj('replace').status?.active?.map((r) => r.name),
    [second],
  );
  const tail = h.events().slice(-2);
  assert.deepEqual(tail, [
    ['Normal', 'SuccessfulDelete', `Deleted job ${first}`],
    ['Normal', 'SuccessfulCreate', `Created job ${second}`],
  ]);
});

test('cronjob keeps successfulJobsHistoryLimit and failedJobsHistoryLimit finished Jobs, deleting the oldest', async (t) => {
  const h = setup(t, '2026-05-01T10:00:30Z');
  h.cronJobs.create(ns, cronJobSpec('hist', { successfulJobsHistoryLimit: 2, failedJobsHistoryLimit: 1 }));
  await h.run();
  const names: string[] = [];
  for (let m = 1; m <= 5; m++) {
    const at = `2026-05-01T10:0${m}:00Z`;
    await h.advanceTo(`2026-05-01T10:0${m}:00.100Z`);
    names.push(`hist-${minutes(at)}`);
    await h.finish(names.at(-1)!, m <= 3 ? 'Complete' : 'Failed', `2026-05-01T10:0${m}:10Z`);
  }
  // Complete: 1, 2, 3 → the oldest (1) goes; Failed: 4, 5 → 4 goes.
  assert.deepEqual(h.jobNames(), [names[1], names[2], names[4]]);
  const deletes = h.events().filter(([, r]) => r === 'SuccessfulDelete');
  assert.deepEqual(deletes, [
    ['Normal', 'SuccessfulDelete', `Deleted job ${names[0]}`],
    ['Normal', 'SuccessfulDelete', `Deleted job ${names[3]}`],
  ]);
  assert.equal(h.cj('hist').status?.lastSuccessfulTime, '2026-05-01T10:03:10Z');
});

test('cronjob starts nothing while suspended, and on resume runs the most recent missed start time', async (t) => {
  const h = setup(t, '2026-05-01T10:00:30Z');
  h.cronJobs.create(ns, cronJobSpec('sus', { suspend: true }));
  await h.run();
  await h.advanceTo('2026-05-01T10:05:30Z');
  assert.deepEqual(h.jobNames(), []);
  assert.deepEqual(h.f.clock.pendingDelays.filter((d) => d <= 60_000), [], 'no requeue while suspended');
  const cj = h.cj('sus');
  h.cronJobs.update(ns, { ...cj, spec: { ...cj.spec!, suspend: false } });
  await h.f.clock.settle();
  assert.deepEqual(h.jobNames(), [`sus-${minutes('2026-05-01T10:05:00Z')}`]);
});

test('cronjob after a restart does not start the same start time twice, even when its status write was lost', async (t) => {
  const h = setup(t, '2026-05-01T10:00:30Z');
  const cj = h.cronJobs.create(ns, cronJobSpec('once'));
  const manager = await h.run();
  await h.advanceTo('2026-05-01T10:01:00.100Z');
  const first = `once-${minutes('2026-05-01T10:01:00Z')}`;
  manager.stop();
  // Restart within the same minute: the status says 10:01 was started.
  const restarted = await h.run();
  assert.deepEqual(h.jobNames(), [first]);
  restarted.stop();

  // A crash between creating the 10:02 Job and recording it: the Job exists, the status does not know it.
  h.f.clock.step(T('2026-05-01T10:02:00.050Z') - h.f.clock.now());
  const second = `once-${minutes('2026-05-01T10:02:00Z')}`;
  h.jobs.create(ns, {
    metadata: {
      name: second,
      namespace: ns,
      ownerReferences: [{ apiVersion: 'batch/v1', kind: 'CronJob', name: 'once', uid: cj.metadata!.uid!, controller: true, blockOwnerDeletion: true }],
    },
    spec: structuredClone(cj.spec!.jobTemplate.spec!),
  } as Job);
  const before = h.events().length;
  await h.run();
  assert.deepEqual(h.jobNames(), [first, second]);
  const status = h.cj('once').status!;
  assert.equal(status.lastScheduleTime, '2026-05-01T10:02:00Z');
  assert.deepEqual(status.active?.map((r) => r.name), [first, second]);
  assert.deepEqual(
    h.events().slice(before).map(([, r]) => r),
    ['UnexpectedJob'],
    'found as UnexpectedJob, then recorded without a second SuccessfulCreate',
  );
});

test('cronjob reports a Job created from its template by hand as UnexpectedJob and a deleted active Job as MissingJob', async (t) => {
  const h = setup(t, '2026-05-01T10:00:30Z');
  const cj = h.cronJobs.create(ns, cronJobSpec('manual', { schedule: '@daily' }));
  await h.run();
  // What `kubectl create job by-hand --from=cronjob/manual` sends.
  h.jobs.create(ns, {
    metadata: {
      name: 'by-hand',
      namespace: ns,
      annotations: { 'cronjob.kubernetes.io/instantiate': 'manual', team: 'ops' },
      labels: { app: 'manual' },
      ownerReferences: [{ apiVersion: 'batch/v1', kind: 'CronJob', name: 'manual', uid: cj.metadata!.uid!, controller: true }],
    },
    spec: structuredClone(cj.spec!.jobTemplate.spec!),
  } as Job);
  await h.f.clock.settle();
  assert.deepEqual(h.events(), [['Warning', 'UnexpectedJob', 'Saw a job that the controller did not create or forgot: by-hand']]);
  await h.finish('by-hand', 'Complete', '2026-05-01T10:01:00Z');
  assert.equal(h.cj('manual').status?.lastSuccessfulTime, '2026-05-01T10:01:00Z');

  // A Job recorded as active that someone deletes leaves the list.
  await h.advanceTo('2026-05-02T00:00:00.100Z');
  const daily = `manual-${minutes('2026-05-02T00:00:00Z')}`;
  assert.deepEqual(h.cj('manual').status?.active?.map((r) => r.name), [daily]);
  h.jobs.delete(ns, daily);
  await h.f.clock.settle();
  assert.equal(h.cj('manual').status?.active, undefined);
  assert.deepEqual(h.events().at(-1), ['Normal', 'MissingJob', `Active job went missing: ${daily}`]);
});

test('cronjob requeues at the new schedule when the schedule changes', async (t) => {
  const h = setup(t, '2026-05-01T10:00:30Z');
  h.cronJobs.create(ns, cronJobSpec('moving', { schedule: '@daily' }));
  await h.run();
  const cj = h.cj('moving');
  h.cronJobs.update(ns, { ...cj, spec: { ...cj.spec!, schedule: '*/5 * * * *' } });
  await h.f.clock.settle();
  await h.advanceTo('2026-05-01T10:05:00.100Z');
  assert.deepEqual(h.jobNames(), [`moving-${minutes('2026-05-01T10:05:00Z')}`]);
});
