/**
 * Storage rules for events.k8s.io/v1 Events. kube-apiserver serves them from
 * the core Event storage (`pkg/registry/core/event`): the objects are core
 * Events, so defaulting and the legacy checks are core/v1's, applied to the
 * converted object, and errors name the internal (core) fields. What differs
 * by request version is validation: `ValidateEventCreate`/`ValidateEventUpdate`
 * add the strict checks for events.k8s.io/v1 (pkg/apis/core/validation/events.go).
 */
import { isDeepStrictEqual } from 'node:util';
import type { Event } from 'kubernetes-types/events/v1.js';
import type { FieldError } from '../../field-error.ts';
import type { Strategy } from '../../kind.ts';
import type { Stored } from '../../types.ts';
import { validateEvent } from '../../validation/validation.ts';
import { invalid, obj, required, str } from '../../validation/field-errors.ts';
import { validateObjectMeta, validateObjectMetaUpdate } from '../../validation/object-meta.ts';
import { nameIsDNSSubdomain } from '../../validation/string-formats.ts';
import { eventFromCore, eventToCore } from './event-conversion.ts';
import { referenceFieldNames, referenceFieldValues } from '../../core/event/reference-fields.ts';

type Obj = Record<string, unknown>;

const immutableMessage = 'field is immutable';

/** `validateV1EventSeries`, on the core object. */
function validateSeries(core: Obj): FieldError[] {
  const series = core.series as Obj | undefined | null;
  if (!series) return [];
  const errs: FieldError[] = [];
  if (typeof series.count !== 'number' || series.count < 2) errs.push(invalid('series.count', '', 'should be at least 2'));
  if (!series.lastObservedTime) errs.push(required('series.lastObservedTime'));
  return errs;
}

/** `ValidateEventCreate` for an events.k8s.io/v1 request. */
export function validateEventsV1Create(event: Obj): FieldError[] {
  const core = eventToCore(event) as Obj;
  const errs = validateEvent(core);
  errs.push(...validateObjectMeta(core.metadata, true, nameIsDNSSubdomain, 'metadata'));
  errs.push(...validateSeries(core));
  if (!core.eventTime) errs.push(required('eventTime'));
  const type = str(core.type);
  if (type !== 'Normal' && type !== 'Warning') errs.push(invalid('type', '', `has invalid value: ${type}`));
  if (core.firstTimestamp) errs.push(invalid('firstTimestamp', '', 'needs to be unset'));
  if (core.lastTimestamp) errs.push(invalid('lastTimestamp', '', 'needs to be unset'));
  if (core.count) errs.push(invalid('count', '', 'needs to be unset'));
  const source = obj(core.source);
  if (str(source.component) || str(source.host)) errs.push(invalid('source', '', 'needs to be unset'));
  return errs;
}

/** `ValidateEventUpdate` for an events.k8s.io/v1 request. */
export function validateEventsV1Update(event: Obj, oldEvent: Obj): FieldError[] {
  const core = eventToCore(event) as Obj;
  const old = eventToCore(oldEvent) as Obj;
  const errs = validateEvent(core);
  errs.push(...validateObjectMetaUpdate(core.metadata, old.metadata, 'metadata'));
  if (!isDeepStrictEqual(core.series, old.series)) errs.push(...validateSeries(core));
  // Upstream's list, reason twice included.
  const immutable = ['involvedObject', 'reason', 'message', 'source', 'firstTimestamp', 'lastTimestamp', 'count', 'reason', 'type', 'eventTime', 'action', 'related', 'reportingComponent', 'reportingInstance'];
  for (const f of immutable) {
    if (isDeepStrictEqual(core[f], old[f])) continue;
    // The internal field of core/v1's reportingComponent is ReportingController.
    errs.push(invalid(f === 'reportingComponent' ? 'reportingController' : f, core[f] ?? '', immutableMessage));
  }
  return errs;
}

/** Replaces `event`'s content by its normal form (what decoding and encoding the versioned struct leaves). */
function normalize(event: Obj): void {
  const normal = eventFromCore(eventToCore(event)) as Obj;
  for (const k of Object.keys(event)) delete event[k];
  Object.assign(event, normal);
}

/**
 * Field selectors: events.k8s.io/v1's field label conversion accepts the
 * subject as `regarding.*` and the reporter as `reportingController`; core's
 * `involvedObject.*`, `reportingComponent` and `source` are refused.
 */
export const eventsV1EventStrategy: Strategy<Event> = {
  selectableFields: [...referenceFieldNames('regarding'), 'reason', 'reportingController', 'type'],
  fields: (ev: Stored<Event>) => ({
    ...referenceFieldValues('regarding', ev.regarding),
    reason: ev.reason ?? '',
    reportingController: ev.reportingController ?? '',
    type: ev.type ?? '',
  }),
  prepareForCreate: (ev) => normalize(ev as unknown as Obj),
  validate: (ev) => validateEventsV1Create(ev as unknown as Obj),
  prepareForUpdate: (ev) => normalize(ev as unknown as Obj),
  validateUpdate: (ev, old) => validateEventsV1Update(ev as unknown as Obj, old as unknown as Obj),
};
