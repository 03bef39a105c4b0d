/**
 * The cluster zone's answers: a pure function of a `ClusterView` and one
 * question, as CoreDNS's `kubernetes` plugin serves them (coredns
 * plugin/kubernetes/handler.go `ServeDNS`) with kubeadm's Corefile:
 *
 *   kubernetes cluster.local in-addr.arpa ip6.arpa {
 *     pods insecure
 *     fallthrough in-addr.arpa ip6.arpa
 *     ttl 30
 *   }
 *
 * A name outside the zones, or a reverse name the cluster does not know,
 * resolves to `forward`: the caller hands it to the upstream resolvers.
 *
 * NXDOMAIN versus NODATA, as CoreDNS decides it: a name that cannot exist
 * (unknown namespace, service, endpoint, port, too many labels, a label other
 * than `svc`/`pod`) is NXDOMAIN; a name that exists without records of the
 * asked type (AAAA of an IPv4 service, MX of anything, the apex, `svc.<zone>`,
 * `<ns>.svc.<zone>`) is NOERROR with no answers. Both carry the zone's SOA in
 * the authority section and the AA bit. Until the view has synced, NXDOMAIN
 * becomes SERVFAIL.
 */
import type { Answer } from 'dns-packet';
import { addresses, cname, ns, ptr, soa, srv, txt } from './backend.ts';
import type { BackendOptions, Chase, Records, State } from './backend.ts';
import type { ClusterView } from './cluster-view.ts';
import { fqdn, isSubdomain, matchZone } from './dns-name.ts';
import type { PodMode } from './find-records.ts';

export interface ResolverConfig {
  /** The cluster domain, absolute: `cluster.local.`. */
  readonly zone: string;
  /** Reverse zones the plugin also serves: `in-addr.arpa.`, `ip6.arpa.`. */
  readonly reverseZones: readonly string[];
  /** Zones whose unknown names go on to the forwarder instead of NXDOMAIN (`fallthrough`). */
  readonly fallthrough: readonly string[];
  readonly ttl: number;
  readonly podMode: PodMode;
  /** The server's own addresses: the records of `ns.dns.<zone>` and the NS answer's glue. */
  readonly nameservers: readonly string[];
}

/** kubeadm's Corefile for the `kubernetes` plugin; `nameservers` is the kube-dns address berth serves on. */
export function kubeadmResolverConfig(nameservers: readonly string[]): ResolverConfig {
  return {
    zone: 'cluster.local.',
    reverseZones: ['in-addr.arpa.', 'ip6.arpa.'],
    fallthrough: ['in-addr.arpa.', 'ip6.arpa.'],
    ttl: 30,
    podMode: 'insecure',
    nameservers,
  };
}

export type Rcode = 'NOERROR' | 'NXDOMAIN' | 'SERVFAIL' | 'REFUSED';

export interface Reply {
  readonly kind: 'reply';
  readonly rcode: Rcode;
  readonly authoritative: boolean;
  readonly answers: Answer[];
  readonly authorities: Answer[];
  readonly additionals: Answer[];
  /** Set when an ExternalName CNAME leaves the zones: the caller appends the target's records to `answers`. */
  readonly chase?: Chase;
}

export type Resolution = Reply | { readonly kind: 'forward' };

export interface Question {
  readonly name: string;
  readonly type: string;
}

const forward: Resolution = { kind: 'forward' };

export function resolve(view: ClusterView, question: Question, config: ResolverConfig): Resolution {
  const qname = fqdn(question.name);
  const zone = matchZone([config.zone, ...config.reverseZones], qname);
  if (zone === undefined) return forward;

  const state: State = { qname, name: qname.toLowerCase(), zone };
  const options: BackendOptions = {
    ttl: config.ttl,
    zone: config.zone.toLowerCase(),
    nameservers: config.nameservers,
    podMode: config.podMode,
    reverseZones: config.reverseZones.map((z) => z.toLowerCase()),
  };
  const atApex = state.name === zone.toLowerCase();

  let records: Records;
  switch (question.type) {
    case 'AXFR':
    case 'IXFR':
      // Zone transfers are refused; the server writes the bare REFUSED.
      return { kind: 'reply', rcode: 'REFUSED', authoritative: false, answers: [], authorities: [], additionals: [] };
    case 'A':
    case 'AAAA':
      records = addresses(view, state, question.type, options);
      break;
    case 'TXT':
      records = txt(state);
      break;
    case 'CNAME':
      records = cname(view, state, options);
      break;
    case 'PTR':
      records = ptr(view, state, options);
      break;
    case 'SRV':
      records = srv(view, state, options);
      break;
    case 'SOA':
      // Only the apex has an SOA; below it SOA is NODATA whether the name exists or not.
      records = atApex ? { answers: [soa(view, zone, config.ttl)], extra: [] } : { answers: [], extra: [] };
      break;
    case 'NS':
      if (atApex) {
        records = ns(state, options);
        break;
      }
      records = existence(view, state, options);
      break;
    default:
      // MX, HTTPS, ANY, ...: no records here, but the name's existence decides NXDOMAIN versus NODATA.
      records = existence(view, state, options);
  }

  if (records.error !== undefined) {
    if (config.fallthrough.some((z) => isSubdomain(z, state.name))) return forward;
    const rcode: Rcode = view.hasSynced() ? 'NXDOMAIN' : 'SERVFAIL';
    return { kind: 'reply', rcode, authoritative: true, answers: [], authorities: [soa(view, zone, config.ttl)], additionals: [] };
  }
  if (records.answers.length === 0) {
    return { kind: 'reply', rcode: 'NOERROR', authoritative: true, answers: [], authorities: [soa(view, zone, config.ttl)], additionals: [] };
  }
  return {
    kind: 'reply',
    rcode: 'NOERROR',
    authoritative: true,
    answers: records.answers,
    authorities: [],
    additionals: records.extra,
    ...(records.chase ? { chase: records.chase } : {}),
  };
}

/** A lookup of the name as A, for its error alone (handler.go's "fake A lookup"). */
function existence(view: ClusterView, state: State, options: BackendOptions): Records {
  const found = addresses(view, state, 'A', options);
  return found.error ? { answers: [], extra: [], error: found.error } : { answers: [], extra: [] };
}
