import { test } from 'node:test';
import assert from 'node:assert/strict';
import { controllerFixture } from '../controller-fixture.ts';
import { helpers, jobSpec } from './testing.ts';
import { jobController } from './job.ts';
import { jobTrackingFinalizer } from './pods.ts';

const ns = 'default';

test('job creates parallelism pods with the tracking finalizer and completes after completions successes', async (t) => {
  const f = controllerFixture(t);
  const h = helpers(f);
  const created = h.jobs.create(ns, jobSpec('migrate', { completions: 3, parallelism: 2 }));
  await f.run([jobController]);
  let active = h.active();
  assert.equal(active.length, 2);
  for (const p of active) {
    assert.match(p.metadata!.name!, /^migrate-[a-z0-9]{5}$/);
    assert.deepEqual(p.metadata!.finalizers, [jobTrackingFinalizer]);
    assert.deepEqual(p.metadata!.ownerReferences, [
      { apiVersion: 'batch/v1', kind: 'Job', name: 'migrate', uid: created.metadata!.uid, controller: true, blockOwnerDeletion: true },
    ]);
    assert.equal(p.metadata!.labels!['batch.kubernetes.io/job-name'], 'migrate');
  }
  let st = h.job('migrate').status!;
  assert.equal(st.active, 2);
  assert.equal(st.ready, 0);
  assert.equal(st.terminating, 0);
  assert.ok(st.startTime);
  assert.deepEqual(st.uncountedTerminatedPods, {});

  h.succeed(active[0]);
  await h.tick();
  active = h.active();
  assert.equal(active.length, 2, 'one replacement: 3 - 1 succeeded leaves room for 2');
  st = h.job('migrate').status!;
  assert.equal(st.succeeded, 1);
  assert.deepEqual(st.uncountedTerminatedPods, {});
  const done = h.all().find((p) => p.status?.phase === 'Succeeded')!;
  assert.equal(done.metadata!.finalizers, undefined, 'finalizer removed once counted (the list left out, as Go omits it empty)');

  h.succeed(active[0]);
  await h.tick();
  assert.equal(h.active().length, 1, 'never more active than completions - succeeded');
  h.succeed(h.active()[0]);
  await h.tick();
  await h.tick();
  st = h.job('migrate').status!;
  assert.equal(st.succeeded, 3);
  assert.equal(st.active, undefined);
  assert.deepEqual(h.conditions('migrate'), [
    ['SuccessCriteriaMet', 'True', 'CompletionsReached', 'Reached expected number of succeeded pods'],
    ['Complete', 'True', 'CompletionsReached', 'Reached expected number of succeeded pods'],
  ]);
  assert.ok(st.completionTime);
  assert.equal(h.all().length, 3, 'no pod beyond completions was ever made');
  const evs = h.events();
  assert.equal(evs.filter((e) => e[1] === 'SuccessfulCreate').length, 3);
  assert.deepEqual(evs.at(-1), ['Normal', 'Completed', 'Job completed']);
  assert.equal(f.registry.events.list(ns).items[0].source?.component, 'job-controller');
  assert.deepEqual(f.logs, []);
});

test('job fails with FailureTarget then Failed BackoffLimitExceeded, creating replacements after the 10 s, 20 s backoff', async (t) => {
  const f = controllerFixture(t);
  const h = helpers(f);
  h.jobs.create(ns, jobSpec('bad', { backoffLimit: 2 }));
  await f.run([jobController]);
  h.fail(h.active()[0]);
  await h.tick();
  assert.equal(h.active().length, 0, 'no replacement within the 10 s backoff');
  assert.equal(h.job('bad').status?.failed, 1);
  await h.tick(8_000);
  assert.equal(h.active().length, 0, '9 s after the failure');
  await h.tick(1_000);
  assert.equal(h.active().length, 1, 'replaced 10 s after the failure');
  h.fail(h.active()[0]);
  await h.tick(19_000);
  assert.equal(h.active().length, 0, 'second failure: 20 s');
  await h.tick(1_000);
  assert.equal(h.active().length, 1);
  h.fail(h.active()[0]);
  await h.tick();
  await h.tick();
  assert.equal(h.job('bad').status?.failed, 3);
  assert.deepEqual(h.conditions('bad'), [
    ['FailureTarget', 'True', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit'],
    ['Failed', 'True', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit'],
  ]);
  assert.equal(h.job('bad').status?.completionTime, undefined);
  assert.deepEqual(h.events().at(-1), ['Warning', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit']);
  assert.ok(h.all().every((p) => (p.metadata?.finalizers ?? []).length === 0), 'every finalizer removed');
  await h.tick(60_000);
  assert.equal(h.all().length, 3, 'nothing more after Failed');
});

test('job fails at once with PodFailurePolicy on a FailJob exit code, deleting its other pods', async (t) => {
  const f = controllerFixture(t);
  const h = helpers(f);
  h.jobs.create(
    ns,
    jobSpec('pfp', {
      parallelism: 2,
      completions: 4,
      podFailurePolicy: { rules: [{ action: 'FailJob', onExitCodes: { containerName: 'c', operator: 'In', values: [42] } }] },
    }),
  );
  await f.run([jobController]);
  const [a] = h.active();
  h.fail(a, 42);
  await h.tick();
  await h.tick();
  const msg = `Container c for pod default/${a.metadata!.name} failed with exit code 42 matching FailJob rule at index 0`;
  assert.deepEqual(h.conditions('pfp'), [
    ['FailureTarget', 'True', 'PodFailurePolicy', msg],
    ['Failed', 'True', 'PodFailurePolicy', msg],
  ]);
  assert.equal(h.active().length, 0, 'the other pod deleted');
  assert.equal(h.job('pfp').status?.failed, 2, 'the running pod counts as failed');
});

test('job does not count a pod failure the policy ignores (DisruptionTarget), replacing it after the backoff', async (t) => {
  const f = controllerFixture(t);
  const h = helpers(f);
  h.jobs.create(
    ns,
    jobSpec('ign', {
      backoffLimit: 0,
      podFailurePolicy: { rules: [{ action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }] }, { action: 'Count', onExitCodes: { operator: 'In', values: [3] } }] },
    }),
  );
  await f.run([jobController]);
  h.fail(h.active()[0], 137, [{ type: 'DisruptionTarget', status: 'True', reason: 'PreemptionByScheduler' }]);
  await h.tick();
  assert.equal(h.job('ign').status?.failed, undefined, 'not counted');
  assert.deepEqual(h.conditions('ign'), []);
  await h.tick(9_000);
  assert.equal(h.active().length, 1, 'replaced; the backoff counts ignored failures too, as upstream\'s record does');
  h.fail(h.active()[0], 3);
  await h.tick();
  await h.tick();
  assert.equal(h.job('ign').status?.failed, 1, 'Count counts');
  assert.deepEqual(h.conditions('ign').map((c) => c[2]), ['BackoffLimitExceeded', 'BackoffLimitExceeded']);
});

test('job Indexed creates one pod per index with hostname, index annotation, label and JOB_COMPLETION_INDEX', async (t) => {
  const f = controllerFixture(t);
  const h = helpers(f);
  h.jobs.create(ns, { ...jobSpec('idx', { completions: 3, parallelism: 3, completionMode: 'Indexed' }), spec: { ...jobSpec('idx').spec!, completions: 3, parallelism: 3, completionMode: 'Indexed', template: { spec: { subdomain: 'svc', restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox:1.35' }] } } } });
  await f.run([jobController]);
  const pods = h.active();
  assert.equal(pods.length, 3);
  for (const [i, p] of pods.entries()) {
    assert.match(p.metadata!.name!, new RegExp(`^idx-${i}-[a-z0-9]{5}$`));
    assert.equal(p.metadata!.generateName, `idx-${i}-`);
    assert.equal(p.metadata!.annotations!['batch.kubernetes.io/job-completion-index'], String(i));
    assert.equal(p.metadata!.labels!['batch.kubernetes.io/job-completion-index'], String(i));
    assert.equal(p.spec!.hostname, `idx-${i}`);
    assert.equal(p.spec!.subdomain, 'svc');
    assert.deepEqual(p.spec!.containers[0].env, [
      { name: 'JOB_COMPLETION_INDEX', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: "metadata.labels['batch.kubernetes.io/job-completion-index']" } } },
    ]);
  }
  h.succeed(pods[1]);
  await h.tick();
  assert.equal(h.job('idx').status?.completedIndexes, '1');
  h.fail(pods[0]);
  await h.tick(10_000);
  const again = h.active().filter((p) => p.metadata!.annotations!['batch.kubernetes.io/job-completion-index'] === '0');
  assert.equal(again.length, 1, 'index 0 recreated after the backoff');
  h.succeed(again[0]);
  h.succeed(pods[2]);
  await h.tick();
  await h.tick();
  const st = h.job('idx').status!;
  assert.equal(st.completedIndexes, '0-2');
  assert.equal(st.succeeded, 3);
  assert.equal(st.failed, 1);
  assert.deepEqual(h.conditions('idx').map((c) => c[0]), ['SuccessCriteriaMet', 'Complete']);
});

test('job Indexed with backoffLimitPerIndex fails only the index past its limit, and FailIndex fails it at once', async (t) => {
  const f = controllerFixture(t);
  const h = helpers(f);
  h.jobs.create(
    ns,
    jobSpec('per', {
      completions: 3,
      parallelism: 3,
      completionMode: 'Indexed',
      backoffLimitPerIndex: 1,
      podFailurePolicy: { rules: [{ action: 'FailIndex', onExitCodes: { operator: 'In', values: [7] } }] },
    }),
  );
  await f.run([jobController]);
  const byIndex = (ix: number) => h.active().find((p) => p.metadata!.annotations!['batch.kubernetes.io/job-completion-index'] === String(ix))!;
  h.fail(byIndex(0));
  await h.tick(10_000);
  const second = byIndex(0);
  assert.ok(second, 'index 0 retried once');
  assert.equal(second.metadata!.annotations!['batch.kubernetes.io/job-index-failure-count'], '1');
  h.fail(byIndex(1), 7);
  await h.tick();
  assert.equal(h.job('per').status?.failedIndexes, '1', 'FailIndex');
  h.fail(second);
  h.succeed(byIndex(2));
  await h.tick();
  await h.tick();
  const st = h.job('per').status!;
  assert.equal(st.failedIndexes, '0,1');
  assert.equal(st.completedIndexes, '2');
  assert.deepEqual(h.conditions('per').slice(-1), [['Failed', 'True', 'FailedIndexes', 'Job has failed indexes']]);
});

test('job suspended deletes its pods with the Suspended condition and recreates them when resumed', async (t) => {
  const f = controllerFixture(t);
  const h = helpers(f);
  h.jobs.create(ns, jobSpec('s', { parallelism: 2, completions: 2 }));
  await f.run([jobController]);
  assert.equal(h.active().length, 2);
  const cur = h.job('s');
  h.jobs.update(ns, { ...cur, spec: { ...cur.spec!, suspend: true } });
  await h.tick();
  assert.equal(h.active().length, 0);
  assert.deepEqual(h.conditions('s'), [['Suspended', 'True', 'JobSuspended', 'Job suspended']]);
  assert.equal(h.job('s').status?.startTime, undefined, 'cleared once no pod is left');
  assert.ok(h.events().some((e) => e[1] === 'Suspended' && e[2] === 'Job suspended'));
  assert.ok(h.events().filter((e) => e[1] === 'SuccessfulDelete').length === 2);
  await h.tick(5_000);
  const s = h.job('s');
  h.jobs.update(ns, { ...s, spec: { ...s.spec!, suspend: false } });
  await h.tick();
  assert.equal(h.active().length, 2);
  assert.deepEqual(h.conditions('s'), [['Suspended', 'False', 'JobResumed', 'Job resumed']]);
  assert.equal(h.job('s').status?.startTime, new Date(f.clock.now() - 1000).toISOString().replace(/\.\d+Z$/, 'Z'), 'startTime reset on resume');
  assert.deepEqual(f.logs, []);
});

test('job created suspended makes no pods and has no startTime', async (t) => {
  const f = controllerFixture(t);
  const h = helpers(f);
  h.jobs.create(ns, jobSpec('s', { suspend: true }));
  await f.run([jobController]);
  assert.equal(h.all().length, 0);
  assert.equal(h.job('s').status?.startTime, undefined);
  assert.deepEqual(h.conditions('s'), [['Suspended', 'True', 'JobSuspended', 'Job suspended']]);
});

test('job past activeDeadlineSeconds fails with DeadlineExceeded and deletes its running pods', async (t) => {
  const f = controllerFixture(t);
  const h = helpers(f);
  h.jobs.create(ns, jobSpec('slow', { activeDeadlineSeconds: 30 }));
  await f.run([jobController]);
  assert.equal(h.active().length, 1);
  await h.tick(29_000);
  assert.deepEqual(h.conditions('slow'), []);
  await h.tick(1_000);
  assert.equal(h.active().length, 0);
  // The pod's deletion completes: the Job's pods have no node and go at once; the finalizer is the controller's.
  await h.tick();
  assert.deepEqual(h.conditions('slow'), [
    ['FailureTarget', 'True', 'DeadlineExceeded', 'Job was active longer than specified deadline'],
    ['Failed', 'True', 'DeadlineExceeded', 'Job was active longer than specified deadline'],
  ]);
  assert.equal(h.job('slow').status?.failed, 1);
  assert.equal(h.all().length, 0, 'the pod is gone once its finalizer is removed');
});

test('job with a successPolicy completes with SuccessPolicy when the named indexes succeed, deleting the rest', async (t) => {
  const f = controllerFixture(t);
  const h = helpers(f);
  h.jobs.create(ns, jobSpec('sp', { completions: 3, parallelism: 3, completionMode: 'Indexed', successPolicy: { rules: [{ succeededIndexes: '0' }] } }));
  await f.run([jobController]);
  const leader = h.active().find((p) => p.metadata!.annotations!['batch.kubernetes.io/job-completion-index'] === '0')!;
  h.succeed(leader);
  await h.tick();
  await h.tick();
  assert.deepEqual(h.conditions('sp'), [
    ['SuccessCriteriaMet', 'True', 'SuccessPolicy', 'Matched rules at index 0'],
    ['Complete', 'True', 'SuccessPolicy', 'Matched rules at index 0'],
  ]);
  assert.equal(h.active().length, 0);
  assert.equal(h.job('sp').status?.succeeded, 1);
});

test('job restarted mid-job recounts nothing twice and loses no success', async (t) => {
  const f = controllerFixture(t);
  const h = helpers(f);
  h.jobs.create(ns, jobSpec('r', { completions: 3, parallelism: 2 }));
  let m = await f.run([jobController]);
  const [a, b] = h.active();
  m.stop();
  // Pods finish while the controller is down: their finalizers hold them uncounted.
  h.succeed(a);
  h.succeed(b);
  assert.equal(h.job('r').status?.succeeded, undefined);
  m = await f.run([jobController]);
  await h.tick();
  assert.equal(h.job('r').status?.succeeded, 2);
  assert.equal(h.active().length, 1);
  m.stop();
  m = await f.run([jobController]);
  await h.tick();
  assert.equal(h.job('r').status?.succeeded, 2, 'a second restart counts nothing again');
  assert.equal(h.active().length, 1, 'and creates nothing more');
  h.succeed(h.active()[0]);
  await h.tick();
  await h.tick();
  assert.equal(h.job('r').status?.succeeded, 3);
  assert.equal(h.all().length, 3);
  assert.deepEqual(h.conditions('r').map((c) => c[0]), ['SuccessCriteriaMet', 'Complete']);
});

test('job status keeps a pod uncounted while its finalizer is not removed, and counts it once removed', async (t) => {
  const f = controllerFixture(t);
  const h = helpers(f);
  h.jobs.create(ns, jobSpec('u', { completions: 2, parallelism: 1 }));
  await f.run([jobController]);
  const [a] = h.active();
  // Another finalizer-holder makes the removal write conflict once: the status must not count it before.
  const pods = f.client.resource('pods');
  const origUpdate = pods.update.bind(pods);
  let failNext = true;
  pods.update = (nsArg, obj) => {
    if (failNext && (obj.metadata?.finalizers ?? []).length === 0) {
      failNext = false;
      const st = h.job('u').status!;
      assert.deepEqual(st.uncountedTerminatedPods, { succeeded: [a.metadata!.uid] }, 'recorded as uncounted before the finalizer goes');
      assert.equal(st.succeeded, undefined);
      throw new Error('boom');
    }
    return origUpdate(nsArg, obj);
  };
  h.succeed(a);
  await h.tick();
  assert.equal(h.job('u').status?.succeeded, undefined, 'not counted while the finalizer stays');
  assert.deepEqual(h.job('u').status?.uncountedTerminatedPods, { succeeded: [a.metadata!.uid] });
  await h.tick(5_000);
  assert.equal(h.job('u').status?.succeeded, 1);
  assert.deepEqual(h.job('u').status?.uncountedTerminatedPods, {});
  assert.equal(h.active().length, 1);
});

test('job deleted: its pods lose the tracking finalizer so the garbage collector can remove them', async (t) => {
  const f = controllerFixture(t);
  const h = helpers(f);
  h.jobs.create(ns, jobSpec('d', { parallelism: 2, completions: 2 }));
  await f.run([jobController]);
  assert.equal(h.active().length, 2);
  h.jobs.delete(ns, 'd', { propagationPolicy: 'Orphan' });
  await h.tick();
  assert.ok(h.all().every((p) => (p.metadata?.finalizers ?? []).length === 0));
});

test('job replaces a terminating pod at once under TerminatingOrFailed, and only once it is gone under Failed', async (t) => {
  const f = controllerFixture(t);
  const h = helpers(f);
  h.jobs.create(ns, jobSpec('tof', { backoffLimit: 5 }));
  h.jobs.create(ns, jobSpec('fail', { backoffLimit: 5, podReplacementPolicy: 'Failed' }));
  await f.run([jobController]);
  const podOf = (job: string) => h.active().find((p) => p.metadata!.labels!['job-name'] === job)!;
  for (const job of ['tof', 'fail']) {
    const p = podOf(job);
    f.client.pods.bind(ns, p.metadata!.name!, 'node1');
    h.pods.delete(ns, p.metadata!.name!); // graceful on a node: stays with a deletionTimestamp
  }
  await h.tick(10_000);
  assert.ok(podOf('tof'), 'TerminatingOrFailed: replaced while the old pod terminates (after the backoff of its counted failure)');
  assert.equal(h.job('tof').status?.failed, 1, 'a pod deleted before it succeeded counts as failed');
  assert.equal(podOf('fail'), undefined, 'Failed: not replaced while the old pod terminates');
  assert.equal(h.job('fail').status?.terminating, 1);
  // The kubelet ends it: Failed, then counted, and replaced after the backoff.
  const old = h.all().find((p) => p.metadata!.labels!['job-name'] === 'fail')!;
  h.fail(old, 137);
  await h.tick(10_000);
  assert.equal(h.job('fail').status?.failed, 1);
  assert.ok(podOf('fail'), 'replaced once terminated');
});

test('job scaled down deletes its surplus pods without counting them as failed', async (t) => {
  const f = controllerFixture(t);
  const h = helpers(f);
  h.jobs.create(ns, jobSpec('w', { completions: 10, parallelism: 3 }));
  await f.run([jobController]);
  assert.equal(h.active().length, 3);
  const cur = h.job('w');
  h.jobs.update(ns, { ...cur, spec: { ...cur.spec!, parallelism: 1 } });
  await h.tick();
  assert.equal(h.active().length, 1);
  assert.equal(h.job('w').status?.failed, undefined);
  assert.equal(h.job('w').status?.active, 1);
  assert.equal(h.events().filter((e) => e[1] === 'SuccessfulDelete').length, 2);
});

test('job with restartPolicy OnFailure fails once container restarts reach backoffLimit', async (t) => {
  const f = controllerFixture(t);
  const h = helpers(f);
  h.jobs.create(ns, jobSpec('crash', { backoffLimit: 2 }, 'OnFailure'));
  await f.run([jobController]);
  const [p] = h.active();
  const running = (restartCount: number) =>
    h.setStatus(p, { phase: 'Running', containerStatuses: [{ name: 'c', image: 'busybox:1.35', imageID: '', ready: false, restartCount, state: { waiting: { reason: 'CrashLoopBackOff' } } }] });
  running(1);
  await h.tick();
  assert.deepEqual(h.conditions('crash'), []);
  running(2);
  await h.tick();
  await h.tick();
  assert.deepEqual(h.conditions('crash').map((c) => [c[0], c[2]]), [
    ['FailureTarget', 'BackoffLimitExceeded'],
    ['Failed', 'BackoffLimitExceeded'],
  ]);
  assert.equal(h.job('crash').status?.failed, 1, 'the running pod is deleted and counted');
});

test('job leaves a Job managed by another controller (spec.managedBy) alone', async (t) => {
  const f = controllerFixture(t);
  const h = helpers(f);
  h.jobs.create(ns, jobSpec('ext', { managedBy: 'example.com/batch' }));
  h.jobs.create(ns, jobSpec('own', { managedBy: 'kubernetes.io/job-controller' }));
  await f.run([jobController]);
  assert.deepEqual(h.all().map((p) => p.metadata!.labels!['job-name']), ['own']);
  assert.deepEqual(h.job('ext').status, {});
});
