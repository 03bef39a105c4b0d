import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';
import { decodeKubernetesProtobuf, encodeKubernetesProtobuf } from './protobuf.ts';

/** Wraps `message` (in the .proto's own shape) as a typed client would send it. */
function envelope(apiVersion: string, kind: string, typeName: string, message: Record<string, unknown>): Buffer {
  const root = new protobuf.Root();
  root.resolvePath = (origin, target) => (target.startsWith('/') ? target : fileURLToPath(new URL(target, `file://${origin}`)));
  root.loadSync(['./k8s-core-v1.proto', './k8s-rbac-v1.proto'].map((f) => fileURLToPath(new URL(f, import.meta.url))), { keepCase: true });
  const type = root.lookupType(typeName);
  const raw = type.encode(type.fromObject(message)).finish();
  const unknown = root.lookupType('berth.k8s.Unknown');
  const env = unknown.encode(unknown.fromObject({ typeMeta: { apiVersion, kind }, raw })).finish();
  return Buffer.concat([Buffer.from([0x6b, 0x38, 0x73, 0x00]), env]);
}

const v1 = 'rbac.authorization.k8s.io/v1';

test('decodeKubernetesProtobuf reads a Role as kubectl create role sends it', () => {
  const body = envelope(v1, 'Role', 'berth.k8s.rbac.v1.Role', {
    metadata: { name: 'pod-reader' },
    rules: [{ verbs: ['get', 'list'], apiGroups: [''], resources: ['pods'] }],
  });
  assert.deepEqual(decodeKubernetesProtobuf(body), {
    apiVersion: v1,
    kind: 'Role',
    metadata: { name: 'pod-reader' },
    rules: [{ verbs: ['get', 'list'], apiGroups: [''], resources: ['pods'] }],
  });
});

test('decodeKubernetesProtobuf reads bindings with their roleRef and subjects, and an aggregated ClusterRole', () => {
  const rb = envelope(v1, 'RoleBinding', 'berth.k8s.rbac.v1.RoleBinding', {
    metadata: { name: 'jane' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'pod-reader' },
    subjects: [{ kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'jane' }, { kind: 'ServiceAccount', name: 'default', namespace: 'dev' }],
  });
  assert.deepEqual(decodeKubernetesProtobuf(rb), {
    apiVersion: v1,
    kind: 'RoleBinding',
    metadata: { name: 'jane' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'pod-reader' },
    subjects: [
      { kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'jane' },
      { kind: 'ServiceAccount', name: 'default', namespace: 'dev' },
    ],
  });
  const cr = envelope(v1, 'ClusterRole', 'berth.k8s.rbac.v1.ClusterRole', {
    metadata: { name: 'agg' },
    aggregationRule: { clusterRoleSelectors: [{ matchLabels: { a: 'b' } }] },
  });
  assert.deepEqual(decodeKubernetesProtobuf(cr), { apiVersion: v1, kind: 'ClusterRole', metadata: { name: 'agg' }, aggregationRule: { clusterRoleSelectors: [{ matchLabels: { a: 'b' } }] } });
});

test('a ClusterRoleBinding survives encode and decode', () => {
  const crb = {
    apiVersion: v1,
    kind: 'ClusterRoleBinding',
    metadata: { name: 'cluster-admin' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
    subjects: [{ kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'system:masters' }],
  };
  assert.deepEqual(decodeKubernetesProtobuf(encodeKubernetesProtobuf(crb)), crb);
});
