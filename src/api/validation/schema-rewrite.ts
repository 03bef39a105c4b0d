/**
 * One depth-first pass over an object typed by a schema (schema/
 * generate-schema.ts), letting a rewrite replace or remove each value in its
 * slot before the pass descends into what the slot then holds. The passes
 * that make a decoded body look as kube-apiserver's Go structs would hold
 * it (go-nulls.ts, canonical-times.ts) are such rewrites. Values of types
 * the schema does not know, and fields it does not list, are left alone.
 */
import type { Schema, SchemaType } from './schema/generate-schema.ts';
import { isJsonObject, own } from '../json-object.ts';

/** Where a value sits: a struct's field, a list's element or a map's entry. */
export type Slot = 'field' | 'element' | 'entry';

/** Returned by a rewrite to remove a struct field. */
export const removeField = Symbol('removeField');

/**
 * `value` as its slot should hold it: the same value, another, or (for a
 * field) `removeField`. `fieldKey` is the `Struct.field` of the field that
 * holds the value, or holds the list or map it is in.
 */
export type Rewrite = (value: unknown, type: SchemaType, slot: Slot, fieldKey: string) => unknown;

function walk(schema: Schema, type: SchemaType, value: unknown, rewrite: Rewrite, fieldKey: string): void {
  if (value === null || value === undefined) return;
  if (type.startsWith('[')) {
    if (!Array.isArray(value)) return;
    const inner = type.slice(1, -1);
    for (let i = 0; i < value.length; i++) {
      value[i] = rewrite(value[i], inner, 'element', fieldKey);
      walk(schema, inner, value[i], rewrite, fieldKey);
    }
    return;
  }
  if (type.startsWith('{')) {
    if (!isJsonObject(value)) return;
    const inner = type.slice(1, -1);
    for (const [k, v] of Object.entries(value)) {
      value[k] = rewrite(v, inner, 'entry', fieldKey);
      walk(schema, inner, value[k], rewrite, fieldKey);
    }
    return;
  }
  const fields = own(schema, type);
  if (!fields || !isJsonObject(value)) return;
  for (const [k, v] of Object.entries(value)) {
    const t = own(fields, k);
    if (t === undefined) continue;
    const key = `${type}.${k}`;
    const next = rewrite(v, t, 'field', key);
    if (next === removeField) {
      delete value[k];
      continue;
    }
    value[k] = next;
    walk(schema, t, next, rewrite, key);
  }
}

/** Applies `rewrite` in place to every typed value of `obj`, a `kind` of `schema`. */
export function rewriteTyped(schema: Schema, kind: string, obj: unknown, rewrite: Rewrite): void {
  if (own(schema, kind)) walk(schema, kind, obj, rewrite, '');
}
