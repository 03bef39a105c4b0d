import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PortRange } from './port-range.ts';

test('PortRange splits 30000-32767 as kube-apiserver does: 86 static ports at the bottom', () => {
  const r = new PortRange('30000-32767');
  assert.equal(String(r), '30000-32767');
  assert.equal(r.size, 2768);
  assert.equal(r.offset, 86);
  assert.ok(r.contains(30000) && r.contains(32767) && !r.contains(29999) && !r.contains(32768));
  assert.equal(r.next(new Set(), () => 0), 30086);
});

test('PortRange.next wraps in the upper band, falls back to the static band, and is undefined when full', () => {
  const r = new PortRange('30000-30031'); // 32 ports: static 30000-30015
  assert.equal(r.offset, 16);
  const used = new Set([30031]);
  assert.equal(r.next(used, (n) => n - 1), 30016);
  for (let p = 30016; p <= 30031; p++) used.add(p);
  assert.equal(r.next(used, () => 2), 30002);
  for (let p = 30000; p <= 30015; p++) used.add(p);
  assert.equal(r.next(used, () => 0), undefined);
});
