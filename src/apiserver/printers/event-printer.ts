/**
 * core/v1 Event columns, ported from `printEvent` in kubernetes
 * `pkg/printers/internalversion/printers.go`. The server always prints the
 * wide set; kubectl hides the priority-1 columns unless `-o wide`.
 */
import type { Event } from 'kubernetes-types/core/v1.js';
import { docs } from './column-docs.ts';
import { translateTimestampSince } from './human-duration.ts';
import { column, type Printer } from './table.ts';

export const eventColumns = [
  column('Last Seen', 'string', docs.eventLastTimestamp),
  column('Type', 'string', docs.eventType),
  column('Reason', 'string', docs.eventReason),
  column('Object', 'string', docs.eventInvolvedObject),
  column('Subobject', 'string', docs.eventFieldPath, { priority: 1 }),
  column('Source', 'string', docs.eventSource, { priority: 1 }),
  column('Message', 'string', docs.eventMessage),
  column('First Seen', 'string', docs.eventFirstTimestamp, { priority: 1 }),
  column('Count', 'string', docs.eventCount, { priority: 1 }),
  column('Name', 'string', docs.name, { priority: 1, format: 'name' }),
];

/**
 * `formatEventSource`: `component, host`, falling back to the reporting
 * controller and instance that events.k8s.io/v1 writers fill instead.
 */
export function formatEventSource(event: Event): string {
  const component = event.source?.component || event.reportingComponent || '';
  const instance = event.source?.host || event.reportingInstance || '';
  return instance ? `${component}, ${instance}` : component;
}

export const eventPrinter: Printer = {
  columns: eventColumns,
  cells(obj, now) {
    const event = obj as Event;
    let firstSeen = translateTimestampSince(event.firstTimestamp, now);
    if (firstSeen === '<unknown>') firstSeen = translateTimestampSince(event.eventTime, now);
    let lastSeen = translateTimestampSince(event.lastTimestamp, now);
    if (lastSeen === '<unknown>') lastSeen = firstSeen;
    let count = event.count ?? 0;
    if (event.series) {
      lastSeen = translateTimestampSince(event.series.lastObservedTime, now);
      count = event.series.count ?? 0;
    } else if (count === 0) {
      // Singleton events don't have a count set in the new API.
      count = 1;
    }
    const kind = (event.involvedObject?.kind ?? '').toLowerCase();
    const name = event.involvedObject?.name ?? '';
    const target = name ? `${kind}/${name}` : kind;
    return [
      lastSeen,
      event.type ?? '',
      event.reason ?? '',
      target,
      event.involvedObject?.fieldPath ?? '',
      formatEventSource(event),
      (event.message ?? '').trim(),
      firstSeen,
      count,
      event.metadata?.name ?? '',
    ];
  },
};
