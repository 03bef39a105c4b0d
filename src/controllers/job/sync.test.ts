import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Job } from 'kubernetes-types/batch/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { EventRecorder } from '../../client/client.ts';
import { controllerFixture } from '../controller-fixture.ts';
import { ControllerExpectations } from '../expectations.ts';
import { Indexer } from '../indexer.ts';
import { Lister } from '../lister.ts';
import { PodControl } from '../pod-template.ts';
import { BackoffStore } from './backoff.ts';
import { FinalizerExpectations } from './finalizer-expectations.ts';
import { helpers, jobSpec } from './testing.ts';
import { JobSync } from './sync.ts';

const ns = 'default';

function staleSetup(t: Parameters<typeof controllerFixture>[0], job: Job) {
  const f = controllerFixture(t);
  const h = helpers(f);
  h.jobs.create(ns, job);
  const jobIndexer = new Indexer<Job>();
  const podIndexer = new Indexer<Pod>({ namespace: (p) => [p.metadata?.namespace ?? ''] });
  const expectations = new ControllerExpectations(f.clock);
  const finalizerExpectations = new FinalizerExpectations();
  const recorder = new EventRecorder(f.client.events, { component: 'job-controller' }, () => f.clock.now());
  const sync = new JobSync({
    jobs: new Lister(jobIndexer),
    pods: new Lister(podIndexer),
    client: f.client,
    podControl: new PodControl({ pods: h.pods, recorder }),
    recorder,
    expectations,
    finalizerExpectations,
    backoff: new BackoffStore(),
    clock: f.clock,
  });
  const key = `${ns}/${job.metadata!.name}`;
  const refreshJob = () => jobIndexer.set(key, h.job(job.metadata!.name!));
  const refreshPods = () => {
    for (const p of h.pods.list(ns).items) podIndexer.set(`${ns}/${p.metadata!.name}`, p);
  };
  refreshJob();
  return { f, h, sync, key, expectations, finalizerExpectations, refreshJob, refreshPods, podIndexer };
}

test('job sync creates no more than parallelism pods when the pod cache has not seen its creations', (t) => {
  const s = staleSetup(t, jobSpec('p', { completions: 5, parallelism: 2 }));
  s.sync.sync(s.key);
  assert.equal(s.h.all().length, 2);
  assert.deepEqual(s.expectations.get(s.key), { add: 2, del: 0 });
  s.refreshJob();
  s.sync.sync(s.key);
  s.refreshJob();
  s.sync.sync(s.key);
  assert.equal(s.h.all().length, 2, 'the pod cache still shows none, yet no more are created');
  s.refreshPods();
  s.expectations.creationObserved(s.key);
  s.expectations.creationObserved(s.key);
  s.refreshJob();
  s.sync.sync(s.key);
  assert.equal(s.h.all().length, 2);
});

test('job sync does not count a success twice when the pod cache still shows its finalizer, nor exceed completions', (t) => {
  const s = staleSetup(t, jobSpec('c', { completions: 2, parallelism: 1 }));
  s.sync.sync(s.key);
  s.refreshPods();
  s.expectations.creationObserved(s.key);
  const [a] = s.h.all();
  s.h.succeed(a);
  s.refreshPods();
  s.refreshJob();
  s.sync.sync(s.key);
  assert.equal(s.h.job('c').status?.succeeded, 1);
  assert.equal(s.h.all().length, 2, 'one replacement');
  assert.deepEqual([...s.finalizerExpectations.expected(s.key)], [a.metadata!.uid], 'the removal is awaited');
  // The job cache is fresh, the pod cache is not: it still shows `a` with the finalizer, and not the new pod.
  s.refreshJob();
  s.sync.sync(s.key);
  assert.equal(s.h.job('c').status?.succeeded, 1, 'counted once');
  assert.equal(s.h.all().length, 2, 'no third pod');
});
