import assert from 'node:assert/strict';
import { test } from 'node:test';
import { IPv4Range, ipv4ToNumber, numberToIPv4 } from './ip-range.ts';

const ip = (s: string): number => ipv4ToNumber(s)!;

test('IPv4Range splits 10.96.0.0/12 as kube-apiserver does: 256 static addresses after the network address', () => {
  const r = new IPv4Range('10.96.0.0/12');
  assert.equal(r.cidr, '10.96.0.0/12');
  assert.equal(numberToIPv4(r.first), '10.96.0.1');
  assert.equal(numberToIPv4(r.last), '10.111.255.254');
  assert.equal(r.offset, 256);
  assert.ok(r.contains(ip('10.96.0.10')));
  assert.ok(!r.contains(ip('10.96.0.0')), 'the network address');
  assert.ok(!r.contains(ip('10.111.255.255')), 'the broadcast address');
  assert.ok(!r.contains(ip('10.112.0.1')));
  // Dynamic allocation starts in the upper band: never 10.96.0.1–10.96.1.0 while it has room.
  assert.equal(numberToIPv4(r.next(new Set(), () => 0)!), '10.96.1.1');
});

test('IPv4Range sizes the static band min(max(16, size/16), 256), and none for 16 addresses or fewer', () => {
  assert.equal(new IPv4Range('10.0.0.0/24').offset, 16);
  assert.equal(new IPv4Range('10.0.0.0/27').offset, 16);
  assert.equal(new IPv4Range('10.0.0.0/28').offset, 0);
  assert.equal(new IPv4Range('10.0.0.0/16').offset, 256);
});

test('IPv4Range.next scans up from a random start, wraps, then falls back to the static band, and is undefined when full', () => {
  const r = new IPv4Range('10.0.0.0/24'); // static 10.0.0.1–16, dynamic 10.0.0.17–254
  const used = new Set([ip('10.0.0.254')]);
  assert.equal(numberToIPv4(r.next(used, (n) => n - 1)!), '10.0.0.17', 'wraps past the used last address');
  for (let i = 17; i <= 254; i++) used.add(ip(`10.0.0.${i}`));
  assert.equal(numberToIPv4(r.next(used, () => 3)!), '10.0.0.4');
  for (let i = 1; i <= 16; i++) used.add(ip(`10.0.0.${i}`));
  assert.equal(r.next(used, () => 0), undefined);
});

test('ipv4ToNumber parses as ParseIPSloppy: leading zeros are decimal, IPv4-mapped IPv6 is IPv4, IPv6 is not IPv4', () => {
  assert.equal(numberToIPv4(ip('10.096.000.010')), '10.96.0.10');
  assert.equal(numberToIPv4(ip('::ffff:10.96.0.10')), '10.96.0.10');
  assert.equal(ipv4ToNumber('fd00::1'), undefined);
  assert.equal(ipv4ToNumber('10.96.0.256'), undefined);
});
