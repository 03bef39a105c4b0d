/**
 * managed-fields — field ownership (`metadata.managedFields`) and
 * server-side apply, after structured-merge-diff as kube-apiserver uses it.
 *
 * Owns: recording which manager set which fields on every create, update and
 * patch (an Update takes the fields it changed away from everyone else), and
 * server-side apply: merging an applied configuration, refusing (409) to
 * change fields another manager set to a different value unless forced,
 * removing fields the applier set before and no longer applies when no one
 * else owns them, and the FieldsV1 form of the sets.
 *
 * Does not own: deciding who the manager is (the apiserver reads
 * `fieldManager`), defaulting or validating the result (the registry does,
 * after these functions), status writes (they record no ownership here).
 *
 * As kube-apiserver, `kubectl apply --server-side` (manager `kubectl`) may
 * take over fields client-side apply set (the last-applied annotation).
 *
 * Known simplifications: every list not named in list-types.ts is atomic;
 * `.` marks in FieldsV1 follow membership, which may differ in places from
 * what kube-apiserver writes; a null in an applied configuration is ignored.
 *
 * State: none. Pure functions of their arguments (inputs are not modified,
 * except the object handed to recordUpdate, whose managedFields it writes).
 */
import { isDeepStrictEqual } from 'node:util';
import { ApiError } from '../errors.ts';
import { goQuote } from '../go-format.ts';
import { decodableFieldsV1, decodePath, encodePath, fromFieldsV1, isUnder, pathString, toFieldsV1 } from './field-paths.ts';
import { fieldsOf, mergeApplied, removeAt, valueAt } from './object-fields.ts';

type Obj = Record<string, any>;

export interface ManagedFieldsEntry {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  time: string;
  fieldsType: 'FieldsV1';
  fieldsV1: Record<string, unknown>;
  subresource?: string;
}

/**
 * Whether managedFields a client sent decode (fieldmanager's DecodeManagedFields):
 * kube-apiserver keeps the live object's managedFields instead of ones that do not.
 */
export function decodableManagedFields(list: unknown): boolean {
  return Array.isArray(list) && list.every((e) => e !== null && typeof e === 'object' && (e.fieldsV1 === undefined || decodableFieldsV1(e.fieldsV1)));
}

interface Owned {
  entry: ManagedFieldsEntry;
  set: Set<string>;
}

function readOwned(obj: Obj | undefined): Owned[] {
  const list = obj?.metadata?.managedFields;
  if (!Array.isArray(list)) return [];
  return list
    .filter((e: any) => e && typeof e.manager === 'string')
    .map((e: ManagedFieldsEntry) => ({ entry: { ...e }, set: fromFieldsV1(e.fieldsV1) }));
}

function writeOwned(obj: Obj, owned: Owned[]): void {
  const entries = owned.filter((o) => o.set.size > 0).map((o) => ({ ...o.entry, fieldsV1: toFieldsV1(o.set) }));
  obj.metadata ??= {};
  if (entries.length) obj.metadata.managedFields = entries;
  else delete obj.metadata.managedFields;
}

/** Members with nothing below them: the fields whose values are compared. */
function leaves(set: ReadonlySet<string>): Set<string> {
  const prefixes = new Set<string>();
  for (const p of set) {
    const path = decodePath(p);
    for (let i = 1; i < path.length; i++) prefixes.add(encodePath(path.slice(0, i)));
  }
  return new Set([...set].filter((p) => !prefixes.has(p)));
}

function sameSet(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  return a.size === b.size && [...a].every((p) => b.has(p));
}

/**
 * Records an Update by `manager`: `next` (the object about to be stored)
 * gets managedFields in which the manager owns every field it added or
 * changed relative to `prev` (undefined on create), which no one else owns
 * any more. Fields that disappeared are owned by no one.
 */
export function recordUpdate(kind: string, prev: Obj | undefined, next: Obj, manager: string, now: string): void {
  const owned = readOwned(prev);
  const before = prev ? fieldsOf(kind, prev) : new Set<string>();
  const after = fieldsOf(kind, next);
  const leafAfter = leaves(after);
  const changed = new Set<string>();
  for (const p of after) {
    if (!before.has(p)) changed.add(p);
    else if (leafAfter.has(p) && !isDeepStrictEqual(valueAt(prev, decodePath(p)), valueAt(next, decodePath(p)))) changed.add(p);
  }
  for (const o of owned) {
    for (const p of [...o.set]) if (!after.has(p) || changed.has(p)) o.set.delete(p);
  }
  let mine = owned.find((o) => o.entry.manager === manager && o.entry.operation === 'Update' && !o.entry.subresource);
  if (!mine && changed.size) {
    mine = { entry: { manager, operation: 'Update', apiVersion: entryApiVersion(next), time: now, fieldsType: 'FieldsV1', fieldsV1: {} }, set: new Set() };
    owned.push(mine);
  }
  if (mine && changed.size) {
    const grown = new Set([...mine.set, ...changed]);
    if (!sameSet(grown, mine.set)) mine.entry.time = now;
    mine.set = grown;
  }
  writeOwned(next, owned);
}

interface Conflict {
  entry: ManagedFieldsEntry;
  path: string;
}

function printManager(e: ManagedFieldsEntry): string {
  return e.operation === 'Apply' ? `${goQuote(e.manager)} using ${e.apiVersion}` : `${goQuote(e.manager)} using ${e.apiVersion} at ${e.time}`;
}

/** kube-apiserver's NewApplyConflict: 409 with one FieldManagerConflict cause per field. */
function conflictError(conflicts: Conflict[]): ApiError {
  const sorted = [...conflicts].sort((a, b) => (a.entry.manager === b.entry.manager ? (a.path < b.path ? -1 : 1) : a.entry.manager < b.entry.manager ? -1 : 1));
  let message: string;
  if (sorted.length === 1) {
    message = `Apply failed with 1 conflict: conflict with ${printManager(sorted[0].entry)}: ${sorted[0].path}`;
  } else {
    const lines: string[] = [];
    let last: ManagedFieldsEntry | undefined;
    for (const c of sorted) {
      if (c.entry !== last) lines.push(`conflicts with ${printManager(c.entry)}:`);
      last = c.entry;
      lines.push(`- ${c.path}`);
    }
    message = `Apply failed with ${sorted.length} conflicts: ${lines.join('\n')}`;
  }
  return new ApiError(409, 'Conflict', message, {
    causes: sorted.map((c) => ({ reason: 'FieldManagerConflict', message: `conflict with ${printManager(c.entry)}`, field: c.path })),
  });
}

/**
 * kube-apiserver's lastAppliedManager: when `kubectl apply --server-side`
 * takes over an object that client-side apply made, fields that the
 * last-applied-configuration annotation set, and that still hold the value it
 * set, may change hands without a conflict.
 */
function allowedByLastApplied(kind: string, live: Obj, taken: Map<Owned, string[]>): boolean {
  const text = live.metadata?.annotations?.['kubectl.kubernetes.io/last-applied-configuration'];
  if (typeof text !== 'string' || text === '') return false;
  let lastApplied: Obj;
  try {
    lastApplied = JSON.parse(text);
  } catch {
    return false;
  }
  const set = fieldsOf(kind, lastApplied);
  for (const paths of taken.values()) {
    for (const p of paths) {
      const path = decodePath(p);
      if (!set.has(p) || !isDeepStrictEqual(valueAt(lastApplied, path), valueAt(live, path))) return false;
    }
  }
  return true;
}

export interface ApplyOptions {
  manager: string;
  force: boolean;
  /** RFC 3339 time of this operation. */
  now: string;
}

/**
 * Server-side apply of `applied` by `opts.manager` onto `live` (undefined
 * when the object does not exist yet). Returns the object to store, with its
 * managedFields; throws the 409 Conflict when another manager owns a field
 * the configuration sets to a different value and `force` is off.
 */
export function serverSideApply(kind: string, live: Obj | undefined, applied: Obj, opts: ApplyOptions): Obj {
  const appliedSet = fieldsOf(kind, applied);
  const appliedLeaves = leaves(appliedSet);
  const owned = readOwned(live);
  const isMine = (o: Owned) => o.entry.manager === opts.manager && o.entry.operation === 'Apply' && !o.entry.subresource;
  // Fields another manager owns that this apply changes: conflicts, or (forced) taken over.
  const taken = new Map<Owned, string[]>();
  if (live) {
    const conflicts: Conflict[] = [];
    for (const o of owned) {
      if (isMine(o)) continue;
      for (const p of appliedLeaves) {
        if (!o.set.has(p)) continue;
        const path = decodePath(p);
        if (isDeepStrictEqual(valueAt(applied, path), valueAt(live, path))) continue;
        conflicts.push({ entry: o.entry, path: pathString(path) });
        taken.set(o, [...(taken.get(o) ?? []), p]);
      }
    }
    if (conflicts.length && !opts.force && !(opts.manager === 'kubectl' && allowedByLastApplied(kind, live, taken))) {
      throw conflictError(conflicts);
    }
  }

  const merged = live ? mergeApplied(kind, live, applied) : structuredClone(applied);
  let mine = owned.find(isMine);
  const others = owned.filter((o) => o !== mine);
  for (const [o, paths] of taken) for (const p of paths) o.set.delete(p);
  if (mine) {
    // What this manager applied before and applies no more goes, unless someone else owns it.
    const dropped = [...mine.set].filter((p) => !appliedSet.has(p)).sort((a, b) => b.length - a.length);
    for (const p of dropped) {
      const sharedWith = others.some((o) => [...o.set].some((q) => isUnder(q, p)));
      if (!sharedWith) removeAt(merged, decodePath(p));
    }
    if (!sameSet(mine.set, appliedSet)) mine.entry.time = opts.now;
    mine.set = appliedSet;
  } else {
    mine = { entry: { manager: opts.manager, operation: 'Apply', apiVersion: entryApiVersion(applied, live), time: opts.now, fieldsType: 'FieldsV1', fieldsV1: {} }, set: appliedSet };
    owned.push(mine);
  }
  const present = fieldsOf(kind, merged);
  for (const o of owned) for (const p of [...o.set]) if (!present.has(p)) o.set.delete(p);
  writeOwned(merged, owned);
  return merged;
}

/** A managedFields entry names the group/version the manager wrote in (`apps/v1` for a Deployment). */
function entryApiVersion(...objs: (Obj | undefined)[]): string {
  for (const o of objs) if (typeof o?.apiVersion === 'string' && o.apiVersion) return o.apiVersion;
  return 'v1';
}

/** The manager kube-apiserver assumes when a request names none: the User-Agent's first word. */
export function managerFromUserAgent(userAgent: string | undefined): string {
  const ua = userAgent ?? '';
  const cut = ua.indexOf('/');
  return (cut < 0 ? ua : ua.slice(0, cut)).slice(0, 128);
}
