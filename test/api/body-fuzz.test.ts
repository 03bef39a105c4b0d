/**
 * Mutated bodies of every kind the node serves, sent to an in-process API
 * server (no containerd) as create, update (also of subresources), each
 * patch type and delete (mutated DeleteOptions): every answer
 * must be a Status or an object, never a 500 (an unhandled throw). Fast
 * enough for thousands of inputs a run; BERTH_FUZZ_SEED replays one run and
 * BERTH_FUZZ_BODIES sets how many bodies it sends.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startApiServer } from '../../src/apiserver/api-server-fixture.ts';
import { rng } from '../seeded-random.ts';
import { mutate, pick } from '../e2e/fuzz-inputs.ts';

const seed = Number(process.env.BERTH_FUZZ_SEED ?? Date.now() % 1_000_000);
const count = Number(process.env.BERTH_FUZZ_BODIES ?? 3000);

const template = { containers: [{ name: 'c', image: 'busybox:1.35', command: ['sleep', '1'], env: [{ name: 'E', value: 'v' }], ports: [{ containerPort: 80 }] }] };
const selector = { matchLabels: { app: 'f' } };
const podTemplate = { metadata: { labels: { app: 'f' } }, spec: template };

/** A valid object of each kind and the collection it is created in. */
const kinds: { path: string; object: () => any }[] = [
  { path: '/api/v1/namespaces/default/pods', object: () => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'f', labels: { app: 'f' } }, spec: structuredClone(template) }) },
  { path: '/api/v1/namespaces/default/configmaps', object: () => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'f' }, data: { k: 'v' } }) },
  { path: '/api/v1/namespaces/default/secrets', object: () => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'f' }, stringData: { k: 'v' } }) },
  { path: '/api/v1/namespaces/default/services', object: () => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'f' }, spec: { selector: { app: 'f' }, ports: [{ port: 80, targetPort: 'http' }] } }) },
  { path: '/api/v1/namespaces/default/serviceaccounts', object: () => ({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'f' } }) },
  { path: '/api/v1/namespaces/default/persistentvolumeclaims', object: () => ({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'f' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }) },
  { path: '/api/v1/persistentvolumes', object: () => ({ apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'f' }, spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], hostPath: { path: '/tmp/f' } } }) },
  { path: '/api/v1/namespaces', object: () => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'f' } }) },
  { path: '/apis/apps/v1/namespaces/default/deployments', object: () => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'f' }, spec: { replicas: 2, selector, template: structuredClone(podTemplate), strategy: { rollingUpdate: { maxSurge: '25%' } } } }) },
  { path: '/apis/apps/v1/namespaces/default/statefulsets', object: () => ({ apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'f' }, spec: { serviceName: 'f', selector, template: structuredClone(podTemplate), volumeClaimTemplates: [{ metadata: { name: 'd' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }] } }) },
  { path: '/apis/apps/v1/namespaces/default/daemonsets', object: () => ({ apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'f' }, spec: { selector, template: structuredClone(podTemplate) } }) },
  { path: '/apis/batch/v1/namespaces/default/jobs', object: () => ({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'f' }, spec: { template: { spec: { ...structuredClone(template), restartPolicy: 'Never' } }, podFailurePolicy: { rules: [{ action: 'FailJob', onExitCodes: { operator: 'In', values: [1] } }] } } }) },
  { path: '/apis/batch/v1/namespaces/default/cronjobs', object: () => ({ apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'f' }, spec: { schedule: '*/5 * * * *', timeZone: 'Etc/UTC', jobTemplate: { spec: { template: { spec: { ...structuredClone(template), restartPolicy: 'OnFailure' } } } } } }) },
  { path: '/apis/rbac.authorization.k8s.io/v1/namespaces/default/roles', object: () => ({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'f' }, rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }] }) },
  { path: '/apis/rbac.authorization.k8s.io/v1/namespaces/default/rolebindings', object: () => ({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'f' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'f' }, subjects: [{ kind: 'User', name: 'jane' }] }) },
  { path: '/apis/discovery.k8s.io/v1/namespaces/default/endpointslices', object: () => ({ apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 'f' }, addressType: 'IPv4', endpoints: [{ addresses: ['10.244.0.9'] }], ports: [{ port: 80 }] }) },
  { path: '/apis/storage.k8s.io/v1/storageclasses', object: () => ({ apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'f' }, provisioner: 'rancher.io/local-path' }) },
  { path: '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', object: () => ({ apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: { resourceAttributes: { verb: 'get', resource: 'pods' } } }) },
];

/**
 * kube-apiserver answers an error that is not a Status (strategic merge
 * patch's `list element types are not identical`) as a 500 with reason
 * Unknown (empty, so omitted) and the error's text; berth does the same. An unhandled throw is
 * reason InternalError, and that is what this test hunts.
 */
function unconverted(text: string): boolean {
  try {
    const status = JSON.parse(text);
    return status.kind === 'Status' && status.reason === undefined;
  } catch {
    return false;
  }
}

/** Mostly the object itself; sometimes a subresource (the wrong kind of body for most of them). */
const subresources = ['', '', '', '', '/status', '/scale', '/binding', '/token', '/eviction'];

const patchTypes = ['application/merge-patch+json', 'application/strategic-merge-patch+json', 'application/apply-patch+yaml'];

test(`the API server answers mutated bodies of every kind with Statuses, never a 500 (seed ${seed})`, { timeout: 300_000 }, async (t) => {
  const { raw } = await startApiServer(t);
  const r = rng(seed);
  const problems: string[] = [];
  const statuses = new Map<number, number>();
  for (let i = 0; i < count && problems.length < 10; i++) {
    const kind = pick(r, kinds);
    let obj = kind.object();
    for (let m = Math.floor(r() * 4); m >= 0; m--) obj = mutate(r, obj);
    const item = `${kind.path}/f${pick(r, subresources)}`;
    const how = Math.floor(r() * 4);
    if (how === 3) obj = mutate(r, { apiVersion: 'v1', kind: 'DeleteOptions', gracePeriodSeconds: 0, propagationPolicy: 'Background', preconditions: { uid: 'x' } });
    const text = JSON.stringify(obj);
    const [method, path, type] =
      how === 0 ? ['POST', kind.path, 'application/json'] : how === 1 ? ['PUT', item, 'application/json'] : how === 2 ? ['PATCH', item, pick(r, patchTypes)] : ['DELETE', `${kind.path}/f`, 'application/json'];
    const query = type === 'application/apply-patch+yaml' ? '?fieldManager=fuzz&force=true' : '';
    const a = await raw(method, path + query, { 'Content-Type': type }, text);
    statuses.set(a.status, (statuses.get(a.status) ?? 0) + 1);
    if (a.status >= 500 && !unconverted(a.text)) problems.push(`${a.status} for ${method} ${path} (${type}) ${text.slice(0, 400)}\n  -> ${a.text.slice(0, 300)}`);
    else if (a.status >= 400 && !/"kind":"Status"/.test(a.text)) problems.push(`${a.status} without a Status for ${method} ${path}: ${a.text.slice(0, 200)}`);
  }
  t.diagnostic(`seed ${seed}: statuses ${JSON.stringify(Object.fromEntries([...statuses].sort((a, b) => a[0] - b[0])))}`);
  assert.deepEqual(problems, [], `seed ${seed}`);
});
