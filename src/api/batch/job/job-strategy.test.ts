import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Job } from 'kubernetes-types/batch/v1.js';
import { ApiError } from '../../errors.ts';
import { inProcessClient } from '../../../client/client.ts';
import { memoryRegistry } from '../../../registry/registry-fixture.ts';
import { jobStrategy } from './job-strategy.ts';

const ns = 'default';

/** A client over the in-memory registry, and its clock. */
function registryFixture(t: { after(fn: () => void): void }) {
  const { registry, clock } = memoryRegistry(t);
  return { client: inProcessClient(registry, () => clock.now), clock: { now: () => clock.now } };
}

function job(name: string, spec: Partial<Job['spec']> = {}, restartPolicy: string | undefined = 'Never'): Job {
  return {
    metadata: { name, namespace: ns },
    spec: { template: { spec: { ...(restartPolicy ? { restartPolicy } : {}), containers: [{ name: 'c', image: 'busybox:1.35' }] } }, ...spec },
  } as Job;
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

test('job strategy defaults a Job and generates its selector and template labels from the uid', (t) => {
  const f = registryFixture(t);
  const jobs = f.client.resource('jobs');
  const created = jobs.create(ns, job('pi'));
  const uid = created.metadata!.uid!;
  const spec = created.spec!;
  assert.equal(spec.completions, 1);
  assert.equal(spec.parallelism, 1);
  assert.equal(spec.backoffLimit, 6);
  assert.equal(spec.completionMode, 'NonIndexed');
  assert.equal(spec.suspend, false);
  assert.equal(spec.manualSelector, false);
  assert.equal(spec.podReplacementPolicy, 'TerminatingOrFailed');
  assert.deepEqual(spec.selector, { matchLabels: { 'batch.kubernetes.io/controller-uid': uid } });
  const labels = { 'batch.kubernetes.io/controller-uid': uid, 'batch.kubernetes.io/job-name': 'pi', 'controller-uid': uid, 'job-name': 'pi' };
  assert.deepEqual(spec.template.metadata?.labels, labels);
  assert.deepEqual(created.metadata?.labels, labels, 'labels from the template, as a decoded Job has them');
  assert.equal(created.metadata?.generation, 1);
});

test('job strategy defaults backoffLimit to MaxInt32 with backoffLimitPerIndex and podReplacementPolicy to Failed with a podFailurePolicy', (t) => {
  const f = registryFixture(t);
  const created = f.client.resource('jobs').create(
    ns,
    job('idx', {
      completions: 3,
      completionMode: 'Indexed',
      backoffLimitPerIndex: 1,
      podFailurePolicy: { rules: [{ action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget' } as never] }] },
    }),
  );
  assert.equal(created.spec?.backoffLimit, 2147483647);
  assert.equal(created.spec?.parallelism, 1);
  assert.equal(created.spec?.podReplacementPolicy, 'Failed');
  assert.equal(created.spec?.podFailurePolicy?.rules[0].onPodConditions?.[0].status, 'True');
});

test('job strategy refuses a template without OnFailure or Never', (t) => {
  const f = registryFixture(t);
  const msg = refusal(() => f.client.resource('jobs').create(ns, job('bad', {}, '')));
  assert.match(msg, /spec\.template\.spec\.restartPolicy: Required value: valid values: "OnFailure", "Never"/);
});

test('job strategy keeps the template, selector and completions immutable', (t) => {
  const f = registryFixture(t);
  const jobs = f.client.resource('jobs');
  const created = jobs.create(ns, job('pi', { completions: 2 }));
  const msg = refusal(() => jobs.update(ns, { ...created, spec: { ...created.spec!, completions: 3 } }));
  assert.match(msg, /spec\.completions: Invalid value: 3: field is immutable/);
  const t2 = structuredClone(created);
  t2.spec!.template.spec!.containers[0].image = 'busybox:1.36';
  assert.match(refusal(() => jobs.update(ns, t2)), /spec\.template: Invalid value: .*field is immutable/);
  // parallelism may change
  const scaled = jobs.update(ns, { ...created, spec: { ...created.spec!, parallelism: 2 } });
  assert.equal(scaled.metadata?.generation, 2);
});

test('job strategy validates the pod failure policy and Indexed-only fields', (t) => {
  const f = registryFixture(t);
  const jobs = f.client.resource('jobs');
  const msg = refusal(() =>
    jobs.create(
      ns,
      job('p', {
        backoffLimitPerIndex: 1,
        podFailurePolicy: { rules: [{ action: 'FailJob', onExitCodes: { operator: 'In', values: [0, 2, 1] } }] },
      }),
    ),
  );
  assert.match(msg, /spec\.backoffLimitPerIndex: Invalid value: 1: requires indexed completion mode/);
  assert.match(msg, /spec\.podFailurePolicy\.rules\[0\]\.onExitCodes\.values\[0\]: Invalid value: 0: must not be 0 for the In operator/);
  assert.match(msg, /spec\.podFailurePolicy\.rules\[0\]\.onExitCodes\.values: Invalid value: \[\]int32\{0, 2, 1\}: must be ordered/);
});

test('job status validation refuses decreasing counters and Complete without completionTime', (t) => {
  const f = registryFixture(t);
  const jobs = f.client.resource('jobs');
  const created = jobs.create(ns, job('pi'));
  const now = new Date(f.clock.now()).toISOString().replace(/\.\d+Z$/, 'Z');
  const running = jobs.updateStatus(ns, { ...created, status: { active: 1, succeeded: 1, startTime: now } });
  assert.equal(running.status?.succeeded, 1);
  assert.match(refusal(() => jobs.updateStatus(ns, { ...running, status: { ...running.status, succeeded: 0 } })), /status\.succeeded: Invalid value: 0: cannot decrease the succeeded counter/);
  assert.match(
    refusal(() => jobs.updateStatus(ns, { ...running, status: { ...running.status, active: 0, conditions: [{ type: 'Complete', status: 'True' }, { type: 'SuccessCriteriaMet', status: 'True' }] } })),
    /status\.completionTime: Required value: completionTime is required for Complete jobs/,
  );
});

test('job strategy warns of a name that is not a DNS label and of huge Indexed Jobs', () => {
  const named = jobStrategy.warnings!({ ...job('Pi.v2'), metadata: { name: 'Pi.v2', namespace: ns } } as never);
  assert.equal(named.length, 1);
  assert.match(named[0], /^metadata\.name: this is used in Pod names and hostnames, which can result in surprising behavior; a DNS label is recommended: \[/);
  const huge = jobStrategy.warnings!(job('big', { completionMode: 'Indexed', completions: 200_000, parallelism: 20_000 }) as never);
  assert.deepEqual(huge, [
    'spec: In Indexed Jobs with a number of completions higher than 10^5 and a parallelism higher than 10^4, Kubernetes might not be able to track completedIndexes when a big number of indexes fail',
  ]);
});
