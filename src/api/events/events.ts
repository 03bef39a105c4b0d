/**
 * events.k8s.io/v1 — the Events API group, served under
 * /apis/events.k8s.io/v1 (kube-apiserver's `pkg/apis/events`, whose storage
 * is `pkg/registry/core/event`'s).
 *
 * Owns: the table of the group's kinds. Its one kind, Event, is the core
 * Event seen through this version's field names: it shares the core events
 * storage (Kind.storage), so an Event written through either API is read,
 * listed and watched through both, with one resourceVersion.
 */
import type { ApiGroup } from '../kind.ts';
import { eventsV1EventKind } from './event/event.ts';

export const eventsGroup: ApiGroup = {
  name: 'events.k8s.io',
  version: 'v1',
  kinds: [eventsV1EventKind],
};
