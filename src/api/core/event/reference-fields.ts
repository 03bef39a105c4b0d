/**
 * The field selectors of an Event's ObjectReference (core's involvedObject,
 * events.k8s.io's regarding): `<prefix>.kind`, `.namespace`, `.name`,
 * `.uid`, `.apiVersion`, `.resourceVersion`, `.fieldPath`, as both
 * registries' GetAttrs expose them.
 */
import type { ObjectReference } from 'kubernetes-types/core/v1.js';

const referenceFields = ['kind', 'namespace', 'name', 'uid', 'apiVersion', 'resourceVersion', 'fieldPath'] as const;

/** The selectable field names under `prefix`. */
export const referenceFieldNames = (prefix: string): string[] => referenceFields.map((f) => `${prefix}.${f}`);

/** The values of those fields, '' when unset. */
export function referenceFieldValues(prefix: string, ref: ObjectReference | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of referenceFields) out[`${prefix}.${f}`] = ref?.[f] ?? '';
  return out;
}
