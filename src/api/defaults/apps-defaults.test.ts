/**
 * apps/v1 scheme defaults (pkg/apis/apps/v1/defaults.go and the PodSpec part
 * of core/v1 defaults.go applied to templates), case by case as upstream's
 * defaults_test.go checks them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DaemonSet, Deployment, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import { defaultDaemonSet, defaultDeployment, defaultPodTemplateSpec, defaultReplicaSet } from './defaults.ts';

const template = () => ({ metadata: { labels: { app: 'a' } }, spec: { containers: [{ name: 'c', image: 'busybox:1.36' }] } });

test('defaultDeployment fills replicas, RollingUpdate 25%/25%, revisionHistoryLimit and progressDeadlineSeconds', () => {
  const d: Deployment = { spec: { selector: {}, template: template() } };
  defaultDeployment(d);
  assert.equal(d.spec!.replicas, 1);
  assert.deepEqual(d.spec!.strategy, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } });
  assert.equal(d.spec!.revisionHistoryLimit, 10);
  assert.equal(d.spec!.progressDeadlineSeconds, 600);
});

test('defaultDeployment keeps what the client set, including zeros and a Recreate strategy without rollingUpdate', () => {
  const d: Deployment = {
    spec: { replicas: 0, revisionHistoryLimit: 0, progressDeadlineSeconds: 30, strategy: { type: 'Recreate' }, selector: {}, template: template() },
  };
  defaultDeployment(d);
  assert.equal(d.spec!.replicas, 0);
  assert.equal(d.spec!.revisionHistoryLimit, 0);
  assert.equal(d.spec!.progressDeadlineSeconds, 30);
  assert.deepEqual(d.spec!.strategy, { type: 'Recreate' });
  const partial: Deployment = { spec: { strategy: { rollingUpdate: { maxSurge: 0 } }, selector: {}, template: template() } };
  defaultDeployment(partial);
  assert.deepEqual(partial.spec!.strategy, { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: '25%' } });
});

test('defaultReplicaSet sets replicas 1 only when absent', () => {
  const rs: ReplicaSet = { spec: { selector: {}, template: template() } };
  defaultReplicaSet(rs);
  assert.equal(rs.spec!.replicas, 1);
  const zero: ReplicaSet = { spec: { replicas: 0, selector: {} } };
  defaultReplicaSet(zero);
  assert.equal(zero.spec!.replicas, 0);
});

test('defaultDaemonSet fills RollingUpdate maxUnavailable 1, maxSurge 0 and revisionHistoryLimit; OnDelete gets no rollingUpdate', () => {
  const ds: DaemonSet = { spec: { selector: {}, template: template() } };
  defaultDaemonSet(ds);
  assert.deepEqual(ds.spec!.updateStrategy, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } });
  assert.equal(ds.spec!.revisionHistoryLimit, 10);
  const onDelete: DaemonSet = { spec: { updateStrategy: { type: 'OnDelete' }, selector: {}, template: template() } };
  defaultDaemonSet(onDelete);
  assert.deepEqual(onDelete.spec!.updateStrategy, { type: 'OnDelete' });
});

test('defaultPodTemplateSpec applies the PodSpec defaults but not the Pod-only ones', () => {
  const t = {
    spec: {
      hostNetwork: true,
      serviceAccount: 'builder',
      containers: [{ name: 'c', image: 'busybox', ports: [{ containerPort: 8080 }], resources: { limits: { memory: '1Gi', cpu: '500m' } } }],
    },
  };
  defaultPodTemplateSpec(t);
  const spec = t.spec as Record<string, any>;
  assert.equal(spec.restartPolicy, 'Always');
  assert.equal(spec.dnsPolicy, 'ClusterFirst');
  assert.equal(spec.schedulerName, 'default-scheduler');
  assert.equal(spec.terminationGracePeriodSeconds, 30);
  assert.deepEqual(spec.securityContext, {});
  assert.equal(spec.serviceAccountName, 'builder');
  const c = spec.containers[0];
  assert.equal(c.imagePullPolicy, 'Always');
  assert.deepEqual(c.ports, [{ containerPort: 8080, protocol: 'TCP' }]);
  // SetDefaults_Pod only: no requests from limits, no enableServiceLinks, no host ports.
  assert.equal(c.resources.requests, undefined);
  assert.equal('enableServiceLinks' in spec, false);
});
