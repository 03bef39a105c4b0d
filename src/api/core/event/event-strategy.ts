/** Storage rules for core/v1 Events (kube-apiserver `pkg/registry/core/event`). */
import { defaultEvent } from '../../defaults/defaults.ts';
import { validateEvent } from '../../validation/validation.ts';
import type { Event } from 'kubernetes-types/core/v1.js';
import type { Strategy } from '../../kind.ts';

export const eventStrategy: Strategy<Event> = {
  selectableFields: [
    'involvedObject.kind',
    'involvedObject.namespace',
    'involvedObject.name',
    'involvedObject.uid',
    'involvedObject.apiVersion',
    'involvedObject.resourceVersion',
    'involvedObject.fieldPath',
    'reason',
    'reportingComponent',
    'source',
    'type',
  ],
  fields(ev) {
    const io = ev.involvedObject ?? {};
    return {
      'involvedObject.kind': io.kind ?? '',
      'involvedObject.namespace': io.namespace ?? '',
      'involvedObject.name': io.name ?? '',
      'involvedObject.uid': io.uid ?? '',
      'involvedObject.apiVersion': io.apiVersion ?? '',
      'involvedObject.resourceVersion': io.resourceVersion ?? '',
      'involvedObject.fieldPath': io.fieldPath ?? '',
      reason: ev.reason ?? '',
      reportingComponent: ev.reportingComponent ?? '',
      source: ev.source?.component ?? '',
      type: ev.type ?? '',
    };
  },
  prepareForCreate: (ev) => defaultEvent(ev),
  validate: (ev) => validateEvent(ev),
  prepareForUpdate: (ev) => defaultEvent(ev),
  validateUpdate: (ev) => validateEvent(ev),
};
