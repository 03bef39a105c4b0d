import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ConfigMap, Container, Pod, Secret } from '../../api/api.ts';
import { ContainerConfigError } from '../container/start-failure.ts';
import { makeEnvironment, type EnvContext } from './env.ts';

const b64 = (s: string) => Buffer.from(s).toString('base64');

function ctx(over: Partial<EnvContext> = {}): EnvContext {
  const cms: Record<string, ConfigMap> = {
    'default/cfg': { metadata: { name: 'cfg' }, data: { MODE: 'prod', 'log.level': 'debug' } },
    'default/more': { metadata: { name: 'more' }, data: { MODE: 'staging', EXTRA: '1' } },
  };
  const secrets: Record<string, Secret> = {
    'default/db': { metadata: { name: 'db' }, data: { PASSWORD: b64('s3cr3t'), USER: b64('admin') } },
  };
  const pod: Pod = {
    metadata: { name: 'web', namespace: 'default', uid: 'uid-1', labels: { app: 'web' }, annotations: { team: 'x' } },
    spec: { nodeName: 'node1', serviceAccountName: 'default', containers: [{ name: 'app', image: 'busybox', resources: { limits: { memory: '128Mi' }, requests: { cpu: '100m' } } }] },
  };
  return {
    pod,
    podIPs: ['10.244.0.7'],
    hostIPs: ['10.244.0.1'],
    config: { getConfigMap: (ns, n) => cms[`${ns}/${n}`], getSecret: (ns, n) => secrets[`${ns}/${n}`] },
    nodeAllocatable: { cpu: '2', memory: '2Gi', 'ephemeral-storage': '0' },
    ...over,
  };
}

const env = (c: Partial<Container>, x = ctx()) => Object.fromEntries(makeEnvironment({ name: 'app', ...c }, x).map((e) => [e.key, e.value]));

test('makeEnvironment applies envFrom in order with prefixes, then env overriding it', () => {
  const out = env({
    envFrom: [{ configMapRef: { name: 'cfg' } }, { configMapRef: { name: 'more' } }, { secretRef: { name: 'db' }, prefix: 'DB_' }],
    env: [{ name: 'EXTRA', value: 'from-env' }],
  });
  assert.deepEqual(out, { MODE: 'staging', 'log.level': 'debug', EXTRA: 'from-env', DB_PASSWORD: 's3cr3t', DB_USER: 'admin' });
});

test('makeEnvironment expands values against variables defined before them only', () => {
  const out = env({
    envFrom: [{ configMapRef: { name: 'cfg' } }],
    env: [
      { name: 'FIRST', value: '$(LATER)-$(MODE)' },
      { name: 'LATER', value: 'l' },
      { name: 'SECOND', value: '$(LATER)' },
    ],
  });
  assert.equal(out.FIRST, '$(LATER)-prod');
  assert.equal(out.SECOND, 'l');
});

test('makeEnvironment resolves fieldRef paths, including status and subscripted labels', () => {
  const out = env({
    env: [
      { name: 'NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
      { name: 'NS', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
      { name: 'UID', valueFrom: { fieldRef: { fieldPath: 'metadata.uid' } } },
      { name: 'APP', valueFrom: { fieldRef: { fieldPath: "metadata.labels['app']" } } },
      { name: 'ANN', valueFrom: { fieldRef: { fieldPath: 'metadata.annotations' } } },
      { name: 'NODE', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
      { name: 'SA', valueFrom: { fieldRef: { fieldPath: 'spec.serviceAccountName' } } },
      { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
      { name: 'POD_IPS', valueFrom: { fieldRef: { fieldPath: 'status.podIPs' } } },
      { name: 'HOST_IP', valueFrom: { fieldRef: { fieldPath: 'status.hostIP' } } },
    ],
  });
  assert.deepEqual(out, {
    NAME: 'web',
    NS: 'default',
    UID: 'uid-1',
    APP: 'web',
    ANN: 'team="x"',
    NODE: 'node1',
    SA: 'default',
    POD_IP: '10.244.0.7',
    POD_IPS: '10.244.0.7',
    HOST_IP: '10.244.0.1',
  });
});

test('makeEnvironment gives host-network pods the node address as status.podIP', () => {
  const c = ctx({ podIPs: [] });
  c.pod.spec!.hostNetwork = true;
  assert.equal(env({ env: [{ name: 'IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } }] }, c).IP, '10.244.0.1');
});

test('makeEnvironment resolves resourceFieldRef with divisors and node allocatable for unset limits', () => {
  const out = env({
    resources: { limits: { memory: '128Mi' }, requests: { cpu: '100m' } },
    env: [
      { name: 'MEM_MI', valueFrom: { resourceFieldRef: { resource: 'limits.memory', divisor: '1Mi' } } },
      { name: 'CPU_LIMIT', valueFrom: { resourceFieldRef: { resource: 'limits.cpu' } } },
      { name: 'CPU_REQ_M', valueFrom: { resourceFieldRef: { resource: 'requests.cpu', divisor: '1m' } } },
      { name: 'CPU_REQ', valueFrom: { resourceFieldRef: { resource: 'requests.cpu' } } },
      { name: 'OTHER', valueFrom: { resourceFieldRef: { containerName: 'app', resource: 'limits.memory' } } },
    ],
  });
  assert.deepEqual(out, { MEM_MI: '128', CPU_LIMIT: '2', CPU_REQ_M: '100', CPU_REQ: '1', OTHER: String(128 * 1024 * 1024) });
});

test('makeEnvironment resolves configMapKeyRef and secretKeyRef and skips optional missing ones', () => {
  const out = env({
    env: [
      { name: 'MODE', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'MODE' } } },
      { name: 'PW', valueFrom: { secretKeyRef: { name: 'db', key: 'PASSWORD' } } },
      { name: 'GONE', valueFrom: { configMapKeyRef: { name: 'nope', key: 'x', optional: true } } },
      { name: 'NOKEY', valueFrom: { secretKeyRef: { name: 'db', key: 'missing', optional: true } } },
      { name: 'EMPTY', value: '' },
    ],
  });
  assert.deepEqual(out, { MODE: 'prod', PW: 's3cr3t', EMPTY: '' });
});

test('makeEnvironment fails with the kubelet messages for missing objects and keys, never showing values', () => {
  const cases: [Partial<Container>, string][] = [
    [{ envFrom: [{ configMapRef: { name: 'nope' } }] }, 'configmap "nope" not found'],
    [{ envFrom: [{ secretRef: { name: 'nope' } }] }, 'secret "nope" not found'],
    [{ env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'nope', key: 'k' } } }] }, 'configmap "nope" not found'],
    [{ env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'k' } } }] }, "couldn't find key k in ConfigMap default/cfg"],
    [{ env: [{ name: 'X', valueFrom: { secretKeyRef: { name: 'nope', key: 'k' } } }] }, 'secret "nope" not found'],
    [{ env: [{ name: 'X', valueFrom: { secretKeyRef: { name: 'db', key: 'k' } } }] }, "couldn't find key k in Secret default/db"],
  ];
  for (const [c, message] of cases) {
    assert.throws(() => env(c), (err: Error) => err instanceof ContainerConfigError && err.message === message && !err.message.includes('s3cr3t'));
  }
});

test('makeEnvironment finds no configmap, secret or label key named like an Object.prototype member unless it is there', () => {
  for (const key of ['constructor', '__proto__', 'toString']) {
    for (const [ref, message] of [
      [{ configMapKeyRef: { name: 'cfg', key } }, `couldn't find key ${key} in ConfigMap default/cfg`],
      [{ secretKeyRef: { name: 'db', key } }, `couldn't find key ${key} in Secret default/db`],
    ] as const) {
      assert.throws(() => env({ env: [{ name: 'X', valueFrom: ref }] }), (err: Error) => err instanceof ContainerConfigError && err.message === message);
    }
    assert.deepEqual(env({ env: [{ name: 'X', valueFrom: { fieldRef: { fieldPath: `metadata.labels['${key}']` } } }] }), { X: '' });
  }
  const c = ctx();
  c.pod.metadata!.labels = JSON.parse('{"constructor":"c","__proto__":"p"}');
  c.config = { getConfigMap: () => ({ metadata: { name: 'cfg' }, data: JSON.parse('{"__proto__":"v"}') }), getSecret: () => undefined };
  assert.deepEqual(
    env({
      env: [
        { name: 'A', valueFrom: { fieldRef: { fieldPath: "metadata.labels['constructor']" } } },
        { name: 'B', valueFrom: { fieldRef: { fieldPath: "metadata.labels['__proto__']" } } },
        { name: 'C', valueFrom: { configMapKeyRef: { name: 'cfg', key: '__proto__' } } },
      ],
    }, c),
    { A: 'c', B: 'p', C: 'v' },
  );
});
