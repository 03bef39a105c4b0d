import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { humanDuration, parseTimestamp, translateTimestampSince } from './human-duration.ts';

const s = 1000;
const m = 60 * s;
const h = 60 * m;
const d = 24 * h;
const y = 365 * d;

describe('humanDuration', () => {
  // The table of apimachinery's duration_test.go plus the boundaries of docs/kubelet-semantics.md §18.1.
  const cases: [number, string][] = [
    [-2 * s, '<invalid>'],
    [-1999, '0s'],
    [-1 * s, '0s'],
    [0, '0s'],
    [999, '0s'],
    [1 * s, '1s'],
    [45 * s, '45s'],
    [119 * s, '119s'],
    [2 * m, '2m'],
    [3 * m + 20 * s, '3m20s'],
    [9 * m + 59 * s, '9m59s'],
    [10 * m, '10m'],
    [10 * m + 59 * s, '10m'],
    [125 * m, '125m'],
    [3 * h - 1, '179m'],
    [3 * h, '3h'],
    [3 * h + 30 * m, '3h30m'],
    [7 * h + 59 * m, '7h59m'],
    [8 * h, '8h'],
    [47 * h + 59 * m, '47h'],
    [48 * h, '2d'],
    [2 * d + 5 * h, '2d5h'],
    [7 * d + 23 * h, '7d23h'],
    [8 * d, '8d'],
    [2 * y - 1, '729d'],
    [2 * y, '2y'],
    [2 * y + 10 * d, '2y10d'],
    [8 * y - 1, '7y364d'],
    [8 * y, '8y'],
    [20 * y, '20y'],
  ];
  for (const [ms, want] of cases) {
    it(`renders ${ms} ms as ${want}`, () => {
      assert.equal(humanDuration(ms), want);
    });
  }
});

describe('translateTimestampSince', () => {
  const now = Date.parse('2025-01-01T12:00:00Z');

  it('renders <unknown> when the timestamp is missing, empty or Go zero time', () => {
    assert.equal(translateTimestampSince(undefined, now), '<unknown>');
    assert.equal(translateTimestampSince(null, now), '<unknown>');
    assert.equal(translateTimestampSince('', now), '<unknown>');
    assert.equal(translateTimestampSince('0001-01-01T00:00:00Z', now), '<unknown>');
    assert.equal(translateTimestampSince('not a time', now), '<unknown>');
  });

  it('renders the age of an RFC 3339 timestamp at the injected now', () => {
    assert.equal(translateTimestampSince('2025-01-01T11:59:15Z', now), '45s');
    assert.equal(translateTimestampSince('2024-12-31T12:00:00Z', now), '24h');
  });

  it('parses fractional-second timestamps to milliseconds', () => {
    assert.equal(parseTimestamp('2025-01-01T11:59:59.500000000Z'), now - 500);
  });
});
