import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultTypesDir, packageTypes } from '../../validation/schema/generate-schema.ts';
import { eventsV1Schema } from './event-schema.ts';

test('the events.k8s.io/v1 decoding schema has the fields kubernetes-types declares for Event and EventSeries', () => {
  const declared = packageTypes(defaultTypesDir)['events/v1'];
  for (const type of ['Event', 'EventSeries']) {
    const sorted = Object.fromEntries(Object.entries(declared[type]).sort(([a], [b]) => (a < b ? -1 : 1)));
    assert.deepEqual(eventsV1Schema[type], sorted, type);
  }
});
