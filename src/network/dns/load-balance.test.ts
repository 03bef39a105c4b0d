import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Answer } from 'dns-packet';
import { shuffleSection } from './load-balance.ts';

const a = (ip: string): Answer => ({ type: 'A', name: 'x', ttl: 30, data: ip });
const cname: Answer = { type: 'CNAME', name: 'y', ttl: 30, data: 'x' };
const data = (records: Answer[]) => records.map((r) => ('data' in r ? String(r.data) : ''));
const srv: Answer = { type: 'SRV', name: 'z', ttl: 30, data: { port: 80, target: 'x' } };

describe('shuffleSection', () => {
  it('swaps two addresses when the random id is even and keeps them when odd', () => {
    assert.deepEqual(data(shuffleSection([a('1'), a('2')], () => 0)), ['2', '1']);
    assert.deepEqual(data(shuffleSection([a('1'), a('2')], () => 1)), ['1', '2']);
  });

  it('puts CNAMEs first, then other records, then the addresses when the types are mixed', () => {
    const out = shuffleSection([a('1'), srv, cname, a('2'), a('3')], () => 0);
    assert.deepEqual(out.map((r) => r.type), ['CNAME', 'SRV', 'A', 'A', 'A']);
  });

  it('keeps every record when it shuffles many', () => {
    const records = Array.from({ length: 20 }, (_, i) => a(String(i)));
    let n = 0;
    const out = shuffleSection(records, () => (n += 12345) % 65536);
    assert.deepEqual(data(out).sort(), data(records).sort());
    assert.notDeepEqual(data(out), data(records));
  });
});
