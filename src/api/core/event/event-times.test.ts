import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Event } from 'kubernetes-types/core/v1.js';
import { canonicalMicroTime, canonicalTime, canonicalizeEventTimes } from './event-times.ts';

test('canonicalTime writes UTC at second precision, as metav1.Time encodes', () => {
  assert.equal(canonicalTime('2026-12-04T10:00:00.987654+01:00'), '2026-12-04T09:00:00Z');
  assert.equal(canonicalTime('2026-12-04T09:00:00Z'), '2026-12-04T09:00:00Z');
  assert.equal(canonicalTime('not a time'), 'not a time');
});

test('canonicalMicroTime keeps six fraction digits in UTC, as metav1.MicroTime encodes', () => {
  assert.equal(canonicalMicroTime('2026-12-04T09:51:02.566237+00:00'), '2026-12-04T09:51:02.566237Z');
  assert.equal(canonicalMicroTime('2026-12-04T09:51:02.5Z'), '2026-12-04T09:51:02.500000Z');
  assert.equal(canonicalMicroTime('2026-12-04T09:51:02.123456789-02:30'), '2026-12-04T12:21:02.123456Z');
  assert.equal(canonicalMicroTime('2026-12-04T09:51:02Z'), '2026-12-04T09:51:02.000000Z');
});

test('canonicalizeEventTimes rewrites the four times of an event and leaves nulls', () => {
  const ev = {
    metadata: {},
    involvedObject: {},
    firstTimestamp: '2026-12-04T10:00:00+01:00',
    lastTimestamp: null,
    eventTime: '2026-12-04T09:00:00.1+00:00',
    series: { count: 2, lastObservedTime: '2026-12-04T09:00:01+00:00' },
  } as unknown as Event;
  canonicalizeEventTimes(ev);
  assert.equal(ev.firstTimestamp, '2026-12-04T09:00:00Z');
  assert.equal(ev.lastTimestamp, null);
  assert.equal(ev.eventTime, '2026-12-04T09:00:00.100000Z');
  assert.equal(ev.series?.lastObservedTime, '2026-12-04T09:00:01.000000Z');
});
