/**
 * events.k8s.io/v1 Event columns: kube-apiserver prints both versions from
 * the one internal type, so these are core/v1's (`printEvent`) over the
 * converted object.
 */
import type { Printer } from '../../printers/table.ts';
import { eventPrinter } from '../../core/event/event-printer.ts';
import { eventToCore } from './event-conversion.ts';

export const eventsV1EventPrinter: Printer = {
  columns: eventPrinter.columns,
  cells: (obj, now) => eventPrinter.cells(eventToCore(obj as Record<string, unknown>), now),
};
