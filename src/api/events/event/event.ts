/**
 * events.k8s.io/v1 Event: its names, storage rules and Table columns. The
 * objects are core Events (kube-apiserver stores both versions under
 * /registry/events): this kind shares the core events storage and sees it
 * through events.k8s.io/v1's field names (event-conversion.ts).
 */
import type { Event } from 'kubernetes-types/events/v1.js';
import type { Kind } from '../../kind.ts';
import { eventFromCore, eventToCore } from './event-conversion.ts';
import { eventsV1EventPrinter } from './event-printer.ts';
import { eventsV1Schema } from './event-schema.ts';
import { eventsV1EventStrategy } from './event-strategy.ts';

export const eventsV1EventKind: Kind<Event> = {
  info: {
    group: 'events.k8s.io',
    version: 'v1',
    resource: 'events',
    singular: 'event',
    kind: 'Event',
    listKind: 'EventList',
    namespaced: true,
    // `ev` is core's; kube-apiserver gives this version none.
    shortNames: [],
    categories: [],
    verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
    subresources: [],
  },
  strategy: eventsV1EventStrategy,
  printer: eventsV1EventPrinter,
  schema: eventsV1Schema,
  storage: { group: '', resource: 'events', toStorage: eventToCore, fromStorage: eventFromCore },
};
