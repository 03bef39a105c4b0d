import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { PersistentVolume, PersistentVolumeClaim } from 'kubernetes-types/core/v1.js';
import { findMatchingVolume, volumeFitsNode } from './matching.ts';

const claim: PersistentVolumeClaim = {
  metadata: { name: 'data', namespace: 'default', uid: 'claim-uid' },
  spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, storageClassName: 'manual', volumeMode: 'Filesystem' },
};

function pv(name: string, spec: Partial<NonNullable<PersistentVolume['spec']>> = {}, extra: Partial<PersistentVolume> = {}): PersistentVolume {
  return {
    metadata: { name, ...(extra.metadata ?? {}) },
    spec: { accessModes: ['ReadWriteOnce'], capacity: { storage: '1Gi' }, storageClassName: 'manual', volumeMode: 'Filesystem', ...spec },
    status: { phase: 'Available', ...(extra.status ?? {}) },
  };
}

// FindMatchingVolume's cases (pkg/controller/volume/persistentvolume/index_test.go), one volume offered at a time.
const cases: { name: string; volume: PersistentVolume; match: boolean; delayBinding?: boolean }[] = [
  { name: 'exact capacity, modes and class', volume: pv('a'), match: true },
  { name: 'larger capacity', volume: pv('a', { capacity: { storage: '10Gi' } }), match: true },
  { name: 'smaller capacity', volume: pv('a', { capacity: { storage: '999Mi' } }), match: false },
  { name: 'a superset of the access modes', volume: pv('a', { accessModes: ['ReadWriteOnce', 'ReadOnlyMany'] }), match: true },
  { name: 'missing an access mode', volume: pv('a', { accessModes: ['ReadOnlyMany'] }), match: false },
  { name: 'another class', volume: pv('a', { storageClassName: 'fast' }), match: false },
  { name: 'no class for a claim of a class', volume: pv('a', { storageClassName: undefined }), match: false },
  { name: 'block volume for a filesystem claim', volume: pv('a', { volumeMode: 'Block' }), match: false },
  { name: 'bound to another claim', volume: pv('a', { claimRef: { namespace: 'default', name: 'other', uid: 'x' } }), match: false },
  { name: 'pre-bound to this claim by name', volume: pv('a', { claimRef: { namespace: 'default', name: 'data' } }), match: true },
  { name: 'pre-bound to this claim, another class', volume: pv('a', { claimRef: { namespace: 'default', name: 'data' }, storageClassName: 'fast' }), match: true },
  { name: 'pre-bound to a former claim of that name', volume: pv('a', { claimRef: { namespace: 'default', name: 'data', uid: 'old' } }), match: false },
  { name: 'Released', volume: pv('a', {}, { status: { phase: 'Released' } }), match: false },
  { name: 'being deleted', volume: pv('a', {}, { metadata: { name: 'a', deletionTimestamp: '2026-01-01T00:00:00Z' } }), match: false },
  { name: 'unbound with delayed binding and no node', volume: pv('a'), match: false, delayBinding: true },
  { name: 'pre-bound with delayed binding', volume: pv('a', { claimRef: { namespace: 'default', name: 'data' } }), match: true, delayBinding: true },
];

for (const c of cases) {
  test(`findMatchingVolume ${c.match ? 'takes' : 'skips'} a volume: ${c.name}`, () => {
    const got = findMatchingVolume(claim, [c.volume], { delayBinding: c.delayBinding ?? false });
    assert.equal(got?.metadata?.name, c.match ? 'a' : undefined);
  });
}

test('findMatchingVolume takes the smallest fitting volume and honours the selector', () => {
  const vols = [pv('big', { capacity: { storage: '5Gi' } }), pv('mid', { capacity: { storage: '2Gi' } }), pv('gold', { capacity: { storage: '3Gi' } }, { metadata: { name: 'gold', labels: { tier: 'gold' } } })];
  assert.equal(findMatchingVolume(claim, vols, { delayBinding: false })?.metadata?.name, 'mid');
  const selective = { ...claim, spec: { ...claim.spec, selector: { matchLabels: { tier: 'gold' } } } };
  assert.equal(findMatchingVolume(selective, vols, { delayBinding: false })?.metadata?.name, 'gold');
});

test('volumeFitsNode checks the required node affinity against the node name and labels', () => {
  const local = pv('l', { nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: ['node1'] }] }] } } });
  assert.equal(volumeFitsNode(local, undefined, 'node1'), true);
  assert.equal(volumeFitsNode(local, undefined, 'node2'), false);
  assert.equal(findMatchingVolume(claim, [local], { delayBinding: true, node: { name: 'node2' } }), undefined);
  assert.equal(findMatchingVolume(claim, [local], { delayBinding: true, node: { name: 'node1' } })?.metadata?.name, 'l');
});
