/**
 * What `berth play` shows while it waits, in kubectl's own formats so it
 * reads like the two watches side by side:
 *   - pod rows as `kubectl get pods -w` prints them (the server's Table
 *     columns, priority 0, upper-cased headers);
 *   - event rows as `kubectl get events -w` prints them;
 *   - container log lines as `kubectl logs --prefix` prints them:
 *     `[pod/NAME/CONTAINER] line`.
 * Each table prints its header before its first row. Columns are padded to
 * the widest cell seen so far, three spaces apart, as kubectl's tabwriter.
 *
 * State: per-table column widths and whether the header went out.
 */

export interface TableColumn {
  name: string;
  priority?: number;
}

export class TableLines {
  #headers: string[] | undefined;
  #keep: number[] = [];
  #widths: number[] = [];
  #headerPrinted = false;
  #write: (line: string) => void;

  constructor(write: (line: string) => void) {
    this.#write = write;
  }

  /** Sets the columns (from the first Table's columnDefinitions); later calls are ignored. */
  columns(defs: TableColumn[]): void {
    if (this.#headers) return;
    this.#keep = defs.map((d, i) => ((d.priority ?? 0) === 0 ? i : -1)).filter((i) => i >= 0);
    this.#headers = this.#keep.map((i) => defs[i].name.toUpperCase());
    this.#widths = this.#headers.map((h) => h.length);
  }

  get hasColumns(): boolean {
    return this.#headers !== undefined;
  }

  #format(cells: string[]): string {
    return cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(this.#widths[i])))
      .join('   ')
      .trimEnd();
  }

  row(rawCells: unknown[]): void {
    if (!this.#headers) return;
    const cells = this.#keep.map((i) => cellText(rawCells[i]));
    cells.forEach((c, i) => (this.#widths[i] = Math.max(this.#widths[i], c.length)));
    if (!this.#headerPrinted) {
      this.#headerPrinted = true;
      this.#write(this.#format(this.#headers));
    }
    this.#write(this.#format(cells));
  }
}

/** kubectl's rendering of a Table cell. */
export function cellText(v: unknown): string {
  if (v === null || v === undefined) return '<none>';
  if (typeof v === 'string') return v.replace(/\s*\n\s*/g, ' ');
  return String(v);
}

/** `kubectl logs --prefix`. */
export function logLine(pod: string, container: string, line: string): string {
  return `[pod/${pod}/${container}] ${line}`;
}

/** Seconds with one decimal: `8.1 s`. */
export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
