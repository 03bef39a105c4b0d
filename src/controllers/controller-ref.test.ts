import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { ReplicaSet } from 'kubernetes-types/apps/v1.js';
import { controllerFixture } from './controller-fixture.ts';
import { ControllerRefManager, controllerRefOf, newControllerRef, recheckOwner, resolveControllerRef, routeOwnedUpdate } from './controller-ref.ts';
import type { ApiObject } from '../client/client.ts';
import { selectorFromSet } from './label-selector.ts';

const rsKind = { apiVersion: 'apps/v1', kind: 'ReplicaSet' };

function setup(t: { after(fn: () => void): void }) {
  const f = controllerFixture(t);
  const rsClient = f.client.resource('replicasets');
  const pods = f.client.resource('pods');
  const rs = rsClient.create('default', {
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } },
    },
  } as ReplicaSet);
  const pod = (name: string, labels: Record<string, string>, extra: Partial<Pod['metadata']> = {}): Pod =>
    pods.create('default', {
      metadata: { name, namespace: 'default', labels, ...extra },
      spec: { containers: [{ name: 'c', image: 'nginx' }] },
    } as Pod);
  const manager = (owner: ReplicaSet = rs, canAdopt?: () => void) =>
    new ControllerRefManager<ReplicaSet, Pod>({ owner, ownerKind: rsKind, selector: selectorFromSet({ app: 'web' }), client: pods, canAdopt });
  return { f, rs, rsClient, pods, pod, manager };
}

test('claim adopts a matching orphan with a controller reference that blocks owner deletion', (t) => {
  const { rs, pods, pod, manager } = setup(t);
  const orphan = pod('orphan', { app: 'web' });
  let checked = 0;
  assert.deepEqual(manager(rs, () => checked++).claim([]), { claimed: [], errors: [] });
  assert.equal(checked, 0, 'no candidates: canAdopt never runs');
  const result = manager().claim([orphan]);
  assert.deepEqual(result.errors, []);
  assert.equal(result.claimed.length, 1);
  assert.deepEqual(pods.get('default', 'orphan')?.metadata?.ownerReferences, [
    { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: rs.metadata!.uid, controller: true, blockOwnerDeletion: true },
  ]);
  assert.deepEqual(controllerRefOf(result.claimed[0]), newControllerRef(rs, rsKind));
});

test('claim ignores objects controlled by another owner and non-matching orphans', (t) => {
  const { pods, pod, manager } = setup(t);
  const other = { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'other', uid: 'other-uid', controller: true };
  const owned = pod('owned-elsewhere', { app: 'web' }, { ownerReferences: [other] });
  const stranger = pod('stranger', { app: 'db' });
  const { claimed, errors } = manager().claim([owned, stranger]);
  assert.deepEqual([claimed, errors], [[], []]);
  assert.deepEqual(pods.get('default', 'owned-elsewhere')?.metadata?.ownerReferences, [other]);
  assert.equal(pods.get('default', 'stranger')?.metadata?.ownerReferences, undefined);
});

test('claim releases an owned object whose labels stop matching, keeping its other references', (t) => {
  const { rs, pods, pod, manager } = setup(t);
  const keep = { apiVersion: 'v1', kind: 'ConfigMap', name: 'cm', uid: 'cm-uid' };
  const p = pod('moved', { app: 'other' }, { ownerReferences: [keep, newControllerRef(rs, rsKind)] });
  const { claimed, errors } = manager().claim([p]);
  assert.deepEqual([claimed, errors], [[], []]);
  assert.deepEqual(pods.get('default', 'moved')?.metadata?.ownerReferences, [keep]);
});

test('claim keeps what it owns but neither adopts nor releases while the owner is being deleted', (t) => {
  const { rs, pods, pod, manager } = setup(t);
  const mine = pod('mine', { app: 'web' }, { ownerReferences: [newControllerRef(rs, rsKind)] });
  const moved = pod('moved', { app: 'db' }, { ownerReferences: [newControllerRef(rs, rsKind)] });
  const orphan = pod('orphan', { app: 'web' });
  const deleting = { ...rs, metadata: { ...rs.metadata, deletionTimestamp: '2026-01-01T00:00:00Z' } };
  const { claimed, errors } = manager(deleting).claim([mine, moved, orphan]);
  assert.deepEqual(errors, []);
  assert.deepEqual(claimed.map((p) => p.metadata?.name), ['mine']);
  assert.equal(pods.get('default', 'moved')?.metadata?.ownerReferences?.length, 1);
  assert.equal(pods.get('default', 'orphan')?.metadata?.ownerReferences, undefined);
});

test('claim does not adopt an orphan that is being deleted or lives in another namespace', (t) => {
  const { pods, manager } = setup(t);
  const dying = { metadata: { name: 'dying', namespace: 'default', uid: 'x', labels: { app: 'web' }, deletionTimestamp: '2026-01-01T00:00:00Z' } } as Pod;
  const elsewhere = { metadata: { name: 'elsewhere', namespace: 'kube-system', uid: 'y', labels: { app: 'web' } } } as Pod;
  const { claimed, errors } = manager().claim([dying, elsewhere]);
  assert.deepEqual([claimed, errors], [[], []]);
  assert.equal(pods.get('default', 'dying'), undefined);
});

test('claim applies filters after the selector', (t) => {
  const { pod, manager } = setup(t);
  const a = pod('a', { app: 'web' });
  const b = pod('b', { app: 'web' });
  const { claimed } = manager().claim([a, b], [(p) => p.metadata?.name === 'b']);
  assert.deepEqual(claimed.map((p) => p.metadata?.name), ['b']);
});

test('recheckOwner refuses adoption, once per pass, when the owner was replaced or is being deleted', (t) => {
  const { rs, rsClient, pods, pod, manager } = setup(t);
  const a = pod('a', { app: 'web' });
  const b = pod('b', { app: 'web' });
  let calls = 0;
  const check = recheckOwner(rsClient, rs, 'ReplicaSet');
  const counted = () => {
    calls++;
    check();
  };
  assert.deepEqual(manager(rs, counted).claim([a]).errors, []);

  rsClient.delete('default', 'web');
  const { errors } = manager(rs, counted).claim([b]);
  assert.equal(errors.length, 1);
  assert.equal(errors[0].message, `can't adopt Pod default/b (${b.metadata!.uid}): can't recheck DeletionTimestamp: replicasets.apps "web" not found`);

  const again = rsClient.create('default', { ...rs, metadata: { name: 'web', namespace: 'default' } });
  const c = pod('c', { app: 'web' });
  const d = pod('d', { app: 'web' });
  calls = 0;
  const res = manager(rs, counted).claim([c, d]);
  assert.equal(calls, 1, 'canAdopt runs once per manager');
  assert.deepEqual(
    res.errors.map((e) => e.message),
    [c, d].map(
      (p) =>
        `can't adopt Pod default/${p.metadata!.name} (${p.metadata!.uid}): can't recheck DeletionTimestamp: original ReplicaSet default/web is gone: got uid ${again.metadata!.uid}, wanted ${rs.metadata!.uid}`,
    ),
  );
  assert.equal(pods.get('default', 'c')?.metadata?.ownerReferences, undefined);

  rsClient.update('default', { ...again, metadata: { ...again.metadata, finalizers: ['example.com/hold'] } });
  rsClient.delete('default', 'web');
  const e = pod('e', { app: 'web' });
  const deleting = manager(rsClient.get('default', 'web')!, recheckOwner(rsClient, again, 'ReplicaSet')).claim([e]);
  assert.deepEqual(deleting, { claimed: [], errors: [] }, 'the cached owner already shows the deletion: no attempt');
  const stale = manager(again, recheckOwner(rsClient, again, 'ReplicaSet')).claim([e]);
  assert.deepEqual(
    stale.errors.map((x) => x.message),
    [`can't adopt Pod default/e (${e.metadata!.uid}): default/web has just been deleted at 2026-01-01 00:00:00 +0000 UTC`],
  );
});

test('claim does not adopt an object that gained another controller since the cache saw it', (t) => {
  const { pods, pod, manager } = setup(t);
  const stale = pod('p', { app: 'web' });
  const other = { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'other', uid: 'other-uid', controller: true };
  pods.update('default', { ...pods.get('default', 'p')!, metadata: { ...pods.get('default', 'p')!.metadata, ownerReferences: [other] } });
  const { claimed, errors } = manager().claim([stale]);
  assert.deepEqual(claimed, []);
  assert.equal(errors.length, 1);
  assert.deepEqual(pods.get('default', 'p')?.metadata?.ownerReferences, [other]);
});

test('claim treats an object deleted meanwhile as not claimed, without error', (t) => {
  const { pods, pod, manager } = setup(t);
  const p = pod('p', { app: 'web' });
  pods.delete('default', 'p', { gracePeriodSeconds: 0 });
  assert.deepEqual(manager().claim([p]), { claimed: [], errors: [] });
});

test('resolveControllerRef finds the owner by kind, name and uid, whatever the apiVersion', (t) => {
  const { rs } = setup(t);
  const lookup = (name: string) => (name === 'web' ? rs : undefined);
  const ref = newControllerRef(rs, rsKind);
  assert.equal(resolveControllerRef(ref, rsKind, lookup), rs);
  assert.equal(resolveControllerRef({ ...ref, apiVersion: 'extensions/v1beta1' }, rsKind, lookup), rs, 'upstream compares the kind only');
  assert.equal(resolveControllerRef({ ...ref, kind: 'Deployment' }, rsKind, lookup), undefined);
  assert.equal(resolveControllerRef({ ...ref, uid: 'old' }, rsKind, lookup), undefined);
  assert.equal(resolveControllerRef(undefined, rsKind, lookup), undefined);
});

test('routeOwnedUpdate wakes the old and new controllers on a ref change, and selecting owners for an orphan whose labels changed', () => {
  const ref = (name: string) => ({ apiVersion: 'apps/v1', kind: 'ReplicaSet', name, uid: `uid-${name}`, controller: true });
  const pod = (labels: Record<string, string>, owner?: string) => ({ metadata: { name: 'p', namespace: 'ns', labels, ...(owner ? { ownerReferences: [ref(owner)] } : {}) } });
  const run = (old: ApiObject, cur: ApiObject) => {
    const woke: string[] = [];
    routeOwnedUpdate<string, ApiObject>(old, cur, {
      owner: (o) => controllerRefOf(o)?.name,
      selecting: () => ['sel-a', 'sel-b'],
      enqueue: (o) => woke.push(o),
      owned: (o) => woke.push(`owned:${o}`),
    });
    return woke;
  };
  assert.deepEqual(run(pod({ a: '1' }, 'x'), pod({ a: '1' }, 'y')), ['x', 'y', 'owned:y']);
  assert.deepEqual(run(pod({ a: '1' }, 'x'), pod({ a: '2' }, 'x')), ['x', 'owned:x']);
  assert.deepEqual(run(pod({ a: '1' }, 'x'), pod({ a: '1' })), ['x', 'sel-a', 'sel-b']);
  assert.deepEqual(run(pod({ a: '1' }), pod({ a: '2' })), ['sel-a', 'sel-b']);
  assert.deepEqual(run(pod({ a: '1' }), pod({ a: '1' })), []);
});
