import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mountPointsBelow, parseMountInfo } from './mount-table.ts';
import { memoryBackedSize, podMemoryLimit } from './memory-size.ts';
import type { Pod } from '../../api/api.ts';

test('parseMountInfo reads mount points and undoes the octal escapes', () => {
  const text = [
    '22 1 0:21 / / rw,relatime - overlay overlay rw',
    '478 27 0:275 / /var/lib/berth/pods/u1/volumes/kubernetes.io~secret/my\\040secret rw,relatime - tmpfs tmpfs rw,size=1024k',
    '',
  ].join('\n');
  assert.deepEqual(parseMountInfo(text), ['/', '/var/lib/berth/pods/u1/volumes/kubernetes.io~secret/my secret']);
});

test('mountPointsBelow keeps the directory and its descendants, deepest first, and not its siblings', () => {
  const mps = ['/d/pods/u1', '/d/pods/u1/volumes/a', '/d/pods/u10/volumes/b', '/d/pods/u1/volume-subpaths/v/c/0', '/d/pods/u1/volumes/a'];
  assert.deepEqual(mountPointsBelow(mps, '/d/pods/u1/'), ['/d/pods/u1/volume-subpaths/v/c/0', '/d/pods/u1/volumes/a', '/d/pods/u1']);
});

const Mi = 1024n * 1024n;
const pod = (spec: Pod['spec']): Pod => ({ metadata: { name: 'p' }, spec });

test('podMemoryLimit sums app containers and sidecars, floors with init containers, and is unset when one container has no limit', () => {
  const lim = (name: string, mem: string, sidecar = false) => ({ name, resources: { limits: { memory: mem } }, ...(sidecar ? { restartPolicy: 'Always' } : {}) });
  assert.equal(podMemoryLimit(pod({ containers: [lim('a', '64Mi'), lim('b', '32Mi')] })), 96n * Mi);
  assert.equal(podMemoryLimit(pod({ initContainers: [lim('i', '512Mi')], containers: [lim('a', '64Mi')] })), 512n * Mi);
  assert.equal(podMemoryLimit(pod({ initContainers: [lim('s', '16Mi', true), lim('i', '32Mi')], containers: [lim('a', '64Mi')] })), 80n * Mi);
  assert.equal(podMemoryLimit(pod({ containers: [lim('a', '64Mi'), { name: 'b' }] })), undefined);
});

test('memoryBackedSize is the smallest of node memory, pod limit and sizeLimit', () => {
  const p = pod({ containers: [{ name: 'a', resources: { limits: { memory: '256Mi' } } }] });
  assert.equal(memoryBackedSize(p, '16Mi', '1Gi'), 16n * Mi);
  assert.equal(memoryBackedSize(p, '2Gi', '1Gi'), 256n * Mi);
  assert.equal(memoryBackedSize(pod({ containers: [{ name: 'a' }] }), undefined, '1Gi'), 1024n * Mi);
});
