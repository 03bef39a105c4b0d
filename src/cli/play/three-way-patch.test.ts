import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { strategicMergePatch } from '../../api/patch/patch.ts';
import { threeWayJsonMergePatch, threeWayMergePatch } from './three-way-patch.ts';

const pod = (image: string, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p', namespace: 'default', labels: { app: 'a' } },
  spec: { containers: [{ name: 'c', image, ...extra }] },
});

/** What the server holds after creating `manifest`: defaults and status added. */
const served = (manifest: any) => {
  const s = structuredClone(manifest);
  s.metadata.uid = 'u1';
  s.metadata.resourceVersion = '7';
  s.spec.restartPolicy = 'Always';
  s.spec.containers = s.spec.containers.map((c: any) => ({ terminationMessagePath: '/dev/termination-log', imagePullPolicy: 'IfNotPresent', ...c }));
  s.status = { phase: 'Running' };
  return s;
};

describe('threeWayMergePatch', () => {
  it('threeWayMergePatch is empty when the manifest did not change', () => {
    const m = pod('busybox:1.35');
    assert.deepEqual(threeWayMergePatch(m, m, served(m), 'Pod'), {});
  });

  it('threeWayMergePatch leaves server-added fields alone', () => {
    const m = pod('busybox:1.35');
    const patch = threeWayMergePatch(m, m, served(m), 'Pod');
    assert.equal(JSON.stringify(patch).includes('terminationMessagePath'), false);
    assert.equal(JSON.stringify(patch).includes('status'), false);
  });

  it('threeWayMergePatch changes a container image by merge key, with $setElementOrder', () => {
    const before = pod('busybox:1.35');
    const after = pod('busybox:1.36');
    const patch = threeWayMergePatch(before, after, served(before), 'Pod');
    assert.deepEqual(patch, {
      spec: { containers: [{ name: 'c', image: 'busybox:1.36' }], '$setElementOrder/containers': [{ name: 'c' }] },
    });
    const result: any = strategicMergePatch(served(before), patch, 'Pod');
    assert.equal(result.spec.containers[0].image, 'busybox:1.36');
    assert.equal(result.spec.containers[0].terminationMessagePath, '/dev/termination-log');
  });

  it('threeWayMergePatch deletes only what the user removed from the manifest', () => {
    const before = pod('busybox:1.35');
    const after = structuredClone(before);
    delete (after.metadata as any).labels;
    const current = served(before);
    current.metadata.annotations = { 'added-by': 'someone-else' };
    const patch: any = threeWayMergePatch(before, after, current, 'Pod');
    assert.deepEqual(patch, { metadata: { labels: null } });
  });

  it('threeWayMergePatch removes a list item with $patch: delete', () => {
    const before = pod('x', { env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }] });
    const after = pod('x', { env: [{ name: 'A', value: '1' }] });
    const patch: any = threeWayMergePatch(before, after, served(before), 'Pod');
    assert.deepEqual(patch.spec.containers, [{ name: 'c', env: [{ name: 'B', $patch: 'delete' }] }]);
    const result: any = strategicMergePatch(served(before), patch, 'Pod');
    assert.deepEqual(result.spec.containers[0].env, [{ name: 'A', value: '1' }]);
  });

  it('threeWayMergePatch deletes nothing without an original (no last-applied annotation)', () => {
    const after = pod('busybox:1.35');
    const current = served(pod('busybox:1.35'));
    current.metadata.labels = { app: 'a', extra: 'kept' };
    assert.deepEqual(threeWayMergePatch(undefined, after, current, 'Pod'), {});
  });

  it('threeWayMergePatch adds and removes primitive set items (finalizers)', () => {
    const before: any = pod('x');
    before.metadata.finalizers = ['a/one', 'b/two'];
    const after: any = pod('x');
    after.metadata.finalizers = ['b/two', 'c/three'];
    const patch: any = threeWayMergePatch(before, after, served(before), 'Pod');
    assert.deepEqual(patch.metadata.finalizers, ['c/three']);
    assert.deepEqual(patch.metadata['$deleteFromPrimitiveList/finalizers'], ['a/one']);
  });
});

describe('threeWayJsonMergePatch', () => {
  it('threeWayJsonMergePatch replaces lists whole when they changed', () => {
    const before = { kind: 'Thing', spec: { items: [1, 2] }, metadata: { name: 't' } };
    const after = { kind: 'Thing', spec: { items: [1, 3] }, metadata: { name: 't' } };
    assert.deepEqual(threeWayJsonMergePatch(before, after, before), { spec: { items: [1, 3] } });
  });
});
