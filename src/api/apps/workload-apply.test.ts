/**
 * `kubectl apply` of apps/v1 workloads through an in-process registry:
 * client-side apply's strategic merge patch merges the pod template's
 * containers by name (keeping the server's defaults), and server-side apply
 * keys them by name too, so a second apply changes one container in place.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Deployment } from 'kubernetes-types/apps/v1.js';
import { applyStrategicMergePatch } from '../patch/strategic-merge.ts';
import { memoryRegistry } from '../../registry/registry-fixture.ts';
import type { ResourceStore } from '../../registry/resource-store.ts';

type Registry = ReturnType<typeof memoryRegistry>['registry'];
const deployments = (r: Registry) => r.resource('apps', 'v1', 'deployments') as ResourceStore<Deployment>;

const manifest = (containers: object[], replicas = 2) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web' },
  spec: {
    replicas,
    selector: { matchLabels: { app: 'web' } },
    template: { metadata: { labels: { app: 'web' } }, spec: { containers } },
  },
});

test('a client-side apply patch merges template containers by name and keeps their defaults', (t) => {
  const { registry } = memoryRegistry(t);
  const store = deployments(registry);
  const created = store.create('default', manifest([{ name: 'nginx', image: 'nginx:1.26', env: [{ name: 'A', value: '1' }] }]), {
    fieldManager: 'kubectl-client-side-apply',
  });
  assert.deepEqual(
    created.metadata.managedFields?.map((m) => [m.manager, m.operation, m.apiVersion]),
    [['kubectl-client-side-apply', 'Update', 'apps/v1']],
  );
  // What kubectl apply sends when the manifest changes nginx's image and adds a sidecar.
  const patch = {
    spec: {
      template: {
        spec: {
          '$setElementOrder/containers': [{ name: 'nginx' }, { name: 'sidecar' }],
          containers: [
            { name: 'nginx', image: 'nginx:1.27' },
            { name: 'sidecar', image: 'busybox:1.36' },
          ],
        },
      },
    },
  };
  const updated = store.patch('default', 'web', (cur) => applyStrategicMergePatch(cur, patch, 'Deployment'));
  const [nginx, sidecar] = updated.spec!.template.spec!.containers;
  assert.equal(nginx.name, 'nginx');
  assert.equal(nginx.image, 'nginx:1.27');
  assert.deepEqual(nginx.env, [{ name: 'A', value: '1' }]);
  assert.equal(nginx.terminationMessagePath, '/dev/termination-log');
  assert.equal(sidecar.name, 'sidecar');
  assert.equal(sidecar.imagePullPolicy, 'IfNotPresent');
  assert.equal(updated.metadata.generation, 2);
});

test('server-side apply of a Deployment keys template containers by name and records apps/v1 ownership', (t) => {
  const { registry } = memoryRegistry(t);
  const store = deployments(registry);
  const first = store.apply('default', 'web', manifest([{ name: 'nginx', image: 'nginx:1.26' }, { name: 'log', image: 'busybox:1.36' }]), {
    fieldManager: 'kubectl',
    force: false,
  });
  assert.equal(first.created, true);
  assert.equal(first.object.spec!.strategy!.type, 'RollingUpdate');
  const second = store.apply('default', 'web', manifest([{ name: 'nginx', image: 'nginx:1.27' }, { name: 'log', image: 'busybox:1.36' }], 3), {
    fieldManager: 'kubectl',
    force: false,
  });
  const containers = second.object.spec!.template.spec!.containers;
  assert.deepEqual(containers.map((c) => [c.name, c.image]), [['nginx', 'nginx:1.27'], ['log', 'busybox:1.36']]);
  assert.equal(second.object.spec!.replicas, 3);
  const entry = second.object.metadata.managedFields?.find((m) => m.manager === 'kubectl');
  assert.equal(entry?.operation, 'Apply');
  assert.equal(entry?.apiVersion, 'apps/v1');
  const tmplSpec = (entry?.fieldsV1 as any)['f:spec']['f:template']['f:spec'];
  assert.ok(tmplSpec['f:containers']['k:{"name":"nginx"}'], JSON.stringify(tmplSpec));
});

test('server-side apply by another manager conflicts on a field kubectl applied', (t) => {
  const { registry } = memoryRegistry(t);
  const store = deployments(registry);
  store.apply('default', 'web', manifest([{ name: 'nginx', image: 'nginx:1.26' }]), { fieldManager: 'kubectl', force: false });
  assert.throws(
    () => store.apply('default', 'web', manifest([{ name: 'nginx', image: 'nginx:1.27' }]), { fieldManager: 'ci', force: false }),
    (err: Error & { code?: number }) => err.code === 409 && /\.spec\.template\.spec\.containers\[name="nginx"\]\.image/.test(err.message),
  );
});
