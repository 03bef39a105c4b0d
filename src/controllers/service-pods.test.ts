import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod, Service } from 'kubernetes-types/core/v1.js';
import type { ControllerDefinition } from './controller.ts';
import { controllerFixture } from './controller-fixture.ts';
import { endpointHostname, enqueueServicesOfPods, findPort, isHeadless, podIP, selects, shouldPodBeInEndpoints } from './service-pods.ts';

const svc = (spec: Record<string, unknown> = {}): Service =>
  ({ metadata: { name: 'web', namespace: 'shop' }, spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }], ...spec } }) as Service;
const pod = (name: string, ip: string, opts: { deleting?: boolean; phase?: string; httpPort?: number; labels?: Record<string, string>; hostname?: string; subdomain?: string } = {}): Pod =>
  ({
    metadata: { name, namespace: 'shop', labels: opts.labels ?? { app: 'web' }, ...(opts.deleting ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}) },
    spec: {
      ...(opts.hostname ? { hostname: opts.hostname, subdomain: opts.subdomain } : {}),
      containers: [{ name: 'c', image: 'i', ports: opts.httpPort ? [{ name: 'http', containerPort: opts.httpPort }] : [] }],
    },
    status: { phase: opts.phase ?? 'Running', podIP: ip },
  }) as Pod;

test('selects matches pods of the Service namespace carrying every selector label, and nothing without a selector', () => {
  const s = svc();
  assert.equal(selects(s, pod('a', '1.1.1.1', { labels: { app: 'web', tier: 'x' } })), true);
  assert.equal(selects(s, pod('a', '1.1.1.1', { labels: { app: 'api' } })), false);
  assert.equal(selects(s, { ...pod('a', '1.1.1.1'), metadata: { namespace: 'other', labels: { app: 'web' } } }), false);
  assert.equal(selects(svc({ selector: undefined }), pod('a', '1.1.1.1')), false);
  assert.equal(selects(svc({ selector: {} }), pod('a', '1.1.1.1')), false);
});

test('findPort takes a numeric targetPort as it is and resolves a named one by name and protocol', () => {
  assert.equal(findPort(pod('a', '1.1.1.1'), { port: 80 }), 80);
  assert.equal(findPort(pod('a', '1.1.1.1'), { port: 80, targetPort: 8080 }), 8080);
  assert.equal(findPort(pod('a', '1.1.1.1', { httpPort: 8080 }), { port: 80, targetPort: 'http' }), 8080);
  assert.equal(findPort(pod('a', '1.1.1.1', { httpPort: 8080 }), { port: 80, targetPort: 'http', protocol: 'UDP' }), undefined);
});

test('shouldPodBeInEndpoints leaves out pods without an IP, finished pods, and terminating ones unless asked', () => {
  assert.equal(shouldPodBeInEndpoints(pod('a', ''), true), false);
  assert.equal(shouldPodBeInEndpoints(pod('a', '1.1.1.1', { phase: 'Failed' }), true), false);
  assert.equal(shouldPodBeInEndpoints(pod('a', '1.1.1.1', { phase: 'Succeeded' }), true), false);
  assert.equal(shouldPodBeInEndpoints(pod('a', '1.1.1.1', { deleting: true }), false), false);
  assert.equal(shouldPodBeInEndpoints(pod('a', '1.1.1.1', { deleting: true }), true), true);
  assert.equal(shouldPodBeInEndpoints(pod('a', '1.1.1.1'), false), true);
});

test('endpointHostname is the pod hostname only when its subdomain names the Service; podIP falls back to podIPs', () => {
  assert.equal(endpointHostname(svc(), pod('db-0', '1.1.1.1', { hostname: 'db-0', subdomain: 'web' })), 'db-0');
  assert.equal(endpointHostname(svc(), pod('db-0', '1.1.1.1', { hostname: 'db-0', subdomain: 'other' })), undefined);
  assert.equal(podIP(pod('a', '1.1.1.1')), '1.1.1.1');
  assert.equal(podIP({ status: { podIPs: [{ ip: '2.2.2.2' }] } }), '2.2.2.2');
  assert.equal(podIP({}), '');
});

test('isHeadless is true only for clusterIP None', () => {
  assert.equal(isHeadless(svc({ clusterIP: 'None' })), true);
  assert.equal(isHeadless(svc({ clusterIP: '10.96.0.10' })), false);
  assert.equal(isHeadless(svc()), false);
});

test('enqueueServicesOfPods enqueues the Services that select a pod before or after its change', async (t) => {
  const f = controllerFixture(t);
  const keys: string[] = [];
  const recorder: ControllerDefinition = {
    name: 'recorder',
    create({ informers }) {
      enqueueServicesOfPods(informers.forResource('pods'), informers.forResource('services'), (k) => keys.push(k));
      return { start() {}, stop() {} };
    },
  };
  const services = f.registry.resource('', 'v1', 'services')!;
  services.create('default', { metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } });
  services.create('default', { metadata: { name: 'api' }, spec: { selector: { app: 'api' }, ports: [{ port: 80 }] } });
  services.create('default', { metadata: { name: 'manual' }, spec: { ports: [{ port: 80 }] } });
  await f.run([recorder]);
  keys.length = 0;

  f.registry.pods.create('default', { metadata: { name: 'a', labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'busybox:1.35' }] } });
  await f.clock.settle();
  assert.deepEqual(keys, ['default/web']);

  keys.length = 0;
  const a = f.registry.pods.get('default', 'a');
  f.registry.pods.update('default', 'a', { ...a, metadata: { ...a.metadata, labels: { app: 'api' } } });
  await f.clock.settle();
  assert.deepEqual(keys.sort(), ['default/api', 'default/web']);

  keys.length = 0;
  f.registry.pods.delete('default', 'a', { gracePeriodSeconds: 0 });
  await f.clock.settle();
  assert.deepEqual(keys, ['default/api']);
});
