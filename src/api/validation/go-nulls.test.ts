import { test } from 'node:test';
import assert from 'node:assert/strict';
import { zeroNulls } from './go-nulls.ts';

test('zeroNulls makes null list elements and map values zero values and drops null fields, as Go decoding does', () => {
  const pod: any = {
    metadata: { name: 'p', labels: { a: null }, annotations: null },
    spec: {
      containers: [null, { name: 'c', command: [null, 'x'], ports: [null], resources: { requests: { cpu: null } } }],
      nodeSelector: null,
      terminationGracePeriodSeconds: null,
    },
  };
  zeroNulls('Pod', pod);
  assert.deepEqual(pod, {
    metadata: { name: 'p', labels: { a: '' } },
    spec: { containers: [{}, { name: 'c', command: ['', 'x'], ports: [{}], resources: { requests: { cpu: '0' } } }] },
  });
});

test('zeroNulls leaves unknown kinds and fields alone', () => {
  const x: any = { spec: { containers: [null] } };
  zeroNulls('NoSuchKind', x);
  assert.deepEqual(x, { spec: { containers: [null] } });
  const pod: any = { extra: null, spec: { extra: [null] } };
  zeroNulls('Pod', pod);
  assert.deepEqual(pod, { extra: null, spec: { extra: [null] } });
});
