/**
 * core/v1 Event columns, ported from `printEvent` in kubernetes
 * `pkg/printers/internalversion/printers.go`. The server always prints the
 * wide set; kubectl hides the priority-1 columns unless `-o wide`.
 */
import type { Event } from 'kubernetes-types/core/v1.js';
import { translateTimestampSince } from '../../printers/human-duration.ts';
import { column, type Printer } from '../../printers/table.ts';
import { docs as sharedDocs } from '../../printers/column-docs.ts';

/** Column descriptions: the swagger docs of the fields the columns show. */
const docs = {
  eventLastTimestamp: 'The time at which the most recent occurrence of this event was recorded.',
  eventFirstTimestamp: 'The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)',
  eventCount: 'The number of times this event has occurred.',
  eventType: 'Type of this event (Normal, Warning), new types could be added in the future',
  eventReason: "This should be a short, machine understandable string that gives the reason for the transition into the object's current status.",
  eventInvolvedObject: 'The object that this event is about.',
  eventFieldPath: 'If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement, such as desiredState.manifest.containers[2]. For example, if the object reference is to a container within a pod, this would take on a value like: "spec.containers{name}" (where "name" refers to the name of the container that triggered the event) or if no container name is specified "spec.containers[2]" (container with index 2 in this pod). This syntax is chosen only to have some well-defined way of referencing a part of an object.',
  eventSource: 'The component reporting this event. Should be a short machine understandable string.',
  eventMessage: 'A human-readable description of the status of this operation.',
};


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
  column('Name', 'string', sharedDocs.name, { priority: 1, format: 'name' }),
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
