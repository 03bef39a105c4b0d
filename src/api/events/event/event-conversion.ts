/**
 * events.k8s.io/v1 Event ⇄ core/v1 Event, as kube-apiserver converts them
 * through the internal type (`pkg/apis/events/v1/conversion.go` and the
 * generated conversions): regarding ⇄ involvedObject, note ⇄ message,
 * reportingController ⇄ reportingComponent, deprecatedSource ⇄ source,
 * deprecatedFirstTimestamp/deprecatedLastTimestamp/deprecatedCount ⇄
 * firstTimestamp/lastTimestamp/count; metadata, eventTime, series, action,
 * reason, related, reportingInstance and type are the same fields.
 *
 * Both directions build the object the way Go's encoding/json writes the
 * versioned struct: fields in declaration order, struct-typed fields always
 * present (`{}` or `null` for a zero time), omitempty fields dropped when
 * empty, unknown fields gone (decoding never kept them).
 */
import type { Event as CoreEvent } from 'kubernetes-types/core/v1.js';
import type { Event as EventsEvent } from 'kubernetes-types/events/v1.js';

type Obj = Record<string, unknown>;

export const eventsApiVersion = 'events.k8s.io/v1';

/** Sets `key` when `v` is not Go's zero value for an omitempty field. */
function omitEmpty(out: Obj, key: string, v: unknown): void {
  if (v === undefined || v === null || v === '' || v === 0) return;
  out[key] = v;
}

const orNull = (v: unknown) => v ?? null;
const orEmpty = (v: unknown) => (v && typeof v === 'object' ? v : {});

/** core/v1 → events.k8s.io/v1. */
export function eventFromCore(core: CoreEvent | Obj): EventsEvent & Obj {
  const c = core as Obj;
  const out: Obj = { kind: 'Event', apiVersion: eventsApiVersion, metadata: c.metadata ?? {} };
  out.eventTime = orNull(c.eventTime);
  omitEmpty(out, 'series', c.series);
  omitEmpty(out, 'reportingController', c.reportingComponent);
  omitEmpty(out, 'reportingInstance', c.reportingInstance);
  omitEmpty(out, 'action', c.action);
  omitEmpty(out, 'reason', c.reason);
  out.regarding = orEmpty(c.involvedObject);
  omitEmpty(out, 'related', c.related);
  omitEmpty(out, 'note', c.message);
  omitEmpty(out, 'type', c.type);
  out.deprecatedSource = orEmpty(c.source);
  out.deprecatedFirstTimestamp = orNull(c.firstTimestamp);
  out.deprecatedLastTimestamp = orNull(c.lastTimestamp);
  omitEmpty(out, 'deprecatedCount', c.count);
  return out as EventsEvent & Obj;
}

/** events.k8s.io/v1 → core/v1. */
export function eventToCore(event: EventsEvent | Obj): CoreEvent & Obj {
  const e = event as Obj;
  const out: Obj = { kind: 'Event', apiVersion: 'v1', metadata: e.metadata ?? {} };
  out.involvedObject = orEmpty(e.regarding);
  omitEmpty(out, 'reason', e.reason);
  omitEmpty(out, 'message', e.note);
  out.source = orEmpty(e.deprecatedSource);
  out.firstTimestamp = orNull(e.deprecatedFirstTimestamp);
  out.lastTimestamp = orNull(e.deprecatedLastTimestamp);
  omitEmpty(out, 'count', e.deprecatedCount);
  omitEmpty(out, 'type', e.type);
  out.eventTime = orNull(e.eventTime);
  omitEmpty(out, 'series', e.series);
  omitEmpty(out, 'action', e.action);
  omitEmpty(out, 'related', e.related);
  out.reportingComponent = typeof e.reportingController === 'string' ? e.reportingController : '';
  out.reportingInstance = typeof e.reportingInstance === 'string' ? e.reportingInstance : '';
  return out as CoreEvent & Obj;
}
