/**
 * Records from lookups, per question type, as CoreDNS's shared backend code
 * builds them for the `kubernetes` plugin (coredns plugin/backend_lookup.go
 * `A`, `AAAA`, `SRV`, `CNAME`, `PTR`, `NS`, `SOA`, `TXT`; kubernetes.go
 * `Services`; ns.go). Owner names keep the question's spelling; TTLs are the
 * plugin's `ttl`.
 */
import type { Answer, SoaAnswer } from 'dns-packet';
import type { ClusterView } from './cluster-view.ts';
import { fqdn, isSubdomain, join } from './dns-name.ts';
import { findRecords, namesForIP } from './find-records.ts';
import type { FindOptions, NameError, Target } from './find-records.ts';
import { addressFromReverse, ipFamily } from './ip.ts';

export interface BackendOptions extends FindOptions {
  /** The plugin's `ttl` for every record but the SOA's and `dns-version`'s. */
  readonly ttl: number;
  /** The primary zone, absolute and lower case: the suffix of PTR answers. */
  readonly zone: string;
  /** The addresses the server answers on: the A/AAAA records of `ns.dns.<zone>` (ns.go, no endpoint of ours). */
  readonly nameservers: readonly string[];
}

/** A question as it travels through the backend: `qname` as asked, `name` lower case; both absolute. */
export interface State {
  readonly qname: string;
  readonly name: string;
  readonly zone: string;
}

/**
 * An ExternalName target outside the zones: its records of `type` are looked
 * up through the server itself and follow the CNAME (CoreDNS `Upstream.Lookup`).
 */
export interface Chase {
  readonly name: string;
  readonly type: 'A' | 'AAAA';
}

export interface Records {
  readonly answers: Answer[];
  readonly extra: Answer[];
  readonly error?: NameError;
  readonly chase?: Chase;
}

/** The version of the Kubernetes DNS schema CoreDNS answers `dns-version.<zone>` TXT with. */
const schemaVersion = '1.1.0';
/** `msg.Service` key of the zone's nameserver (`defaultNSName`). */
const nsLabel = 'ns.dns';

/** The backend's `Services`: what `state` stands for when asked with `qtype`. */
function services(view: ClusterView, state: State, qtype: string, options: BackendOptions): { targets: readonly Target[]; error?: NameError } {
  if (qtype === 'TXT') return { targets: [] }; // Only dns-version, answered by txt().
  if (state.name === join(nsLabel, state.zone.toLowerCase())) {
    const family = qtype === 'A' ? 4 : qtype === 'AAAA' ? 6 : 0;
    const domain = join(nsLabel, state.zone);
    return { targets: options.nameservers.filter((ip) => ipFamily(ip) === family).map((host) => ({ host, port: 0, domain })) };
  }
  const found = findRecords(view, state.name, state.zone, options);
  if (qtype !== 'SRV') return found;
  // SRV for ExternalName services is not implemented by CoreDNS: drop the names.
  return { ...found, targets: found.targets.filter((t) => ipFamily(t.host) !== undefined) };
}

/**
 * A or AAAA for `state`: addresses of the right family, deduplicated; for an
 * ExternalName service a CNAME, followed inside the zone (at most eight deep)
 * or chased outside it.
 */
export function addresses(
  view: ClusterView,
  state: State,
  qtype: 'A' | 'AAAA',
  options: BackendOptions,
  previous: readonly Answer[] = [],
): Records {
  const family = qtype === 'A' ? 4 : 6;
  // At the apex CoreDNS first looks for `apex.dns.<zone>`, which the plugin never holds.
  const found = services(view, state, qtype, options);
  if (found.error) return { answers: [], extra: [], error: found.error };

  const answers: Answer[] = [];
  let chase: Chase | undefined;
  const seen = new Set<string>();
  for (const t of found.targets) {
    const f = ipFamily(t.host);
    if (f === undefined) {
      const target = fqdn(t.host);
      if (isSubdomain(state.name, target)) continue; // x CNAME x: a loop.
      const cname: Answer = { type: 'CNAME', name: wire(state.qname), ttl: options.ttl, class: 'IN', data: wire(target) };
      if (previous.length > 7) continue;
      if (previous.some((p) => p.type === 'CNAME' && p.name.toLowerCase() === cname.name.toLowerCase() && String(p.data).toLowerCase() === String(cname.data).toLowerCase())) continue;
      const inZone = isSubdomain(state.zone, target);
      if (inZone) {
        const next = addresses(view, { qname: target, name: target.toLowerCase(), zone: state.zone }, qtype, options, [...previous, cname]);
        if (!next.error && next.answers.length > 0) {
          answers.push(cname, ...next.answers);
          chase ??= next.chase;
        }
        continue;
      }
      answers.push(cname);
      chase ??= { name: target, type: qtype };
      continue;
    }
    if (f !== family || seen.has(t.host)) continue;
    seen.add(t.host);
    answers.push({ type: qtype, name: wire(state.qname), ttl: options.ttl, class: 'IN', data: t.host });
  }
  return chase ? { answers, extra: [], chase } : { answers, extra: [] };
}

/**
 * SRV for `state`: one record per target name and port, weights shared
 * equally (priority 0), the targets' addresses in the additional section.
 */
export function srv(view: ClusterView, state: State, options: BackendOptions): Records {
  const found = services(view, state, 'SRV', options);
  if (found.error) return { answers: [], extra: [], error: found.error };

  // Every target weighs 100; a record's weight is its share of 100, at least 1.
  const total = found.targets.length * 100;
  const weight = Math.max(1, Math.floor((100 / total) * 100));
  const answers: Answer[] = [];
  const extra: Answer[] = [];
  const seen = new Set<string>();
  for (const t of found.targets) {
    if (t.port === -1) continue; // No declared port: no SRV record.
    const family = ipFamily(t.host);
    if (family === undefined) continue;
    const target = wire(t.domain);
    const srvKey = `${target}\0${t.port}`;
    if (!seen.has(srvKey)) {
      seen.add(srvKey);
      answers.push({ type: 'SRV', name: wire(state.qname), ttl: options.ttl, class: 'IN', data: { priority: 0, weight, port: t.port, target } });
    }
    const addressKey = `${target}\0\0${t.host}`;
    if (!seen.has(addressKey)) {
      seen.add(addressKey);
      extra.push({ type: family === 4 ? 'A' : 'AAAA', name: target, ttl: options.ttl, class: 'IN', data: t.host });
    }
  }
  return { answers, extra };
}

/** CNAME for `state`: the first target if it is a name (an ExternalName service). */
export function cname(view: ClusterView, state: State, options: BackendOptions): Records {
  const found = services(view, state, 'CNAME', options);
  if (found.error) return { answers: [], extra: [], error: found.error };
  const first = found.targets[0];
  if (first === undefined || ipFamily(first.host) !== undefined) return { answers: [], extra: [] };
  return { answers: [{ type: 'CNAME', name: wire(state.qname), ttl: options.ttl, class: 'IN', data: wire(fqdn(first.host)) }], extra: [] };
}

/** PTR for `state`: the names of the service or endpoints with the address the reverse name spells. */
export function ptr(view: ClusterView, state: State, options: BackendOptions): Records {
  const ip = addressFromReverse(state.name);
  if (ip === undefined) {
    // Not a whole address: the name is looked up as any other, for its error alone.
    const found = findRecords(view, state.name, state.zone, options);
    return { answers: [], extra: [], ...(found.error ? { error: found.error } : {}) };
  }
  const names = [...new Set(namesForIP(view, ip, options.zone))];
  if (names.length === 0) return { answers: [], extra: [], error: 'no-items' };
  return { answers: names.map((n) => ({ type: 'PTR', name: wire(state.qname), ttl: options.ttl, class: 'IN', data: wire(n) })), extra: [] };
}

/** TXT: only `dns-version.<zone>`, the schema version, for 8 hours. Every other name is NODATA, never NXDOMAIN. */
export function txt(state: State): Records {
  if (state.name !== join('dns-version', state.zone.toLowerCase())) return { answers: [], extra: [] };
  return { answers: [{ type: 'TXT', name: wire(state.qname), ttl: 28800, class: 'IN', data: schemaVersion }], extra: [] };
}

/** NS at the apex: `ns.dns.<zone>`, with its addresses in the additional section. */
export function ns(state: State, options: BackendOptions): Records {
  const target = wire(join(nsLabel, state.zone));
  const extra: Answer[] = options.nameservers.flatMap((ip): Answer[] => {
    const family = ipFamily(ip);
    if (family === undefined) return [];
    return [{ type: family === 4 ? 'A' : 'AAAA', name: target, ttl: options.ttl, class: 'IN', data: ip }];
  });
  if (extra.length === 0) return { answers: [], extra: [] };
  return { answers: [{ type: 'NS', name: wire(state.qname), ttl: options.ttl, class: 'IN', data: target }], extra };
}

/**
 * The zone's SOA: owner the zone as asked, `ns.dns.<zone>`,
 * `hostmaster.<zone>`, serial the view's last change, TTL the plugin's `ttl`
 * capped at 300, minimum the plugin's `ttl`.
 */
export function soa(view: ClusterView, zone: string, ttl: number): SoaAnswer {
  return {
    type: 'SOA',
    name: wire(zone),
    ttl: Math.min(300, ttl),
    class: 'IN',
    data: {
      mname: wire(join(nsLabel, zone)),
      rname: wire(join('hostmaster', zone)),
      serial: view.modified() >>> 0,
      refresh: 7200,
      retry: 1800,
      expire: 86400,
      minimum: ttl,
    },
  };
}

/** An absolute name as dns-packet spells it: no trailing dot, `.` for the root. */
export function wire(name: string): string {
  return name === '.' ? '.' : name.replace(/\.$/, '');
}
