/**
 * Times as kube-apiserver stores them. Decoding a body into Go structs and
 * encoding it again rewrites every metav1.Time in UTC at second precision
 * (RFC 3339, the fraction dropped) and every metav1.MicroTime in UTC with
 * exactly six fraction digits (RFC3339Micro): a client that sends an offset
 * or another precision (the Python client sends `+00:00` and microseconds)
 * reads back the canonical form. Values that do not parse stay as they are
 * (decoding refuses those). The schema codes both types `t`; the MicroTime
 * fields are the ones listed here.
 */
import { coreV1Schema } from './schema/core-v1-schema.ts';
import type { Schema, SchemaType } from './schema/generate-schema.ts';
import { rewriteTyped } from './schema-rewrite.ts';

/** `Struct.field` of the metav1.MicroTime fields of the served kinds. */
const microTimeFields = new Set(['Event.eventTime', 'EventSeries.lastObservedTime']);

const rfc3339 = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$/i;

/** The seconds part in UTC and the fraction digits, or undefined. */
function parse(v: unknown): { utc: string; fraction: string } | undefined {
  if (typeof v !== 'string') return undefined;
  const m = rfc3339.exec(v);
  if (!m) return undefined;
  const ms = Date.parse(`${m[1]}${m[3].toUpperCase()}`);
  if (Number.isNaN(ms)) return undefined;
  return { utc: new Date(ms).toISOString().slice(0, 19), fraction: m[2] ?? '' };
}

/** metav1.Time's JSON form of `v`. */
export function canonicalTime(v: unknown): unknown {
  const t = parse(v);
  return t ? `${t.utc}Z` : v;
}

/** metav1.MicroTime's JSON form of `v`. */
export function canonicalMicroTime(v: unknown): unknown {
  const t = parse(v);
  return t ? `${t.utc}.${t.fraction.slice(0, 6).padEnd(6, '0')}Z` : v;
}

/** Rewrites, in place, the times of `obj` (a `kind`) as decoding and encoding it would. */
export function canonicalizeTimes(kind: string, obj: unknown, schema: Schema = coreV1Schema): void {
  rewriteTyped(schema, kind, obj, (value, type, slot, fieldKey) => {
    if (type !== 't' || slot !== 'field') return value;
    return microTimeFields.has(fieldKey) ? canonicalMicroTime(value) : canonicalTime(value);
  });
}
