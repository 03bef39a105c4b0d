/**
 * Malformed and hostile messages, generated from a fixed seed so a failure
 * replays: random bytes, valid queries with bytes flipped, cut short or
 * padded, absurd section counts, compression pointer loops, over-long labels
 * and names, and datagrams of the largest size. The handler must never
 * throw and every reply it gives must decode with the query's ID; over real
 * sockets the server must keep answering a good query between batches.
 */
import assert from 'node:assert/strict';
import net from 'node:net';
import { describe, it } from 'node:test';
import dnsPacket from 'dns-packet';
import { createClusterDns } from './dns.ts';
import { Forwarder } from './forwarder.ts';
import { DnsHandler } from './handler.ts';
import { kubeadmResolverConfig } from './resolver.ts';
import { fixtureCluster } from './test-cluster-view.ts';
import { buildQuery, digTcp, digUdp, frame, sendUdp } from './test-dns-client.ts';
import { answerA, startFakeUpstream } from './test-upstream.ts';
import { rng as seeded } from '../../../test/seeded-random.ts';

const names = ['frontend.web.svc.cluster.local', '_mysql._tcp.db.web.svc.cluster.local', '7.0.244.10.in-addr.arpa', 'cluster.local', 'ext.web.svc.cluster.local'];
const types = ['A', 'AAAA', 'SRV', 'PTR', 'SOA', 'NS', 'TXT', 'CNAME', 'MX', 'AXFR'];

function malformed(random: () => number): Buffer {
  const int = (n: number) => Math.floor(random() * n);
  const valid = () => buildQuery(names[int(names.length)]!, types[int(types.length)]!, { id: int(65536), ...(random() < 0.3 ? { edns: int(65536) } : {}) });
  switch (int(9)) {
    case 0: {
      const bytes = Buffer.alloc(int(600));
      for (let i = 0; i < bytes.length; i++) bytes[i] = int(256);
      return bytes;
    }
    case 1: {
      const bytes = Buffer.from(valid());
      for (let n = 1 + int(6); n > 0; n--) bytes[int(bytes.length)] = int(256);
      return bytes;
    }
    case 2: {
      const bytes = valid();
      return bytes.subarray(0, int(bytes.length));
    }
    case 3:
      return Buffer.concat([valid(), Buffer.alloc(int(300), int(256))]);
    case 4: {
      const bytes = Buffer.from(valid());
      for (let i = 4; i < 12; i += 2) bytes.writeUInt16BE(random() < 0.5 ? 0xffff : int(4), i);
      return bytes;
    }
    case 5: {
      // A question name that points at itself.
      const bytes = Buffer.alloc(18);
      bytes.writeUInt16BE(int(65536), 0);
      bytes.writeUInt16BE(1, 4);
      bytes.writeUInt16BE(0xc00c, 12);
      bytes.writeUInt16BE(1, 14);
      bytes.writeUInt16BE(1, 16);
      return bytes;
    }
    case 6: {
      // Labels of 63 and more bytes, names past 255.
      const label = Buffer.alloc(1 + 63, 0x61);
      label[0] = random() < 0.5 ? 63 : 64 + int(64);
      const parts = [Buffer.from([0, 7, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0])];
      for (let n = 1 + int(6); n > 0; n--) parts.push(label);
      parts.push(Buffer.from([0, 0, 1, 0, 1]));
      return Buffer.concat(parts);
    }
    case 7: {
      // A response, which must never be answered.
      const bytes = Buffer.from(valid());
      bytes[2] = bytes[2]! | 0x80;
      return bytes;
    }
    default: {
      // Other opcodes and flags.
      const bytes = Buffer.from(valid());
      bytes[2] = int(256) & 0x7f;
      bytes[3] = int(256);
      return bytes;
    }
  }
}

describe('DnsServer under malformed input', () => {
  it('handler never throws and every reply decodes with the query ID', async (t) => {
    const upstream = await startFakeUpstream(answerA);
    t.after(() => upstream.stop());
    const handler = new DnsHandler({
      view: fixtureCluster(),
      config: kubeadmResolverConfig(['127.0.0.1']),
      forwarder: new Forwarder({ upstreams: [upstream.upstream], deadlineMs: 200, attemptTimeoutMs: 100 }),
    });
    const random = seeded(20250101);
    let answered = 0;
    const started = performance.now();
    for (let i = 0; i < 20000 && performance.now() - started < 5000; i++) {
      const query = malformed(random);
      const reply = await handler.handle(query, random() < 0.5 ? 'udp' : 'tcp');
      if (reply === undefined) continue;
      answered++;
      assert.ok(query.length >= 12, 'a message shorter than a header was answered');
      assert.equal(query[2]! & 0x80, 0, 'a response was answered');
      assert.equal(reply.readUInt16BE(0), query.readUInt16BE(0));
      assert.doesNotThrow(() => dnsPacket.decode(reply));
    }
    assert.ok(answered > 1000, `only ${answered} answered`);
  });

  it('server keeps answering over UDP and TCP through batches of malformed messages', async (t) => {
    const upstream = await startFakeUpstream(answerA);
    t.after(() => upstream.stop());
    const dns = createClusterDns({
      view: fixtureCluster(),
      address: '127.0.0.1',
      port: 0,
      upstreams: [upstream.upstream],
      forwarder: { deadlineMs: 200, attemptTimeoutMs: 100 },
      server: { tcpReadTimeoutMs: 200 },
    });
    t.after(() => dns.stop());
    const server = await dns.start();
    const random = seeded(7);

    for (let batch = 0; batch < 10; batch++) {
      // UDP: 200 malformed datagrams, one of them the largest a datagram holds.
      const sends = Array.from({ length: 200 }, (_, i) => (batch === 0 && i === 0 ? Buffer.alloc(65507, 0xff) : malformed(random)));
      await Promise.all(sends.map((bytes) => sendUdp(server, bytes, 50)));
      // TCP: garbage frames, a zero-length frame and a frame cut short, each on its own connection.
      await Promise.all(
        [Buffer.concat(Array.from({ length: 20 }, () => frame(malformed(random)))), Buffer.from([0, 0, 0, 0]), Buffer.from([0xff, 0xff, 1, 2, 3])].map(
          (bytes) =>
            new Promise<void>((resolve) => {
              const socket = net.connect(server.port, server.address, () => socket.end(bytes));
              socket.on('error', () => resolve());
              socket.on('close', () => resolve());
              socket.resume();
              setTimeout(() => socket.destroy(), 300);
            }),
        ),
      );
      const udp = await digUdp(server, 'frontend.web.svc.cluster.local', 'A');
      assert.equal(udp.rcode, 'NOERROR', `UDP after batch ${batch}`);
      const tcp = await digTcp(server, 'kubernetes.default.svc.cluster.local', 'A');
      assert.equal(tcp.rcode, 'NOERROR', `TCP after batch ${batch}`);
    }
  });

  it('answers FORMERR to a query with two questions and NOTIMP to an UPDATE', async (t) => {
    const dns = createClusterDns({ view: fixtureCluster(), address: '127.0.0.1', port: 0, upstreams: [] });
    t.after(() => dns.stop());
    const server = await dns.start();
    const two = dnsPacket.encode({
      type: 'query',
      id: 5,
      questions: [
        { name: 'a.web.svc.cluster.local', type: 'A', class: 'IN' },
        { name: 'b.web.svc.cluster.local', type: 'A', class: 'IN' },
      ],
    });
    const formerr = dnsPacket.decode((await sendUdp(server, two))!) as { rcode?: string; id?: number };
    assert.equal(formerr.rcode, 'FORMERR');
    assert.equal(formerr.id, 5);
    const update = Buffer.from(buildQuery('web.svc.cluster.local', 'SOA', { id: 6 }));
    update[2] = (5 << 3) | (update[2]! & 0x87);
    const notimp = dnsPacket.decode((await sendUdp(server, update))!) as { rcode?: string; opcode?: string };
    assert.equal(notimp.rcode, 'NOTIMP');
    assert.equal(notimp.opcode, 'UPDATE');
    const dotted = dnsPacket.decode((await sendUdp(server, labelWithDot()))!) as { rcode?: string };
    assert.equal(dotted.rcode, 'FORMERR');
  });
});

/** A question whose first label holds a dot (`a.b` as one label): dns-packet would read it as two. */
function labelWithDot(): Buffer {
  const name = Buffer.from([3, 0x61, 0x2e, 0x62, 3, 0x77, 0x65, 0x62, 0]);
  return Buffer.concat([Buffer.from([0, 9, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0]), name, Buffer.from([0, 1, 0, 1])]);
}
