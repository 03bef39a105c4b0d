import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderFieldError, type FieldError } from '../field-error.ts';
import type { Obj } from './field-errors.ts';
import { CONFIG_KEY_MSG, LABEL_MSG, NAME_PART_MSG } from './pod-fixtures.ts';
import {
  validateConfigMap,
  validateConfigMapUpdate,
  validateEvent,
  validateNamespace,
  validateNamespaceUpdate,
  validateSecret,
  validateSecretUpdate,
} from './validation.ts';

const render = (errs: FieldError[]): string[] => errs.map(renderFieldError);
const b64 = (s: string): string => Buffer.from(s).toString('base64');
const cm = (extra: Obj = {}): Obj => ({ metadata: { name: 'cm', namespace: 'default', resourceVersion: '1' }, data: { a: '1' }, ...extra });
const secret = (extra: Obj = {}): Obj => ({ metadata: { name: 's', namespace: 'default', resourceVersion: '1' }, type: 'Opaque', data: { a: b64('1') }, ...extra });

interface Case {
  name: string;
  source: string;
  run: () => FieldError[];
  want: string[];
}

const cases: Case[] = [
  {
    name: 'validateConfigMap refuses a data key with a space',
    source: 'ValidateConfigMap / IsConfigMapKey',
    run: () => validateConfigMap(cm({ data: { 'bad key': 'x' } })),
    want: [`data[bad key]: Invalid value: "bad key": ${CONFIG_KEY_MSG}`],
  },
  {
    name: 'validateConfigMap accepts keys named like Object.prototype members',
    source: 'IsConfigMapKey: constructor, valueOf and __proto__ match [-._a-zA-Z0-9]+',
    run: () => validateConfigMap(cm({ data: JSON.parse('{"valueOf":"1","constructor":"2","__proto__":"3"}'), binaryData: JSON.parse('{"toString":"MQ=="}') })),
    want: [],
  },
  {
    name: 'validateConfigMap refuses a key constructor in data and binaryData',
    source: 'ValidateConfigMap',
    run: () => validateConfigMap(cm({ data: { constructor: 'x' }, binaryData: JSON.parse('{"constructor":"eA=="}') })),
    want: ['data[constructor]: Invalid value: "constructor": duplicate of key present in binaryData'],
  },
  {
    name: 'validateConfigMap refuses the label key __proto__ as any label key starting with "_"',
    source: 'ValidateLabels / IsQualifiedName',
    run: () => validateConfigMap(cm({ metadata: { name: 'cm', namespace: 'default', labels: JSON.parse('{"__proto__":"v"}') } })),
    want: [`metadata.labels: Invalid value: "__proto__": ${NAME_PART_MSG}`],
  },
  {
    name: "validateConfigMap refuses the key '..'",
    source: 'IsConfigMapKey / hasChDirPrefix',
    run: () => validateConfigMap(cm({ data: { '..': 'x' } })),
    want: ['data[..]: Invalid value: "..": must not be \'..\''],
  },
  {
    name: 'validateConfigMap refuses a key in both data and binaryData',
    source: 'ValidateConfigMap',
    run: () => validateConfigMap(cm({ data: { a: 'x' }, binaryData: { a: b64('y') } })),
    want: ['data[a]: Invalid value: "a": duplicate of key present in binaryData'],
  },
  {
    name: 'validateConfigMap refuses more than 1 MiB of data',
    source: 'ValidateConfigMap (MaxSecretSize)',
    run: () => validateConfigMap(cm({ data: { a: 'x'.repeat(1024 * 1024), b: 'y' } })),
    want: ['[]: Too long: may not be more than 1048576 bytes'],
  },
  {
    name: 'validateConfigMap requires a name',
    source: 'ValidateObjectMeta',
    run: () => validateConfigMap({ metadata: { namespace: 'default' } }),
    want: ['metadata.name: Required value: name or generateName is required'],
  },
  {
    name: 'validateConfigMapUpdate refuses data changes when immutable',
    source: 'ValidateConfigMapUpdate',
    run: () => validateConfigMapUpdate(cm({ immutable: true, data: { a: '2' } }), cm({ immutable: true })),
    want: ['data: Forbidden: field is immutable when `immutable` is set'],
  },
  {
    name: 'validateConfigMapUpdate refuses unsetting immutable',
    source: 'ValidateConfigMapUpdate',
    run: () => validateConfigMapUpdate(cm({ immutable: false }), cm({ immutable: true })),
    want: ['immutable: Forbidden: field is immutable when `immutable` is set'],
  },
  {
    name: 'validateSecret refuses more than 1 MiB of decoded data',
    source: 'ValidateSecret (MaxSecretSize)',
    run: () => validateSecret(secret({ data: { a: Buffer.alloc(1024 * 1024 + 1).toString('base64') } })),
    want: ['data: Too long: may not be more than 1048576 bytes'],
  },
  {
    name: 'validateSecret requires the keys of a TLS secret',
    source: 'ValidateSecret (SecretTypeTLS)',
    run: () => validateSecret(secret({ type: 'kubernetes.io/tls' })),
    want: ['data[tls.crt]: Required value', 'data[tls.key]: Required value'],
  },
  {
    name: 'validateSecret requires username or password for basic auth',
    source: 'ValidateSecret (SecretTypeBasicAuth)',
    run: () => validateSecret(secret({ type: 'kubernetes.io/basic-auth' })),
    want: ['data[username]: Required value', 'data[password]: Required value'],
  },
  {
    name: 'validateSecret requires .dockerconfigjson',
    source: 'ValidateSecret (SecretTypeDockerConfigJSON)',
    run: () => validateSecret(secret({ type: 'kubernetes.io/dockerconfigjson' })),
    want: ['data[.dockerconfigjson]: Required value'],
  },
  {
    name: 'validateSecret requires the service account annotation',
    source: 'ValidateSecret (SecretTypeServiceAccountToken)',
    run: () => validateSecret(secret({ type: 'kubernetes.io/service-account-token' })),
    want: ['metadata.annotations[kubernetes.io/service-account.name]: Required value'],
  },
  {
    name: 'validateSecretUpdate refuses a type change',
    source: 'ValidateSecretUpdate',
    run: () => validateSecretUpdate(secret({ type: 'example.com/custom' }), secret()),
    want: ['type: Invalid value: "example.com/custom": field is immutable'],
  },
  {
    name: 'validateSecretUpdate refuses data changes when immutable',
    source: 'ValidateSecretUpdate',
    run: () => validateSecretUpdate(secret({ immutable: true, data: { a: b64('2') } }), secret({ immutable: true })),
    want: ['data: Forbidden: field is immutable when `immutable` is set'],
  },
  {
    name: 'validateNamespace refuses an upper case name',
    source: 'ValidateNamespace / ValidateNamespaceName',
    run: () => validateNamespace({ metadata: { name: 'Bad' } }),
    want: [`metadata.name: Invalid value: "Bad": ${LABEL_MSG}`],
  },
  {
    name: 'validateNamespace refuses a namespace on a namespace',
    source: 'validateObjectMetaAccessorWithOptsCommon',
    run: () => validateNamespace({ metadata: { name: 'ok', namespace: 'default' } }),
    want: ['metadata.namespace: Forbidden: not allowed on this type'],
  },
  {
    name: 'validateNamespace refuses an unqualified unknown finalizer',
    source: 'validateFinalizerName / validateKubeFinalizerName',
    run: () => validateNamespace({ metadata: { name: 'ok' }, spec: { finalizers: ['foo'] } }),
    want: ['spec.finalizers: Invalid value: "foo": name is neither a standard finalizer name nor is it fully qualified'],
  },
  {
    name: 'validateNamespaceUpdate refuses a rename',
    source: 'ValidateObjectMetaUpdate',
    run: () => validateNamespaceUpdate({ metadata: { name: 'b', resourceVersion: '2' } }, { metadata: { name: 'a' } }),
    want: ['metadata.name: Invalid value: "b": field is immutable'],
  },
  {
    name: 'validateEvent refuses an involved object from another namespace',
    source: 'legacyValidateEvent',
    run: () => validateEvent({ metadata: { name: 'e', namespace: 'default' }, involvedObject: { kind: 'Pod', name: 'p', namespace: 'other' } }),
    want: ['involvedObject.namespace: Invalid value: "other": does not match event.namespace'],
  },
  {
    name: 'validateEvent requires the reporting fields of a new-style event',
    source: 'legacyValidateEvent (eventTime set)',
    run: () =>
      validateEvent({ metadata: { name: 'e', namespace: 'default' }, eventTime: '2025-01-01T00:00:00.000000Z', involvedObject: { namespace: 'default' } }),
    want: [
      'reportingController: Required value',
      'reportingController: Invalid value: "": name part must be non-empty',
      "reportingController: Invalid value: \"\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
      'reportingInstance: Required value',
      'action: Required value',
      'reason: Required value',
    ],
  },
];

for (const c of cases) {
  test(`${c.name} [${c.source}]`, () => {
    assert.deepEqual(render(c.run()), c.want);
  });
}

test('validators accept well-formed configmaps, secrets, namespaces and events', () => {
  assert.deepEqual(validateConfigMap(cm({ binaryData: { 'b.bin': b64('x') } })), []);
  assert.deepEqual(validateSecret(secret({ type: 'kubernetes.io/tls', data: { 'tls.crt': b64('c'), 'tls.key': b64('k') } })), []);
  assert.deepEqual(validateNamespace({ metadata: { name: 'team-a', labels: { team: 'a' } }, spec: { finalizers: ['kubernetes'] } }), []);
  assert.deepEqual(validateEvent({ metadata: { name: 'p.1', namespace: 'default' }, involvedObject: { kind: 'Pod', name: 'p', namespace: 'default' }, reason: 'Started' }), []);
});
