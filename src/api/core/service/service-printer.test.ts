import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Service } from 'kubernetes-types/core/v1.js';
import { servicePrinter } from './service-printer.ts';

const NOW = Date.parse('2025-06-01T12:00:00Z');

function svc(spec: Service['spec'], status?: Service['status']): Service {
  return { metadata: { name: 'web', creationTimestamp: new Date(NOW - 5 * 60_000).toISOString() }, spec, status };
}

test('servicePrinter has printService columns, SELECTOR only with -o wide', () => {
  assert.deepEqual(
    servicePrinter.columns.map((c) => [c.name, c.priority]),
    [['Name', 0], ['Type', 0], ['Cluster-IP', 0], ['External-IP', 0], ['Port(s)', 0], ['Age', 0], ['Selector', 1]],
  );
});

test('servicePrinter prints a ClusterIP Service as kubectl get svc -o wide shows it', () => {
  const row = servicePrinter.cells(
    svc({ type: 'ClusterIP', clusterIP: '10.96.12.34', clusterIPs: ['10.96.12.34'], selector: { tier: 'front', app: 'web' }, ports: [{ port: 80, protocol: 'TCP' }] }),
    NOW,
  );
  assert.deepEqual(row, ['web', 'ClusterIP', '10.96.12.34', '<none>', '80/TCP', '5m', 'app=web,tier=front']);
});

test('servicePrinter shows node ports as port:nodePort/protocol, and <none> for an empty selector', () => {
  const row = servicePrinter.cells(
    svc({
      type: 'NodePort',
      clusterIPs: ['10.96.12.35'],
      ports: [
        { name: 'http', port: 80, nodePort: 30080, protocol: 'TCP' },
        { name: 'dns', port: 53, nodePort: 30053, protocol: 'UDP' },
      ],
    }),
    NOW,
  );
  assert.deepEqual(row.slice(2), ['10.96.12.35', '<none>', '80:30080/TCP,53:30053/UDP', '5m', '<none>']);
});

test('servicePrinter shows <pending> for a LoadBalancer without ingress, else its addresses sorted, then external IPs', () => {
  const lb = { type: 'LoadBalancer', clusterIPs: ['10.96.0.50'], ports: [{ port: 443, nodePort: 31443, protocol: 'TCP' }] };
  assert.equal(servicePrinter.cells(svc(lb, { loadBalancer: {} }), NOW)[3], '<pending>');
  const ingress = { loadBalancer: { ingress: [{ ip: '192.0.2.9' }, { hostname: 'lb.example.com' }, { ip: '192.0.2.1' }] } };
  assert.equal(servicePrinter.cells(svc(lb, ingress), NOW)[3], '192.0.2.1,192.0.2.9,lb.example.com');
  assert.equal(servicePrinter.cells(svc({ ...lb, externalIPs: ['198.51.100.1'] }, ingress), NOW)[3], '192.0.2.1,192.0.2.9,lb.example.com,198.51.100.1');
});

test('servicePrinter shows an ExternalName Service with its name as EXTERNAL-IP, and a headless one as None', () => {
  assert.deepEqual(servicePrinter.cells(svc({ type: 'ExternalName', externalName: 'db.example.com' }), NOW).slice(1, 5), [
    'ExternalName',
    '<none>',
    'db.example.com',
    '<none>',
  ]);
  const headless = svc({ type: 'ClusterIP', clusterIP: 'None', clusterIPs: ['None'], externalIPs: ['192.0.2.7'], ports: [{ port: 80, protocol: 'TCP' }] });
  assert.deepEqual(servicePrinter.cells(headless, NOW).slice(1, 5), ['ClusterIP', 'None', '192.0.2.7', '80/TCP']);
});
