import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatLabelSelector, labelSelectorString } from './label-selector-string.ts';

test('labelSelectorString sorts requirements by key and values within in/notin', () => {
  assert.equal(
    labelSelectorString({
      matchLabels: { tier: 'front', app: 'web' },
      matchExpressions: [
        { key: 'env', operator: 'In', values: ['prod', 'dev'] },
        { key: 'zone', operator: 'NotIn', values: ['b', 'a'] },
        { key: 'canary', operator: 'DoesNotExist' },
        { key: 'owner', operator: 'Exists' },
      ],
    }),
    'app=web,!canary,env in (dev,prod),owner,tier=front,zone notin (a,b)',
  );
});

test('labelSelectorString is empty for a null or empty selector, and throws for a bad operator', () => {
  assert.equal(labelSelectorString(undefined), '');
  assert.equal(labelSelectorString({}), '');
  assert.throws(() => labelSelectorString({ matchExpressions: [{ key: 'a', operator: 'Near' }] }), /not a valid label selector operator/);
});

test('formatLabelSelector shows <none> for an empty selector and <error> for one that does not convert', () => {
  assert.equal(formatLabelSelector({ matchLabels: { app: 'web' } }), 'app=web');
  assert.equal(formatLabelSelector({}), '<none>');
  assert.equal(formatLabelSelector(null), '<none>');
  assert.equal(formatLabelSelector({ matchExpressions: [{ key: 'a', operator: 'In', values: [] }] }), '<error>');
});
