import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalJson, computeHash, fnv32a, safeEncodeString } from './pod-template-hash.ts';

test('fnv32a matches the FNV-1a reference values', () => {
  assert.equal(fnv32a(Buffer.from('')), 0x811c9dc5);
  assert.equal(fnv32a(Buffer.from('a')), 0xe40c292c);
  assert.equal(fnv32a(Buffer.from('foobar')), 0xbf9cf968);
});

test('safeEncodeString maps digits into the vowel-free alphabet as apimachinery does', () => {
  assert.equal(safeEncodeString('0123456789'), '456789bcdf');
});

test('computeHash is stable under key order, changes with the template and the collision count, and uses only the safe alphabet', () => {
  const a = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } };
  const b = { spec: { containers: [{ image: 'nginx', name: 'c' }] }, metadata: { labels: { app: 'web' } } };
  assert.equal(canonicalJson(a), canonicalJson(b));
  const h = computeHash(a, undefined);
  assert.equal(computeHash(b, undefined), h);
  assert.match(h, /^[456789bcdf]{1,10}$/);
  assert.notEqual(computeHash({ ...a, spec: { containers: [{ name: 'c', image: 'nginx:2' }] } }, undefined), h);
  assert.notEqual(computeHash(a, 1), h);
  assert.notEqual(computeHash(a, 1), computeHash(a, 2));
  // Pinned: a hash must not change between versions of berth, or a restart would make a second ReplicaSet name.
  assert.equal(h, '5776f98846');
  assert.equal(computeHash(a, 1), '7fdf679775');
});
