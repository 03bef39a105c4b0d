import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalMicroTime, canonicalTime, canonicalizeTimes } from './canonical-times.ts';

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

test('canonicalizeTimes rewrites Time and MicroTime fields by the schema and leaves other strings and nulls', () => {
  const ev: Record<string, any> = {
    metadata: { name: 'e', creationTimestamp: '2026-12-04T10:00:00+01:00' },
    message: '2026-12-04T10:00:00+01:00',
    firstTimestamp: '2026-12-04T10:00:00+01:00',
    lastTimestamp: null,
    eventTime: '2026-12-04T09:00:00.1+00:00',
    series: { count: 2, lastObservedTime: '2026-12-04T09:00:01+00:00' },
  };
  canonicalizeTimes('Event', ev);
  assert.equal(ev.metadata.creationTimestamp, '2026-12-04T09:00:00Z');
  assert.equal(ev.message, '2026-12-04T10:00:00+01:00');
  assert.equal(ev.firstTimestamp, '2026-12-04T09:00:00Z');
  assert.equal(ev.lastTimestamp, null);
  assert.equal(ev.eventTime, '2026-12-04T09:00:00.100000Z');
  assert.equal(ev.series.lastObservedTime, '2026-12-04T09:00:01.000000Z');
  const pod: Record<string, any> = { status: { conditions: [{ type: 'X', status: 'True', lastTransitionTime: '2026-12-04T09:00:00.5+00:00' }] } };
  canonicalizeTimes('Pod', pod);
  assert.equal(pod.status.conditions[0].lastTransitionTime, '2026-12-04T09:00:00Z');
});
