import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from '../api/api.ts';
import { controllerIndex, indexByController, indexByNamespace, Indexer, namespaceIndex } from './indexer.ts';

const pod = (ns: string, name: string, owner?: string): Pod => ({
  metadata: {
    namespace: ns,
    name,
    ...(owner ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: owner, controller: true }] } : {}),
  },
});

test('Indexer keeps its indexes current when objects are set, replaced and deleted', () => {
  const ix = new Indexer<Pod>({ [namespaceIndex]: indexByNamespace, [controllerIndex]: indexByController });
  ix.set('a/p1', pod('a', 'p1', 'u1'));
  ix.set('a/p2', pod('a', 'p2'));
  ix.set('b/p3', pod('b', 'p3', 'u1'));
  assert.deepEqual(ix.byIndex(namespaceIndex, 'a').map((p) => p.metadata?.name).sort(), ['p1', 'p2']);
  assert.deepEqual(ix.indexKeys(controllerIndex, 'u1').sort(), ['a/p1', 'b/p3']);

  const old = ix.set('a/p1', pod('a', 'p1', 'u2'));
  assert.equal(old?.metadata?.ownerReferences?.[0].uid, 'u1');
  assert.deepEqual(ix.indexKeys(controllerIndex, 'u1'), ['b/p3']);
  assert.deepEqual(ix.indexKeys(controllerIndex, 'u2'), ['a/p1']);

  ix.delete('b/p3');
  assert.deepEqual(ix.indexKeys(controllerIndex, 'u1'), []);
  assert.equal(ix.size, 2);
  assert.equal(ix.delete('b/p3'), undefined);
});

test('Indexer indexByController ignores owners that are not the controller', () => {
  const p: Pod = { metadata: { name: 'p', ownerReferences: [{ apiVersion: 'v1', kind: 'X', name: 'x', uid: 'u' }] } };
  assert.deepEqual(indexByController(p), []);
});

test('Indexer addIndexers indexes what the cache already holds and refuses a name twice', () => {
  const ix = new Indexer<Pod>();
  ix.set('a/p1', pod('a', 'p1'));
  ix.addIndexers({ [namespaceIndex]: indexByNamespace });
  assert.deepEqual(ix.indexKeys(namespaceIndex, 'a'), ['a/p1']);
  assert.throws(() => ix.addIndexers({ [namespaceIndex]: indexByNamespace }), /indexer "namespace" already exists/);
  assert.throws(() => ix.byIndex('nope', 'x'), /index "nope" does not exist/);
});
