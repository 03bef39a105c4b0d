import { test } from 'node:test';
import assert from 'node:assert/strict';
import { goDuration } from './go-duration.ts';

test('goDuration prints like Go time.Duration', () => {
  assert.equal(goDuration(10_000), '10s');
  assert.equal(goDuration(80_000), '1m20s');
  assert.equal(goDuration(160_000), '2m40s');
  assert.equal(goDuration(300_000), '5m0s');
  assert.equal(goDuration(3_600_000), '1h0m0s');
  assert.equal(goDuration(500), '500ms');
});
