import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { defaultTypesDir, generateSchemaSource, schemaFile } from './schema/generate-schema.ts';
import { coreV1Schema } from './schema/core-v1-schema.ts';
import { findUnknownFields, strictDecodingMessage, unknownFieldWarning, unknownFieldWarnings } from './validation.ts';

const manifest = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p', labels: { 'any-key': 'v' }, annotations: { 'x/y': 'z' } },
  spec: {
    notAField: true,
    containers: [
      { name: 'a', image: 'busybox:1.35', resources: { limits: { cpu: '1', 'example.com/gpu': '1' } } },
      { name: 'b', imagee: 'typo', ports: [{ containerPort: 80, protocoll: 'TCP' }], livenessProbe: { httpGet: { port: 'http', pth: '/' } } },
    ],
    volumes: [{ name: 'v', emptyDir: { medium: 'Memory', sizeLimt: '1Gi' } }],
  },
};

test('findUnknownFields returns the unknown paths in document order', () => {
  assert.deepEqual(findUnknownFields('Pod', manifest), [
    'spec.notAField',
    'spec.containers[1].imagee',
    'spec.containers[1].ports[0].protocoll',
    'spec.containers[1].livenessProbe.httpGet.pth',
    'spec.volumes[0].emptyDir.sizeLimt',
  ]);
});

test('findUnknownFields knows fields added in v1.31 to v1.33', () => {
  const pod = {
    metadata: { name: 'p' },
    spec: {
      resources: { limits: { cpu: '1' } },
      securityContext: { supplementalGroupsPolicy: 'Strict', seLinuxChangePolicy: 'Recursive', appArmorProfile: { type: 'RuntimeDefault' } },
      hostUsers: false,
      volumes: [{ name: 'img', image: { reference: 'busybox:1.35', pullPolicy: 'IfNotPresent' } }],
      containers: [
        {
          name: 'c',
          lifecycle: { stopSignal: 'SIGUSR1', preStop: { sleep: { seconds: 1 } } },
          resizePolicy: [{ resourceName: 'cpu', restartPolicy: 'NotRequired' }],
          volumeMounts: [{ name: 'img', mountPath: '/i', readOnly: true, recursiveReadOnly: 'Enabled' }],
        },
      ],
    },
    status: { observedGeneration: 1, conditions: [{ type: 'Ready', status: 'True', observedGeneration: 1 }] },
  };
  assert.deepEqual(findUnknownFields('Pod', pod), []);
});

test('findUnknownFields is case-sensitive like the API server decoder', () => {
  assert.deepEqual(findUnknownFields('Pod', { metadata: { Name: 'x' }, Spec: {} }), ['metadata.Name', 'Spec']);
});

test('findUnknownFields checks configmaps, secrets and namespaces', () => {
  assert.deepEqual(findUnknownFields('ConfigMap', { metadata: { name: 'c' }, data: { a: 'b' }, dataa: {} }), ['dataa']);
  assert.deepEqual(findUnknownFields('Secret', { stringData: { a: 'b' }, typ: 'Opaque' }), ['typ']);
  assert.deepEqual(findUnknownFields('Namespace', { spec: { finalizers: ['kubernetes'], x: 1 } }), ['spec.x']);
});

test('strictDecodingMessage joins several fields as kube-apiserver does', () => {
  assert.equal(
    strictDecodingMessage('Pod', ['spec.notAField']),
    'Pod in version "v1" cannot be handled as a Pod: strict decoding error: unknown field "spec.notAField"',
  );
  assert.equal(
    strictDecodingMessage('Pod', ['spec.notAField', 'spec.containers[0].imagee']),
    'Pod in version "v1" cannot be handled as a Pod: strict decoding error: unknown field "spec.notAField", unknown field "spec.containers[0].imagee"',
  );
});

test('unknownFieldWarning gives the text kubectl prints after "Warning: "', () => {
  assert.equal(unknownFieldWarning('spec.notAField'), 'unknown field "spec.notAField"');
  assert.deepEqual(unknownFieldWarnings(['a', 'b']), ['unknown field "a"', 'unknown field "b"']);
});

test('findUnknownFields knows Services, Endpoints and discovery.k8s.io/v1 EndpointSlices, EndpointPort of either group', () => {
  const svc = { metadata: { name: 's' }, spec: { type: 'NodePort', ports: [{ port: 80, nodePort: 30080, targetPrt: 8080 }], selectr: {} } };
  assert.deepEqual(findUnknownFields('Service', svc), ['spec.ports[0].targetPrt', 'spec.selectr']);
  const ep = { metadata: { name: 's' }, subsets: [{ addresses: [{ ip: '10.244.0.5', targetRef: { kind: 'Pod', nam: 'p' } }], ports: [{ port: 80, protocl: 'TCP' }] }] };
  assert.deepEqual(findUnknownFields('Endpoints', ep), ['subsets[0].addresses[0].targetRef.nam', 'subsets[0].ports[0].protocl']);
  const slice = {
    metadata: { name: 's' },
    addressType: 'IPv4',
    endpoints: [{ addresses: ['10.244.0.5'], conditions: { ready: true, healthy: true }, hints: { forZones: [{ name: 'a' }], forNodes: [{ name: 'n' }] } }],
    ports: [{ name: '', port: 80, appProtocol: 'http', protocl: 'TCP' }],
  };
  assert.deepEqual(findUnknownFields('EndpointSlice', slice), ['endpoints[0].conditions.healthy', 'ports[0].protocl']);
});

test('the committed core-v1-schema.ts matches its generator', () => {
  assert.equal(readFileSync(schemaFile, 'utf8'), generateSchemaSource(defaultTypesDir));
});

test('the schema covers every type it references', () => {
  for (const [name, fields] of Object.entries(coreV1Schema)) {
    for (const [field, type] of Object.entries(fields)) {
      const ref = type.replace(/[[\]{}]/g, '');
      if (/^[A-Z]/.test(ref)) assert.ok(coreV1Schema[ref], `${name}.${field} refers to missing ${ref}`);
    }
  }
});
