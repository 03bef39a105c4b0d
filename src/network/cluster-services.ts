/**
 * The two Services every cluster starts with, kept as this node serves
 * them: `default/kubernetes` (10.96.0.1:443, as kube-apiserver creates it
 * and its endpoint reconciler points it at the API server) and
 * `kube-system/kube-dns` (10.96.0.10:53 UDP and TCP, as kubeadm's CoreDNS
 * addon creates it). Both point at the node's bridge address, where berth's
 * API server and cluster DNS listen: their Endpoints and EndpointSlices
 * (named after the Service) are written here, not by the endpoint
 * controllers. So kube-dns has no selector — berth's DNS is no pod (a
 * deliberate difference, in the README).
 *
 * Level-triggered: everything is made right at start and whenever one of
 * these objects changes; a user who edits or deletes them sees them put back,
 * as kube-apiserver puts back `kubernetes`.
 */
import { isDeepStrictEqual } from 'node:util';
import type { Endpoints, Service } from 'kubernetes-types/core/v1.js';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1.js';
import { ApiError } from '../api/api.ts';
import type { ResourceClient } from '../client/client.ts';
import type { ControllerDefinition } from '../controllers/controllers.ts';
import { endpointSlicesClient } from '../controllers/endpointslice/endpointslice.ts';

export const kubernetesServiceIP = '10.96.0.1';
export const clusterDnsIP = '10.96.0.10';

export interface ClusterServicesOptions {
  /** The node's bridge address, where the API server and DNS also listen. */
  nodeAddress: string;
  /** The API server's port (kube-apiserver's --secure-port). */
  apiPort: number;
  /** The DNS server's port on the node address (53). */
  dnsPort: number;
}

interface Wanted {
  service: Service;
  ports: { name: string; port: number; protocol: string }[];
}

function wanted(o: ClusterServicesOptions): Wanted[] {
  return [
    {
      service: {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { namespace: 'default', name: 'kubernetes', labels: { component: 'apiserver', provider: 'kubernetes' } },
        spec: { type: 'ClusterIP', clusterIP: kubernetesServiceIP, ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: o.apiPort }], sessionAffinity: 'None' },
      },
      ports: [{ name: 'https', port: o.apiPort, protocol: 'TCP' }],
    },
    {
      service: {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: {
          namespace: 'kube-system',
          name: 'kube-dns',
          labels: { 'k8s-app': 'kube-dns', 'kubernetes.io/cluster-service': 'true', 'kubernetes.io/name': 'CoreDNS' },
        },
        spec: {
          type: 'ClusterIP',
          clusterIP: clusterDnsIP,
          ports: [
            { name: 'dns', port: 53, protocol: 'UDP', targetPort: o.dnsPort },
            { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: o.dnsPort },
          ],
        },
      },
      ports: [
        { name: 'dns', port: o.dnsPort, protocol: 'UDP' },
        { name: 'dns-tcp', port: o.dnsPort, protocol: 'TCP' },
      ],
    },
  ];
}

/** Creates `obj`, or updates what differs; 409s (a racing writer) are retried by the queue. */
function ensure<T extends { metadata?: { namespace?: string; name?: string; resourceVersion?: string } }>(
  client: ResourceClient<T>,
  want: T,
  differs: (cur: T) => boolean,
  merge: (cur: T) => T,
): void {
  const ns = want.metadata?.namespace;
  const cur = client.get(ns, want.metadata?.name ?? '');
  if (!cur) {
    try {
      client.create(ns, want);
    } catch (err) {
      if (!(err instanceof ApiError && err.code === 409)) throw err;
    }
    return;
  }
  if (differs(cur)) client.update(ns, merge(cur));
}

export function clusterServicesController(o: ClusterServicesOptions): ControllerDefinition {
  return {
    name: 'cluster-services',
    create(ctx) {
      const services = ctx.client.resource('services');
      const endpoints = ctx.client.resource('endpoints');
      const slices = endpointSlicesClient(ctx.client);
      const all = wanted(o);
      const ours = new Set(all.map((w) => `${w.service.metadata!.namespace}/${w.service.metadata!.name}`));
      let running = false;
      let pending = false;

      const reconcile = () => {
        pending = false;
        for (const { service, ports } of all) {
          const ns = service.metadata!.namespace!;
          const name = service.metadata!.name!;
          const cur = services.get(ns, name);
          if (cur && cur.spec?.clusterIP !== service.spec?.clusterIP) {
            // A cluster IP cannot change in place: the Service is made again.
            services.delete(ns, name);
            services.create(ns, service);
          } else {
            ensure(
              services,
              service,
              (c) => !isDeepStrictEqual(c.spec?.ports, service.spec?.ports) || !!c.spec?.selector,
              (c) => ({ ...c, spec: { ...c.spec, ports: service.spec?.ports, selector: undefined } }),
            );
          }
          const subsets = [{ addresses: [{ ip: o.nodeAddress }], ports }];
          const ep: Endpoints = { apiVersion: 'v1', kind: 'Endpoints', metadata: { namespace: ns, name, labels: { ...(service.metadata?.labels ?? {}) } }, subsets };
          ensure(endpoints, ep, (cur) => !isDeepStrictEqual(cur.subsets, subsets), (cur) => ({ ...cur, subsets }));
          const slice: EndpointSlice = {
            apiVersion: 'discovery.k8s.io/v1',
            kind: 'EndpointSlice',
            metadata: { namespace: ns, name, labels: { 'kubernetes.io/service-name': name } },
            addressType: 'IPv4',
            endpoints: [{ addresses: [o.nodeAddress], conditions: { ready: true } }],
            ports,
          };
          ensure(
            slices,
            slice,
            (cur) => !isDeepStrictEqual(cur.endpoints, slice.endpoints) || !isDeepStrictEqual(cur.ports, slice.ports),
            (cur) => ({ ...cur, endpoints: slice.endpoints, ports: slice.ports }),
          );
        }
      };
      const safeReconcile = () => {
        try {
          reconcile();
        } catch (err) {
          ctx.log(`cluster-services: ${err instanceof Error ? err.message : String(err)}`);
          // Retried on the next change or the informers' resync.
        }
      };
      // Changes to our objects (including our own writes, which then find nothing to do) bring a reconcile, coalesced.
      const touched = (obj: { metadata?: { namespace?: string; name?: string } }) => {
        if (!running || pending || !ours.has(`${obj.metadata?.namespace}/${obj.metadata?.name}`)) return;
        pending = true;
        queueMicrotask(safeReconcile);
      };
      const handler = { add: touched, update: (_o: unknown, n: { metadata?: { namespace?: string; name?: string } }) => touched(n), delete: touched };
      ctx.informers.forResource('services').addEventHandler(handler);
      ctx.informers.forResource('endpoints').addEventHandler(handler);
      ctx.informers.informerFor(slices).addEventHandler(handler);
      return {
        start() {
          running = true;
          safeReconcile();
        },
        stop() {
          running = false;
        },
      };
    },
  };
}
