import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ConfigMap, Pod, Secret } from '../../api/api.ts';
import { configMapPayload, downwardApiPayload, projectedPayload, secretPayload } from './projections.ts';

const alloc = { cpu: '2', memory: '4Gi', 'ephemeral-storage': '0' };
const text = (p: Map<string, { data: Buffer; mode: number }>) =>
  Object.fromEntries([...p].map(([k, v]) => [k, `${v.data.toString()}|${v.mode.toString(8)}`]));

const cm: ConfigMap = { metadata: { name: 'game' }, data: { lives: '3', 'ui.properties': 'color=red' }, binaryData: { blob: Buffer.from([1, 2]).toString('base64') } };
const secret: Secret = { metadata: { name: 'creds' }, data: { password: Buffer.from('s3cr3t').toString('base64') } };
const pod: Pod = {
  metadata: { name: 'p', namespace: 'ns', uid: 'u-1', labels: { app: 'web', tier: 'a"b' }, annotations: { build: 'two' } },
  spec: {
    containers: [{ name: 'app', image: 'busybox', resources: { limits: { memory: '64Mi' }, requests: { cpu: '250m' } } }],
    initContainers: [{ name: 'init', image: 'busybox', resources: { limits: { cpu: '500m' } } }],
  },
};

test('configMapPayload projects every key (data and binaryData) with the default mode when no items are given', () => {
  assert.deepEqual(text(configMapPayload(cm, undefined, 0o644, false)), {
    lives: '3|644',
    'ui.properties': 'color=red|644',
    blob: '\u0001\u0002|644',
  });
});

test('configMapPayload maps items to paths with their own mode and fails on a missing key unless optional', () => {
  const items = [{ key: 'lives', path: 'conf/lives', mode: 0o400 }];
  assert.deepEqual(text(configMapPayload(cm, items, 0o644, false)), { 'conf/lives': '3|400' });
  assert.throws(() => configMapPayload(cm, [{ key: 'nope', path: 'x' }], 0o644, false), /^PayloadError: configmap references non-existent config key: nope$/);
  assert.deepEqual(text(configMapPayload(cm, [{ key: 'nope', path: 'x' }], 0o644, true)), {});
});

test('secretPayload decodes base64 and names a missing key as the kubelet does', () => {
  assert.deepEqual(text(secretPayload(secret, undefined, 0o400, false)), { password: 's3cr3t|400' });
  assert.throws(() => secretPayload(secret, [{ key: 'token', path: 't' }], 0o644, false), /^PayloadError: references non-existent secret key: token$/);
  assert.deepEqual(text(secretPayload(undefined, undefined, 0o644, true)), {});
});

test('downwardApiPayload writes labels as sorted Go-quoted lines and resources with divisors', () => {
  const out = text(
    downwardApiPayload(
      pod,
      [
        { path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } },
        { path: 'name', fieldRef: { fieldPath: 'metadata.name' } },
        { path: 'build', fieldRef: { fieldPath: "metadata.annotations['build']" } },
        { path: 'mem', resourceFieldRef: { containerName: 'app', resource: 'limits.memory', divisor: '1Mi' } },
        { path: 'cpu', resourceFieldRef: { containerName: 'app', resource: 'limits.cpu', divisor: '1m' } },
        { path: 'init-cpu', resourceFieldRef: { containerName: 'init', resource: 'limits.cpu' }, mode: 0o600 },
      ],
      0o644,
      alloc,
    ),
  );
  assert.deepEqual(out, {
    labels: 'app="web"\ntier="a\\"b"|644',
    name: 'p|644',
    build: 'two|644',
    mem: '64|644',
    cpu: '2000|644',
    'init-cpu': '1|600',
  });
});

test('downwardApiPayload aggregates errors from every failing item', () => {
  assert.throws(
    () =>
      downwardApiPayload(
        pod,
        [
          { path: 'a', resourceFieldRef: { containerName: 'ghost', resource: 'limits.cpu' } },
          { path: 'b', resourceFieldRef: { containerName: 'other', resource: 'limits.cpu' } },
        ],
        0o644,
        alloc,
      ),
    /^PayloadError: \[container ghost not found, container other not found\]$/,
  );
});

test('projectedPayload merges sources in order and reports a service account token as unsupported', () => {
  const objects = { configMap: (n: string) => (n === 'game' ? cm : undefined), secret: (n: string) => (n === 'creds' ? secret : undefined) };
  const out = projectedPayload(
    pod,
    {
      defaultMode: 0o440,
      sources: [
        { configMap: { name: 'game', items: [{ key: 'lives', path: 'lives' }] } },
        { secret: { name: 'creds' } },
        { downwardAPI: { items: [{ path: 'ns', fieldRef: { fieldPath: 'metadata.namespace' } }] } },
      ],
    },
    objects,
    alloc,
  );
  assert.deepEqual(text(out), { lives: '3|440', password: 's3cr3t|440', ns: 'ns|440' });
  assert.throws(
    () => projectedPayload(pod, { sources: [{ configMap: { name: 'missing' } }, { serviceAccountToken: { path: 'token' } }] }, objects, alloc),
    (err: Error) =>
      err.message.startsWith('[configmap "missing" not found, cannot project a service account token for "ns/default"') && err.message.endsWith(']'),
  );
});
