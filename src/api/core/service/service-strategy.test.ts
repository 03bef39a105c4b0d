import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Service } from 'kubernetes-types/core/v1.js';
import type { Stored } from '../../types.ts';
import { defaultService } from './service-defaults.ts';
import { dropTypeDependentFields, serviceStrategy } from './service-strategy.ts';

const svc = (spec: Stored<Service>['spec']): Stored<Service> => ({ metadata: { name: 'web', namespace: 'default' }, spec });

test('defaultService fills what SetDefaults_Service fills for a ClusterIP Service', () => {
  const s = svc({ selector: { app: 'web' }, ports: [{ port: 80 }, { name: 'b', port: 81, targetPort: 0 }, { name: 'c', port: 82, targetPort: '' }, { name: 'd', port: 83, targetPort: 'http' }] });
  defaultService(s);
  assert.deepEqual(s.spec, {
    selector: { app: 'web' },
    ports: [
      { port: 80, protocol: 'TCP', targetPort: 80 },
      { name: 'b', port: 81, protocol: 'TCP', targetPort: 81 },
      { name: 'c', port: 82, protocol: 'TCP', targetPort: 82 },
      { name: 'd', port: 83, protocol: 'TCP', targetPort: 'http' },
    ],
    sessionAffinity: 'None',
    type: 'ClusterIP',
    internalTrafficPolicy: 'Cluster',
  });
});

test('defaultService gives externally reachable Services externalTrafficPolicy Cluster and LoadBalancers allocateLoadBalancerNodePorts', () => {
  const np = svc({ type: 'NodePort', ports: [{ port: 80 }] });
  defaultService(np);
  assert.equal(np.spec?.externalTrafficPolicy, 'Cluster');
  assert.equal(np.spec?.allocateLoadBalancerNodePorts, undefined);
  const withExternalIPs = svc({ externalIPs: ['192.0.2.5'], ports: [{ port: 80 }] });
  defaultService(withExternalIPs);
  assert.equal(withExternalIPs.spec?.externalTrafficPolicy, 'Cluster');
  const lb: Stored<Service> = { ...svc({ type: 'LoadBalancer', ports: [{ port: 80 }] }), status: { loadBalancer: { ingress: [{ ip: '192.0.2.1' }, { hostname: 'lb.example.com' }] } } };
  defaultService(lb);
  assert.equal(lb.spec?.allocateLoadBalancerNodePorts, true);
  assert.deepEqual(lb.status?.loadBalancer?.ingress, [{ ip: '192.0.2.1', ipMode: 'VIP' }, { hostname: 'lb.example.com' }]);
});

test('defaultService sets a ClientIP timeout of three hours, drops a config with affinity None, and leaves ExternalName without traffic policies', () => {
  const sticky = svc({ sessionAffinity: 'ClientIP', ports: [{ port: 80 }] });
  defaultService(sticky);
  assert.deepEqual(sticky.spec?.sessionAffinityConfig, { clientIP: { timeoutSeconds: 10800 } });
  const none = svc({ sessionAffinityConfig: { clientIP: { timeoutSeconds: 5 } }, ports: [{ port: 80 }] });
  defaultService(none);
  assert.equal(none.spec?.sessionAffinityConfig, undefined);
  const ext = svc({ type: 'ExternalName', externalName: 'db.example.com' });
  defaultService(ext);
  assert.deepEqual(ext.spec, { type: 'ExternalName', externalName: 'db.example.com', sessionAffinity: 'None' });
});

test('prepareForCreate resets status to an empty load balancer, as a Go ServiceStatus{} encodes', () => {
  const s: Stored<Service> = { ...svc({ ports: [{ port: 80 }] }), status: { loadBalancer: { ingress: [{ ip: '192.0.2.1' }] } } };
  serviceStrategy.prepareForCreate(s, { now: 0 });
  assert.deepEqual(s.status, { loadBalancer: {} });
});

test('dropTypeDependentFields clears what the old type needed when the user left it as it was', () => {
  const old = svc({
    type: 'LoadBalancer',
    clusterIP: '10.96.1.2',
    clusterIPs: ['10.96.1.2'],
    ipFamilies: ['IPv4'],
    ipFamilyPolicy: 'SingleStack',
    ports: [{ port: 80, nodePort: 30080, protocol: 'TCP' }],
    externalTrafficPolicy: 'Local',
    healthCheckNodePort: 30999,
    allocateLoadBalancerNodePorts: true,
  });
  const toExternal: Stored<Service> = { ...structuredClone(old), status: { loadBalancer: { ingress: [{ ip: '192.0.2.1' }] } } };
  toExternal.spec!.type = 'ExternalName';
  toExternal.spec!.externalName = 'db.example.com';
  dropTypeDependentFields(toExternal, old);
  assert.deepEqual(toExternal.spec, { type: 'ExternalName', externalName: 'db.example.com', ports: [{ port: 80, protocol: 'TCP' }] });
  assert.deepEqual(toExternal.status, { loadBalancer: {} });

  // A node port the user changed is theirs: it stays, for validation to judge.
  const toClusterIP = structuredClone(old);
  toClusterIP.spec!.type = 'ClusterIP';
  toClusterIP.spec!.ports![0].nodePort = 30081;
  dropTypeDependentFields(toClusterIP, old);
  assert.equal(toClusterIP.spec?.ports?.[0].nodePort, 30081);
  assert.equal(toClusterIP.spec?.clusterIP, '10.96.1.2');
});
