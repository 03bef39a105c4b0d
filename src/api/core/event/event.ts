/** core/v1 Event: its names and capabilities, storage rules and Table columns. */
import type { Event } from 'kubernetes-types/core/v1.js';
import type { Kind } from '../../kind.ts';
import { eventPrinter } from './event-printer.ts';
import { eventStrategy } from './event-strategy.ts';

export const eventKind: Kind<Event> = {
  info: {
    group: '',
    version: 'v1',
    resource: 'events',
    singular: 'event',
    kind: 'Event',
    listKind: 'EventList',
    namespaced: true,
    shortNames: ['ev'],
    categories: [],
    verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
    subresources: [],
  },
  strategy: eventStrategy,
  printer: eventPrinter,
};
