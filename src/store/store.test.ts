import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Store, StoreError, type StoreEvent } from './store.ts';

function stamp(v: any, rev: number) {
  v.metadata = { ...(v.metadata ?? {}), resourceVersion: String(rev) };
}

function tempStore(t: { after: (fn: () => void) => void }, opts: { retainRevisions?: number } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'berth-store-'));
  const file = join(dir, 'state.db');
  const stores: Store[] = [];
  const open = () => {
    const s = new Store({ file, stampRevision: stamp, ...opts });
    stores.push(s);
    return s;
  };
  t.after(() => {
    for (const s of stores) s.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  return open;
}

test('store assigns increasing revisions and stamps them into values', (t) => {
  const s = tempStore(t)();
  const a = s.create('/pods/default/a', { x: 1 });
  const b = s.create('/pods/default/b', { x: 2 });
  assert.equal(b.revision, a.revision + 1);
  assert.equal(s.get('/pods/default/a')?.value.metadata?.resourceVersion, String(a.revision));
  assert.equal(s.currentRevision(), b.revision);
});

test('store create fails with KeyExists when the key is live', (t) => {
  const s = tempStore(t)();
  s.create('/k', { x: 1 });
  assert.throws(() => s.create('/k', { x: 2 }), (e: unknown) => e instanceof StoreError && e.code === 'KeyExists');
});

test('store update fails with Conflict when the expected revision is stale', (t) => {
  const s = tempStore(t)();
  const e = s.create('/k', { x: 1 });
  s.update('/k', { x: 2 }, e.revision);
  assert.throws(() => s.update('/k', { x: 3 }, e.revision), (err: unknown) => err instanceof StoreError && err.code === 'Conflict');
  assert.equal(s.get('/k')?.value.x, 2);
});

test('store get returns copies that callers may change freely', (t) => {
  const s = tempStore(t)();
  s.create('/k', { x: 1 });
  const v = s.get('/k')!.value;
  v.x = 99;
  assert.equal(s.get('/k')?.value.x, 1);
});

test('store list returns live keys under a prefix sorted by key', (t) => {
  const s = tempStore(t)();
  s.create('/pods/ns1/b', {});
  s.create('/pods/ns1/a', {});
  s.create('/pods/ns2/c', {});
  s.create('/events/ns1/e', {});
  s.delete('/pods/ns2/c');
  assert.deepEqual(s.list('/pods/').items.map((e) => e.key), ['/pods/ns1/a', '/pods/ns1/b']);
  assert.equal(s.count('/pods/ns1/'), 2);
});

test('store reopens with the same state and revision after a restart', (t) => {
  const open = tempStore(t);
  const s1 = open();
  s1.create('/a', { v: 1 });
  s1.update('/a', { v: 2 });
  s1.create('/b', { v: 3 });
  s1.delete('/b');
  const rev = s1.currentRevision();
  s1.stop();
  const s2 = open();
  assert.equal(s2.currentRevision(), rev);
  assert.equal(s2.get('/a')?.value.v, 2);
  assert.equal(s2.get('/b'), undefined);
  assert.equal(s2.create('/c', {}).revision, rev + 1);
});

test('store watch replays changes after a revision, then streams new ones in order', (t) => {
  const s = tempStore(t)();
  const r0 = s.create('/pods/a', { v: 1 }).revision;
  s.update('/pods/a', { v: 2 });
  s.create('/other/x', {});
  s.delete('/pods/a');
  const seen: StoreEvent[] = [];
  const stop = s.watch('/pods/', r0, (e) => seen.push(e));
  s.create('/pods/b', { v: 3 });
  stop();
  s.create('/pods/c', {});
  assert.deepEqual(
    seen.map((e) => [e.type, e.key]),
    [
      ['MODIFIED', '/pods/a'],
      ['DELETED', '/pods/a'],
      ['ADDED', '/pods/b'],
    ],
  );
  assert.equal(seen[0].prevValue?.v, 1);
  assert.equal(seen[1].value.v, 2);
  assert.equal(seen[1].value.metadata?.resourceVersion, String(seen[1].revision));
});

test('store watch events are frozen so one listener cannot corrupt another', (t) => {
  const s = tempStore(t)();
  let got: StoreEvent | undefined;
  s.watch('/', 0, (e) => (got = e));
  s.create('/a', { nested: { v: 1 } });
  assert.throws(() => {
    (got!.value.nested as { v: number }).v = 2;
  }, TypeError);
});

test('store watch from a compacted revision fails with Compacted', (t) => {
  const s = tempStore(t, { retainRevisions: 2 })();
  const first = s.create('/a', { v: 0 }).revision;
  for (let i = 1; i <= 5; i++) s.update('/a', { v: i });
  s.compact();
  assert.throws(() => s.watch('/', first, () => {}), (e: unknown) => e instanceof StoreError && e.code === 'Compacted');
  // The newest value and recent history survive compaction.
  assert.equal(s.get('/a')?.value.v, 5);
  const seen: StoreEvent[] = [];
  s.watch('/', s.currentRevision() - 1, (e) => seen.push(e));
  assert.equal(seen.length, 1);
});

test('store replay gives prevValue from history when the previous write precedes the window', (t) => {
  const s = tempStore(t)();
  s.create('/a', { v: 1 });
  const r = s.create('/b', {}).revision;
  s.update('/a', { v: 2 });
  const seen: StoreEvent[] = [];
  s.watch('/a', r, (e) => seen.push(e));
  assert.equal(seen[0].prevValue?.v, 1);
});

test('store delivers events in revision order when a listener writes during delivery', (t) => {
  const s = tempStore(t)();
  const seenByB: number[] = [];
  s.watch('/', 0, (e) => {
    if (e.key === '/a') s.create('/b', {});
  });
  s.watch('/', 0, (e) => seenByB.push(e.revision));
  s.create('/a', {});
  assert.deepEqual(seenByB, [...seenByB].sort((x, y) => x - y));
  assert.equal(seenByB.length, 2);
});

test('store listAt reads the state at a past revision, complete down to the compaction revision', (t) => {
  const s = tempStore(t, { retainRevisions: 2 })();
  s.create('/p/a', { v: 1 });
  s.create('/p/b', { v: 1 });
  const mid = s.currentRevision();
  s.create('/p/c', { v: 1 });
  s.delete('/p/b');
  s.update('/p/a', { v: 2 });
  s.compact();
  // /p/a's row at `mid` is still its newest at or below the compaction revision: kept, as etcd keeps it.
  assert.deepEqual(s.listAt('/p/', mid + 2).map((e) => [e.key, e.value.v]), [['/p/a', 1], ['/p/c', 1]]);
  assert.deepEqual(s.listAt('/p/', s.currentRevision(), '/p/b').map((e) => e.key), ['/p/c']);
  assert.throws(() => s.listAt('/p/', mid), (e: unknown) => e instanceof StoreError && e.code === 'Compacted');
});
