import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from '../../api/api.ts';
import { fieldPathValue, formatMap, resourceValue } from './downward-api.ts';

const alloc = { cpu: '2', memory: '4Gi', 'ephemeral-storage': '0' };
const pod: Pod = {
  metadata: { name: 'p', namespace: 'ns', uid: 'u-1', labels: { app: 'web', tier: 'a"b' }, annotations: { build: 'two' } },
  spec: {
    containers: [{ name: 'app', image: 'busybox', resources: { limits: { memory: '64Mi' }, requests: { cpu: '250m' } } }],
    initContainers: [{ name: 'init', image: 'busybox', resources: { limits: { cpu: '500m' } } }],
  },
};

test('formatMap quotes values like Go %q', () => {
  assert.equal(formatMap({ b: 'x\ny', a: 'plain' }), 'a="plain"\nb="x\\ny"');
  assert.equal(formatMap(undefined), '');
});

test('fieldPathValue rejects subscripts on plain fields and unknown paths', () => {
  assert.throws(() => fieldPathValue(pod, "metadata.name['x']"), /fieldPath "metadata.name\['x'\]" does not support subscript/);
  assert.throws(() => fieldPathValue(pod, 'spec.nodeName'), /unsupported fieldPath: spec.nodeName/);
  assert.equal(fieldPathValue(pod, "metadata.labels['missing']"), '');
});

test('resourceValue rounds up, falls back to node allocatable for limits and reads unset requests as 0', () => {
  const c = pod.spec!.containers[0];
  assert.equal(resourceValue(c, 'requests.cpu', undefined, alloc), '1');
  assert.equal(resourceValue(c, 'requests.cpu', '1m', alloc), '250');
  assert.equal(resourceValue(c, 'limits.cpu', undefined, alloc), '2');
  assert.equal(resourceValue(c, 'requests.memory', undefined, alloc), '0');
  assert.equal(resourceValue(c, 'limits.memory', '1Gi', alloc), '1');
  assert.equal(resourceValue(c, 'limits.memory', undefined, alloc), String(64 * 1024 * 1024));
  assert.throws(() => resourceValue(c, 'limits.gpu', undefined, alloc), /unsupported container resource : limits.gpu/);
});
