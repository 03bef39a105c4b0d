import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod, Service } from 'kubernetes-types/core/v1.js';
import { makeEnvironment } from './env.ts';
import { serviceEnvironment } from './service-env.ts';

const svc = (namespace: string, name: string, clusterIP: string, ports: { name?: string; port: number; protocol?: string }[]): Service =>
  ({ metadata: { namespace, name }, spec: { clusterIP, ports } }) as Service;
const services = [
  svc('default', 'kubernetes', '10.96.0.1', [{ name: 'https', port: 443, protocol: 'TCP' }]),
  svc('shop', 'web-api', '10.96.0.20', [{ name: 'http', port: 80 }, { name: 'dns', port: 53, protocol: 'UDP' }]),
  svc('shop', 'headless', 'None', [{ port: 80 }]),
  svc('other', 'elsewhere', '10.96.0.30', [{ port: 80 }]),
];
const pod = (spec: Record<string, unknown> = {}): Pod => ({ metadata: { name: 'p', namespace: 'shop' }, spec: { containers: [{ name: 'c', image: 'i' }], ...spec } }) as Pod;

test('serviceEnvironment gives the kubelet\'s variables for Services of the pod\'s namespace and the kubernetes Service', () => {
  const env = Object.fromEntries(serviceEnvironment(pod(), services));
  assert.deepEqual(env, {
    KUBERNETES_SERVICE_HOST: '10.96.0.1',
    KUBERNETES_SERVICE_PORT: '443',
    KUBERNETES_SERVICE_PORT_HTTPS: '443',
    KUBERNETES_PORT: 'tcp://10.96.0.1:443',
    KUBERNETES_PORT_443_TCP: 'tcp://10.96.0.1:443',
    KUBERNETES_PORT_443_TCP_PROTO: 'tcp',
    KUBERNETES_PORT_443_TCP_PORT: '443',
    KUBERNETES_PORT_443_TCP_ADDR: '10.96.0.1',
    WEB_API_SERVICE_HOST: '10.96.0.20',
    WEB_API_SERVICE_PORT: '80',
    WEB_API_SERVICE_PORT_HTTP: '80',
    WEB_API_SERVICE_PORT_DNS: '53',
    WEB_API_PORT: 'tcp://10.96.0.20:80',
    WEB_API_PORT_80_TCP: 'tcp://10.96.0.20:80',
    WEB_API_PORT_80_TCP_PROTO: 'tcp',
    WEB_API_PORT_80_TCP_PORT: '80',
    WEB_API_PORT_80_TCP_ADDR: '10.96.0.20',
    WEB_API_PORT_53_UDP: 'udp://10.96.0.20:53',
    WEB_API_PORT_53_UDP_PROTO: 'udp',
    WEB_API_PORT_53_UDP_PORT: '53',
    WEB_API_PORT_53_UDP_ADDR: '10.96.0.20',
  });
});

test('serviceEnvironment keeps only the kubernetes Service when enableServiceLinks is false', () => {
  const env = serviceEnvironment(pod({ enableServiceLinks: false }), services);
  assert.deepEqual([...env.keys()].filter((k) => !k.startsWith('KUBERNETES_')), []);
  assert.equal(env.get('KUBERNETES_SERVICE_HOST'), '10.96.0.1');
});

test('makeEnvironment appends service variables after the container\'s own, which win, and expands $(VAR) from them', () => {
  const container = { name: 'c', image: 'i', env: [{ name: 'WEB_API_SERVICE_PORT', value: '8080' }, { name: 'URL', value: 'http://$(WEB_API_SERVICE_HOST):$(WEB_API_SERVICE_PORT)' }] };
  const env = makeEnvironment(container, {
    pod: pod(),
    podIPs: [],
    hostIPs: [],
    config: { getConfigMap: () => undefined, getSecret: () => undefined },
    nodeAllocatable: { cpu: '1', memory: '1Gi', 'ephemeral-storage': '1Gi' },
    serviceEnv: serviceEnvironment(pod(), services),
  });
  assert.deepEqual(env.slice(0, 2), [
    { key: 'WEB_API_SERVICE_PORT', value: '8080' },
    { key: 'URL', value: 'http://10.96.0.20:8080' },
  ]);
  assert.equal(env.filter((e) => e.key === 'WEB_API_SERVICE_PORT').length, 1);
  assert.ok(env.some((e) => e.key === 'KUBERNETES_SERVICE_HOST' && e.value === '10.96.0.1'));
});
