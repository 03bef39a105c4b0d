import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deletionFinalizers, type PropagationOptions } from './deletion-finalizers.ts';

// Cases of store_test.go's TestDeletionFinalizersForGarbageCollection and
// TestStoreDeleteWithOrphanDependents for a kind whose default is DeleteDependents.
const cases: { name: string; current: string[]; opts: PropagationOptions; want: string[]; changed: boolean }[] = [
  { name: 'no options, no finalizers', current: [], opts: {}, want: [], changed: false },
  { name: 'no options keep orphan', current: ['orphan'], opts: {}, want: ['orphan'], changed: false },
  { name: 'no options keep foregroundDeletion', current: ['foregroundDeletion'], opts: {}, want: ['foregroundDeletion'], changed: false },
  { name: 'Orphan adds orphan', current: ['x'], opts: { propagationPolicy: 'Orphan' }, want: ['x', 'orphan'], changed: true },
  { name: 'Foreground adds foregroundDeletion', current: [], opts: { propagationPolicy: 'Foreground' }, want: ['foregroundDeletion'], changed: true },
  { name: 'Background removes both', current: ['orphan', 'x'], opts: { propagationPolicy: 'Background' }, want: ['x'], changed: true },
  { name: 'Foreground replaces orphan', current: ['orphan'], opts: { propagationPolicy: 'Foreground' }, want: ['foregroundDeletion'], changed: true },
  { name: 'Orphan replaces foregroundDeletion', current: ['foregroundDeletion', 'x'], opts: { propagationPolicy: 'Orphan' }, want: ['x', 'orphan'], changed: true },
  { name: 'orphanDependents=true adds orphan', current: [], opts: { orphanDependents: true }, want: ['orphan'], changed: true },
  { name: 'orphanDependents=false removes orphan and foreground', current: ['foregroundDeletion'], opts: { orphanDependents: false }, want: [], changed: true },
  { name: 'same set in another order is no change', current: ['orphan', 'x'], opts: { propagationPolicy: 'Orphan' }, want: ['orphan', 'x'], changed: false },
];

for (const c of cases) {
  test(`deletionFinalizers: ${c.name}`, () => {
    assert.deepEqual(deletionFinalizers(c.current, c.opts), { changed: c.changed, finalizers: c.want });
  });
}
