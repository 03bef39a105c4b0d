import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ObjectMeta, OwnerReference } from 'kubernetes-types/meta/v1.js';
import { GraphBuilder, type GraphEvent } from './graph-builder.ts';

function recording() {
  const seen = { attemptToDelete: [] as string[], rateLimited: [] as string[], attemptToOrphan: [] as string[], invalid: [] as string[] };
  const builder = new GraphBuilder({
    attemptToDelete: (uid) => seen.attemptToDelete.push(uid),
    attemptToDeleteRateLimited: (uid) => seen.rateLimited.push(uid),
    attemptToOrphan: (uid) => seen.attemptToOrphan.push(uid),
    reportInvalidNamespace: (d, owner) => seen.invalid.push(`${d.identity.name}->${owner}`),
    log: () => {},
  });
  return { builder, seen };
}

const ref = (name: string, uid: string, extra: Partial<OwnerReference> = {}): OwnerReference => ({ apiVersion: 'v1', kind: 'ConfigMap', name, uid, ...extra });
const ev = (type: GraphEvent['type'], metadata: ObjectMeta, oldMeta?: ObjectMeta): GraphEvent => ({
  type,
  apiVersion: 'v1',
  kind: 'ConfigMap',
  obj: { metadata: { namespace: 'ns', ...metadata } },
  oldObj: oldMeta ? { metadata: { namespace: 'ns', ...oldMeta } } : undefined,
});

test('graph builder adds a virtual node for an unseen owner and sends it to be verified; seeing the owner makes it real', () => {
  const { builder, seen } = recording();
  builder.process(ev('add', { name: 'dep', uid: 'd', ownerReferences: [ref('owner', 'o')] }));
  const virtual = builder.uidToNode.get('o');
  assert.equal(virtual?.virtual, true);
  assert.deepEqual(seen.attemptToDelete, ['o']);
  builder.process(ev('add', { name: 'owner', uid: 'o' }));
  assert.equal(builder.uidToNode.get('o')?.virtual, false);
  assert.deepEqual([...builder.uidToNode.get('o')!.dependents].map((n) => n.identity.name), ['dep']);
});

test('graph builder sends the dependents of a deleted owner to attemptToDelete and remembers the owner as absent', () => {
  const { builder, seen } = recording();
  builder.process(ev('add', { name: 'owner', uid: 'o' }));
  builder.process(ev('add', { name: 'dep', uid: 'd', ownerReferences: [ref('owner', 'o')] }));
  seen.attemptToDelete.length = 0;
  builder.process(ev('delete', { name: 'owner', uid: 'o' }));
  assert.equal(builder.uidToNode.has('o'), false);
  assert.deepEqual(seen.attemptToDelete, ['d']);
  assert.ok(builder.absentOwnerCache.has({ apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: 'o', namespace: 'ns' }));
});

test('graph builder sends an owner to attemptToOrphan when its deletion starts with the orphan finalizer, once', () => {
  const { builder, seen } = recording();
  builder.process(ev('add', { name: 'owner', uid: 'o' }));
  const deleting = { name: 'owner', uid: 'o', deletionTimestamp: '2026-01-01T00:00:00Z', finalizers: ['orphan'] };
  builder.process(ev('update', deleting, { name: 'owner', uid: 'o' }));
  builder.process(ev('update', deleting, deleting));
  assert.deepEqual(seen.attemptToOrphan, ['o']);
});

test('graph builder marks a foreground deletion and sends the owner and its dependents to attemptToDelete', () => {
  const { builder, seen } = recording();
  builder.process(ev('add', { name: 'owner', uid: 'o' }));
  builder.process(ev('add', { name: 'dep', uid: 'd', ownerReferences: [ref('owner', 'o', { blockOwnerDeletion: true })] }));
  seen.attemptToDelete.length = 0;
  builder.process(ev('update', { name: 'owner', uid: 'o', deletionTimestamp: '2026-01-01T00:00:00Z', finalizers: ['foregroundDeletion'] }, { name: 'owner', uid: 'o' }));
  assert.equal(builder.uidToNode.get('o')?.deletingDependents, true);
  assert.deepEqual(seen.attemptToDelete, ['d', 'o']);
  // The blocking reference removed: the owner is looked at again.
  seen.attemptToDelete.length = 0;
  builder.process(ev('update', { name: 'dep', uid: 'd', ownerReferences: [] }));
  assert.deepEqual(seen.attemptToDelete, ['o']);
  assert.equal(builder.uidToNode.get('o')?.dependents.size, 0);
});

test('graph builder reports a dependent naming an observed owner of another namespace, and sends it to be verified', () => {
  const { builder, seen } = recording();
  builder.process({ ...ev('add', { name: 'owner', uid: 'o' }), obj: { metadata: { name: 'owner', uid: 'o', namespace: 'other' } } });
  builder.process(ev('add', { name: 'dep', uid: 'd', ownerReferences: [ref('owner', 'o')] }));
  assert.deepEqual(seen.invalid, ['dep->o']);
  assert.deepEqual(seen.attemptToDelete, ['d']);
});

test('graph builder reports dependents of another namespace when the owner they made virtual is observed', () => {
  const { builder, seen } = recording();
  builder.process(ev('add', { name: 'dep', uid: 'd', ownerReferences: [ref('owner', 'o')] }));
  builder.process({ ...ev('add', { name: 'owner', uid: 'o' }), obj: { metadata: { name: 'owner', uid: 'o', namespace: 'other' } } });
  assert.deepEqual(seen.invalid, ['dep->o']);
  assert.equal(builder.uidToNode.get('o')?.identity.namespace, 'other');
});

test('a virtual delete keeps a virtual node other dependents name differently, under their identity', () => {
  const { builder, seen } = recording();
  builder.process(ev('add', { name: 'a', uid: 'a', ownerReferences: [ref('owner', 'o')] }));
  builder.process(ev('add', { name: 'b', uid: 'b', ownerReferences: [ref('alias', 'o')] }));
  seen.attemptToDelete.length = 0;
  builder.process({ ...ev('delete', { name: 'owner', uid: 'o' }), virtual: true });
  const node = builder.uidToNode.get('o');
  assert.equal(node?.identity.name, 'alias');
  assert.deepEqual(seen.attemptToDelete, ['a']);
  assert.deepEqual(seen.rateLimited, ['o']);
  // Once the dependent that matched is gone, a verified absence of the alias removes the node.
  builder.process(ev('delete', { name: 'a', uid: 'a', ownerReferences: [ref('owner', 'o')] }));
  builder.process({ ...ev('delete', { name: 'alias', uid: 'o' }), virtual: true });
  assert.equal(builder.uidToNode.has('o'), false);
});
