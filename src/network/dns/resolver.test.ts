import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ClusterIndex } from './cluster-index.ts';
import { dnsPod } from './from-kubernetes.ts';
import { kubeadmResolverConfig, resolve } from './resolver.ts';
import type { Resolution, ResolverConfig } from './resolver.ts';
import { fixtureCluster, fixtureSerial, render } from './test-cluster-view.ts';

const config = kubeadmResolverConfig(['10.96.0.10']);
const soa = `cluster.local. 30 SOA ns.dns.cluster.local. hostmaster.cluster.local. ${fixtureSerial} 7200 1800 86400 30`;

interface Expect {
  rcode: string;
  answers?: string[];
  authority?: string[];
  additional?: string[];
  aa?: boolean;
  chase?: { name: string; type: string };
}

/** The resolution as dig would show it; `forward` for names handed on. */
function show(r: Resolution): Expect | 'forward' {
  if (r.kind === 'forward') return 'forward';
  const out: Expect = { rcode: r.rcode, aa: r.authoritative };
  out.answers = r.answers.map(render);
  out.authority = r.authorities.map(render);
  out.additional = r.additionals.map(render);
  if (r.chase) out.chase = { ...r.chase };
  return out;
}

function expected(e: Expect | 'forward'): Expect | 'forward' {
  if (e === 'forward') return e;
  const nodataOrError = e.rcode !== 'NOERROR' || (e.answers ?? []).length === 0;
  return {
    rcode: e.rcode,
    aa: e.aa ?? true,
    answers: e.answers ?? [],
    authority: e.authority ?? (nodataOrError && e.rcode !== 'REFUSED' ? [soa] : []),
    additional: e.additional ?? [],
    ...(e.chase ? { chase: e.chase } : {}),
  };
}

const nxdomain: Expect = { rcode: 'NXDOMAIN' };
const nodata: Expect = { rcode: 'NOERROR' };
const a = (name: string, ...ips: string[]) => ips.map((ip) => `${name}. 30 A ${ip}`);

/** [question name, type, expected]: every record type, NXDOMAIN versus NODATA, the reverse zones. */
const table: [string, string, Expect | 'forward'][] = [
  // ClusterIP services.
  ['frontend.web.svc.cluster.local', 'A', { rcode: 'NOERROR', answers: a('frontend.web.svc.cluster.local', '10.96.10.20') }],
  ['FrontEnd.WEB.svc.Cluster.Local', 'A', { rcode: 'NOERROR', answers: a('FrontEnd.WEB.svc.Cluster.Local', '10.96.10.20') }],
  ['kubernetes.default.svc.cluster.local.', 'A', { rcode: 'NOERROR', answers: a('kubernetes.default.svc.cluster.local', '10.96.0.1') }],
  ['frontend.web.svc.cluster.local', 'AAAA', nodata],
  ['dual.web.svc.cluster.local', 'A', { rcode: 'NOERROR', answers: a('dual.web.svc.cluster.local', '10.96.10.30') }],
  ['dual.web.svc.cluster.local', 'AAAA', { rcode: 'NOERROR', answers: ['dual.web.svc.cluster.local. 30 AAAA fd00:10:96::30'] }],
  // Endpoints of a ClusterIP service answer under their dashed address; not-ready ones do not exist.
  ['10-244-0-5.frontend.web.svc.cluster.local', 'A', { rcode: 'NOERROR', answers: a('10-244-0-5.frontend.web.svc.cluster.local', '10.244.0.5') }],
  ['10-244-0-6.frontend.web.svc.cluster.local', 'A', nxdomain],
  // Headless: the ready endpoints (unknown readiness counts as ready), by hostname or dashed address.
  ['db.web.svc.cluster.local', 'A', { rcode: 'NOERROR', answers: a('db.web.svc.cluster.local', '10.244.0.7', '10.244.0.8', '10.244.0.10') }],
  ['db-0.db.web.svc.cluster.local', 'A', { rcode: 'NOERROR', answers: a('db-0.db.web.svc.cluster.local', '10.244.0.7') }],
  ['DB-1.db.web.svc.cluster.local', 'A', { rcode: 'NOERROR', answers: a('DB-1.db.web.svc.cluster.local', '10.244.0.8') }],
  ['db-2.db.web.svc.cluster.local', 'A', nxdomain],
  ['10-244-0-10.db.web.svc.cluster.local', 'A', { rcode: 'NOERROR', answers: a('10-244-0-10.db.web.svc.cluster.local', '10.244.0.10') }],
  ['db-0.db.web.svc.cluster.local', 'AAAA', nodata],
  // publishNotReadyAddresses reaches DNS through the slice's ready condition.
  ['pub.web.svc.cluster.local', 'A', { rcode: 'NOERROR', answers: a('pub.web.svc.cluster.local', '10.244.0.11') }],
  // A headless service without ready endpoints does not exist.
  ['nobody.web.svc.cluster.local', 'A', nxdomain],
  ['noports.web.svc.cluster.local', 'A', { rcode: 'NOERROR', answers: a('noports.web.svc.cluster.local', '10.244.0.12') }],
  // SRV.
  [
    '_http._tcp.frontend.web.svc.cluster.local',
    'SRV',
    {
      rcode: 'NOERROR',
      answers: ['_http._tcp.frontend.web.svc.cluster.local. 30 SRV 0 100 80 frontend.web.svc.cluster.local.'],
      additional: a('frontend.web.svc.cluster.local', '10.96.10.20'),
    },
  ],
  [
    'frontend.web.svc.cluster.local',
    'SRV',
    {
      rcode: 'NOERROR',
      answers: ['frontend.web.svc.cluster.local. 30 SRV 0 100 80 frontend.web.svc.cluster.local.'],
      additional: a('frontend.web.svc.cluster.local', '10.96.10.20'),
    },
  ],
  ['_https._tcp.frontend.web.svc.cluster.local', 'SRV', nxdomain],
  ['_http._udp.frontend.web.svc.cluster.local', 'SRV', nxdomain],
  // Two ports on 53 share one record; weights count every port.
  [
    'kube-dns.kube-system.svc.cluster.local',
    'SRV',
    {
      rcode: 'NOERROR',
      answers: [
        'kube-dns.kube-system.svc.cluster.local. 30 SRV 0 33 53 kube-dns.kube-system.svc.cluster.local.',
        'kube-dns.kube-system.svc.cluster.local. 30 SRV 0 33 9153 kube-dns.kube-system.svc.cluster.local.',
      ],
      additional: a('kube-dns.kube-system.svc.cluster.local', '10.96.0.10'),
    },
  ],
  [
    '_dns._udp.kube-dns.kube-system.svc.cluster.local',
    'SRV',
    {
      rcode: 'NOERROR',
      answers: ['_dns._udp.kube-dns.kube-system.svc.cluster.local. 30 SRV 0 100 53 kube-dns.kube-system.svc.cluster.local.'],
      additional: a('kube-dns.kube-system.svc.cluster.local', '10.96.0.10'),
    },
  ],
  // Headless SRV: one record per endpoint, targets named by hostname or dashed address.
  [
    '_mysql._tcp.db.web.svc.cluster.local',
    'SRV',
    {
      rcode: 'NOERROR',
      answers: [
        '_mysql._tcp.db.web.svc.cluster.local. 30 SRV 0 33 3306 db-0.db.web.svc.cluster.local.',
        '_mysql._tcp.db.web.svc.cluster.local. 30 SRV 0 33 3306 db-1.db.web.svc.cluster.local.',
        '_mysql._tcp.db.web.svc.cluster.local. 30 SRV 0 33 3306 10-244-0-10.db.web.svc.cluster.local.',
      ],
      additional: [
        ...a('db-0.db.web.svc.cluster.local', '10.244.0.7'),
        ...a('db-1.db.web.svc.cluster.local', '10.244.0.8'),
        ...a('10-244-0-10.db.web.svc.cluster.local', '10.244.0.10'),
      ],
    },
  ],
  [
    'db-0.db.web.svc.cluster.local',
    'SRV',
    {
      rcode: 'NOERROR',
      answers: ['db-0.db.web.svc.cluster.local. 30 SRV 0 100 3306 db-0.db.web.svc.cluster.local.'],
      additional: a('db-0.db.web.svc.cluster.local', '10.244.0.7'),
    },
  ],
  // The SRV target spells the zone as the question does.
  [
    '_HTTP._TCP.frontend.web.svc.CLUSTER.local',
    'SRV',
    {
      rcode: 'NOERROR',
      answers: ['_HTTP._TCP.frontend.web.svc.CLUSTER.local. 30 SRV 0 100 80 frontend.web.svc.CLUSTER.local.'],
      additional: a('frontend.web.svc.CLUSTER.local', '10.96.10.20'),
    },
  ],
  // Endpoints without ports: the name exists, no SRV record.
  ['noports.web.svc.cluster.local', 'SRV', nodata],
  // Dual stack: one SRV record, both addresses as glue.
  [
    'dual.web.svc.cluster.local',
    'SRV',
    {
      rcode: 'NOERROR',
      answers: ['dual.web.svc.cluster.local. 30 SRV 0 50 80 dual.web.svc.cluster.local.'],
      additional: ['dual.web.svc.cluster.local. 30 A 10.96.10.30', 'dual.web.svc.cluster.local. 30 AAAA fd00:10:96::30'],
    },
  ],
  // Too many labels.
  ['_mysql._tcp.db-0.db.web.svc.cluster.local', 'SRV', nxdomain],
  ['a.b.c.frontend.web.svc.cluster.local', 'A', nxdomain],
  // ExternalName: a CNAME, chased out of the zone by the caller, followed inside it.
  ['ext.web.svc.cluster.local', 'A', { rcode: 'NOERROR', answers: ['ext.web.svc.cluster.local. 30 CNAME example.com.'], chase: { name: 'example.com.', type: 'A' } }],
  ['ext.web.svc.cluster.local', 'AAAA', { rcode: 'NOERROR', answers: ['ext.web.svc.cluster.local. 30 CNAME example.com.'], chase: { name: 'example.com.', type: 'AAAA' } }],
  ['ext.web.svc.cluster.local', 'CNAME', { rcode: 'NOERROR', answers: ['ext.web.svc.cluster.local. 30 CNAME example.com.'] }],
  ['ext.web.svc.cluster.local', 'SRV', nodata],
  ['_http._tcp.ext.web.svc.cluster.local', 'SRV', nxdomain],
  ['x.ext.web.svc.cluster.local', 'A', nxdomain],
  [
    'alias.web.svc.cluster.local',
    'A',
    { rcode: 'NOERROR', answers: ['alias.web.svc.cluster.local. 30 CNAME frontend.web.svc.cluster.local.', ...a('frontend.web.svc.cluster.local', '10.96.10.20')] },
  ],
  ['alias.web.svc.cluster.local', 'AAAA', nodata],
  ['frontend.web.svc.cluster.local', 'CNAME', nodata],
  // Names that exist without records versus names that cannot exist.
  ['cluster.local', 'A', nodata],
  ['svc.cluster.local', 'A', nodata],
  ['pod.cluster.local', 'A', nodata],
  ['web.svc.cluster.local', 'A', nodata],
  ['empty.svc.cluster.local', 'AAAA', nodata],
  ['nonexistent.svc.cluster.local', 'A', nxdomain],
  ['frontend.nonexistent.svc.cluster.local', 'A', nxdomain],
  ['missing.web.svc.cluster.local', 'A', nxdomain],
  ['missing.web.svc.cluster.local', 'AAAA', nxdomain],
  ['foo.cluster.local', 'A', nxdomain],
  ['frontend.web.foo.cluster.local', 'A', nxdomain],
  ['frontend.web.svc.cluster.local', 'MX', nodata],
  ['missing.web.svc.cluster.local', 'MX', nxdomain],
  ['frontend.web.svc.cluster.local', 'UNKNOWN_65', nodata],
  ['missing.web.svc.cluster.local', 'UNKNOWN_65', nxdomain],
  // Pods, `pods insecure`: any address in an existing namespace.
  ['10-244-0-99.web.pod.cluster.local', 'A', { rcode: 'NOERROR', answers: a('10-244-0-99.web.pod.cluster.local', '10.244.0.99') }],
  ['10-244-0-99.web.pod.cluster.local', 'AAAA', nodata],
  ['fd00--1.web.pod.cluster.local', 'AAAA', { rcode: 'NOERROR', answers: ['fd00--1.web.pod.cluster.local. 30 AAAA fd00::1'] }],
  ['10-244-0-99.nonexistent.pod.cluster.local', 'A', nxdomain],
  ['not-an-ip.web.pod.cluster.local', 'A', nxdomain],
  ['010-244-0-99.web.pod.cluster.local', 'A', nxdomain],
  ['web.pod.cluster.local', 'A', nodata],
  [
    '10-244-0-99.web.pod.cluster.local',
    'SRV',
    {
      rcode: 'NOERROR',
      answers: ['10-244-0-99.web.pod.cluster.local. 30 SRV 0 100 0 10-244-0-99.web.pod.cluster.local.'],
      additional: a('10-244-0-99.web.pod.cluster.local', '10.244.0.99'),
    },
  ],
  // PTR for service and endpoint addresses; unknown addresses fall through to the forwarder.
  ['20.10.96.10.in-addr.arpa', 'PTR', { rcode: 'NOERROR', answers: ['20.10.96.10.in-addr.arpa. 30 PTR frontend.web.svc.cluster.local.'] }],
  ['10.0.96.10.in-addr.arpa', 'PTR', { rcode: 'NOERROR', answers: ['10.0.96.10.in-addr.arpa. 30 PTR kube-dns.kube-system.svc.cluster.local.'] }],
  ['7.0.244.10.IN-ADDR.ARPA', 'PTR', { rcode: 'NOERROR', answers: ['7.0.244.10.IN-ADDR.ARPA. 30 PTR db-0.db.web.svc.cluster.local.'] }],
  ['5.0.244.10.in-addr.arpa', 'PTR', { rcode: 'NOERROR', answers: ['5.0.244.10.in-addr.arpa. 30 PTR 10-244-0-5.frontend.web.svc.cluster.local.'] }],
  [
    '0.3.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.6.9.0.0.0.1.0.0.0.0.d.f.ip6.arpa',
    'PTR',
    { rcode: 'NOERROR', answers: ['0.3.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.6.9.0.0.0.1.0.0.0.0.d.f.ip6.arpa. 30 PTR dual.web.svc.cluster.local.'] },
  ],
  ['6.0.244.10.in-addr.arpa', 'PTR', 'forward'],
  ['8.8.8.8.in-addr.arpa', 'PTR', 'forward'],
  ['20.10.96.10.in-addr.arpa', 'A', 'forward'],
  ['10.in-addr.arpa', 'PTR', 'forward'],
  ['frontend.web.svc.cluster.local', 'PTR', nodata],
  ['missing.web.svc.cluster.local', 'PTR', nxdomain],
  // The apex: SOA, NS and the nameserver's own name; SOA below the apex is NODATA.
  ['cluster.local', 'SOA', { rcode: 'NOERROR', answers: [soa] }],
  ['Cluster.Local', 'SOA', { rcode: 'NOERROR', answers: [soa.replace('cluster.local. 30 SOA ns.dns.cluster.local. hostmaster.cluster.local.', 'Cluster.Local. 30 SOA ns.dns.Cluster.Local. hostmaster.Cluster.Local.')] }],
  ['frontend.web.svc.cluster.local', 'SOA', nodata],
  ['missing.web.svc.cluster.local', 'SOA', nodata],
  ['cluster.local', 'NS', { rcode: 'NOERROR', answers: ['cluster.local. 30 NS ns.dns.cluster.local.'], additional: a('ns.dns.cluster.local', '10.96.0.10') }],
  ['frontend.web.svc.cluster.local', 'NS', nodata],
  ['ns.dns.cluster.local', 'A', { rcode: 'NOERROR', answers: a('ns.dns.cluster.local', '10.96.0.10') }],
  ['ns.dns.cluster.local', 'AAAA', nodata],
  // TXT: only the schema version; every other name is NODATA, existing or not.
  ['dns-version.cluster.local', 'TXT', { rcode: 'NOERROR', answers: ['dns-version.cluster.local. 28800 TXT "1.1.0"'] }],
  ['frontend.web.svc.cluster.local', 'TXT', nodata],
  ['missing.web.svc.cluster.local', 'TXT', nodata],
  // Zone transfers are refused; names outside the zones are forwarded.
  ['cluster.local', 'AXFR', { rcode: 'REFUSED', aa: false }],
  ['example.com', 'A', 'forward'],
  ['local', 'SOA', 'forward'],
  ['svc.cluster.local.example.com', 'A', 'forward'],
];

describe('resolve', () => {
  const view = fixtureCluster();
  for (const [name, type, want] of table) {
    it(`answers ${type} ${name} as CoreDNS does`, () => {
      const got = show(resolve(view, { name, type }, config));
      assert.deepEqual(got, expected(want));
    });
  }

  it('answers SERVFAIL instead of NXDOMAIN when the view has not synced', () => {
    const view = fixtureCluster({ synced: false });
    assert.deepEqual(show(resolve(view, { name: 'missing.web.svc.cluster.local', type: 'A' }, config)), expected({ rcode: 'SERVFAIL' }));
    assert.deepEqual(
      show(resolve(view, { name: 'frontend.web.svc.cluster.local', type: 'A' }, config)),
      expected({ rcode: 'NOERROR', answers: a('frontend.web.svc.cluster.local', '10.96.10.20') }),
    );
  });

  it('answers pod names only for pods that exist when pods are verified', () => {
    const view = fixtureCluster();
    view.setPod(dnsPod({ metadata: { namespace: 'web', name: 'p' }, status: { podIP: '10.244.0.5', podIPs: [{ ip: '10.244.0.5' }] } }));
    const verified: ResolverConfig = { ...config, podMode: 'verified' };
    assert.deepEqual(
      show(resolve(view, { name: '10-244-0-5.web.pod.cluster.local', type: 'A' }, verified)),
      expected({ rcode: 'NOERROR', answers: a('10-244-0-5.web.pod.cluster.local', '10.244.0.5') }),
    );
    assert.deepEqual(show(resolve(view, { name: '10-244-0-5.default.pod.cluster.local', type: 'A' }, verified)), expected(nxdomain));
    assert.deepEqual(show(resolve(view, { name: '10-244-0-99.web.pod.cluster.local', type: 'A' }, verified)), expected(nxdomain));
    const disabled: ResolverConfig = { ...config, podMode: 'disabled' };
    assert.deepEqual(show(resolve(view, { name: '10-244-0-5.web.pod.cluster.local', type: 'A' }, disabled)), expected(nxdomain));
  });

  it('follows a CNAME chain inside the zone at most eight deep', () => {
    const view = new ClusterIndex({ now: () => fixtureSerial * 1000 });
    view.setNamespace('loop');
    view.markSynced();
    for (let i = 0; i < 12; i++) {
      view.setService({ namespace: 'loop', name: `s${i}`, type: 'ExternalName', clusterIPs: [], headless: false, externalName: `s${i + 1}.loop.svc.cluster.local`, ports: [] });
    }
    view.setService({ namespace: 'loop', name: 'self', type: 'ExternalName', clusterIPs: [], headless: false, externalName: 'self.loop.svc.cluster.local', ports: [] });
    // The chain ends at s12, which does not exist: no address, so no CNAME either.
    assert.deepEqual(show(resolve(view, { name: 's0.loop.svc.cluster.local', type: 'A' }, config)), expected(nodata));
    assert.deepEqual(show(resolve(view, { name: 'self.loop.svc.cluster.local', type: 'A' }, config)), expected(nodata));
    // Ending at a ClusterIP service: eight CNAMEs are followed, a ninth is not.
    view.setService({ namespace: 'loop', name: 's8', type: 'ClusterIP', clusterIPs: ['10.96.0.88'], headless: false, externalName: '', ports: [] });
    const eight = show(resolve(view, { name: 's0.loop.svc.cluster.local', type: 'A' }, config));
    assert.ok(eight !== 'forward');
    assert.equal(eight.answers!.length, 9);
    assert.equal(eight.answers![8], 's8.loop.svc.cluster.local. 30 A 10.96.0.88');
    view.deleteService('loop', 's8');
    view.setService({ namespace: 'loop', name: 's9', type: 'ClusterIP', clusterIPs: ['10.96.0.89'], headless: false, externalName: '', ports: [] });
    view.setService({ namespace: 'loop', name: 's8', type: 'ExternalName', clusterIPs: [], headless: false, externalName: 's9.loop.svc.cluster.local', ports: [] });
    assert.deepEqual(show(resolve(view, { name: 's0.loop.svc.cluster.local', type: 'A' }, config)), expected(nodata));
  });

  it('changes the SOA serial when an answer changes and not otherwise', () => {
    let now = fixtureSerial * 1000;
    const view = new ClusterIndex({ now: () => now });
    view.setNamespace('web');
    const svc = { namespace: 'web', name: 'a', type: 'ClusterIP', clusterIPs: ['10.96.0.50'], headless: false, externalName: '', ports: [] };
    view.setService(svc);
    now += 60_000;
    view.setService({ ...svc });
    assert.equal(view.modified(), fixtureSerial);
    view.setService({ ...svc, clusterIPs: ['10.96.0.51'] });
    assert.equal(view.modified(), fixtureSerial + 60);
    assert.deepEqual(view.servicesByIP('10.96.0.50'), []);
    assert.equal(view.servicesByIP('10.96.0.51').length, 1);
  });
});
