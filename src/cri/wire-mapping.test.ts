import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nsToMs, timestampToMs } from './wire-mapping.ts';

test('nsToMs floors int64 nanoseconds to milliseconds without losing precision on large values', () => {
  assert.equal(nsToMs('1700000000123999999'), 1700000000123);
  assert.equal(nsToMs('9223372036854775807'), 9223372036854);
  assert.equal(nsToMs(5_000_000), 5);
  assert.equal(nsToMs('0'), 0);
  assert.equal(nsToMs(''), 0);
  assert.equal(nsToMs(null), 0);
});

test('timestampToMs combines seconds and nanos, treating a missing timestamp as unset', () => {
  assert.equal(timestampToMs({ seconds: '1700000000', nanos: 999_999_999 }), 1700000000999);
  assert.equal(timestampToMs({ seconds: 1, nanos: 0 }), 1000);
  assert.equal(timestampToMs(null), 0);
});
