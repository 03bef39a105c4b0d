import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { Stored } from '../../types.ts';
import { podStrategy } from './pod-strategy.ts';

function pod(grace: number | undefined, extra: { nodeName?: string; phase?: string } = {}): Stored<Pod> {
  return {
    metadata: { name: 'p', namespace: 'default' },
    spec: { nodeName: extra.nodeName ?? 'node', terminationGracePeriodSeconds: grace, containers: [{ name: 'c', image: 'busybox:1.35' }] },
    status: { phase: extra.phase ?? 'Running' },
  } as Stored<Pod>;
}

test('pod delete grace treats a negative terminationGracePeriodSeconds as 1 s, as CheckGracefulDelete', () => {
  assert.equal(podStrategy.deleteGrace!(pod(-5), undefined), 1);
  assert.equal(podStrategy.deleteGrace!(pod(30), -3), 1);
});

test('pod delete grace uses the requested grace, else the pod own', () => {
  assert.equal(podStrategy.deleteGrace!(pod(30), undefined), 30);
  assert.equal(podStrategy.deleteGrace!(pod(30), 2), 2);
  assert.equal(podStrategy.deleteGrace!(pod(30), 0), 0);
});

test('pod delete grace is 0 for unscheduled and finished pods, even with a negative period', () => {
  assert.equal(podStrategy.deleteGrace!(pod(-5, { nodeName: '' }), undefined), 0);
  assert.equal(podStrategy.deleteGrace!(pod(-5, { phase: 'Failed' }), undefined), 0);
  assert.equal(podStrategy.deleteGrace!(pod(30, { phase: 'Succeeded' }), 10), 0);
});
