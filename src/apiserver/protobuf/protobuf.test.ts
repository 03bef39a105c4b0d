import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '../../api/api.ts';
import { decodeKubernetesProtobuf, isKubernetesProtobuf } from './protobuf.ts';

// Bodies as kubectl 1.32 sent them (captured with a logging server):
// `create configmap cm1 --from-literal=a=1 --from-literal=empty= -n ns1`,
// `create secret generic s1 --from-literal=pw=s3cret --from-file=f.bin` (f.bin = "bin\0\1"),
// `create ns ns2`.
const captured = {
  configMap:
    '6b3873000a0f0a0276311209436f6e6669674d6170122b0a160a03636d3112001a036e733122002a0032003800420012060a016112013112090a05656d70747912001a002200',
  secret:
    '6b3873000a0c0a0276311206536563726574123a0a120a02733112001a0022002a00320038004200120e0a05662e62696e120562696e0001120c0a02707712067333637265741a064f70617175651a002200',
  namespace: '6b3873000a0f0a02763112094e616d657370616365121b0a130a036e733212001a0022002a0032003800420012001a020a001a002200',
};

test('decodeKubernetesProtobuf reads a ConfigMap as kubectl sends it, dropping Go zero values', () => {
  assert.deepEqual(decodeKubernetesProtobuf(Buffer.from(captured.configMap, 'hex')), {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'cm1', namespace: 'ns1' },
    data: { a: '1', empty: '' },
  });
});

test('decodeKubernetesProtobuf turns Secret bytes into base64 data and keeps the type', () => {
  assert.deepEqual(decodeKubernetesProtobuf(Buffer.from(captured.secret, 'hex')), {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 's1' },
    data: { 'f.bin': Buffer.from('bin\0\x01').toString('base64'), pw: Buffer.from('s3cret').toString('base64') },
    type: 'Opaque',
  });
});

test('decodeKubernetesProtobuf reads a Namespace with empty spec and status', () => {
  assert.deepEqual(decodeKubernetesProtobuf(Buffer.from(captured.namespace, 'hex')), {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: 'ns2' },
    spec: {},
    status: {},
  });
});

test('decodeKubernetesProtobuf answers 415 for a kind it has no schema for', () => {
  // The Namespace body with its kind overwritten as "Service\0\0" (same length).
  const body = Buffer.from(captured.namespace, 'hex');
  body.write('Service\0\0', 4 + 8, 'latin1');
  assert.throws(
    () => decodeKubernetesProtobuf(body),
    (err: unknown) => err instanceof ApiError && err.code === 415 && /not v1 Service/.test(err.message),
  );
});

test('isKubernetesProtobuf checks the k8s magic and decode rejects anything else with 400', () => {
  assert.equal(isKubernetesProtobuf(Buffer.from('{"kind":"Pod"}')), false);
  assert.throws(() => decodeKubernetesProtobuf(Buffer.from('{}')), (err: unknown) => err instanceof ApiError && err.code === 400);
});
