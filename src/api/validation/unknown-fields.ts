/**
 * Strict field validation (`fieldValidation=Strict|Warn`): the JSON paths of
 * fields the v1 schema does not know, in the order kube-apiserver's decoder
 * (sigs.k8s.io/json, case-sensitive) meets them, and the texts it reports.
 * A field below an unknown field is not reported separately.
 */
import { goQuote } from '../go-format.ts';
import { coreV1Schema } from './schema/core-v1-schema.ts';
import type { Schema, SchemaType } from './schema/generate-schema.ts';
import { isJsonObject, own } from '../json-object.ts';

type OnUnknown = (parent: Record<string, unknown>, key: string, path: string) => void;

function walk(schema: Schema, type: SchemaType, value: unknown, path: string, onUnknown: OnUnknown): void {
  if (value === null || value === undefined) return;
  if (type.startsWith('[')) {
    if (!Array.isArray(value)) return;
    const inner = type.slice(1, -1);
    value.forEach((v, i) => walk(schema, inner, v, `${path}[${i}]`, onUnknown));
    return;
  }
  if (type.startsWith('{')) {
    if (!isJsonObject(value)) return;
    const inner = type.slice(1, -1);
    for (const [k, v] of Object.entries(value)) walk(schema, inner, v, `${path}[${k}]`, onUnknown);
    return;
  }
  const fields = own(schema, type);
  if (!fields || !isJsonObject(value)) return;
  for (const [k, v] of Object.entries(value)) {
    const p = path ? `${path}.${k}` : k;
    const t = own(fields, k);
    if (t === undefined) onUnknown(value, k, p);
    else walk(schema, t, v, p, onUnknown);
  }
}

/** Paths like `spec.containers[0].imagee` for fields unknown to `kind`'s v1 schema. */
export function findUnknownFields(kind: string, obj: unknown, schema: Schema = coreV1Schema): string[] {
  const out: string[] = [];
  if (!own(schema, kind)) return out;
  walk(schema, kind, obj, '', (_parent, _key, path) => out.push(path));
  return out;
}

/**
 * Removes, in place, the fields `kind`'s v1 schema does not know: decoding
 * into Go structs drops them, so kube-apiserver never stores them (with
 * fieldValidation Warn or Ignore; Strict refuses them first).
 */
export function pruneUnknownFields(kind: string, obj: unknown, schema: Schema = coreV1Schema): void {
  if (!own(schema, kind)) return;
  walk(schema, kind, obj, '', (parent, key) => {
    delete parent[key];
  });
}

/** kube-apiserver's prefix for a body it cannot decode as `kind`. */
export function cannotHandleMessage(kind: string, detail: string): string {
  return `${kind} in version "v1" cannot be handled as a ${kind}: ${detail}`;
}

/** One strict decoding error text, as in the Warning header: `unknown field "spec.x"`. */
export function unknownFieldWarning(path: string): string {
  return `unknown field ${goQuote(path)}`;
}

/** The 400 BadRequest message for fieldValidation=Strict. */
export function strictDecodingMessage(kind: string, paths: readonly string[]): string {
  return cannotHandleMessage(kind, `strict decoding error: ${paths.map(unknownFieldWarning).join(', ')}`);
}

/** Warning header texts for fieldValidation=Warn, one per unknown field. */
export function unknownFieldWarnings(paths: readonly string[]): string[] {
  return paths.map(unknownFieldWarning);
}
