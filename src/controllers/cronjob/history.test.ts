import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CronJob, Job } from 'kubernetes-types/batch/v1.js';
import { finishedCondition, jobsBeyondHistoryLimits } from './history.ts';

function job(name: string, finished: 'Complete' | 'Failed' | undefined, startTime?: string): Job {
  return {
    metadata: { name },
    status: { ...(startTime ? { startTime } : {}), conditions: finished ? [{ type: finished, status: 'True' }] : [] },
  };
}

const limits = (successful?: number, failed?: number): CronJob => ({ spec: { schedule: '@daily', jobTemplate: {}, successfulJobsHistoryLimit: successful, failedJobsHistoryLimit: failed } });

test('finishedCondition is the first True Complete or Failed condition', () => {
  assert.equal(finishedCondition(job('a', 'Complete')), 'Complete');
  assert.equal(finishedCondition(job('a', 'Failed')), 'Failed');
  assert.equal(finishedCondition({ status: { conditions: [{ type: 'Complete', status: 'False' }] } }), undefined);
  assert.equal(finishedCondition(job('a', undefined)), undefined);
});

test('jobsBeyondHistoryLimits deletes the oldest by startTime, Jobs without one last, names breaking ties', () => {
  const jobs = [
    job('c', 'Complete', '2026-05-01T10:03:00Z'),
    job('nostart', 'Complete'),
    job('a', 'Complete', '2026-05-01T10:01:00Z'),
    job('b2', 'Complete', '2026-05-01T10:02:00Z'),
    job('b1', 'Complete', '2026-05-01T10:02:00Z'),
    job('running', undefined, '2026-05-01T09:00:00Z'),
    job('f1', 'Failed', '2026-05-01T10:00:00Z'),
  ];
  assert.deepEqual(jobsBeyondHistoryLimits(limits(2, 1), jobs).map((j) => j.metadata?.name), ['a', 'b1', 'b2']);
  assert.deepEqual(jobsBeyondHistoryLimits(limits(5, 0), jobs).map((j) => j.metadata?.name), ['f1']);
  assert.deepEqual(jobsBeyondHistoryLimits(limits(0, undefined), jobs).map((j) => j.metadata?.name), ['a', 'b1', 'b2', 'c', 'nostart']);
  assert.deepEqual(jobsBeyondHistoryLimits(limits(undefined, undefined), jobs), []);
});
