import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rfc3339, rfc3339Millis, rfc3339Nano } from './time.ts';

const t = Date.UTC(2024, 4, 6, 7, 8, 9, 500);

test('rfc3339 drops the fraction of a second', () => {
  assert.equal(rfc3339(t), '2024-05-06T07:08:09Z');
  assert.equal(rfc3339(t + 499), '2024-05-06T07:08:09Z');
});

test('rfc3339Nano trims trailing zeros of the fraction, and a zero fraction entirely', () => {
  assert.equal(rfc3339Nano(t), '2024-05-06T07:08:09.5Z');
  assert.equal(rfc3339Nano(t + 20), '2024-05-06T07:08:09.52Z');
  assert.equal(rfc3339Nano(t - 500), '2024-05-06T07:08:09Z');
});

test('rfc3339Millis keeps three digits of milliseconds, none when zero', () => {
  assert.equal(rfc3339Millis(t), '2024-05-06T07:08:09.500Z');
  assert.equal(rfc3339Millis(t - 500), '2024-05-06T07:08:09Z');
});
