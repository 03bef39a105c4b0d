import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ControllerRevision } from 'kubernetes-types/apps/v1.js';
import { inProcessClient } from '../../client/client.ts';
import { memoryRegistry } from '../../registry/registry-fixture.ts';
import { selectorFromSet } from '../label-selector.ts';
import { bytes, computeHash, fnv32, fnv32a, goJson, safeEncodeString } from './hash.ts';
import {
  claimControllerRevisions,
  controllerRevisionHashLabel,
  controllerRevisionName,
  createControllerRevision,
  equalRevision,
  findEqualRevisions,
  hashControllerRevision,
  listControllerRevisions,
  newControllerRevision,
  nextRevision,
  revisionsToTruncate,
  sortControllerRevisions,
  updateRevisionNumber,
} from './history.ts';

const kind = { apiVersion: 'apps/v1', kind: 'DaemonSet' };
const owner = { metadata: { name: 'ds', namespace: 'default', uid: 'uid-1' } };

function rev(name: string, revision: number, extra: Partial<ControllerRevision['metadata']> = {}, data: unknown = { n: name }): ControllerRevision {
  return { metadata: { name, namespace: 'default', ...extra }, revision, data: data as any };
}

test('fnv32 and fnv32a give the published FNV test vectors', () => {
  assert.equal(fnv32(bytes('')), 0x811c9dc5);
  assert.equal(fnv32(bytes('a')), 0x050c5d7e);
  assert.equal(fnv32a(bytes('a')), 0xe40c292c);
  assert.equal(fnv32a(bytes('foobar')), 0xbf9cf968);
});

test('safeEncodeString spells decimal digits without vowels as apimachinery does', () => {
  assert.equal(safeEncodeString('0123456789'), '456789bcdf');
});

test('goJson sorts keys at every level and escapes HTML characters as encoding/json', () => {
  assert.equal(goJson({ b: 1, a: { d: [{ z: 1, y: 2 }], c: '<&>' }, $patch: 'replace' }), '{"$patch":"replace","a":{"c":"\\u003c\\u0026\\u003e","d":[{"y":2,"z":1}]},"b":1}');
});

test('computeHash changes with the collision count and is stable otherwise', () => {
  const t = { metadata: { labels: { app: 'x' } }, spec: { containers: [{ name: 'c', image: 'i' }] } };
  assert.equal(computeHash(t), computeHash(structuredClone(t)));
  assert.notEqual(computeHash(t, 0), computeHash(t, 1));
  assert.notEqual(computeHash(t), computeHash(t, 0));
  assert.match(computeHash(t), /^[bcdfghjklmnpqrstvwxz2456789]+$/);
});

test('controllerRevisionName cuts the prefix to 223 characters', () => {
  assert.equal(controllerRevisionName('web', 'abc'), 'web-abc');
  assert.equal(controllerRevisionName('x'.repeat(300), 'abc').length, 227);
});

test('newControllerRevision names, labels and owns the revision by the hash of its data and collision count', () => {
  const a = newControllerRevision(owner, kind, { app: 'x' }, { spec: 1 }, 3);
  assert.equal(a.revision, 3);
  assert.equal(a.metadata!.name, `ds-${a.metadata!.labels![controllerRevisionHashLabel]}`);
  assert.equal(a.metadata!.labels!.app, 'x');
  assert.deepEqual(a.metadata!.ownerReferences, [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'ds', uid: 'uid-1', controller: true, blockOwnerDeletion: true }]);
  const b = newControllerRevision(owner, kind, { app: 'x' }, { spec: 1 }, 3, 1);
  assert.notEqual(a.metadata!.name, b.metadata!.name);
  assert.equal(hashControllerRevision(a), hashControllerRevision(b), 'the hash of the data alone is the same');
});

test('equalRevision compares data, and findEqualRevisions keeps the order', () => {
  const a = rev('a', 1, {}, { x: 1, y: 2 });
  const b = rev('b', 2, {}, { y: 2, x: 1 });
  const c = rev('c', 3, {}, { x: 2 });
  assert.ok(equalRevision(a, b));
  assert.ok(!equalRevision(a, c));
  assert.ok(equalRevision(undefined, undefined));
  assert.ok(!equalRevision(a, undefined));
  assert.ok(!equalRevision(rev('a', 1, { labels: { [controllerRevisionHashLabel]: '1' } }, {}), rev('b', 1, { labels: { [controllerRevisionHashLabel]: '2' } }, {})));
  assert.deepEqual(findEqualRevisions([c, b, a], a).map((r) => r.metadata!.name), ['b', 'a']);
});

test('sortControllerRevisions orders by revision, then creation time, then name', () => {
  const sorted = sortControllerRevisions([
    rev('z', 2, { creationTimestamp: '2026-01-01T00:00:00Z' }),
    rev('b', 2, { creationTimestamp: '2026-01-01T00:00:00Z' }),
    rev('a', 2, { creationTimestamp: '2026-01-02T00:00:00Z' }),
    rev('q', 1),
  ]);
  assert.deepEqual(sorted.map((r) => r.metadata!.name), ['q', 'b', 'z', 'a']);
});

test('nextRevision is one past the highest, 1 with no history', () => {
  assert.equal(nextRevision([]), 1);
  assert.equal(nextRevision([rev('a', 4), rev('b', 2)]), 5);
});

test('revisionsToTruncate deletes the oldest beyond the limit and spares live ones', () => {
  const old = [rev('r3', 3), rev('r1', 1), rev('r2', 2), rev('r4', 4)];
  assert.deepEqual(revisionsToTruncate(old, 2, () => false).map((r) => r.metadata!.name), ['r1', 'r2']);
  assert.deepEqual(revisionsToTruncate(old, 2, (r) => r.metadata!.name === 'r1').map((r) => r.metadata!.name), ['r2', 'r3']);
  assert.deepEqual(revisionsToTruncate(old, 10, () => false), []);
  assert.deepEqual(revisionsToTruncate(old, 0, () => false).length, 4);
});

test('listControllerRevisions keeps matching revisions owned by the owner or by no controller', () => {
  const mine = rev('mine', 1, { labels: { app: 'x' }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'ds', uid: 'uid-1', controller: true }] });
  const theirs = rev('theirs', 1, { labels: { app: 'x' }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'o', uid: 'uid-2', controller: true }] });
  const orphan = rev('orphan', 1, { labels: { app: 'x' } });
  const other = rev('other', 1, { labels: { app: 'y' } });
  assert.deepEqual(listControllerRevisions([mine, theirs, orphan, other], owner, selectorFromSet({ app: 'x' })).map((r) => r.metadata!.name), ['mine', 'orphan']);
});

function store(t: { after(fn: () => void): void }) {
  const { registry } = memoryRegistry(t);
  return inProcessClient(registry).resource('controllerrevisions');
}

test('createControllerRevision returns an existing revision with the same data and counts collisions past one with other data', (t) => {
  const client = store(t);
  const r = newControllerRevision(owner, kind, { app: 'x' }, { spec: 1 }, 1);
  const first = createControllerRevision(client, owner, r, 0);
  assert.equal(first.collisionCount, 0);
  const again = createControllerRevision(client, owner, r, 0);
  assert.equal(again.revision.metadata!.uid, first.revision.metadata!.uid);
  assert.equal(again.collisionCount, 0);

  // Another revision squats the name the next data would get.
  const next = newControllerRevision(owner, kind, { app: 'x' }, { spec: 2 }, 2);
  client.create('default', { ...rev(controllerRevisionName('ds', hashControllerRevision(next, 0)), 9, {}, { other: true }) });
  const created = createControllerRevision(client, owner, next, 0);
  assert.equal(created.collisionCount, 1);
  assert.equal(created.revision.metadata!.name, controllerRevisionName('ds', hashControllerRevision(next, 1)));
  assert.deepEqual(created.revision.data, { spec: 2 });
});

test('claimControllerRevisions adopts matching orphans, releases its own that no longer match, and ignores others', (t) => {
  const client = store(t);
  const ref = { apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'ds', uid: 'uid-1', controller: true, blockOwnerDeletion: true };
  client.create('default', rev('orphan', 1, { labels: { app: 'x' } }));
  client.create('default', rev('stale', 2, { labels: { app: 'y' }, ownerReferences: [ref] }));
  client.create('default', rev('kept', 3, { labels: { app: 'x' }, ownerReferences: [ref] }));
  client.create('default', rev('foreign', 4, { labels: { app: 'x' }, ownerReferences: [{ ...ref, uid: 'uid-2' }] }));
  const all = client.list('default').items;
  let asked = 0;
  const claimed = claimControllerRevisions(client, owner, kind, selectorFromSet({ app: 'x' }), all, () => {
    asked++;
  });
  assert.deepEqual(claimed.map((r) => r.metadata!.name).sort(), ['kept', 'orphan']);
  assert.equal(asked, 1);
  assert.deepEqual(client.get('default', 'orphan')!.metadata!.ownerReferences, [ref]);
  assert.deepEqual(client.get('default', 'stale')!.metadata!.ownerReferences ?? [], []);
  assert.equal(client.get('default', 'foreign')!.metadata!.ownerReferences![0].uid, 'uid-2');

  // An owner that may not adopt (being deleted, per the fresh read) adopts nothing.
  client.create('default', rev('orphan2', 5, { labels: { app: 'x' } }));
  assert.throws(
    () =>
      claimControllerRevisions(client, owner, kind, selectorFromSet({ app: 'x' }), client.list('default').items, () => {
        throw new Error('ds has just been deleted');
      }),
    /can't adopt .*orphan2.*has just been deleted/,
  );
  assert.equal(client.get('default', 'orphan2')!.metadata!.ownerReferences, undefined);
});

test('updateRevisionNumber writes only a new number and retries a conflict on a fresh read', (t) => {
  const client = store(t);
  const created = client.create('default', rev('r', 1));
  assert.equal(updateRevisionNumber(client, created, 1), created, 'no write for the same number');
  client.update('default', { ...created, metadata: { ...created.metadata, labels: { moved: 'on' } } });
  const updated = updateRevisionNumber(client, created, 3);
  assert.equal(updated.revision, 3);
  assert.deepEqual(updated.metadata!.labels, { moved: 'on' });
});
