import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eventStrategy } from './event-strategy.ts';
import { eventsV1EventStrategy } from '../../events/event/event-strategy.ts';

test('both Event versions select on every field of their object reference, in upstream order', () => {
  assert.deepEqual(eventStrategy.selectableFields.slice(0, 7), [
    'involvedObject.kind',
    'involvedObject.namespace',
    'involvedObject.name',
    'involvedObject.uid',
    'involvedObject.apiVersion',
    'involvedObject.resourceVersion',
    'involvedObject.fieldPath',
  ]);
  assert.deepEqual(eventsV1EventStrategy.selectableFields, [
    'regarding.kind',
    'regarding.namespace',
    'regarding.name',
    'regarding.uid',
    'regarding.apiVersion',
    'regarding.resourceVersion',
    'regarding.fieldPath',
    'reason',
    'reportingController',
    'type',
  ]);
  const fields = eventStrategy.fields({ metadata: { name: 'e' }, involvedObject: { kind: 'Pod', name: 'p' }, source: { component: 'kubelet' } });
  assert.equal(fields['involvedObject.kind'], 'Pod');
  assert.equal(fields['involvedObject.uid'], '');
  assert.equal(fields.source, 'kubelet');
  const v1 = eventsV1EventStrategy.fields({ metadata: { name: 'e' }, eventTime: '2026-01-01T00:00:00.000000Z', regarding: { name: 'p', fieldPath: 'spec' } });
  assert.deepEqual([v1['regarding.name'], v1['regarding.fieldPath'], v1['regarding.kind'], v1.type], ['p', 'spec', '', '']);
});
