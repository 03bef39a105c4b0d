/**
 * The `meta.k8s.io/v1` Table wire shape and the one function that assembles
 * it from a printer's cells. kubectl has no built-in columns; whatever this
 * produces is what `kubectl get` shows.
 */
import type { ObjectMeta } from 'kubernetes-types/meta/v1.js';
import { docs } from './column-docs.ts';

export interface TableColumnDefinition {
  name: string;
  /** OpenAPI type: `string`, `integer`, `number`, `boolean`, `date`. */
  type: string;
  /** `name` marks the column kubectl uses for `-o name`-like output; else ''. */
  format: string;
  description: string;
  /** 0 for default columns, 1 for the ones `-o wide` adds. */
  priority: number;
}

/** `metav1.TableRowCondition`; the server marks terminal pods `Completed`. */
export interface TableRowCondition {
  type: 'Completed';
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
}

export interface PartialObjectMetadata {
  kind: 'PartialObjectMetadata';
  apiVersion: 'meta.k8s.io/v1';
  metadata: ObjectMeta;
}

export interface TableRow {
  cells: unknown[];
  conditions?: TableRowCondition[];
  object?: unknown;
}

export interface TableBody {
  kind: 'Table';
  apiVersion: 'meta.k8s.io/v1';
  metadata: { resourceVersion?: string; continue?: string; remainingItemCount?: number };
  columnDefinitions: TableColumnDefinition[];
  rows: TableRow[];
}

/** `includeObject` query parameter values. */
export type IncludeObject = 'None' | 'Metadata' | 'Object';

/** Turns one object into table cells; `now` is injected (ms since epoch). */
export interface Printer {
  columns: TableColumnDefinition[];
  cells(obj: unknown, now: number): unknown[];
  /** Row conditions, where the kind has any (terminal pods). */
  conditions?(obj: unknown): TableRowCondition[] | undefined;
}

export interface BuildTableOptions {
  now: number;
  includeObject: IncludeObject;
  /** The list's (or single object's) resourceVersion. */
  resourceVersion?: string;
  /**
   * Whether to send column definitions. Watch events after the first may
   * leave them out: kubectl takes the header from the list response.
   */
  columnDefinitions?: boolean;
}

export function column(
  name: string,
  type: string,
  description: string,
  extra: { format?: string; priority?: number } = {},
): TableColumnDefinition {
  return { name, type, format: extra.format ?? '', description, priority: extra.priority ?? 0 };
}

function rowObject(obj: unknown, includeObject: IncludeObject): unknown {
  if (includeObject === 'Object') return obj;
  const metadata = (obj as { metadata?: ObjectMeta } | null)?.metadata ?? {};
  const partial: PartialObjectMetadata = { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata };
  return partial;
}

/** Assembles a Table for `objects` with `printer`; rows keep the input order. */
export function tableFromPrinter(printer: Printer, objects: readonly unknown[], opts: BuildTableOptions): TableBody {
  const rows = objects.map((obj): TableRow => {
    const row: TableRow = { cells: printer.cells(obj, opts.now) };
    const conditions = printer.conditions?.(obj);
    if (conditions) row.conditions = conditions;
    if (opts.includeObject !== 'None') row.object = rowObject(obj, opts.includeObject);
    return row;
  });
  const metadata: TableBody['metadata'] = {};
  if (opts.resourceVersion !== undefined) metadata.resourceVersion = opts.resourceVersion;
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata,
    columnDefinitions: opts.columnDefinitions === false ? [] : printer.columns,
    rows,
  };
}

/** An object's metadata, or an empty one. */
export function metaOf(obj: unknown): ObjectMeta {
  return (obj as { metadata?: ObjectMeta } | null)?.metadata ?? {};
}

/** The Name column every kind's table starts with. */
export const nameColumn = column('Name', 'string', docs.name, { format: 'name' });

/** The Age column (from metadata.creationTimestamp). */
export const ageColumn = column('Age', 'string', docs.creationTimestamp);
