import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderFieldError } from '../field-error.ts';
import { parseIndexesFormat, validateJob } from './batch-job.ts';
import { validateJobStatusUpdate } from './batch-job-status.ts';

const uid = '1a2b3c4d-0000-4000-8000-000000000001';

/** A defaulted Job with generated selector and labels, as the strategy validates it. */
function job(spec: Record<string, unknown> = {}, template: Record<string, unknown> = {}) {
  const labels = { 'batch.kubernetes.io/controller-uid': uid, 'batch.kubernetes.io/job-name': 'j', 'controller-uid': uid, 'job-name': 'j' };
  return {
    metadata: { name: 'j', namespace: 'default', uid },
    spec: {
      parallelism: 1,
      completions: 1,
      backoffLimit: 6,
      completionMode: 'NonIndexed',
      suspend: false,
      manualSelector: false,
      podReplacementPolicy: 'TerminatingOrFailed',
      selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': uid } },
      template: {
        metadata: { labels },
        spec: {
          restartPolicy: 'Never',
          dnsPolicy: 'ClusterFirst',
          terminationGracePeriodSeconds: 30,
          schedulerName: 'default-scheduler',
          securityContext: {},
          containers: [{ name: 'c', image: 'busybox', imagePullPolicy: 'IfNotPresent', terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File' }],
          ...template,
        },
      },
      ...spec,
    },
  };
}

const messages = (errs: ReturnType<typeof validateJob>) => errs.map(renderFieldError);

test('validateJob accepts a defaulted Job', () => {
  assert.deepEqual(messages(validateJob(job())), []);
});

test('validateJob reports upstream\'s messages (validation.go cases)', () => {
  const cases: [string, Record<string, unknown>, Record<string, unknown>, string][] = [
    ['negative parallelism', { parallelism: -1 }, {}, 'spec.parallelism: Invalid value: -1: must be greater than or equal to 0'],
    ['negative backoffLimit', { backoffLimit: -1 }, {}, 'spec.backoffLimit: Invalid value: -1: must be greater than or equal to 0'],
    ['restartPolicy Always', {}, { restartPolicy: 'Always' }, 'spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"'],
    ['Indexed without completions', { completionMode: 'Indexed', completions: undefined }, {}, 'spec.completions: Required value: when completion mode is Indexed'],
    ['unknown completionMode', { completionMode: 'Bogus' }, {}, 'spec.completionMode: Unsupported value: "Bogus": supported values: "NonIndexed", "Indexed"'],
    ['maxFailedIndexes without backoffLimitPerIndex', { completionMode: 'Indexed', maxFailedIndexes: 1 }, {}, 'spec.backoffLimitPerIndex: Required value: when maxFailedIndexes is specified'],
    [
      'podFailurePolicy with OnFailure',
      { podFailurePolicy: { rules: [{ action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }] }] }, podReplacementPolicy: 'Failed' },
      { restartPolicy: 'OnFailure' },
      'spec.template.spec.restartPolicy: Invalid value: "OnFailure": only "Never" is supported when podFailurePolicy is specified',
    ],
    [
      'podFailurePolicy with TerminatingOrFailed',
      { podFailurePolicy: { rules: [{ action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }] }] } },
      {},
      'spec.podReplacementPolicy: Unsupported value: "TerminatingOrFailed": supported values: "Failed"',
    ],
    [
      'FailIndex without backoffLimitPerIndex',
      { podFailurePolicy: { rules: [{ action: 'FailIndex', onExitCodes: { operator: 'In', values: [1] } }] }, podReplacementPolicy: 'Failed' },
      {},
      'spec.podFailurePolicy.rules[0].action: Invalid value: "FailIndex": requires the backoffLimitPerIndex to be set',
    ],
    [
      'unknown container in onExitCodes',
      { podFailurePolicy: { rules: [{ action: 'FailJob', onExitCodes: { containerName: 'x', operator: 'In', values: [1] } }] }, podReplacementPolicy: 'Failed' },
      {},
      'spec.podFailurePolicy.rules[0].onExitCodes.containerName: Invalid value: "x": must be one of the container or initContainer names in the pod template',
    ],
    [
      'a rule with neither requirement',
      { podFailurePolicy: { rules: [{ action: 'Count' }] }, podReplacementPolicy: 'Failed' },
      {},
      'spec.podFailurePolicy.rules[0]: Invalid value: specifying one of OnExitCodes and OnPodConditions is required',
    ],
    ['managedBy without a domain', { managedBy: 'controller' }, {}, 'spec.managedBy: Invalid value: "controller": must be a domain-prefixed path (such as "acme.io/foo")'],
    ['successPolicy on a NonIndexed Job', { successPolicy: { rules: [{ succeededCount: 1 }] } }, {}, 'requires indexed completion mode'],
    [
      'successPolicy count above completions',
      { completionMode: 'Indexed', completions: 2, successPolicy: { rules: [{ succeededCount: 3 }] } },
      {},
      'spec.successPolicy.rules[0].succeededCount: Invalid value: 3: must be less than or equal to 2 (the number of specified completions)',
    ],
    [
      'successPolicy indexes beyond completions',
      { completionMode: 'Indexed', completions: 2, successPolicy: { rules: [{ succeededIndexes: '0-5' }] } },
      {},
      'spec.successPolicy.rules[0].succeededIndexes: Invalid value: "0-5": error parsing succeededIndexes: too large index: "5"',
    ],
  ];
  for (const [name, spec, template, want] of cases) {
    const got = messages(validateJob(job(spec, template)));
    assert.ok(got.some((m) => m.includes(want)), `${name}: ${JSON.stringify(got)}`);
  }
});

test('validateJob checks the generated selector and labels', () => {
  const j = job();
  j.spec.template.metadata.labels['job-name'] = 'other';
  assert.deepEqual(messages(validateJob(j)), [
    `spec.template.metadata.labels[job-name]: Invalid value: map[string]string{"batch.kubernetes.io/controller-uid":"${uid}", "batch.kubernetes.io/job-name":"j", "controller-uid":"${uid}", "job-name":"other"}: must be 'j'`,
  ]);
  const long = job({ completionMode: 'Indexed', completions: 10 });
  long.metadata.name = 'a'.repeat(62);
  assert.ok(messages(validateJob(long)).includes(`metadata.name: Invalid value: "${'a'.repeat(62)}": will not able to create pod with invalid DNS label: ${'a'.repeat(62)}-9`));
});

test('parseIndexesFormat counts intervals and names the first error', () => {
  assert.deepEqual(parseIndexesFormat('', 3), { total: 0 });
  assert.deepEqual(parseIndexesFormat('0,2-4', 5), { total: 4 });
  assert.deepEqual(parseIndexesFormat('1-2-3', 5), { error: `too many parts separated by '-' in "1-2-3"` });
  assert.deepEqual(parseIndexesFormat('a', 5), { error: 'cannot convert string to integer for index: "a"' });
  assert.deepEqual(parseIndexesFormat('2,1', 5), { error: 'non-increasing order, previous: 2, current: 1' });
});

test('validateJobStatusUpdate refuses dropping a terminal condition and Complete with Failed', () => {
  const now = '2026-01-01T00:00:00Z';
  const old = { ...job(), status: { startTime: now, failed: 1, conditions: [{ type: 'FailureTarget', status: 'True' }, { type: 'Failed', status: 'True' }] } };
  const dropped = { ...old, status: { ...old.status, conditions: [{ type: 'FailureTarget', status: 'True' }] } };
  assert.ok(messages(validateJobStatusUpdate(dropped, old)).includes('status.conditions: Invalid value: cannot disable the terminal Failed=True condition'));
  const both = { ...old, status: { ...old.status, completionTime: now, conditions: [...old.status.conditions, { type: 'SuccessCriteriaMet', status: 'True' }, { type: 'Complete', status: 'True' }] } };
  const got = messages(validateJobStatusUpdate(both, old));
  assert.ok(got.includes('status.conditions: Invalid value: cannot set Complete=True and Failed=true conditions'), JSON.stringify(got));
});

test('validateJobStatusUpdate judges only what changed: overlapping indexes, more ready than active', () => {
  const indexedJob = job({ completionMode: 'Indexed', completions: 4, parallelism: 4, backoffLimitPerIndex: 1 });
  const old = { ...indexedJob, status: { startTime: '2026-01-01T00:00:00Z', active: 2, ready: 1, completedIndexes: '0,1' } };
  const overlap = { ...old, status: { ...old.status, failedIndexes: '1,2' } };
  assert.ok(messages(validateJobStatusUpdate(overlap, old)).includes('status.failedIndexes: Invalid value: "1,2": failedIndexes and completedIndexes overlap at index: 1'));
  const tooReady = { ...old, status: { ...old.status, ready: 3 } };
  assert.ok(messages(validateJobStatusUpdate(tooReady, old)).includes('status.ready: Invalid value: 3: cannot set more ready pods than active'));
  // An old status already breaking a rule may be written back unchanged.
  const oldBad = { ...old, metadata: { ...old.metadata, resourceVersion: '7' }, status: { ...old.status, ready: 3 } };
  assert.deepEqual(messages(validateJobStatusUpdate(oldBad, oldBad)), []);
});
