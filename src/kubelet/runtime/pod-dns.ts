/**
 * A pod's DNS as the kubelet configures it (pkg/kubelet/network/dns/dns.go
 * GetPodDNS, and GeneratePodHostNameAndDomain in kubelet_pods.go): the
 * resolv.conf the runtime writes into the sandbox, and its hostname.
 *
 * - ClusterFirst (the default): the cluster DNS servers, the search path
 *   `<ns>.svc.<domain> svc.<domain> <domain>` followed by the host's
 *   searches, `options ndots:5`. A host-network pod falls back to Default
 *   unless its policy is ClusterFirstWithHostNet; without cluster DNS the pod
 *   gets Default too (the kubelet's MissingClusterDNS case).
 * - Default: the host's resolv.conf.
 * - None: only what spec.dnsConfig says.
 * spec.dnsConfig is then appended (servers and searches without duplicates,
 * options merged by name) and the result cut to the resolver's limits.
 *
 * Pure: the host's resolv.conf text is an argument.
 */
import type { Pod } from '../../api/api.ts';

export interface DnsConfig {
  servers: string[];
  searches: string[];
  options: string[];
}

export interface ClusterDns {
  /** The cluster DNS Service IPs; empty when the node serves no cluster DNS. */
  servers: string[];
  /** `cluster.local`. */
  domain: string;
}

/** glibc's limits the kubelet enforces (validation.MaxDNSNameservers, MaxDNSSearchPaths, MaxDNSSearchListChars). */
const maxNameservers = 3;
const maxSearchPaths = 32;
const maxSearchChars = 2048;
const defaultOptions = ['ndots:5'];

/** `parseResolvConf`: nameservers, search domains (trailing dots dropped, `.` skipped) and options. */
export function parseResolvConf(text: string): DnsConfig {
  const out: DnsConfig = { servers: [], searches: [], options: [] };
  for (const raw of text.split('\n')) {
    const line = raw.replace(/[#;].*$/, '').trim();
    const fields = line.split(/\s+/).filter((f) => f !== '');
    if (fields.length === 0) continue;
    switch (fields[0]) {
      case 'nameserver':
        if (fields[1]) out.servers.push(fields[1]);
        break;
      case 'search':
      case 'domain':
        // The last search or domain line wins, as in the resolver.
        out.searches = fields.slice(1).filter((s) => s !== '.').map((s) => s.replace(/\.$/, ''));
        break;
      case 'options':
        out.options.push(...fields.slice(1));
        break;
    }
  }
  return out;
}

function withoutDuplicates(xs: readonly string[]): string[] {
  return [...new Set(xs)];
}

/** `mergeDNSOptions`: options keyed by name, a later one replacing an earlier one in place. */
function mergeOptions(existing: readonly string[], added: readonly { name?: string; value?: string }[]): string[] {
  const byName = new Map<string, string>();
  for (const o of existing) byName.set(o.split(':')[0], o);
  for (const o of added) {
    if (!o.name) continue;
    byName.set(o.name, o.value !== undefined ? `${o.name}:${o.value}` : o.name);
  }
  return [...byName.values()];
}

type PodDnsType = 'cluster' | 'host' | 'none';

/** `getPodDNSType`. */
function podDnsType(pod: Pod, cluster: ClusterDns): PodDnsType {
  const policy = pod.spec?.dnsPolicy ?? 'ClusterFirst';
  const hostNetwork = pod.spec?.hostNetwork === true;
  let type: PodDnsType;
  if (policy === 'None') type = 'none';
  else if (policy === 'ClusterFirstWithHostNet') type = 'cluster';
  else if (policy === 'ClusterFirst' && !hostNetwork) type = 'cluster';
  else type = 'host';
  return type === 'cluster' && cluster.servers.length === 0 ? 'host' : type;
}

/** The sandbox's DNS configuration for `pod`. */
export function podDnsConfig(pod: Pod, cluster: ClusterDns, hostResolvConf: string): DnsConfig {
  const host = parseResolvConf(hostResolvConf);
  let config: DnsConfig;
  switch (podDnsType(pod, cluster)) {
    case 'none':
      config = { servers: [], searches: [], options: [] };
      break;
    case 'cluster': {
      const ns = pod.metadata?.namespace ?? 'default';
      const clusterSearch = cluster.domain ? [`${ns}.svc.${cluster.domain}`, `svc.${cluster.domain}`, cluster.domain] : [];
      config = { servers: [...cluster.servers], searches: withoutDuplicates([...clusterSearch, ...host.searches]), options: [...defaultOptions] };
      break;
    }
    case 'host':
      config = host;
      break;
  }
  const extra = pod.spec?.dnsConfig;
  if (extra) {
    config = {
      servers: withoutDuplicates([...config.servers, ...(extra.nameservers ?? [])]),
      searches: withoutDuplicates([...config.searches, ...(extra.searches ?? [])]),
      options: mergeOptions(config.options, extra.options ?? []),
    };
  }
  return fitLimits(config);
}

/** `formDNSConfigFitsLimits`: at most 3 nameservers, 32 search paths and 2048 characters of search list. */
function fitLimits(config: DnsConfig): DnsConfig {
  const servers = config.servers.slice(0, maxNameservers);
  let searches = config.searches.slice(0, maxSearchPaths);
  while (searches.length > 0 && searches.join(' ').length > maxSearchChars) searches = searches.slice(0, -1);
  return { servers, searches, options: config.options };
}

/**
 * `GeneratePodHostNameAndDomain` plus setHostnameAsFQDN: the sandbox
 * hostname. The pod name is cut to 63 characters without trailing `-`/`.`;
 * spec.hostname replaces it; with spec.subdomain the domain is
 * `<subdomain>.<ns>.svc.<domain>`. Throws with the kubelet's text when the
 * FQDN would exceed 64 characters.
 */
export function podHostname(pod: Pod, clusterDomain: string): { hostname: string; domain: string } {
  const name = pod.metadata?.name ?? '';
  const hostname = pod.spec?.hostname || name.slice(0, 63).replace(/[-.]+$/, '');
  const sub = pod.spec?.subdomain;
  const domain = sub && clusterDomain ? `${sub}.${pod.metadata?.namespace ?? 'default'}.svc.${clusterDomain}` : '';
  if (!pod.spec?.setHostnameAsFQDN || !domain) return { hostname, domain };
  const fqdn = `${hostname}.${domain}`;
  if (fqdn.length > 64) {
    throw new Error(`failed to construct FQDN from pod hostname and cluster domain, FQDN ${fqdn} is too long (64 characters is the max, ${fqdn.length} characters requested)`);
  }
  return { hostname: fqdn, domain };
}
