import assert from 'node:assert/strict';
import net from 'node:net';
import { describe, it } from 'node:test';
import type { TestContext } from 'node:test';
import dnsPacket from 'dns-packet';
import type { ClusterIndex } from './cluster-index.ts';
import type { ClusterView } from './cluster-view.ts';
import { createClusterDns } from './dns.ts';
import type { ClusterDnsOptions } from './dns.ts';
import { dnsEndpointSlice, dnsService } from './from-kubernetes.ts';
import type { BoundAddress } from './server.ts';
import { fixtureCluster, fixtureSerial, slice } from './test-cluster-view.ts';
import { buildQuery, decodeReply, digLines, digTcp, digUdp, frame, sendTcp, sendUdp } from './test-dns-client.ts';
import { aRecord, answerA, closedPort, reply, startFakeUpstream } from './test-upstream.ts';
import type { FakeUpstream } from './test-upstream.ts';

interface Started {
  server: BoundAddress;
  upstream: FakeUpstream;
}

async function startDns(t: TestContext, options: Partial<ClusterDnsOptions> & { view?: ClusterView } = {}): Promise<Started> {
  const upstream = await startFakeUpstream(answerA);
  t.after(() => upstream.stop());
  const dns = createClusterDns({
    view: fixtureCluster(),
    address: '127.0.0.1',
    port: 0,
    upstreams: [upstream.upstream],
    random: () => 1,
    ...options,
  });
  const abort = new AbortController();
  t.after(() => abort.abort());
  t.after(() => dns.stop());
  return { server: await dns.start(abort.signal), upstream };
}

/** A headless service with 40 ready endpoints: its A answer outgrows 512 bytes. */
function bigCluster(): ClusterIndex {
  const view = fixtureCluster();
  view.setService(dnsService({ metadata: { namespace: 'web', name: 'big' }, spec: { clusterIP: 'None', ports: [{ name: 'http', port: 80, protocol: 'TCP' }] } }));
  view.setEndpointSlice(
    dnsEndpointSlice(
      slice('web', 'big', 'big-abc', {
        addressType: 'IPv4',
        ports: [{ name: 'http', port: 80, protocol: 'TCP' }],
        endpoints: Array.from({ length: 40 }, (_, i) => ({ addresses: [`10.244.1.${i + 1}`], conditions: { ready: true } })),
      }),
    ),
  );
  return view;
}

describe('DnsServer', () => {
  it('answers a cluster A question over UDP authoritatively, RD copied, RA clear', async (t) => {
    const { server } = await startDns(t);
    const reply = await digUdp(server, 'frontend.web.svc.cluster.local', 'A', { id: 99 });
    assert.equal(reply.id, 99);
    assert.equal(reply.rcode, 'NOERROR');
    assert.equal(reply.flag_aa, true);
    assert.equal(reply.flag_rd, true);
    assert.equal(reply.flag_ra, false);
    assert.deepEqual(reply.questions, [{ name: 'frontend.web.svc.cluster.local', type: 'A', class: 'IN' }]);
    assert.deepEqual(digLines(reply.answers), ['frontend.web.svc.cluster.local. 30 A 10.96.10.20']);
  });

  it('answers SRV over TCP with the targets in the additional section', async (t) => {
    const { server } = await startDns(t);
    const reply = await digTcp(server, '_mysql._tcp.db.web.svc.cluster.local', 'SRV');
    assert.equal(reply.rcode, 'NOERROR');
    assert.deepEqual(digLines(reply.answers).sort(), [
      '_mysql._tcp.db.web.svc.cluster.local. 30 SRV 0 33 3306 10-244-0-10.db.web.svc.cluster.local.',
      '_mysql._tcp.db.web.svc.cluster.local. 30 SRV 0 33 3306 db-0.db.web.svc.cluster.local.',
      '_mysql._tcp.db.web.svc.cluster.local. 30 SRV 0 33 3306 db-1.db.web.svc.cluster.local.',
    ]);
    assert.equal(digLines(reply.additionals).length, 3);
  });

  it('answers NXDOMAIN and NODATA with the zone SOA in the authority section', async (t) => {
    const { server } = await startDns(t);
    const nx = await digUdp(server, 'missing.web.svc.cluster.local', 'A');
    assert.equal(nx.rcode, 'NXDOMAIN');
    assert.equal(nx.flag_aa, true);
    assert.deepEqual(nx.answers, []);
    const soa = nx.authorities?.[0];
    assert.equal(soa?.type, 'SOA');
    assert.deepEqual(soa?.type === 'SOA' && { name: soa.name, ttl: soa.ttl, ...soa.data }, {
      name: 'cluster.local',
      ttl: 30,
      mname: 'ns.dns.cluster.local',
      rname: 'hostmaster.cluster.local',
      serial: fixtureSerial,
      refresh: 7200,
      retry: 1800,
      expire: 86400,
      minimum: 30,
    });
    const nodata = await digTcp(server, 'frontend.web.svc.cluster.local', 'AAAA');
    assert.equal(nodata.rcode, 'NOERROR');
    assert.deepEqual(nodata.answers, []);
    assert.equal(nodata.authorities?.[0]?.type, 'SOA');
  });

  it('answers PTR for a service address and forwards an unknown one', async (t) => {
    const { server, upstream } = await startDns(t);
    const known = await digUdp(server, '20.10.96.10.in-addr.arpa', 'PTR');
    assert.deepEqual(digLines(known.answers), ['20.10.96.10.in-addr.arpa. 30 PTR frontend.web.svc.cluster.local.']);
    assert.equal(upstream.queries.length, 0);
    const unknown = await digUdp(server, '99.99.244.10.in-addr.arpa', 'PTR');
    assert.equal(unknown.rcode, 'NOERROR');
    assert.equal(upstream.queries.length, 1);
  });

  it('forwards names outside the cluster to the upstream over UDP and TCP', async (t) => {
    const { server, upstream } = await startDns(t);
    const udp = await digUdp(server, 'example.com', 'A', { id: 1234 });
    assert.equal(udp.id, 1234);
    assert.deepEqual(digLines(udp.answers), ['example.com. 60 A 192.0.2.1']);
    const tcp = await digTcp(server, 'example.com', 'A', { id: 4321 });
    assert.equal(tcp.id, 4321);
    assert.deepEqual(digLines(tcp.answers), ['example.com. 60 A 192.0.2.1']);
    assert.equal(upstream.queries.length, 2);
  });

  it('chases an ExternalName CNAME through the upstream', async (t) => {
    const { server, upstream } = await startDns(t);
    const reply = await digUdp(server, 'ext.web.svc.cluster.local', 'A');
    assert.equal(reply.rcode, 'NOERROR');
    assert.deepEqual(digLines(reply.answers), ['ext.web.svc.cluster.local. 30 CNAME example.com.', 'example.com. 60 A 192.0.2.1']);
    assert.deepEqual(upstream.queries.map((q) => q.packet.questions?.[0]?.name), ['example.com']);
  });

  it('answers SERVFAIL fast when the upstream refuses', async (t) => {
    const { server } = await startDns(t, { upstreams: [await closedPort()] });
    const started = performance.now();
    const reply = await digUdp(server, 'example.com', 'A');
    assert.equal(reply.rcode, 'SERVFAIL');
    assert.deepEqual(reply.questions?.map((q) => q.name), ['example.com']);
    assert.ok(performance.now() - started < 1000);
  });

  it('answers SERVFAIL by the deadline when the upstream is silent', async (t) => {
    const silent = await startFakeUpstream(() => 'silent');
    t.after(() => silent.stop());
    const { server } = await startDns(t, { upstreams: [silent.upstream], forwarder: { deadlineMs: 300, attemptTimeoutMs: 100 } });
    const started = performance.now();
    const reply = await digUdp(server, 'example.com', 'A');
    assert.equal(reply.rcode, 'SERVFAIL');
    assert.ok(performance.now() - started < 1000);
  });

  it('answers REFUSED beyond the forwarding bound and keeps answering cluster names meanwhile', async (t) => {
    const silent = await startFakeUpstream(() => 'silent');
    t.after(() => silent.stop());
    const { server } = await startDns(t, { upstreams: [silent.upstream], forwarder: { maxInFlight: 2, deadlineMs: 500, attemptTimeoutMs: 250 } });
    const held = [digUdp(server, 'a.example.com', 'A', { id: 1 }), digUdp(server, 'b.example.com', 'A', { id: 2 })];
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal((await digUdp(server, 'c.example.com', 'A', { id: 3 })).rcode, 'REFUSED');
    assert.equal((await digUdp(server, 'frontend.web.svc.cluster.local', 'A')).rcode, 'NOERROR');
    assert.deepEqual((await Promise.all(held)).map((r) => r.rcode), ['SERVFAIL', 'SERVFAIL']);
  });

  it('truncates a UDP answer beyond 512 bytes and gives it whole over TCP or with EDNS', async (t) => {
    const { server } = await startDns(t, { view: bigCluster() });
    const udp = await digUdp(server, 'big.web.svc.cluster.local', 'A');
    assert.equal(udp.flag_tc, true);
    assert.ok((udp.answers ?? []).length < 40);
    const tcp = await digTcp(server, 'big.web.svc.cluster.local', 'A');
    assert.equal(tcp.flag_tc, false);
    assert.equal(tcp.answers?.length, 40);
    const edns = await digUdp(server, 'big.web.svc.cluster.local', 'A', { edns: 4096 });
    assert.equal(edns.flag_tc, false);
    assert.equal(edns.answers?.length, 40);
    const opt = edns.additionals?.find((a) => a.type === 'OPT');
    assert.equal(opt?.type === 'OPT' && opt.udpPayloadSize, 4096);
  });

  it('truncates a forwarded reply to the client UDP size', async (t) => {
    const many = Array.from({ length: 40 }, (_, i) => aRecord('big.example.com', `192.0.2.${i + 1}`));
    const upstream = await startFakeUpstream((q) => reply(q, many));
    t.after(() => upstream.stop());
    const { server } = await startDns(t, { upstreams: [upstream.upstream] });
    const udp = await digUdp(server, 'big.example.com', 'A');
    assert.equal(udp.flag_tc, true);
    const tcp = await digTcp(server, 'big.example.com', 'A');
    assert.equal(tcp.answers?.length, 40);
  });

  it('shuffles the addresses of a headless service', async (t) => {
    let n = 0;
    const { server } = await startDns(t, { view: bigCluster(), random: () => n++ * 7919 });
    const first = digLines((await digTcp(server, 'big.web.svc.cluster.local', 'A')).answers);
    const second = digLines((await digTcp(server, 'big.web.svc.cluster.local', 'A')).answers);
    assert.notDeepEqual(first, second);
    assert.deepEqual([...first].sort(), [...second].sort());
  });

  it('answers BADVERS to an EDNS version it does not speak', async (t) => {
    const { server } = await startDns(t);
    const raw = await sendUdp(server, buildQuery('frontend.web.svc.cluster.local', 'A', { edns: 1232, ednsVersion: 1 }));
    const reply = decodeReply(raw!);
    const opt = reply.additionals?.find((a) => a.type === 'OPT');
    assert.equal(reply.rcode, 'NOERROR');
    assert.equal(opt?.type === 'OPT' && opt.extendedRcode, 1);
    assert.deepEqual(reply.answers, []);
  });

  it('answers several pipelined TCP queries on one connection', async (t) => {
    const { server } = await startDns(t);
    const frames = [
      frame(buildQuery('frontend.web.svc.cluster.local', 'A', { id: 1 })),
      frame(buildQuery('kubernetes.default.svc.cluster.local', 'A', { id: 2 })),
      frame(buildQuery('example.com', 'A', { id: 3 })),
    ];
    // One write split mid-frame, to show the framing holds across reads.
    const bytes = Buffer.concat(frames);
    const replies = await sendTcp(server, [bytes.subarray(0, 7), bytes.subarray(7)], 3);
    const byId = new Map(replies.map((r) => [dnsPacket.decode(r).id, digLines(dnsPacket.decode(r).answers)]));
    assert.deepEqual(byId.get(1), ['frontend.web.svc.cluster.local. 30 A 10.96.10.20']);
    assert.deepEqual(byId.get(2), ['kubernetes.default.svc.cluster.local. 30 A 10.96.0.1']);
    assert.deepEqual(byId.get(3), ['example.com. 60 A 192.0.2.1']);
  });

  it('closes an idle TCP connection and one that never finishes its message', async (t) => {
    const { server } = await startDns(t, { server: { tcpIdleTimeoutMs: 150, tcpReadTimeoutMs: 100 } });
    const closedAfter = (bytes: Buffer) =>
      new Promise<number>((resolve) => {
        const started = performance.now();
        const socket = net.connect(server.port, server.address, () => socket.write(bytes));
        socket.on('error', () => {});
        socket.on('close', () => resolve(performance.now() - started));
      });
    const idle = await closedAfter(Buffer.alloc(0));
    assert.ok(idle >= 100 && idle < 1000, `idle connection closed after ${idle} ms`);
    const partial = await closedAfter(Buffer.from([0, 40, 1, 2, 3]));
    assert.ok(partial >= 80 && partial < 1000, `partial message closed after ${partial} ms`);
  });

  it('closes a TCP connection whose client pipelines queries without reading the replies', async (t) => {
    const { server } = await startDns(t);
    const query = frame(buildQuery('_mysql._tcp.db.web.svc.cluster.local', 'SRV'));
    const queries = 40000;
    // The client writes every query and reads nothing for a while, then reads what is there.
    const outcome = await new Promise<{ closed: boolean; received: number }>((resolve) => {
      let received = 0;
      const socket = net.connect(server.port, server.address, () => {
        socket.pause();
        socket.write(Buffer.concat(Array.from({ length: queries }, () => query)));
        setTimeout(() => socket.resume(), 1500);
      });
      socket.on('data', (chunk: Buffer) => (received += chunk.length));
      socket.on('error', () => {});
      socket.on('close', () => resolve({ closed: true, received }));
      // Generous: answering 40,000 queries takes ~1.5 s here, several times that on a loaded machine.
      setTimeout(() => {
        socket.destroy();
        resolve({ closed: false, received });
      }, 20_000);
    });
    assert.ok(outcome.closed, 'the server kept the connection of a client that does not read');
    assert.ok(outcome.received < queries * 100, `the client got ${outcome.received} bytes: every reply`);
    assert.equal((await digTcp(server, 'frontend.web.svc.cluster.local', 'A')).rcode, 'NOERROR');
  });

  it('closes TCP connections beyond the bound and keeps serving the others', async (t) => {
    const { server } = await startDns(t, { server: { maxTcpConnections: 2 } });
    const open: net.Socket[] = [];
    t.after(() => open.forEach((s) => s.destroy()));
    for (let i = 0; i < 2; i++) {
      const s = net.connect(server.port, server.address);
      s.on('error', () => {});
      open.push(s);
      await new Promise((resolve) => s.once('connect', resolve));
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
    await assert.rejects(digTcp(server, 'frontend.web.svc.cluster.local', 'A', { timeoutMs: 1000 }));
    const udp = await digUdp(server, 'frontend.web.svc.cluster.local', 'A');
    assert.equal(udp.rcode, 'NOERROR');
    open[0]!.destroy();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const tcp = await digTcp(server, 'frontend.web.svc.cluster.local', 'A');
    assert.equal(tcp.rcode, 'NOERROR');
  });

  it('stops once however often stop is called, and when its signal aborts', async () => {
    const dns = createClusterDns({ view: fixtureCluster(), address: '127.0.0.1', port: 0, upstreams: [] });
    const abort = new AbortController();
    const bound = await dns.start(abort.signal);
    assert.equal((await digUdp(bound, 'frontend.web.svc.cluster.local', 'A')).rcode, 'NOERROR');
    abort.abort();
    await dns.stop();
    await dns.stop();
    assert.equal(await sendUdp(bound, buildQuery('frontend.web.svc.cluster.local', 'A'), 200), undefined);
    await assert.rejects(dns.start(), /stopped/);
  });
});
