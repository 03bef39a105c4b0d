/**
 * StatefulSet storage rules: SetDefaults_StatefulSet, the v1.33 validation
 * texts and the dropped maxUnavailable (MaxUnavailableStatefulSet off).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { StatefulSet } from 'kubernetes-types/apps/v1.js';
import { renderFieldError } from '../../field-error.ts';
import type { Stored } from '../../types.ts';
import { defaultStatefulSet } from '../../defaults/apps-defaults.ts';
import { validateStatefulSet, validateStatefulSetStatusUpdate, validateStatefulSetUpdate } from '../../validation/apps-statefulset.ts';
import { statefulSetStrategy } from './statefulset-strategy.ts';

function sts(mutate: (s: any) => void = () => {}): Stored<StatefulSet> {
  const s: any = {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'web', namespace: 'default', resourceVersion: '1' },
    spec: {
      serviceName: 'web',
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }] } },
    },
  };
  mutate(s);
  return s;
}

const render = (errs: ReturnType<typeof validateStatefulSet>) => errs.map(renderFieldError);

test('defaultStatefulSet fills OrderedReady, RollingUpdate partition 0, Retain/Retain, replicas 1 and revisionHistoryLimit 10', () => {
  const s = sts();
  defaultStatefulSet(s);
  assert.equal(s.spec!.podManagementPolicy, 'OrderedReady');
  assert.deepEqual(s.spec!.updateStrategy, { type: 'RollingUpdate', rollingUpdate: { partition: 0 } });
  assert.deepEqual(s.spec!.persistentVolumeClaimRetentionPolicy, { whenDeleted: 'Retain', whenScaled: 'Retain' });
  assert.equal(s.spec!.replicas, 1);
  assert.equal(s.spec!.revisionHistoryLimit, 10);
  assert.equal(s.spec!.template!.spec!.restartPolicy, 'Always');
});

test('defaultStatefulSet keeps OnDelete without rollingUpdate and defaults the claim templates', () => {
  const s = sts((x) => {
    x.spec.updateStrategy = { type: 'OnDelete' };
    x.spec.replicas = 0;
    x.spec.persistentVolumeClaimRetentionPolicy = { whenScaled: 'Delete' };
    x.spec.volumeClaimTemplates = [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }];
  });
  defaultStatefulSet(s);
  assert.deepEqual(s.spec!.updateStrategy, { type: 'OnDelete' });
  assert.equal(s.spec!.replicas, 0);
  assert.deepEqual(s.spec!.persistentVolumeClaimRetentionPolicy, { whenDeleted: 'Retain', whenScaled: 'Delete' });
  const claim = s.spec!.volumeClaimTemplates![0];
  assert.equal(claim.spec!.volumeMode, 'Filesystem');
  assert.deepEqual(claim.status, { phase: 'Pending' });
});

test('validateStatefulSet accepts a defaulted StatefulSet and refuses a non-DNS-label name', () => {
  const ok = sts();
  defaultStatefulSet(ok);
  assert.deepEqual(render(validateStatefulSet(ok)), []);
  const dotted = sts((x) => (x.metadata.name = 'web.v1'));
  defaultStatefulSet(dotted);
  assert.deepEqual(render(validateStatefulSet(dotted)), ['metadata.name: Invalid value: "web.v1": must not contain dots']);
});

test('validateStatefulSet reports the spec errors with upstream texts', () => {
  const s = sts((x) => {
    x.spec.podManagementPolicy = 'Burst';
    x.spec.updateStrategy = { type: 'Sometimes' };
    x.spec.persistentVolumeClaimRetentionPolicy = { whenDeleted: 'Keep', whenScaled: 'Retain' };
    x.spec.replicas = -1;
    x.spec.ordinals = { start: -2 };
    x.spec.template.metadata.labels = { app: 'other' };
    x.spec.template.spec.activeDeadlineSeconds = 5;
    x.spec.template.spec.restartPolicy = 'Never';
  });
  defaultStatefulSet(s);
  assert.deepEqual(render(validateStatefulSet(s)), [
    `spec.podManagementPolicy: Invalid value: "Burst": must be 'OrderedReady' or 'Parallel'`,
    `spec.updateStrategy: Invalid value: apps.StatefulSetUpdateStrategy{Type:"Sometimes", RollingUpdate:(*apps.RollingUpdateStatefulSetStrategy)(nil)}: must be 'RollingUpdate' or 'OnDelete'`,
    'spec.persistentVolumeClaimRetentionPolicy.whenDeleted: Unsupported value: "Keep": supported values: "Retain", "Delete"',
    'spec.replicas: Invalid value: -1: must be greater than or equal to 0',
    'spec.ordinals.start: Invalid value: -2: must be greater than or equal to 0',
    'spec.template.metadata.labels: Invalid value: map[string]string{"app":"other"}: `selector` does not match template `labels`',
    'spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"',
    'spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in StatefulSet is not Supported',
  ]);
});

test('validateStatefulSet checks partition and maxUnavailable, and rollingUpdate under OnDelete', () => {
  const s = sts((x) => (x.spec.updateStrategy = { type: 'RollingUpdate', rollingUpdate: { partition: -1, maxUnavailable: 0 } }));
  defaultStatefulSet(s);
  assert.deepEqual(render(validateStatefulSet(s)), [
    'spec.updateStrategy.rollingUpdate.partition: Invalid value: -1: must be greater than or equal to 0',
    'spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:0, IntVal:0, StrVal:""}: cannot be 0',
  ]);
  const d = sts((x) => (x.spec.updateStrategy = { type: 'OnDelete', rollingUpdate: { partition: 1 } }));
  defaultStatefulSet(d);
  assert.deepEqual(render(validateStatefulSet(d)), [
    `spec.updateStrategy.rollingUpdate: Invalid value: apps.RollingUpdateStatefulSetStrategy{Partition:1, MaxUnavailable:(*intstr.IntOrString)(nil)}: only allowed for updateStrategy 'RollingUpdate'`,
  ]);
});

test('validateStatefulSet does not validate the PodSpec of the template, as upstream', () => {
  const s = sts((x) => (x.spec.template.spec.containers = [{ name: 'Bad_Name', image: '' }]));
  defaultStatefulSet(s);
  assert.deepEqual(render(validateStatefulSet(s)), []);
});

test('validateStatefulSetUpdate forbids changing fields other than the updatable ones', () => {
  const old = sts();
  defaultStatefulSet(old);
  const ok = sts((x) => {
    x.spec.replicas = 5;
    x.spec.minReadySeconds = 3;
    x.spec.ordinals = { start: 2 };
    x.spec.template.spec.containers[0].image = 'nginx:1.28';
    x.spec.persistentVolumeClaimRetentionPolicy = { whenDeleted: 'Delete', whenScaled: 'Delete' };
  });
  defaultStatefulSet(ok);
  assert.deepEqual(render(validateStatefulSetUpdate(ok, old)), []);
  const bad = sts((x) => (x.spec.serviceName = 'other'));
  defaultStatefulSet(bad);
  assert.deepEqual(render(validateStatefulSetUpdate(bad, old)), [
    "spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
  ]);
});

test('validateStatefulSetStatusUpdate bounds the counts by replicas and refuses a lower collisionCount', () => {
  const old = sts((x) => (x.status = { replicas: 1, collisionCount: 2 }));
  const s = sts((x) => (x.status = { replicas: 1, readyReplicas: 2, availableReplicas: 1, collisionCount: 1 }));
  assert.deepEqual(render(validateStatefulSetStatusUpdate(s, old)), [
    'status.readyReplicas: Invalid value: 2: cannot be greater than status.replicas',
    'status.collisionCount: Invalid value: 1: cannot be decremented',
  ]);
});

test('statefulSetStrategy drops maxUnavailable on create, keeps it on update when already in use, and starts generation 1', () => {
  const s = sts((x) => (x.spec.updateStrategy = { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 2 } }));
  statefulSetStrategy.prepareForCreate(s, {} as never);
  assert.deepEqual(s.spec!.updateStrategy, { type: 'RollingUpdate', rollingUpdate: { partition: 0 } });
  assert.equal(s.metadata.generation, 1);
  assert.deepEqual(s.status, { replicas: 0, availableReplicas: 0 });
  const old = sts((x) => (x.spec.updateStrategy = { type: 'RollingUpdate', rollingUpdate: { partition: 0, maxUnavailable: 2 } }));
  defaultStatefulSet(old);
  old.metadata.generation = 1;
  const next = structuredClone(old);
  next.spec!.replicas = 3;
  statefulSetStrategy.prepareForUpdate(next, old);
  assert.equal(next.spec!.updateStrategy!.rollingUpdate!.maxUnavailable, 2);
  assert.equal(next.metadata.generation, 2);
});
