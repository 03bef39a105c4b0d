import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eventFromCore, eventToCore } from './event-conversion.ts';

const core = {
  kind: 'Event',
  apiVersion: 'v1',
  metadata: { name: 'web.1', namespace: 'default' },
  involvedObject: { kind: 'Pod', namespace: 'default', name: 'web', uid: 'u1', apiVersion: 'v1', fieldPath: 'spec.containers{c}' },
  reason: 'Pulled',
  message: 'Container image "busybox" already present on machine',
  source: { component: 'kubelet', host: 'node1' },
  firstTimestamp: '2026-01-01T00:00:00Z',
  lastTimestamp: '2026-01-01T00:00:05Z',
  count: 2,
  type: 'Normal',
  eventTime: null,
  reportingComponent: 'kubelet',
  reportingInstance: 'node1',
};

test('eventFromCore renames the core fields as events.k8s.io/v1 names them, in its field order', () => {
  const v1 = eventFromCore(core);
  assert.deepEqual(Object.keys(v1), [
    'kind',
    'apiVersion',
    'metadata',
    'eventTime',
    'reportingController',
    'reportingInstance',
    'reason',
    'regarding',
    'note',
    'type',
    'deprecatedSource',
    'deprecatedFirstTimestamp',
    'deprecatedLastTimestamp',
    'deprecatedCount',
  ]);
  assert.equal(v1.apiVersion, 'events.k8s.io/v1');
  assert.equal(v1.note, core.message);
  assert.equal(v1.reportingController, 'kubelet');
  assert.deepEqual(v1.regarding, core.involvedObject);
  assert.deepEqual(v1.deprecatedSource, core.source);
  assert.equal(v1.deprecatedCount, 2);
  assert.equal(v1.deprecatedLastTimestamp, core.lastTimestamp);
});

test('eventToCore and eventFromCore are inverse for a core event as the API stores it', () => {
  assert.deepEqual(eventToCore(eventFromCore(core)), core);
});

test('eventFromCore writes zero struct fields as Go does and omits empty omitempty ones', () => {
  const v1 = eventFromCore({ metadata: { name: 'x' }, reportingComponent: '', reportingInstance: '' });
  assert.deepEqual(v1, {
    kind: 'Event',
    apiVersion: 'events.k8s.io/v1',
    metadata: { name: 'x' },
    eventTime: null,
    regarding: {},
    deprecatedSource: {},
    deprecatedFirstTimestamp: null,
    deprecatedLastTimestamp: null,
  });
});

test('eventToCore maps series, related and action through and drops fields neither version has', () => {
  const c = eventToCore({
    metadata: { name: 'x' },
    eventTime: '2026-01-01T00:00:00.000000Z',
    series: { count: 3, lastObservedTime: '2026-01-01T00:01:00.000000Z' },
    related: { kind: 'Node', name: 'n' },
    action: 'Binding',
    reportingController: 'default-scheduler',
    reportingInstance: 'default-scheduler-n',
    bogus: 1,
  } as Record<string, unknown>);
  assert.deepEqual(c.series, { count: 3, lastObservedTime: '2026-01-01T00:01:00.000000Z' });
  assert.deepEqual(c.related, { kind: 'Node', name: 'n' });
  assert.equal(c.action, 'Binding');
  assert.equal(c.reportingComponent, 'default-scheduler');
  assert.equal((c as Record<string, unknown>).bogus, undefined);
  assert.deepEqual(c.source, {});
  assert.equal(c.firstTimestamp, null);
});
