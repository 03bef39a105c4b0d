import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { OwnerReference } from 'kubernetes-types/meta/v1.js';
import { AbsentOwnerCache, alternateOwnerIdentity, GraphNode, partitionDependents, referencesDiffs, type Identity } from './graph.ts';

const ref = (uid: string, extra: Partial<OwnerReference> = {}): OwnerReference => ({ apiVersion: 'v1', kind: 'ConfigMap', name: 'o', uid, ...extra });
const id = (name: string, namespace: string, uid = name): Identity => ({ apiVersion: 'v1', kind: 'ConfigMap', name, uid, namespace });
const dep = (name: string, namespace: string, owners: OwnerReference[]) => new GraphNode(id(name, namespace), { owners });

test('referencesDiffs tells added, removed and changed references by uid', () => {
  const { added, removed, changed } = referencesDiffs([ref('a'), ref('b', { blockOwnerDeletion: true })], [ref('b'), ref('c')]);
  assert.deepEqual(added, [ref('c')]);
  assert.deepEqual(removed, [ref('a')]);
  assert.deepEqual(changed, [{ oldRef: ref('b', { blockOwnerDeletion: true }), newRef: ref('b') }]);
  assert.deepEqual(referencesDiffs([ref('a')], [ref('a')]), { added: [], removed: [], changed: [] });
});

test('blockingDependents are the dependents whose reference to the node has blockOwnerDeletion', () => {
  const owner = new GraphNode(id('o', 'ns', 'u'));
  const blocking = dep('b', 'ns', [ref('u', { blockOwnerDeletion: true })]);
  const plain = dep('p', 'ns', [ref('u', { blockOwnerDeletion: false }), ref('other', { blockOwnerDeletion: true })]);
  owner.dependents.add(blocking).add(plain);
  assert.deepEqual(owner.blockingDependents(), [blocking]);
});

test('partitionDependents separates references matching the owner’s coordinates and namespace from the rest', () => {
  const owner = id('o', 'ns', 'u');
  const same = dep('same', 'ns', [ref('u')]);
  const otherNs = dep('other-ns', 'elsewhere', [ref('u')]);
  const otherKind = dep('other-kind', 'ns', [ref('u', { kind: 'Secret' })]);
  const both = dep('both', 'ns', [ref('u'), ref('u', { name: 'alias' })]);
  const { matching, nonmatching } = partitionDependents([same, otherNs, otherKind, both], owner);
  assert.deepEqual(matching.map((d) => d.identity.name), ['same', 'both']);
  assert.deepEqual(nonmatching.map((d) => d.identity.name), ['other-ns', 'other-kind', 'both']);
  // A cluster-scoped owner matches dependents in any namespace.
  assert.deepEqual(partitionDependents([otherNs], id('o', '', 'u')).matching, [otherNs]);
});

test('alternateOwnerIdentity picks the next other identity the dependents use for the uid, else the first', () => {
  const absent = id('o', 'ns', 'u');
  const deps = [
    dep('a', 'ns', [ref('u')]),
    dep('b', 'ns', [ref('u', { name: 'p' })]),
    dep('c', 'ns', [ref('u', { name: 'a-name' })]),
  ];
  assert.deepEqual(alternateOwnerIdentity(deps, absent), { ...absent, name: 'p' });
  assert.deepEqual(alternateOwnerIdentity(deps, { ...absent, name: 'q' }), { ...absent, name: 'a-name' });
  assert.equal(alternateOwnerIdentity([deps[0]], absent), undefined);
});

test('AbsentOwnerCache forgets the least recently used identity beyond its size', () => {
  const cache = new AbsentOwnerCache(2);
  cache.add(id('a', 'ns'));
  cache.add(id('b', 'ns'));
  assert.ok(cache.has(id('a', 'ns')));
  cache.add(id('c', 'ns'));
  assert.equal(cache.has(id('b', 'ns')), false);
  assert.ok(cache.has(id('a', 'ns')));
  assert.ok(cache.has(id('c', 'ns')));
  assert.equal(cache.has(id('a', '')), false, 'the namespace is part of the identity');
});
