import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderFieldError } from '../../field-error.ts';
import { validateEventsV1Create, validateEventsV1Update } from './event-strategy.ts';

const valid = {
  metadata: { name: 'web.1', namespace: 'default' },
  eventTime: '2026-01-01T00:00:00.000000Z',
  reportingController: 'example.com/controller',
  reportingInstance: 'controller-1',
  action: 'Scale',
  reason: 'Scaled',
  regarding: { kind: 'Pod', namespace: 'default', name: 'web' },
  note: 'scaled',
  type: 'Normal',
};

const messages = (errs: ReturnType<typeof validateEventsV1Create>) => errs.map(renderFieldError);

test('validateEventsV1Create accepts a complete new-style event', () => {
  assert.deepEqual(messages(validateEventsV1Create(structuredClone(valid))), []);
});

test('validateEventsV1Create requires eventTime and the reporting fields, and a Normal or Warning type', () => {
  const errs = messages(validateEventsV1Create({ metadata: { name: 'e', namespace: 'default' }, regarding: { namespace: 'default' }, type: 'Fatal' }));
  assert.deepEqual(errs, ['eventTime: Required value', 'type: Invalid value: "": has invalid value: Fatal']);
  const noReporter = messages(validateEventsV1Create({ ...structuredClone(valid), reportingController: '', reportingInstance: '', action: '', reason: '' }));
  assert.deepEqual(noReporter, [
    'reportingController: Required value',
    // IsQualifiedName("") reports as well, as upstream's does.
    'reportingController: Invalid value: "": name part must be non-empty',
    `reportingController: Invalid value: "": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`,
    'reportingInstance: Required value',
    'action: Required value',
    'reason: Required value',
  ]);
});

test('validateEventsV1Create refuses the deprecated fields and a short series, naming the core fields', () => {
  const errs = messages(
    validateEventsV1Create({
      ...structuredClone(valid),
      deprecatedSource: { component: 'kubelet' },
      deprecatedFirstTimestamp: '2026-01-01T00:00:00Z',
      deprecatedLastTimestamp: '2026-01-01T00:00:00Z',
      deprecatedCount: 3,
      series: { count: 1 },
    }),
  );
  assert.deepEqual(errs, [
    'series.count: Invalid value: "": should be at least 2',
    'series.lastObservedTime: Required value',
    'firstTimestamp: Invalid value: "": needs to be unset',
    'lastTimestamp: Invalid value: "": needs to be unset',
    'count: Invalid value: "": needs to be unset',
    'source: Invalid value: "": needs to be unset',
  ]);
});

test('validateEventsV1Update allows a new series but no change to the note', () => {
  const old = { ...structuredClone(valid), metadata: { ...valid.metadata, uid: 'u', resourceVersion: '5' } };
  const series = { ...structuredClone(old), series: { count: 2, lastObservedTime: '2026-01-01T00:01:00.000000Z' } };
  assert.deepEqual(messages(validateEventsV1Update(series, old)), []);
  const changed = { ...structuredClone(old), note: 'other' };
  assert.deepEqual(messages(validateEventsV1Update(changed, old)), ['message: Invalid value: "other": field is immutable']);
});
