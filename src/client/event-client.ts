/**
 * Writing core/v1 Events: the part of a client the EventRecorder needs. Its
 * own file so the recorder and the client that re-exports it do not import
 * each other.
 */
import type { Event } from '../api/api.ts';

export interface EventClient {
  create(event: Event): Event;
  /** Updates an existing event (count/lastTimestamp); false if it no longer exists. */
  update(event: Event): boolean;
}
