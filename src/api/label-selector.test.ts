import { test } from 'node:test';
import assert from 'node:assert/strict';
import { selectorFromLabelSelector, selectorFromSet } from './label-selector.ts';

test('selectorFromLabelSelector selects nothing for a null selector and everything for an empty one', () => {
  assert.equal(selectorFromLabelSelector(undefined).matches({ a: 'b' }), false);
  assert.equal(selectorFromLabelSelector(null).matches({}), false);
  const all = selectorFromLabelSelector({});
  assert.equal(all.empty, true);
  assert.equal(all.matches(undefined), true);
});

test('selectorFromLabelSelector ANDs matchLabels and matchExpressions with Kubernetes operator semantics', () => {
  const s = selectorFromLabelSelector({
    matchLabels: { app: 'web' },
    matchExpressions: [
      { key: 'tier', operator: 'In', values: ['front', 'edge'] },
      { key: 'env', operator: 'NotIn', values: ['prod'] },
      { key: 'team', operator: 'Exists' },
      { key: 'legacy', operator: 'DoesNotExist' },
    ],
  });
  assert.equal(s.matches({ app: 'web', tier: 'front', team: 'x' }), true, 'NotIn matches a missing key');
  assert.equal(s.matches({ app: 'web', tier: 'edge', team: 'x', env: 'dev' }), true);
  assert.equal(s.matches({ app: 'web', tier: 'edge', team: 'x', env: 'prod' }), false);
  assert.equal(s.matches({ app: 'web', tier: 'back', team: 'x' }), false);
  assert.equal(s.matches({ app: 'web', tier: 'front' }), false);
  assert.equal(s.matches({ app: 'web', tier: 'front', team: 'x', legacy: '' }), false);
  assert.equal(s.matches({ app: 'api', tier: 'front', team: 'x' }), false);
  assert.equal(s.matches({ tier: 'front', team: 'x' }), false);
});

test('selectorFromLabelSelector refuses operators and values that do not fit', () => {
  assert.throws(() => selectorFromLabelSelector({ matchExpressions: [{ key: 'a', operator: 'In', values: [] }] }), /values set can't be empty/);
  assert.throws(() => selectorFromLabelSelector({ matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x'] }] }), /must be empty/);
  assert.throws(() => selectorFromLabelSelector({ matchExpressions: [{ key: 'a', operator: 'Gt', values: ['1'] }] }), /not a valid label selector operator/);
});

test('selectorFromSet matches objects carrying every label of the set, and an empty set matches all', () => {
  assert.equal(selectorFromSet({ app: 'web' }).matches({ app: 'web', x: 'y' }), true);
  assert.equal(selectorFromSet({ app: 'web' }).matches({ app: 'api' }), false);
  assert.equal(selectorFromSet({ constructor: 'x' }).matches({}), false, 'own keys only');
  assert.equal(selectorFromSet({}).matches(undefined), true);
});
