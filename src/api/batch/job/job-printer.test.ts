import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Job } from 'kubernetes-types/batch/v1.js';
import { jobPrinter } from './job-printer.ts';

const NOW = Date.parse('2025-06-01T12:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');

function job(spec: Partial<Job['spec']>, status: Job['status'] = {}, meta: Partial<Job['metadata']> = {}): Job {
  return {
    metadata: { name: 'pi', creationTimestamp: iso(NOW - 120_000), ...meta },
    spec: {
      selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': 'u1' } },
      template: { spec: { containers: [{ name: 'pi', image: 'perl:5.34' }] } },
      ...spec,
    },
    status,
  } as Job;
}

const cond = (type: string, status = 'True') => ({ type, status });

test('jobPrinter has printJob columns', () => {
  assert.deepEqual(
    jobPrinter.columns.map((c) => [c.name, c.priority]),
    [['Name', 0], ['Status', 0], ['Completions', 0], ['Duration', 0], ['Age', 0], ['Containers', 1], ['Images', 1], ['Selector', 1]],
  );
});

test('jobPrinter prints a complete job with its duration from start to completion', () => {
  const j = job({ completions: 3 }, { succeeded: 3, startTime: iso(NOW - 100_000), completionTime: iso(NOW - 60_000), conditions: [cond('SuccessCriteriaMet'), cond('Complete')] });
  assert.deepEqual(jobPrinter.cells(j, NOW), ['pi', 'Complete', '3/3', '40s', '2m', 'pi', 'perl:5.34', 'batch.kubernetes.io/controller-uid=u1']);
});

test('jobPrinter statuses follow printJob precedence', () => {
  const status = (conds: { type: string; status: string }[], meta = {}) => jobPrinter.cells(job({ completions: 1 }, { conditions: conds }, meta), NOW)[1];
  assert.equal(status([]), 'Running');
  assert.equal(status([cond('FailureTarget'), cond('Failed')]), 'Failed');
  assert.equal(status([cond('FailureTarget')]), 'FailureTarget');
  assert.equal(status([cond('SuccessCriteriaMet')]), 'SuccessCriteriaMet');
  assert.equal(status([cond('Suspended')]), 'Suspended');
  assert.equal(status([cond('Suspended', 'False')]), 'Running');
  assert.equal(status([cond('Suspended')], { deletionTimestamp: iso(NOW) }), 'Terminating');
});

test('jobPrinter prints completions without spec.completions as n/1 or n/1 of parallelism, and no duration before start', () => {
  assert.deepEqual(jobPrinter.cells(job({ parallelism: 1 }, {}), NOW).slice(2, 4), ['0/1', '']);
  assert.deepEqual(jobPrinter.cells(job({ parallelism: 3 }, { succeeded: 1, startTime: iso(NOW - 5000) }), NOW).slice(2, 4), ['1/1 of 3', '5s']);
});
