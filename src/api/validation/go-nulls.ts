/**
 * What decoding into Go structs makes of JSON nulls, applied in place before
 * defaulting and validation read the object: a null list element or map
 * value becomes its type's zero value (a struct `{}`, a string `""`, a
 * number 0, a bool false), and a null struct field is as if absent. So
 * `rules: [null]` reaches validation as `[{}]` and is refused for its
 * missing verbs, as kube-apiserver refuses it, instead of tripping code
 * that expects an object. Lists of lists keep their null elements (Go
 * encodes a nil slice as null).
 */
import { coreV1Schema } from './schema/core-v1-schema.ts';
import type { Schema, SchemaType } from './schema/generate-schema.ts';
import { isJsonObject, own } from '../json-object.ts';
import { resourceLists } from './go-decode.ts';

/** The zero value Go decodes a null into for an element of `type`, or null where Go keeps nil. */
function zeroOf(schema: Schema, type: SchemaType): unknown {
  switch (type) {
    case 's':
    case 't':
      return '';
    case 'n':
      return 0;
    case 'b':
      return false;
    case 'q':
      return '0';
    case 'io':
      return 0;
  }
  return own(schema, type) ? {} : null;
}

/** `key` is the `Struct.field` that holds `value`, for the ResourceList maps the schema types as string maps. */
function walk(schema: Schema, type: SchemaType, value: unknown, key = ''): void {
  if (value === null || value === undefined) return;
  if (type.startsWith('[')) {
    if (!Array.isArray(value)) return;
    const inner = type.slice(1, -1);
    for (let i = 0; i < value.length; i++) {
      if (value[i] === null) value[i] = zeroOf(schema, inner);
      walk(schema, inner, value[i]);
    }
    return;
  }
  if (type.startsWith('{')) {
    if (!isJsonObject(value)) return;
    const inner = resourceLists.has(key) ? 'q' : type.slice(1, -1);
    for (const [k, v] of Object.entries(value)) {
      if (v === null) value[k] = zeroOf(schema, inner);
      walk(schema, inner, value[k]);
    }
    return;
  }
  const fields = own(schema, type);
  if (!fields || !isJsonObject(value)) return;
  for (const [k, v] of Object.entries(value)) {
    const t = own(fields, k);
    if (t === undefined) continue;
    if (v === null) delete value[k];
    else walk(schema, t, v, `${type}.${k}`);
  }
}

/** Rewrites, in place, the nulls of `obj` (a `kind`) as decoding it into Go types would. */
export function zeroNulls(kind: string, obj: unknown, schema: Schema = coreV1Schema): void {
  if (own(schema, kind)) walk(schema, kind, obj);
}
