import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CronJob } from 'kubernetes-types/batch/v1.js';
import { jobFromTemplate, jobName, rfc3339InZone } from './job-template.ts';

const cj: CronJob = {
  metadata: { name: 'tick', namespace: 'default', uid: 'u-1' },
  spec: {
    schedule: '*/1 * * * *',
    jobTemplate: { spec: { backoffLimit: 2, template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } } } },
  },
};

test('jobName is the CronJob name and the start time in minutes since the epoch', () => {
  assert.equal(jobName(cj, Date.parse('2026-05-01T10:01:00Z')), 'tick-29627161');
  assert.equal(jobName(cj, Date.parse('2026-05-01T10:01:59Z')), 'tick-29627161');
});

test('rfc3339InZone prints the wall time and offset of the zone, Z for UTC and zero offsets', () => {
  const t = Date.parse('2026-07-01T12:00:00Z');
  assert.equal(rfc3339InZone(t, undefined), '2026-07-01T12:00:00Z');
  assert.equal(rfc3339InZone(t, 'America/New_York'), '2026-07-01T08:00:00-04:00');
  assert.equal(rfc3339InZone(t, 'Asia/Kolkata'), '2026-07-01T17:30:00+05:30');
  assert.equal(rfc3339InZone(Date.parse('2026-01-01T12:00:00Z'), 'Europe/London'), '2026-01-01T12:00:00Z');
});

test('jobFromTemplate copies the template spec without the Job defaults and owns the Job by the CronJob', () => {
  const job = jobFromTemplate(cj, Date.parse('2026-05-01T10:01:00Z'));
  assert.deepEqual(job.metadata, {
    name: 'tick-29627161',
    namespace: 'default',
    annotations: { 'batch.kubernetes.io/cronjob-scheduled-timestamp': '2026-05-01T10:01:00Z' },
    ownerReferences: [{ apiVersion: 'batch/v1', kind: 'CronJob', name: 'tick', uid: 'u-1', controller: true, blockOwnerDeletion: true }],
  });
  assert.deepEqual(job.spec, cj.spec!.jobTemplate.spec);
  assert.notEqual(job.spec, cj.spec!.jobTemplate.spec, 'a copy');
});
