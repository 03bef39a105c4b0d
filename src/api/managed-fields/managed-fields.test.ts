import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '../errors.ts';
import { fromFieldsV1, pathString, toFieldsV1, encodePath } from './field-paths.ts';
import { fieldsOf } from './object-fields.ts';
import { recordUpdate, serverSideApply, managerFromUserAgent } from './managed-fields.ts';

const T0 = '2026-01-01T00:00:00Z';
const T1 = '2026-01-01T00:01:00Z';

const pod = (labels: Record<string, string>, image = 'busybox:1.35') => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p', labels },
  spec: { containers: [{ name: 'app', image, ports: [{ containerPort: 80, protocol: 'TCP' }] }] },
});

test('fieldsOf names fields as structured-merge-diff does, keyed list items included', () => {
  const fields = [...fieldsOf('Pod', pod({ a: '1' }))].map((p) => pathString(p.split('\u0000')));
  assert.deepEqual(fields.sort(), [
    '.metadata.labels',
    '.metadata.labels.a',
    '.spec.containers[name="app"]',
    '.spec.containers[name="app"].image',
    '.spec.containers[name="app"].name',
    '.spec.containers[name="app"].ports[containerPort=80,protocol="TCP"]',
    '.spec.containers[name="app"].ports[containerPort=80,protocol="TCP"].containerPort',
    '.spec.containers[name="app"].ports[containerPort=80,protocol="TCP"].protocol',
  ]);
});

test('FieldsV1 round-trips and marks members that have members below with "."', () => {
  const set = fieldsOf('Pod', pod({ a: '1' }));
  const v1 = toFieldsV1(set);
  assert.deepEqual((v1 as any)['f:metadata']['f:labels'], { '.': {}, 'f:a': {} });
  assert.deepEqual(Object.keys((v1 as any)['f:spec']['f:containers']), ['k:{"name":"app"}']);
  assert.deepEqual(fromFieldsV1(v1), set);
});

test('recordUpdate gives the creator every field, and a later Update takes only what it changed', () => {
  const created: any = pod({ a: '1' });
  recordUpdate('Pod', undefined, created, 'kubectl-create', T0);
  assert.equal(created.metadata.managedFields.length, 1);
  assert.equal(created.metadata.managedFields[0].manager, 'kubectl-create');
  const labeled: any = structuredClone(created);
  labeled.metadata.labels.b = '2';
  recordUpdate('Pod', created, labeled, 'kubectl-label', T1);
  const byManager = Object.fromEntries(labeled.metadata.managedFields.map((e: any) => [e.manager, e]));
  assert.deepEqual(byManager['kubectl-label'].fieldsV1, { 'f:metadata': { 'f:labels': { 'f:b': {} } } });
  assert.equal(byManager['kubectl-label'].time, T1);
  assert.ok(byManager['kubectl-create'].fieldsV1['f:metadata']['f:labels']['f:a']);
});

test('serverSideApply creates, then removes what the applier no longer applies', () => {
  const first = serverSideApply('Pod', undefined, pod({ a: '1', b: '2' }), { manager: 'kubectl', force: false, now: T0 });
  assert.deepEqual(first.metadata.managedFields.map((e: any) => `${e.manager}/${e.operation}`), ['kubectl/Apply']);
  const second = serverSideApply('Pod', first, pod({ a: '1', c: '3' }), { manager: 'kubectl', force: false, now: T1 });
  assert.deepEqual(second.metadata.labels, { a: '1', c: '3' });
});

test('serverSideApply keeps a field another manager also owns, and co-owns equal values without conflict', () => {
  const first = serverSideApply('Pod', undefined, pod({ a: '1', b: '2' }), { manager: 'kubectl', force: false, now: T0 });
  const other = serverSideApply('Pod', first, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', labels: { b: '2' } } }, { manager: 'other', force: false, now: T0 });
  const third = serverSideApply('Pod', other, pod({ a: '1' }), { manager: 'kubectl', force: false, now: T1 });
  assert.deepEqual(third.metadata.labels, { a: '1', b: '2' });
});

test('serverSideApply refuses to change a field another manager set, with kube-apiserver\'s 409, unless forced', () => {
  const created: any = pod({ a: '1' });
  recordUpdate('Pod', undefined, created, 'kubectl-client-side-apply', T0);
  const apply = (force: boolean) => serverSideApply('Pod', created, pod({ a: '1' }, 'busybox:1.36'), { manager: 'kubectl', force, now: T1 });
  assert.throws(
    () => apply(false),
    (err: unknown) =>
      err instanceof ApiError &&
      err.code === 409 &&
      err.message === `Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using v1 at ${T0}: .spec.containers[name="app"].image` &&
      err.details?.causes?.[0]?.reason === 'FieldManagerConflict' &&
      err.details?.causes?.[0]?.field === '.spec.containers[name="app"].image',
  );
  const forced = apply(true);
  assert.equal(forced.spec.containers[0].image, 'busybox:1.36');
  // Only the conflicting field changes hands; the rest stays shared.
  const csa = forced.metadata.managedFields.find((e: any) => e.manager === 'kubectl-client-side-apply');
  assert.equal(csa.fieldsV1['f:spec']['f:containers']['k:{"name":"app"}']['f:image'], undefined);
  assert.deepEqual(csa.fieldsV1['f:metadata']['f:labels']['f:a'], {});
});

test('several conflicts are listed per manager', () => {
  const created: any = pod({ a: '1' });
  recordUpdate('Pod', undefined, created, 'creator', T0);
  assert.throws(
    () => serverSideApply('Pod', created, pod({ a: '9' }, 'x:1'), { manager: 'kubectl', force: false, now: T1 }),
    (err: unknown) =>
      err instanceof ApiError &&
      err.message === `Apply failed with 2 conflicts: conflicts with "creator" using v1 at ${T0}:\n- .metadata.labels.a\n- .spec.containers[name="app"].image`,
  );
});

test('managerFromUserAgent takes the first word of the User-Agent', () => {
  assert.equal(managerFromUserAgent('kubectl/v1.33.1 (linux/amd64) kubernetes/8adc0f0'), 'kubectl');
  assert.equal(managerFromUserAgent(undefined), '');
  assert.ok(encodePath(['f:a']));
});

test('kubectl server-side apply takes over what client-side apply set, without conflicts', () => {
  const config = pod({ a: '1' });
  const created: any = structuredClone(config);
  created.metadata.annotations = { 'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify(config) };
  recordUpdate('Pod', undefined, created, 'kubectl-client-side-apply', T0);
  const changed = pod({ a: '1' }, 'busybox:1.36');
  const merged = serverSideApply('Pod', created, changed, { manager: 'kubectl', force: false, now: T1 });
  assert.equal(merged.spec.containers[0].image, 'busybox:1.36');
  // Another manager name gets the conflict.
  assert.throws(() => serverSideApply('Pod', created, changed, { manager: 'other', force: false, now: T1 }), (e: unknown) => e instanceof ApiError && e.code === 409);
  // A field changed since the last client-side apply still conflicts.
  const drifted: any = structuredClone(created);
  drifted.spec.containers[0].image = 'busybox:1.34';
  assert.throws(() => serverSideApply('Pod', drifted, changed, { manager: 'kubectl', force: false, now: T1 }), (e: unknown) => e instanceof ApiError && e.code === 409);
});
