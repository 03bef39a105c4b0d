import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Deployment } from 'kubernetes-types/apps/v1.js';
import { maxSurge, maxUnavailable, resolveFenceposts, type IntOrString } from './deployment-spec.ts';

test('resolveFenceposts rounds surge up and unavailable down, makes both-zero unavailable 1, and refuses non-percent strings (TestResolveFenceposts)', () => {
  const cases: [IntOrString | undefined, IntOrString | undefined, number, [number, number] | 'error'][] = [
    [undefined, undefined, 0, [0, 1]],
    ['39%', '39%', 10, [4, 3]],
    ['oops', '39%', 10, 'error'],
    ['55%', 'urg', 10, 'error'],
    [undefined, '39%', 10, [0, 3]],
    ['39%', undefined, 10, [4, 0]],
    [undefined, undefined, 10, [0, 1]],
    ['25%', '25%', 3, [1, 0]],
    [0, 0, 5, [0, 1]],
  ];
  for (const [surge, unavailable, desired, want] of cases) {
    if (want === 'error') {
      assert.throws(() => resolveFenceposts(surge, unavailable, desired), /invalid value for IntOrString: invalid type: string is not a percentage/);
    } else {
      assert.deepEqual(resolveFenceposts(surge, unavailable, desired), want, `${surge}/${unavailable} of ${desired}`);
    }
  }
});

test('maxUnavailable never exceeds the replicas and is 0 for Recreate or no replicas (TestMaxUnavailable)', () => {
  const d = (replicas: number, u: IntOrString): Deployment => ({ spec: { replicas, selector: {}, template: {}, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: u } } } });
  const cases: [string, Deployment, number][] = [
    ['less than replicas', d(10, 5), 5],
    ['equal replicas', d(10, 10), 10],
    ['greater than replicas', d(5, 10), 5],
    ['replicas is 0', d(0, 10), 0],
    ['Recreate', { spec: { selector: {}, template: {}, strategy: { type: 'Recreate' } } }, 0],
    ['less than replicas with percents', d(10, '50%'), 5],
    ['equal replicas with percents', d(10, '100%'), 10],
    ['greater than replicas with percents', d(5, '100%'), 5],
  ];
  for (const [name, dep, want] of cases) assert.equal(maxUnavailable(dep), want, name);
});

test('a Deployment without a strategy is a RollingUpdate of 25%/25%, as apps/v1 defaults it', () => {
  const d: Deployment = { spec: { replicas: 10, selector: {}, template: {} } };
  assert.equal(maxSurge(d), 3);
  assert.equal(maxUnavailable(d), 2);
});
