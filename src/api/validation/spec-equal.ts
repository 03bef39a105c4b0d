/**
 * `apiequality.Semantic.DeepEqual` over v1 JSON, guided by the schema:
 * quantities compare by value (`1000m` equals `1`), and an absent list or
 * map equals an empty one. Go's non-pointer zero values and absent JSON
 * fields are also treated as equal, which the JSON form cannot tell apart.
 */
import { tryParseQuantity } from './quantity.ts';
import { coreV1Schema } from './schema/core-v1-schema.ts';
import { isJsonObject, own } from '../json-object.ts';

function isZero(v: unknown): boolean {
  if (v === undefined || v === null || v === '' || v === 0 || v === false) return true;
  if (Array.isArray(v)) return v.length === 0;
  if (isJsonObject(v)) return Object.values(v).every(isZero);
  return false;
}

function genericEqual(a: unknown, b: unknown): boolean {
  if (isZero(a) && isZero(b)) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => genericEqual(x, b[i]));
  if (isJsonObject(a) && isJsonObject(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys) if (!genericEqual(own(a, k), own(b, k))) return false;
    return true;
  }
  return a === b;
}

/** Semantic equality of two values of schema type `type` (`'*'` for untyped). */
export function specEqual(type: string, a: unknown, b: unknown): boolean {
  if (type === 'q') {
    if (a === undefined || a === null || b === undefined || b === null) return (a ?? null) === (b ?? null);
    const qa = tryParseQuantity(a);
    const qb = tryParseQuantity(b);
    return qa && qb ? qa.cmp(qb) === 0 : a === b;
  }
  if (type.startsWith('[')) {
    const la = Array.isArray(a) ? a : [];
    const lb = Array.isArray(b) ? b : [];
    const inner = type.slice(1, -1);
    return la.length === lb.length && la.every((x, i) => specEqual(inner, x, lb[i]));
  }
  if (type.startsWith('{')) {
    const ma = isJsonObject(a) ? a : {};
    const mb = isJsonObject(b) ? b : {};
    const inner = type.slice(1, -1);
    const ka = Object.keys(ma);
    if (ka.length !== Object.keys(mb).length) return false;
    return ka.every((k) => Object.hasOwn(mb, k) && specEqual(inner, ma[k], mb[k]));
  }
  const fields = own(coreV1Schema, type);
  if (!fields) return genericEqual(a, b);
  const oa = isJsonObject(a) ? a : {};
  const ob = isJsonObject(b) ? b : {};
  const keys = new Set([...Object.keys(oa), ...Object.keys(ob)]);
  for (const k of keys) {
    if (!specEqual(own(fields, k) ?? '*', own(oa, k), own(ob, k))) return false;
  }
  return true;
}
