import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Job } from 'kubernetes-types/batch/v1.js';
import { controllerFixture } from '../controller-fixture.ts';
import { ttlAfterFinishedController, ttlLeftMs } from './ttl-after-finished.ts';

const ns = 'default';

function finished(f: ReturnType<typeof controllerFixture>, name: string, ttl: number | undefined, type = 'Complete'): Job {
  const jobs = f.client.resource('jobs');
  const j = jobs.create(ns, {
    metadata: { name, namespace: ns },
    spec: { ...(ttl === undefined ? {} : { ttlSecondsAfterFinished: ttl }), template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox:1.35' }] } } },
  } as Job);
  const now = new Date(f.clock.now()).toISOString().replace(/\.\d+Z$/, 'Z');
  const conds =
    type === 'Complete'
      ? [{ type: 'SuccessCriteriaMet', status: 'True', lastTransitionTime: now }, { type: 'Complete', status: 'True', lastTransitionTime: now }]
      : [{ type: 'FailureTarget', status: 'True', lastTransitionTime: now }, { type: 'Failed', status: 'True', lastTransitionTime: now }];
  return jobs.updateStatus(ns, { ...j, status: { startTime: now, ...(type === 'Complete' ? { completionTime: now, succeeded: 1 } : { failed: 1 }), conditions: conds } as Job['status'] });
}

test('ttlLeftMs counts from the Complete or Failed transition, undefined while running or without a TTL', () => {
  const at = Date.parse('2025-01-01T00:00:00Z');
  const job = (ttl?: number, conds: object[] = []) => ({ spec: { ttlSecondsAfterFinished: ttl }, status: { conditions: conds } }) as Job;
  assert.equal(ttlLeftMs(job(10, [{ type: 'Complete', status: 'True', lastTransitionTime: '2025-01-01T00:00:00Z' }]), at + 4000), 6000);
  assert.equal(ttlLeftMs(job(0, [{ type: 'Failed', status: 'True', lastTransitionTime: '2025-01-01T00:00:00Z' }]), at), 0);
  assert.equal(ttlLeftMs(job(10, [{ type: 'SuccessCriteriaMet', status: 'True', lastTransitionTime: '2025-01-01T00:00:00Z' }]), at), undefined);
  assert.equal(ttlLeftMs(job(undefined, [{ type: 'Complete', status: 'True', lastTransitionTime: '2025-01-01T00:00:00Z' }]), at), undefined);
});

test('ttl-after-finished deletes a finished Job when its TTL expires, and leaves Jobs without one', async (t) => {
  const f = controllerFixture(t);
  finished(f, 'done', 30);
  finished(f, 'failed', 0, 'Failed');
  finished(f, 'keep', undefined);
  await f.run([ttlAfterFinishedController]);
  const names = () => f.client.resource('jobs').list(ns).items.map((j) => j.metadata!.name).sort();
  assert.deepEqual(names(), ['done', 'keep'], 'TTL 0: at once');
  await f.clock.advance(29_000);
  assert.deepEqual(names(), ['done', 'keep']);
  await f.clock.advance(1_000);
  assert.deepEqual(names(), ['keep']);
});

test('ttl-after-finished reads the TTL again before deleting: a raised TTL postpones it', async (t) => {
  const f = controllerFixture(t);
  finished(f, 'done', 10);
  await f.run([ttlAfterFinishedController]);
  const jobs = f.client.resource('jobs');
  const cur = jobs.get(ns, 'done')!;
  jobs.update(ns, { ...cur, spec: { ...cur.spec!, ttlSecondsAfterFinished: 60 } });
  await f.clock.advance(10_000);
  assert.ok(jobs.get(ns, 'done'), 'kept at 10 s');
  await f.clock.advance(50_000);
  assert.equal(jobs.get(ns, 'done'), undefined);
});
