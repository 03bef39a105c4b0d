/**
 * The node-side consumers of Services, as controllers over the shared
 * informers: the dataplane (kube-proxy's job: Services and EndpointSlices
 * into proxy/) and cluster DNS (CoreDNS's kubernetes plugin: Services,
 * EndpointSlices, pods and namespaces into dns/'s ClusterIndex). Handlers
 * only record; the proxy's own loop coalesces syncs, and the DNS index is
 * read per query.
 *
 * Both start only after every informer's first list (the controller
 * manager's contract), which is when the proxy gets its first full state
 * (no rule is written before: a restarted node must not REJECT every
 * Service before it has seen the EndpointSlices) and the DNS index is
 * marked synced (until then CoreDNS answers SERVFAIL).
 */
import type { ControllerDefinition } from '../controllers/controllers.ts';
import { endpointSlicesClient } from '../controllers/endpointslice/endpointslice.ts';
import type { ClusterIndex } from './dns/dns.ts';
import { dnsEndpointSlice, dnsPod, dnsService } from './dns/dns.ts';
import type { ServiceProxy } from './proxy/proxy.ts';

type ControllerContext = Parameters<ControllerDefinition['create']>[0];

function endpointSlices(ctx: ControllerContext) {
  return ctx.informers.informerFor(endpointSlicesClient(ctx.client));
}

const nsName = (o: { metadata?: { namespace?: string; name?: string } }) => [o.metadata?.namespace ?? '', o.metadata?.name ?? ''] as const;

/** Feeds `proxy` (started by the caller) from the Service and EndpointSlice informers. */
export function serviceProxyFeed(proxy: ServiceProxy): ControllerDefinition {
  return {
    name: 'service-proxy',
    create(ctx) {
      const services = ctx.informers.forResource('services');
      const slices = endpointSlices(ctx);
      let started = false;
      services.addEventHandler({
        add: (s) => started && proxy.setService(s),
        update: (_o, s) => started && proxy.setService(s),
        delete: (s) => started && proxy.deleteService(...nsName(s)),
      });
      slices.addEventHandler({
        add: (s) => started && proxy.setEndpointSlice(s),
        update: (_o, s) => started && proxy.setEndpointSlice(s),
        delete: (s) => started && proxy.deleteEndpointSlice(...nsName(s)),
      });
      return {
        start() {
          started = true;
          proxy.replaceAll(services.lister.list(), slices.lister.list());
        },
        stop() {
          started = false;
        },
      };
    },
  };
}

/** Feeds the cluster DNS index from the Service, EndpointSlice, Pod and Namespace informers. */
export function clusterDnsFeed(index: ClusterIndex): ControllerDefinition {
  return {
    name: 'cluster-dns',
    create(ctx) {
      const services = ctx.informers.forResource('services');
      const slices = endpointSlices(ctx);
      const pods = ctx.informers.forResource('pods');
      const namespaces = ctx.informers.forResource('namespaces');
      services.addEventHandler({
        add: (s) => index.setService(dnsService(s)),
        update: (_o, s) => index.setService(dnsService(s)),
        delete: (s) => index.deleteService(...nsName(s)),
      });
      slices.addEventHandler({
        add: (s) => index.setEndpointSlice(dnsEndpointSlice(s)),
        update: (_o, s) => index.setEndpointSlice(dnsEndpointSlice(s)),
        delete: (s) => index.deleteEndpointSlice(...nsName(s)),
      });
      pods.addEventHandler({
        add: (p) => index.setPod(dnsPod(p)),
        update: (_o, p) => index.setPod(dnsPod(p)),
        delete: (p) => index.deletePod(...nsName(p)),
      });
      namespaces.addEventHandler({
        add: (n) => index.setNamespace(n.metadata?.name ?? ''),
        delete: (n) => index.deleteNamespace(n.metadata?.name ?? ''),
      });
      return {
        start: () => index.markSynced(),
        stop() {},
      };
    },
  };
}
