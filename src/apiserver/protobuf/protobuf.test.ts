import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '../../api/api.ts';
import { decodeKubernetesProtobuf, isKubernetesProtobuf } from './protobuf.ts';

// Bodies as kubectl 1.32 sent them (captured with a logging server):
// `create configmap cm1 --from-literal=a=1 --from-literal=empty= -n ns1`,
// `create secret generic s1 --from-literal=pw=s3cret --from-file=f.bin` (f.bin = "bin\0\1"),
// `create ns ns2`,
// `create service clusterip web --tcp=80:8080`, `create service nodeport np --tcp=80:http --node-port=30080`,
// `create service externalname db --external-name=db.example.com`.
const captured = {
  configMap:
    '6b3873000a0f0a0276311209436f6e6669674d6170122b0a160a03636d3112001a036e733122002a0032003800420012060a016112013112090a05656d70747912001a002200',
  secret:
    '6b3873000a0c0a0276311206536563726574123a0a120a02733112001a0022002a00320038004200120e0a05662e62696e120562696e0001120c0a02707712067333637265741a064f70617175651a002200',
  namespace: '6b3873000a0f0a02763112094e616d657370616365121b0a130a036e733212001a0022002a0032003800420012001a020a001a002200',
  serviceClusterIP:
    '6b3873000a0d0a02763112075365727669636512690a1f0a0377656212001a0022002a003200380042005a0a0a03617070120377656212420a1b0a0738302d38303830120354435018502207080010903f1a002800120a0a0361707012037765621a002209436c757374657249503a00420052005a00600068001a020a001a002200',
  serviceNodePort:
    '6b3873000a0d0a027631120753657276696365126a0a1d0a026e7012001a0022002a003200380042005a090a0361707012026e7012450a200a0738302d6874747012035443501850220a080110001a04687474702880eb0112090a0361707012026e701a0022084e6f6465506f72743a00420052005a00600068001a020a001a002200',
  serviceExternalName:
    '6b3873000a0d0a027631120753657276696365125a0a1d0a02646212001a0022002a003200380042005a090a0361707012026462123512090a03617070120264621a00220c45787465726e616c4e616d653a004200520e64622e6578616d706c652e636f6d5a00600068001a020a001a002200',
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

test('decodeKubernetesProtobuf reads the Services kubectl create service sends, targetPort as number or name', () => {
  assert.deepEqual(decodeKubernetesProtobuf(Buffer.from(captured.serviceClusterIP, 'hex')), {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web', labels: { app: 'web' } },
    spec: { ports: [{ name: '80-8080', protocol: 'TCP', port: 80, targetPort: 8080 }], selector: { app: 'web' }, type: 'ClusterIP' },
    status: { loadBalancer: {} },
  });
  const np = decodeKubernetesProtobuf(Buffer.from(captured.serviceNodePort, 'hex')) as any;
  assert.deepEqual(np.spec.ports, [{ name: '80-http', protocol: 'TCP', port: 80, targetPort: 'http', nodePort: 30080 }]);
  const ext = decodeKubernetesProtobuf(Buffer.from(captured.serviceExternalName, 'hex')) as any;
  assert.deepEqual(ext.spec, { selector: { app: 'db' }, type: 'ExternalName', externalName: 'db.example.com' });
});

test('decodeKubernetesProtobuf answers 415 for a kind it has no schema for', () => {
  // The Namespace body with its kind overwritten as "NoSuchOne" (same length).
  const body = Buffer.from(captured.namespace, 'hex');
  body.write('NoSuchOne', 4 + 8, 'latin1');
  assert.throws(
    () => decodeKubernetesProtobuf(body),
    (err: unknown) => err instanceof ApiError && err.code === 415 && /no protobuf for v1 NoSuchOne/.test(err.message),
  );
});

test('isKubernetesProtobuf checks the k8s magic and decode rejects anything else with 400', () => {
  assert.equal(isKubernetesProtobuf(Buffer.from('{"kind":"Pod"}')), false);
  assert.throws(() => decodeKubernetesProtobuf(Buffer.from('{}')), (err: unknown) => err instanceof ApiError && err.code === 400);
});
