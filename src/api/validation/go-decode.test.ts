import { test } from 'node:test';
import assert from 'node:assert/strict';
import { goDecodeError } from './go-decode.ts';

const pod = (container: Record<string, unknown>, spec: Record<string, unknown> = {}) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p' },
  spec: { containers: [{ name: 'c', image: 'busybox:1.35', ...container }], ...spec },
});

test('goDecodeError accepts values that fit the Go types, and null anywhere', () => {
  assert.equal(goDecodeError('Pod', pod({ ports: [{ containerPort: 80 }], resources: { limits: { cpu: 1, memory: '64Mi' } } })), undefined);
  assert.equal(goDecodeError('Pod', pod({ env: null, command: [null] }, { nodeSelector: { a: null } })), undefined);
  assert.equal(goDecodeError('Pod', pod({ livenessProbe: { httpGet: { port: 'http' } } })), undefined);
});

test('goDecodeError names the holding struct and the JSON path without indices, as encoding/json does', () => {
  assert.equal(
    goDecodeError('Pod', pod({ ports: [{ containerPort: '80' }] })),
    'json: cannot unmarshal string into Go struct field ContainerPort.spec.containers.ports.containerPort of type int32',
  );
  assert.equal(
    goDecodeError('Pod', pod({ env: [{ name: 'PORT', value: 8080 }] })),
    'json: cannot unmarshal number into Go struct field EnvVar.spec.containers.env.value of type string',
  );
  assert.equal(goDecodeError('Pod', { spec: { containers: { name: 'c' } } }), 'json: cannot unmarshal object into Go struct field PodSpec.spec.containers of type []v1.Container');
  assert.equal(goDecodeError('Pod', { spec: { containers: ['c'] } }), 'json: cannot unmarshal string into Go struct field PodSpec.spec.containers of type v1.Container');
  assert.equal(goDecodeError('Pod', { spec: 'x' }), 'json: cannot unmarshal string into Go struct field Pod.spec of type v1.PodSpec');
  assert.equal(goDecodeError('Pod', { metadata: { labels: { version: 1 } } }), 'json: cannot unmarshal number into Go struct field ObjectMeta.metadata.labels of type string');
});

test('goDecodeError prints named string types, int64 fields and out-of-range numbers as Go does', () => {
  assert.equal(goDecodeError('Pod', pod({ imagePullPolicy: true })), 'json: cannot unmarshal bool into Go struct field Container.spec.containers.imagePullPolicy of type v1.PullPolicy');
  assert.equal(goDecodeError('Pod', pod({}, { terminationGracePeriodSeconds: 'x' })), 'json: cannot unmarshal string into Go struct field PodSpec.spec.terminationGracePeriodSeconds of type int64');
  assert.equal(
    goDecodeError('Pod', pod({ ports: [{ containerPort: 1.5 }] })),
    'json: cannot unmarshal number 1.5 into Go struct field ContainerPort.spec.containers.ports.containerPort of type int32',
  );
  assert.equal(
    goDecodeError('Pod', pod({ ports: [{ containerPort: 99999999999 }] })),
    'json: cannot unmarshal number 99999999999 into Go struct field ContainerPort.spec.containers.ports.containerPort of type int32',
  );
});

test('goDecodeError reports the first mismatch in document order, but a custom unmarshaler failure wins at once', () => {
  assert.equal(
    goDecodeError('Pod', pod({ image: 1, ports: [{ containerPort: 'x' }] })),
    'json: cannot unmarshal number into Go struct field Container.spec.containers.image of type string',
  );
  assert.equal(
    goDecodeError('Pod', pod({ image: 1, resources: { limits: { memory: '1GB' } } })),
    "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
  );
  assert.equal(goDecodeError('Pod', pod({ livenessProbe: { tcpSocket: { port: true } } })), 'json: cannot unmarshal bool into Go value of type int32');
});

test('goDecodeError checks base64 in Secret data', () => {
  assert.equal(goDecodeError('Secret', { data: { ok: Buffer.from('x').toString('base64') } }), undefined);
  assert.equal(goDecodeError('Secret', { data: { pw: 'not base64!' } }), 'illegal base64 data at input byte 3');
  assert.equal(goDecodeError('Secret', { data: { pw: 'abcde' } }), 'illegal base64 data at input byte 4');
});
