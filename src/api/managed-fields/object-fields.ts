/**
 * Objects seen as sets of fields, for server-side apply: which fields an
 * object sets, the value at a field path, removing a field, and merging an
 * applied configuration into a live object. Lists follow their
 * x-kubernetes-list-type (list-types.ts); structs and maps come from the v1
 * schema (api/validation/schema).
 */
import { isDeepStrictEqual } from 'node:util';
import { coreV1Schema } from '../validation/schema/core-v1-schema.ts';
import { encodePath, keyElement, type Path } from './field-paths.ts';
import { listTypeFor, type ListType } from './list-types.ts';
import { isJsonObject, own, setOwn } from '../json-object.ts';

type Obj = Record<string, unknown>;

/** Server-owned metadata, never part of anyone's field set. */
const serverMetadata = new Set(['name', 'namespace', 'uid', 'resourceVersion', 'generation', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'managedFields', 'selfLink']);

interface Cursor {
  /** Schema type code at this point (`Pod`, `{s}`, `[Container]`, `s`, …). */
  type: string;
  /** Dotted JSON path without list indices (the list-types key). */
  dotted: string;
  path: string[];
}

function fieldType(structType: string, field: string): string | undefined {
  return own(own(coreV1Schema, structType), field);
}

/** A struct type of the v1 schema (as opposed to a scalar, list or map code). */
function isStruct(type: string): boolean {
  return Object.hasOwn(coreV1Schema, type);
}

function childCursor(c: Cursor, field: string): Cursor | undefined {
  let t: string | undefined;
  if (c.type.startsWith('{')) t = c.type.slice(1, -1);
  else t = fieldType(c.type, field);
  if (t === undefined) return undefined;
  return { type: t, dotted: c.dotted ? `${c.dotted}.${field}` : field, path: [...c.path, `f:${field}`] };
}

/** The field paths `obj` (a `kind`) sets: scalars, atomic lists, set items, keyed items and their fields. */
export function fieldsOf(kind: string, obj: unknown): Set<string> {
  const out = new Set<string>();
  const walk = (v: unknown, c: Cursor) => {
    if (v === null || v === undefined) return;
    if (c.type.startsWith('[')) {
      const lt = listTypeFor(kind, c.dotted);
      if (!Array.isArray(v) || lt.type === 'atomic' || v.length === 0) {
        out.add(encodePath(c.path));
        return;
      }
      const itemType = c.type.slice(1, -1);
      for (const item of v) {
        if (lt.type === 'set') out.add(encodePath([...c.path, `v:${JSON.stringify(item)}`]));
        else if (isJsonObject(item)) {
          const itemPath = [...c.path, keyElement(item, lt.keys)];
          out.add(encodePath(itemPath));
          walkObject(item, { type: itemType, dotted: c.dotted, path: itemPath });
        }
      }
      return;
    }
    if (c.type.startsWith('{') || isStruct(c.type)) {
      if (!isJsonObject(v)) {
        out.add(encodePath(c.path));
        return;
      }
      // A map field, or an empty struct, is itself a member.
      if (c.type.startsWith('{') || Object.keys(v).length === 0) out.add(encodePath(c.path));
      walkObject(v, c);
      return;
    }
    out.add(encodePath(c.path));
  };
  const walkObject = (o: Obj, c: Cursor) => {
    for (const [k, x] of Object.entries(o)) {
      if (x === null) continue;
      if (c.path.length === 0 && (k === 'apiVersion' || k === 'kind' || k === 'status')) continue;
      if (c.dotted === 'metadata' && serverMetadata.has(k)) continue;
      const cc = childCursor(c, k);
      if (!cc) {
        // Unknown to the schema: owned as a whole.
        out.add(encodePath([...c.path, `f:${k}`]));
        continue;
      }
      walk(x, cc);
    }
  };
  if (isJsonObject(obj)) walkObject(obj, { type: kind, dotted: '', path: [] });
  return out;
}

/** Where a path element leads inside `container` (an object or a list). */
function step(container: unknown, e: string): { value: unknown; index?: number; field?: string } | undefined {
  if (e.startsWith('f:')) {
    if (!isJsonObject(container)) return undefined;
    const f = e.slice(2);
    return Object.hasOwn(container, f) ? { value: container[f], field: f } : undefined;
  }
  if (!Array.isArray(container)) return undefined;
  if (e.startsWith('k:')) {
    const want = JSON.parse(e.slice(2)) as Obj;
    const i = container.findIndex((it) => isJsonObject(it) && Object.entries(want).every(([k, v]) => isDeepStrictEqual(own(it, k), v)));
    return i < 0 ? undefined : { value: container[i], index: i };
  }
  if (e.startsWith('v:')) {
    const want = JSON.parse(e.slice(2));
    const i = container.findIndex((it) => isDeepStrictEqual(it, want));
    return i < 0 ? undefined : { value: container[i], index: i };
  }
  return undefined;
}

/** The value at `path`, or undefined. */
export function valueAt(obj: unknown, path: Path): unknown {
  let cur: unknown = obj;
  for (const e of path) {
    const s = step(cur, e);
    if (!s) return undefined;
    cur = s.value;
  }
  return cur;
}

/** Removes the field or item at `path` from `obj` (in place); missing paths are ignored. */
export function removeAt(obj: unknown, path: Path): void {
  if (path.length === 0) return;
  const parent = valueAt(obj, path.slice(0, -1));
  const s = step(parent, path[path.length - 1]);
  if (!s) return;
  if (s.field !== undefined) delete (parent as Obj)[s.field];
  else if (s.index !== undefined) (parent as unknown[]).splice(s.index, 1);
}

/**
 * The live object with the applied configuration merged in: fields the
 * configuration sets take its values, keyed list items merge by key, set
 * lists gain the configuration's items, atomic lists are replaced.
 */
export function mergeApplied(kind: string, live: Obj, applied: Obj): Obj {
  const merge = (l: unknown, a: unknown, c: Cursor): unknown => {
    if (a === null || a === undefined) return l;
    if (c.type.startsWith('[')) {
      const lt: ListType = listTypeFor(kind, c.dotted);
      if (!Array.isArray(a) || !Array.isArray(l) || lt.type === 'atomic') return structuredClone(a);
      if (lt.type === 'set') return [...l, ...a.filter((x) => !l.some((y) => isDeepStrictEqual(x, y)))];
      const out = structuredClone(l) as unknown[];
      const itemType = c.type.slice(1, -1);
      for (const item of a) {
        if (!isJsonObject(item)) continue;
        const key = keyElement(item, lt.keys);
        const hit = step(out, key);
        if (hit?.index !== undefined) out[hit.index] = merge(out[hit.index], item, { ...c, type: itemType, path: [...c.path, key] });
        else out.push(structuredClone(item));
      }
      return out;
    }
    if ((c.type.startsWith('{') || isStruct(c.type)) && isJsonObject(a)) {
      const out: Obj = isJsonObject(l) ? structuredClone(l) : {};
      for (const [k, x] of Object.entries(a)) {
        if (x === null) continue;
        const cc = childCursor(c, k);
        setOwn(out, k, cc ? merge(own(out, k), x, cc) : structuredClone(x));
      }
      return out;
    }
    return structuredClone(a);
  };
  return merge(live, applied, { type: kind, dotted: '', path: [] }) as Obj;
}
