import { test } from 'node:test';
import assert from 'node:assert/strict';
import { firstPendingIndexes, formatIntervals, parseIntervals, podGenerateNameWithIndex, total, withIndexes } from './indexes.ts';

test('intervals parse and format as completedIndexes writes them', () => {
  const iv = parseIntervals('1,3-5,7', 10);
  assert.deepEqual(iv, [{ first: 1, last: 1 }, { first: 3, last: 5 }, { first: 7, last: 7 }]);
  assert.equal(total(iv), 5);
  assert.equal(formatIntervals(withIndexes(iv, [2, 8])), '1-5,7,8');
  assert.equal(formatIntervals(withIndexes([], [0, 1, 2, 4])), '0-2,4');
  assert.deepEqual(parseIntervals('0-20', 5), [{ first: 0, last: 4 }], 'indexes beyond completions dropped');
});

test('firstPendingIndexes skips succeeded, failed and active indexes', () => {
  assert.deepEqual(firstPendingIndexes(parseIntervals('0,2-3', 10), 3, 10), [1, 4, 5]);
  assert.deepEqual(firstPendingIndexes(parseIntervals('0-2', 3), 3, 3), []);
  assert.deepEqual(firstPendingIndexes([], 5, 2), [0, 1]);
});

test('podGenerateNameWithIndex cuts long job names so the prefix stays within 58 characters', () => {
  assert.equal(podGenerateNameWithIndex('migrate', 2), 'migrate-2-');
  const long = 'a'.repeat(60);
  assert.equal(podGenerateNameWithIndex(long, 12), `${'a'.repeat(54)}-12-`);
});
