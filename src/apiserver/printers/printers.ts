/**
 * printers — server-side Table output for `kubectl get`.
 *
 * Owns: the columns and cells of every kind berth serves (Pod, Event,
 * Namespace, ConfigMap, Secret, Node, and a Name/Age fallback), the
 * `meta.k8s.io/v1` Table body, and the elapsed-time strings in them. Ported
 * from kubernetes `pkg/printers/internalversion/printers.go`; kubectl has no
 * built-in columns, so STATUS strings such as `Init:0/2` exist only here.
 *
 * Does not own: content negotiation (`as=Table` in Accept), list/watch
 * framing or which objects are listed — the apiserver's verb handlers decide
 * those and call `buildTable`.
 *
 * State: none. Pure functions; the clock is the `now` argument (ms since the
 * epoch). Timers: none.
 */
import { eventPrinter } from './event-printer.ts';
import { nodePrinter } from './node-printer.ts';
import { configMapPrinter, genericPrinter, namespacePrinter, secretPrinter } from './object-printers.ts';
import { podPrinter } from './pod-printer.ts';
import { tableFromPrinter, type BuildTableOptions, type Printer, type TableBody } from './table.ts';

const byKind: Record<string, Printer> = {
  Pod: podPrinter,
  Event: eventPrinter,
  Namespace: namespacePrinter,
  ConfigMap: configMapPrinter,
  Secret: secretPrinter,
  Node: nodePrinter,
};

/** The printer for a Kind (`Pod`, `Event`, …); unknown kinds get Name/Age. */
export function printerFor(kind: string): Printer {
  return Object.hasOwn(byKind, kind) ? byKind[kind] : genericPrinter;
}

/**
 * The Table body for `objects` of `kind`, as kube-apiserver answers a request
 * with `Accept: application/json;as=Table;v=v1;g=meta.k8s.io`. For a single
 * object pass a one-element array and that object's resourceVersion.
 */
export function buildTable(kind: string, objects: readonly unknown[], opts: BuildTableOptions): TableBody {
  return tableFromPrinter(printerFor(kind), objects, opts);
}
