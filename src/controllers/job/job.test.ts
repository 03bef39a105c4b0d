import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Job } from 'kubernetes-types/batch/v1.js';
import type { Pod, PodStatus } from 'kubernetes-types/core/v1.js';
import { controllerFixture, type ControllerFixture } from '../controller-fixture.ts';
import { jobController } from './job.ts';
import { jobTrackingFinalizer } from './pods.ts';

const ns = 'default';

export function jobSpec(name: string, spec: Partial<Job['spec']> = {}, restartPolicy = 'Never'): Job {
  return {
    metadata: { name, namespace: ns },
    spec: { template: { spec: { restartPolicy, containers: [{ name: 'c', image: 'busybox:1.35' }] } }, ...spec },
  } as Job;
}

export function helpers(f: ControllerFixture) {
  const jobs = f.client.resource('jobs');
  const pods = f.client.resource('pods');
  const iso = () => new Date(f.clock.now()).toISOString().replace(/\.\d+Z$/, 'Z');
  const h = {
    jobs,
    pods,
    job: (name: string) => jobs.get(ns, name)!,
    all: () => pods.list(ns).items.sort((a, b) => a.metadata!.name!.localeCompare(b.metadata!.name!)),
    /** Pods neither terminal nor being deleted. */
    active: () => h.all().filter((p) => !p.metadata?.deletionTimestamp && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed'),
    events: () => f.registry.events.list(ns).items.map((e) => [e.type, e.reason, e.message]),
    conditions: (name: string) => (h.job(name).status?.conditions ?? []).map((c) => [c.type, c.status, c.reason, c.message]),
    setStatus: (pod: Pod, status: PodStatus) => {
      f.client.pods.updateStatus(ns, pod.metadata!.name!, pod.metadata!.uid!, status);
    },
    succeed: (pod: Pod) =>
      h.setStatus(pod, {
        phase: 'Succeeded',
        containerStatuses: [{ name: 'c', image: 'busybox:1.35', imageID: '', ready: false, restartCount: 0, state: { terminated: { exitCode: 0, finishedAt: iso() } } }],
      }),
    fail: (pod: Pod, exitCode = 1, conditions: PodStatus['conditions'] = []) =>
      h.setStatus(pod, {
        phase: 'Failed',
        conditions,
        containerStatuses: [{ name: 'c', image: 'busybox:1.35', imageID: '', ready: false, restartCount: 0, state: { terminated: { exitCode, finishedAt: iso() } } }],
      }),
    /** Pod events reach the Job after the 1 s batching period. */
    tick: async (ms = 1000) => {
      await f.clock.settle();
      await f.clock.advance(ms);
    },
  };
  return h;
}

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
  assert.deepEqual(done.metadata!.finalizers ?? [], [], 'finalizer removed once counted');

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
