import { test } from 'node:test';
import assert from 'node:assert/strict';
import { objectKey, splitKey } from './object-key.ts';

test('objectKey is namespace/name for namespaced objects and name for cluster-scoped ones, and splitKey undoes it', () => {
  assert.equal(objectKey({ metadata: { namespace: 'default', name: 'p' } }), 'default/p');
  assert.equal(objectKey({ metadata: { name: 'node1' } }), 'node1');
  assert.deepEqual(splitKey('default/p'), { namespace: 'default', name: 'p' });
  assert.deepEqual(splitKey('node1'), { namespace: undefined, name: 'node1' });
});
