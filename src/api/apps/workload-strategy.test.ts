/**
 * apps/v1 workloads through an in-process registry: what a minimal object is
 * stored as (kube-apiserver's defaults and create-time status), the 422 for
 * an invalid one, generation and template-generation bookkeeping, and the
 * warnings sent for pod templates.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DaemonSet, Deployment, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import { ApiError } from '../errors.ts';
import { memoryRegistry } from '../../registry/registry-fixture.ts';
import type { ResourceStore } from '../../registry/resource-store.ts';
import { deploymentStrategy } from './deployment/deployment-strategy.ts';
import { replicaSetStrategy } from './replicaset/replicaset-strategy.ts';
import { daemonSetStrategy } from './daemonset/daemonset-strategy.ts';
import { podTemplateWarnings } from './workload-strategy.ts';

type Registry = ReturnType<typeof memoryRegistry>['registry'];
const store = <T>(r: Registry, resource: string) => r.resource('apps', 'v1', resource) as ResourceStore<T>;

const minimal = (name = 'web') => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name },
  spec: {
    selector: { matchLabels: { app: 'web' } },
    template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx', ports: [{ containerPort: 80 }] }] } },
  },
});

/** The pod template as `kubectl get deploy -o yaml` shows it on a v1.33 cluster. */
const storedTemplate = {
  metadata: { labels: { app: 'web' } },
  spec: {
    containers: [
      {
        name: 'nginx',
        image: 'nginx',
        imagePullPolicy: 'Always',
        ports: [{ containerPort: 80, protocol: 'TCP' }],
        resources: {},
        terminationMessagePath: '/dev/termination-log',
        terminationMessagePolicy: 'File',
      },
    ],
    dnsPolicy: 'ClusterFirst',
    restartPolicy: 'Always',
    schedulerName: 'default-scheduler',
    securityContext: {},
    terminationGracePeriodSeconds: 30,
  },
};

test('a minimal Deployment is stored with every kube-apiserver default and an empty status', (t) => {
  const { registry } = memoryRegistry(t);
  const d = store<Deployment>(registry, 'deployments').create('default', minimal());
  assert.equal(d.metadata.generation, 1);
  assert.deepEqual(d.spec, {
    progressDeadlineSeconds: 600,
    replicas: 1,
    revisionHistoryLimit: 10,
    selector: { matchLabels: { app: 'web' } },
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
    template: storedTemplate,
  });
  assert.deepEqual(d.status, {});
  // Pod-only defaults stay out of templates.
  assert.equal('enableServiceLinks' in d.spec!.template.spec!, false);
});

test('an invalid Deployment is refused with the 422 kube-apiserver sends', (t) => {
  const { registry } = memoryRegistry(t);
  const body = minimal();
  delete (body.spec as Partial<typeof body.spec>).selector;
  assert.throws(
    () => store<Deployment>(registry, 'deployments').create('default', body),
    (err: unknown) =>
      err instanceof ApiError &&
      err.code === 422 &&
      err.message ===
        'Deployment.apps "web" is invalid: [spec.selector: Required value, spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`]',
  );
});

test('a Deployment update with another selector is refused as immutable', (t) => {
  const { registry } = memoryRegistry(t);
  const deployments = store<Deployment>(registry, 'deployments');
  deployments.create('default', minimal());
  assert.throws(
    () =>
      deployments.patch('default', 'web', (d) => {
        d.spec!.selector = { matchLabels: { app: 'web', v: '2' } };
        d.spec!.template.metadata!.labels = { app: 'web', v: '2' };
        return d;
      }),
    (err: unknown) =>
      err instanceof ApiError &&
      err.message ===
        'Deployment.apps "web" is invalid: spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"web", "v":"2"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable',
  );
});

test('a Deployment generation grows with spec and annotation changes, not with status', (t) => {
  const { registry } = memoryRegistry(t);
  const deployments = store<Deployment>(registry, 'deployments');
  deployments.create('default', minimal());
  const scaled = deployments.patch('default', 'web', (d) => ({ ...d, spec: { ...d.spec!, replicas: 3 } }));
  assert.equal(scaled.metadata.generation, 2);
  const annotated = deployments.patch('default', 'web', (d) => ({ ...d, metadata: { ...d.metadata, annotations: { note: 'x' } } }));
  assert.equal(annotated.metadata.generation, 3);
  const status = deployments.patch('default', 'web', (d) => ({ ...d, status: { observedGeneration: 3, replicas: 0 } }), { subresource: 'status' });
  assert.equal(status.metadata.generation, 3);
  assert.deepEqual(status.status, { observedGeneration: 3, replicas: 0 });
  // An update keeps the status; the defaults are re-applied to what the client sent.
  const replaced = deployments.update('default', 'web', minimal());
  assert.deepEqual(replaced.status, { observedGeneration: 3, replicas: 0 });
  assert.equal(replaced.spec!.replicas, 1);
  assert.equal(replaced.metadata.generation, 4);
});

test('a ReplicaSet is stored with replicas 1, its template defaults and status.replicas 0; annotations do not bump its generation', (t) => {
  const { registry } = memoryRegistry(t);
  const replicaSets = store<ReplicaSet>(registry, 'replicasets');
  const rs = replicaSets.create('default', { ...minimal('web-abc'), kind: 'ReplicaSet' });
  assert.equal(rs.spec!.replicas, 1);
  assert.deepEqual(rs.spec!.template, storedTemplate);
  assert.deepEqual(rs.status, { replicas: 0 });
  const annotated = replicaSets.patch('default', 'web-abc', (r) => ({ ...r, metadata: { ...r.metadata, annotations: { a: 'b' } } }));
  assert.equal(annotated.metadata.generation, 1);
  assert.deepEqual(replicaSetStrategy.fields(annotated), { 'status.replicas': '0' });
});

test('a DaemonSet gets its update strategy defaults, zero counts and template generation 1, bumped by template changes only', (t) => {
  const { registry } = memoryRegistry(t);
  const daemonSets = store<DaemonSet>(registry, 'daemonsets');
  const ds = daemonSets.create('default', { ...minimal('agent'), kind: 'DaemonSet' });
  assert.deepEqual(ds.spec!.updateStrategy, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } });
  assert.equal(ds.spec!.revisionHistoryLimit, 10);
  assert.equal('replicas' in ds.spec!, false);
  assert.deepEqual(ds.status, { currentNumberScheduled: 0, numberMisscheduled: 0, desiredNumberScheduled: 0, numberReady: 0 });
  assert.deepEqual(ds.metadata.annotations, { 'deprecated.daemonset.template.generation': '1' });
  const minReady = daemonSets.patch('default', 'agent', (d) => ({ ...d, spec: { ...d.spec!, minReadySeconds: 5 } }));
  assert.equal(minReady.metadata.generation, 2);
  assert.equal(minReady.metadata.annotations!['deprecated.daemonset.template.generation'], '1');
  const retagged = daemonSets.patch('default', 'agent', (d) => {
    d.spec!.template.spec!.containers[0].image = 'nginx:1.27';
    // Clients cannot set the template generation.
    d.metadata.annotations = { 'deprecated.daemonset.template.generation': '9' };
    return d;
  });
  assert.equal(retagged.metadata.generation, 3);
  assert.equal(retagged.metadata.annotations!['deprecated.daemonset.template.generation'], '2');
});

test('Deployment warnings name the Pod-name rule and template fields under spec.template', () => {
  const d = structuredClone(minimal('web.v1')) as never as Deployment & { metadata: { name: string } };
  d.spec!.template.spec!.containers[0].ports = [{ containerPort: 80, hostIP: '10.0.0.1' }];
  d.spec!.template.metadata!.annotations = { 'container.apparmor.security.beta.kubernetes.io/nginx': 'runtime/default' };
  d.spec!.template.spec!.nodeSelector = { 'beta.kubernetes.io/arch': 'amd64' };
  const warnings = deploymentStrategy.warnings!(d as never);
  assert.deepEqual(warnings, [
    'metadata.name: this is used in Pod names and hostnames, which can result in surprising behavior; a DNS label is recommended: [must not contain dots]',
    'spec.template.spec.nodeSelector[beta.kubernetes.io/arch]: deprecated since v1.14; use "kubernetes.io/arch" instead',
    'spec.template.spec.containers[0].ports[0]: hostIP set without hostPort: {Name: HostPort:0 ContainerPort:80 Protocol: HostIP:10.0.0.1}',
    'spec.template.metadata.annotations[container.apparmor.security.beta.kubernetes.io/nginx]: deprecated since v1.30; use the "appArmorProfile" field instead',
  ]);
});

test('workload update warnings come only with a new generation; DaemonSets have no name warning', () => {
  const ds = { ...structuredClone(minimal('agent.v1')), kind: 'DaemonSet' } as never as DaemonSet & { metadata: { name: string; generation: number } };
  ds.spec!.template.spec!.terminationGracePeriodSeconds = -1;
  ds.metadata.generation = 2;
  const tgp = 'spec.template.spec.terminationGracePeriodSeconds: must be >= 0; negative values are invalid and will be treated as 1';
  assert.deepEqual(daemonSetStrategy.warnings!(ds as never), [tgp]);
  assert.deepEqual(daemonSetStrategy.warnings!(ds as never, { ...ds, metadata: { ...ds.metadata, generation: 2 } } as never), []);
  assert.deepEqual(daemonSetStrategy.warnings!(ds as never, { ...ds, metadata: { ...ds.metadata, generation: 1 } } as never), [tgp]);
  assert.deepEqual(podTemplateWarnings(undefined), []);
});
