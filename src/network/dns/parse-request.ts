/**
 * A question name below a zone, split into what the Kubernetes DNS schema
 * names (coredns plugin/kubernetes/parse.go `parseRequest`, without the
 * multicluster and zonal grammars berth does not serve):
 *
 *   _<port>._<protocol>.<service>.<namespace>.svc.<zone>
 *   <endpoint>.<service>.<namespace>.svc.<zone>
 *   <service>.<namespace>.svc.<zone>
 *   <pod>.<namespace>.pod.<zone>   (and the same shapes under pod, as CoreDNS parses them)
 *
 * Fields not present in the name are `""`.
 */
import { labelsBelow } from './dns-name.ts';

export interface RecordRequest {
  /** `svc`, `pod`, or `""` for the apex, `svc.<zone>` and `pod.<zone>` (answered NODATA). */
  readonly podOrSvc: '' | 'svc' | 'pod';
  readonly namespace: string;
  readonly service: string;
  readonly endpoint: string;
  /** The port name of an SRV name, underscore stripped. */
  readonly port: string;
  /** The protocol of an SRV name, underscore stripped. */
  readonly protocol: string;
}

/** `invalid` stands for CoreDNS's `errInvalidRequest`: the name cannot exist (NXDOMAIN). */
export type ParsedRequest = { readonly ok: true; readonly request: RecordRequest } | { readonly ok: false };

const apex: RecordRequest = { podOrSvc: '', namespace: '', service: '', endpoint: '', port: '', protocol: '' };

/** `name` lower case and absolute; `zone` absolute, a suffix of `name`. */
export function parseRequest(name: string, zone: string): ParsedRequest {
  const segs = labelsBelow(name, zone);
  if (segs.length === 0) return { ok: true, request: apex };
  if (segs.length === 1 && (segs[0] === 'svc' || segs[0] === 'pod')) return { ok: true, request: apex };

  let last = segs.length - 1;
  const podOrSvc = segs[last];
  if (podOrSvc !== 'svc' && podOrSvc !== 'pod') return { ok: false };
  last--;
  const namespace = segs[last]!;
  last--;
  if (last < 0) return { ok: true, request: { ...apex, podOrSvc, namespace } };
  const service = segs[last]!;
  last--;
  if (last < 0) return { ok: true, request: { ...apex, podOrSvc, namespace, service } };

  // Labels left: one is an endpoint; two are _port._protocol; more cannot exist.
  if (last === 0) return { ok: true, request: { ...apex, podOrSvc, namespace, service, endpoint: segs[0]! } };
  if (last === 1) {
    return {
      ok: true,
      request: { ...apex, podOrSvc, namespace, service, port: stripUnderscore(segs[0]!), protocol: stripUnderscore(segs[1]!) },
    };
  }
  return { ok: false };
}

function stripUnderscore(s: string): string {
  return s.startsWith('_') ? s.slice(1) : s;
}
