import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import dnsPacket from 'dns-packet';
import { Forwarder } from './forwarder.ts';
import type { ForwardResult } from './forwarder.ts';
import { buildQuery } from './test-dns-client.ts';
import { aRecord, closedPort, reply, startFakeUpstream } from './test-upstream.ts';

function answers(result: ForwardResult): string[] {
  assert.equal(result.kind, 'reply', `expected a reply, got ${JSON.stringify(result)}`);
  if (result.kind !== 'reply') return [];
  return (dnsPacket.decode(result.message).answers ?? []).map((a) => `${a.name} ${a.type} ${'data' in a ? String(a.data) : ''}`);
}

describe('Forwarder', () => {
  it('relays the upstream reply with the client ID when the upstream answers over UDP', async (t) => {
    const upstream = await startFakeUpstream();
    t.after(() => upstream.stop());
    const forwarder = new Forwarder({ upstreams: [upstream.upstream] });
    const result = await forwarder.forward(buildQuery('example.com', 'A', { id: 777 }));
    assert.deepEqual(answers(result), ['example.com A 192.0.2.1']);
    assert.equal(result.kind === 'reply' && result.message.readUInt16BE(0), 777);
    assert.deepEqual(upstream.queries.map((q) => q.transport), ['udp']);
    assert.equal(forwarder.inFlight, 0);
  });

  it('asks again over TCP when the UDP reply is truncated', async (t) => {
    const many = Array.from({ length: 40 }, (_, i) => aRecord('big.example.com', `192.0.2.${i + 1}`));
    const upstream = await startFakeUpstream((q, transport) => (transport === 'udp' ? reply(q, [], { truncated: true }) : reply(q, many)));
    t.after(() => upstream.stop());
    const forwarder = new Forwarder({ upstreams: [upstream.upstream] });
    const result = await forwarder.forward(buildQuery('big.example.com', 'A'));
    assert.equal(answers(result).length, 40);
    assert.deepEqual(upstream.queries.map((q) => q.transport), ['udp', 'tcp']);
  });

  it('answers SERVFAIL at once when the only upstream refuses (closed port)', async () => {
    const forwarder = new Forwarder({ upstreams: [await closedPort()], deadlineMs: 5000 });
    const started = performance.now();
    const result = await forwarder.forward(buildQuery('example.com', 'A'));
    const elapsed = performance.now() - started;
    assert.equal(result.kind, 'servfail');
    assert.ok(elapsed < 1000, `took ${elapsed} ms`);
  });

  it('answers SERVFAIL by the deadline when the upstream is silent, retrying meanwhile', async (t) => {
    const upstream = await startFakeUpstream(() => 'silent');
    t.after(() => upstream.stop());
    const forwarder = new Forwarder({ upstreams: [upstream.upstream], deadlineMs: 300, attemptTimeoutMs: 100 });
    const started = performance.now();
    const result = await forwarder.forward(buildQuery('example.com', 'A'));
    const elapsed = performance.now() - started;
    assert.equal(result.kind, 'servfail');
    assert.ok(elapsed >= 290 && elapsed < 800, `took ${elapsed} ms`);
    assert.ok(upstream.queries.length >= 3, `asked ${upstream.queries.length} times`);
  });

  it('fails over to the next upstream when one refuses or stays silent', async (t) => {
    const good = await startFakeUpstream();
    const silent = await startFakeUpstream(() => 'silent');
    t.after(() => Promise.all([good.stop(), silent.stop()]));
    const refusing = new Forwarder({ upstreams: [await closedPort(), good.upstream], policy: 'sequential' });
    assert.deepEqual(answers(await refusing.forward(buildQuery('example.com', 'A'))), ['example.com A 192.0.2.1']);

    const slow = new Forwarder({ upstreams: [silent.upstream, good.upstream], policy: 'sequential', attemptTimeoutMs: 100 });
    const started = performance.now();
    assert.deepEqual(answers(await slow.forward(buildQuery('example.com', 'A'))), ['example.com A 192.0.2.1']);
    assert.ok(performance.now() - started < 1000);
  });

  it('answers REFUSED beyond the bound on queries in flight', async (t) => {
    const upstream = await startFakeUpstream(() => 'silent');
    t.after(() => upstream.stop());
    const forwarder = new Forwarder({ upstreams: [upstream.upstream], maxInFlight: 2, deadlineMs: 200, attemptTimeoutMs: 200 });
    const first = forwarder.forward(buildQuery('a.example.com', 'A'));
    const second = forwarder.forward(buildQuery('b.example.com', 'A'));
    assert.equal(forwarder.inFlight, 2);
    assert.equal((await forwarder.forward(buildQuery('c.example.com', 'A'))).kind, 'refused');
    assert.equal((await first).kind, 'servfail');
    assert.equal((await second).kind, 'servfail');
    assert.equal(forwarder.inFlight, 0);
  });

  it('answers FORMERR when the upstream answers another question', async (t) => {
    const upstream = await startFakeUpstream((q) => ({ ...reply(q, []), questions: [{ name: 'other.example', type: 'A', class: 'IN' }] }));
    t.after(() => upstream.stop());
    const forwarder = new Forwarder({ upstreams: [upstream.upstream] });
    assert.equal((await forwarder.forward(buildQuery('example.com', 'A'))).kind, 'formerr');
  });

  it('ignores a datagram with another ID and takes the real reply after it', async (t) => {
    const upstream = await startFakeUpstream((q) => [
      dnsPacket.encode({ ...reply(q, [aRecord('example.com', '192.0.2.66')]), id: ((q.id ?? 0) + 1) % 65536 }),
      dnsPacket.encode({ ...reply(q, [aRecord('example.com', '192.0.2.1')]), id: q.id ?? 0 }),
    ]);
    t.after(() => upstream.stop());
    const forwarder = new Forwarder({ upstreams: [upstream.upstream] });
    assert.deepEqual(answers(await forwarder.forward(buildQuery('example.com', 'A'))), ['example.com A 192.0.2.1']);
    assert.equal(upstream.queries.length, 1);
  });

  it('answers SERVFAIL at once when no upstream is configured', async () => {
    const result = await new Forwarder({ upstreams: [] }).forward(buildQuery('example.com', 'A'));
    assert.equal(result.kind, 'servfail');
  });

  it('gives up when aborted', async (t) => {
    const upstream = await startFakeUpstream(() => 'silent');
    t.after(() => upstream.stop());
    const forwarder = new Forwarder({ upstreams: [upstream.upstream] });
    const abort = new AbortController();
    const pending = forwarder.forward(buildQuery('example.com', 'A'), abort.signal);
    setTimeout(() => abort.abort(), 50);
    const started = performance.now();
    assert.equal((await pending).kind, 'servfail');
    assert.ok(performance.now() - started < 1000);
  });
});
