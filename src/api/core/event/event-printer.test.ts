import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Event } from 'kubernetes-types/core/v1.js';
import { eventColumns, eventPrinter, formatEventSource } from './event-printer.ts';

const NOW = Date.parse('2025-06-01T12:00:00Z');
const ago = (seconds: number): string => new Date(NOW - seconds * 1000).toISOString();

function event(extra: Partial<Event>): Event {
  return {
    metadata: { name: 'kubia.17f0', namespace: 'default' },
    involvedObject: { kind: 'Pod', name: 'kubia', namespace: 'default', fieldPath: 'spec.containers{kubia}' },
    type: 'Normal',
    reason: 'Pulled',
    message: 'Container image "busybox:1.35" already present on machine\n',
    source: { component: 'kubelet', host: 'node1' },
    ...extra,
  };
}

describe('eventPrinter', () => {
  it('eventPrinter renders last seen, object as kind/name, wide cells and a trimmed message', () => {
    const cells = eventPrinter.cells(event({ firstTimestamp: ago(300), lastTimestamp: ago(12), count: 3 }), NOW);
    assert.deepEqual(cells, [
      '12s',
      'Normal',
      'Pulled',
      'pod/kubia',
      'spec.containers{kubia}',
      'kubelet, node1',
      'Container image "busybox:1.35" already present on machine',
      '5m',
      3,
      'kubia.17f0',
    ]);
  });

  it('eventPrinter falls back to eventTime and count 1 when an events.k8s.io writer left the legacy fields empty', () => {
    const cells = eventPrinter.cells(
      event({ eventTime: ago(40), source: {}, reportingComponent: 'default-scheduler', reportingInstance: 'sched-1' }),
      NOW,
    );
    assert.equal(cells[0], '40s');
    assert.equal(cells[5], 'default-scheduler, sched-1');
    assert.equal(cells[7], '40s');
    assert.equal(cells[8], 1);
  });

  it('eventPrinter takes last seen and count from the series when there is one', () => {
    const cells = eventPrinter.cells(
      event({ firstTimestamp: ago(3600), lastTimestamp: ago(3000), count: 2, series: { count: 9, lastObservedTime: ago(5) } }),
      NOW,
    );
    assert.equal(cells[0], '5s');
    assert.equal(cells[8], 9);
  });

  it('eventPrinter shows only the lowercased kind when the involved object has no name', () => {
    const cells = eventPrinter.cells(event({ involvedObject: { kind: 'Node' }, lastTimestamp: ago(1) }), NOW);
    assert.equal(cells[3], 'node');
  });

  it('eventPrinter shows <unknown> when no timestamp is known', () => {
    const cells = eventPrinter.cells(event({}), NOW);
    assert.equal(cells[0], '<unknown>');
    assert.equal(cells[7], '<unknown>');
  });

  it('eventColumns put Subobject, Source, First Seen, Count and Name at priority 1', () => {
    assert.deepEqual(
      eventColumns.filter((c) => c.priority === 0).map((c) => c.name),
      ['Last Seen', 'Type', 'Reason', 'Object', 'Message'],
    );
    assert.deepEqual(
      eventColumns.filter((c) => c.priority === 1).map((c) => c.name),
      ['Subobject', 'Source', 'First Seen', 'Count', 'Name'],
    );
  });

  it('formatEventSource omits the host when it is empty', () => {
    assert.equal(formatEventSource(event({ source: { component: 'kubelet' } })), 'kubelet');
  });
});
