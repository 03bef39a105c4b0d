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
import { own } from '../json-object.ts';
import { removeField, rewriteTyped } from './schema-rewrite.ts';
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

/** Rewrites, in place, the nulls of `obj` (a `kind`) as decoding it into Go types would. */
export function zeroNulls(kind: string, obj: unknown, schema: Schema = coreV1Schema): void {
  rewriteTyped(schema, kind, obj, (value, type, slot, fieldKey) => {
    if (value !== null) return value;
    if (slot === 'field') return removeField;
    // ResourceLists are typed as string maps; their values are Quantities.
    return zeroOf(schema, slot === 'entry' && resourceLists.has(fieldKey) ? 'q' : type);
  });
}
