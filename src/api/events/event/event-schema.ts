/**
 * The decoding schema of events.k8s.io/v1 Event: core/v1's schema with
 * `Event` (and `EventSeries`) as events.k8s.io/v1 declares them
 * (kubernetes-types events/v1). The generated schema is keyed by bare type
 * name and holds core/v1's Event; this one replaces that entry for requests
 * to events.k8s.io, so type errors and unknown fields are judged against
 * the fields this version has.
 */
import type { Schema } from '../../validation/schema/generate-schema.ts';
import { coreV1Schema } from '../../validation/schema/core-v1-schema.ts';

export const eventsV1Schema: Schema = {
  ...coreV1Schema,
  Event: {
    action: 's',
    apiVersion: 's',
    deprecatedCount: 'n',
    deprecatedFirstTimestamp: 't',
    deprecatedLastTimestamp: 't',
    deprecatedSource: 'EventSource',
    eventTime: 't',
    kind: 's',
    metadata: 'ObjectMeta',
    note: 's',
    reason: 's',
    regarding: 'ObjectReference',
    related: 'ObjectReference',
    reportingController: 's',
    reportingInstance: 's',
    series: 'EventSeries',
    type: 's',
  },
  EventSeries: { count: 'n', lastObservedTime: 't' },
};
