import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { PodFailurePolicy } from 'kubernetes-types/batch/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { matchPodFailurePolicy } from './pod-failure-policy.ts';

function failed(exitCodes: Record<string, number>, conditions: { type: string; status: string }[] = [], init: Record<string, number> = {}): Pod {
  const st = (codes: Record<string, number>) =>
    Object.entries(codes).map(([name, exitCode]) => ({ name, image: '', imageID: '', ready: false, restartCount: 0, state: { terminated: { exitCode } } }));
  return { metadata: { name: 'p', namespace: 'ns' }, status: { phase: 'Failed', containerStatuses: st(exitCodes), initContainerStatuses: st(init), conditions } as Pod['status'] };
}

const policy: PodFailurePolicy = {
  rules: [
    { action: 'FailJob', onExitCodes: { containerName: 'main', operator: 'In', values: [42] } },
    { action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }] },
    { action: 'Count', onExitCodes: { operator: 'In', values: [3] } },
    { action: 'FailIndex', onExitCodes: { operator: 'NotIn', values: [1, 2, 3] } },
  ],
};

test('matchPodFailurePolicy applies the first matching rule of each action', () => {
  assert.deepEqual(matchPodFailurePolicy(policy, failed({ main: 42 })), {
    failJobMessage: 'Container main for pod ns/p failed with exit code 42 matching FailJob rule at index 0',
    countFailed: true,
    action: 'FailJob',
  });
  assert.deepEqual(matchPodFailurePolicy(policy, failed({ main: 137 }, [{ type: 'DisruptionTarget', status: 'True' }])), { countFailed: false, action: 'Ignore' });
  assert.deepEqual(matchPodFailurePolicy(policy, failed({ main: 3 })), { countFailed: true, action: 'Count' });
  assert.deepEqual(matchPodFailurePolicy(policy, failed({ main: 7 })), { countFailed: true, action: 'FailIndex' });
  assert.deepEqual(matchPodFailurePolicy(policy, failed({ main: 1 })), { countFailed: true }, 'no rule: counted');
});

test('matchPodFailurePolicy names the condition for FailJob on pod conditions, and ignores exit code 0 and other containers', () => {
  const p: PodFailurePolicy = { rules: [{ action: 'FailJob', onPodConditions: [{ type: 'ConfigIssue', status: 'True' }] }] };
  assert.equal(matchPodFailurePolicy(p, failed({ main: 1 }, [{ type: 'ConfigIssue', status: 'True' }])).failJobMessage, 'Pod ns/p has condition ConfigIssue matching FailJob rule at index 0');
  assert.equal(matchPodFailurePolicy(policy, failed({ side: 42 })).action, 'FailIndex', 'rule 0 names another container');
  const notIn: PodFailurePolicy = { rules: [{ action: 'FailJob', onExitCodes: { operator: 'NotIn', values: [5] } }] };
  assert.deepEqual(matchPodFailurePolicy(notIn, failed({ main: 0 })), { countFailed: true });
  assert.equal(matchPodFailurePolicy(notIn, failed({ main: 0 }, [], { init: 9 })).action, 'FailJob', 'init containers are matched after app containers');
  assert.deepEqual(matchPodFailurePolicy(undefined, failed({ main: 42 })), { countFailed: true });
});
