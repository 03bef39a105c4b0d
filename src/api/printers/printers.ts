/**
 * printers — server-side Table output for `kubectl get`.
 *
 * Owns: the `meta.k8s.io/v1` Table body (table.ts), the columns every kind
 * shares (Name, Age), the elapsed-time strings in cells (human-duration.ts)
 * and the Name/Age fallback for kinds without a printer. Ported from
 * kubernetes `pkg/printers/internalversion/printers.go`; kubectl has no
 * built-in columns, so STATUS strings such as `Init:0/2` exist only here.
 *
 * Does not own: each kind's columns (api/<group>/<kind>/<kind>-printer.ts,
 * named by its Kind declaration), content negotiation (`as=Table` in Accept),
 * list/watch framing or which objects are listed — the apiserver's verb
 * handlers decide those and call `buildTable`.
 *
 * State: none. Pure functions; the clock is the `now` argument (ms since the
 * epoch). Timers: none.
 */
import { genericPrinter } from './generic-printer.ts';
import { tableFromPrinter, type BuildTableOptions, type Printer, type TableBody } from './table.ts';

/**
 * The Table body for `objects` printed by `printer` (Name/Age when the kind
 * has none), as kube-apiserver answers a request with
 * `Accept: application/json;as=Table;v=v1;g=meta.k8s.io`. For a single
 * object pass a one-element array and that object's resourceVersion.
 */
export function buildTable(printer: Printer | undefined, objects: readonly unknown[], opts: BuildTableOptions): TableBody {
  return tableFromPrinter(printer ?? genericPrinter, objects, opts);
}
