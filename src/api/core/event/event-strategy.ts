/** Storage rules for core/v1 Events (kube-apiserver `pkg/registry/core/event`). */
import { defaultEvent } from '../../defaults/defaults.ts';
import { validateEvent } from '../../validation/validation.ts';
import type { Event } from 'kubernetes-types/core/v1.js';
import type { Strategy } from '../../kind.ts';
import { referenceFieldNames, referenceFieldValues } from './reference-fields.ts';

export const eventStrategy: Strategy<Event> = {
  selectableFields: [...referenceFieldNames('involvedObject'), 'reason', 'reportingComponent', 'source', 'type'],
  fields: (ev) => ({
    ...referenceFieldValues('involvedObject', ev.involvedObject),
    reason: ev.reason ?? '',
    reportingComponent: ev.reportingComponent ?? '',
    source: ev.source?.component ?? '',
    type: ev.type ?? '',
  }),
  prepareForCreate: (ev) => defaultEvent(ev),
  validate: (ev) => validateEvent(ev),
  prepareForUpdate: (ev) => defaultEvent(ev),
  validateUpdate: (ev) => validateEvent(ev),
};
