/**
 * pkg/apis/authorization/validation (v1.33): the access reviews' specs and
 * metadata, with upstream's texts. Invalid values print as field.Error
 * prints them (nil as "null", structs as JSON in Go's field order).
 */
import { fieldError, FieldErrorType, goSyntax, type FieldError } from '../api.ts';

type Obj = Record<string, any>;

const metaOrder = [
  'name', 'generateName', 'namespace', 'selfLink', 'uid', 'resourceVersion', 'generation', 'creationTimestamp',
  'deletionTimestamp', 'deletionGracePeriodSeconds', 'labels', 'annotations', 'ownerReferences', 'finalizers', 'managedFields',
];

/** An ObjectMeta as encoding/json writes it: Go's field order, creationTimestamp null when unset. */
function metaJson(meta: Obj): string {
  const out: Obj = {};
  for (const k of metaOrder) {
    if (k === 'creationTimestamp') out[k] = meta[k] ?? null;
    else if (meta[k] !== undefined && meta[k] !== '' && !(Array.isArray(meta[k]) && meta[k].length === 0)) out[k] = meta[k];
  }
  return JSON.stringify(out);
}

function nonResourceJson(n: Obj): string {
  const out: Obj = {};
  if (n.path) out.path = n.path;
  if (n.verb) out.verb = n.verb;
  return JSON.stringify(out);
}

/** True when metadata holds nothing but what `allowed` names (managedFields never counts). */
function metaEmpty(meta: Obj | undefined, allowed: readonly string[]): boolean {
  for (const [k, v] of Object.entries(meta ?? {})) {
    if (k === 'managedFields' || allowed.includes(k)) continue;
    if (v === undefined || v === null || v === '' || v === 0) continue;
    if (typeof v === 'object' && Object.keys(v).length === 0) continue;
    return false;
  }
  return true;
}

function attributesErrors(spec: Obj): FieldError[] {
  const errs: FieldError[] = [];
  const ra = spec.resourceAttributes;
  const nra = spec.nonResourceAttributes;
  if (ra && nra) errs.push(fieldError(FieldErrorType.Invalid, 'spec.nonResourceAttributes', goSyntax(nonResourceJson(nra)), 'cannot be specified in combination with resourceAttributes'));
  if (!ra && !nra) errs.push(fieldError(FieldErrorType.Invalid, 'spec.resourceAttributes', null, 'exactly one of nonResourceAttributes or resourceAttributes must be specified'));
  return errs;
}

/** ValidateSubjectAccessReviewSpec. */
function subjectSpecErrors(spec: Obj): FieldError[] {
  const errs = attributesErrors(spec);
  if (!spec.user && !(Array.isArray(spec.groups) && spec.groups.length)) {
    errs.push(fieldError(FieldErrorType.Invalid, 'spec.user', spec.user ?? '', 'at least one of user or group must be specified'));
  }
  return errs;
}

export function validateSubjectAccessReview(sar: Obj): FieldError[] {
  const errs = subjectSpecErrors(sar.spec ?? {});
  if (!metaEmpty(sar.metadata, [])) errs.push(fieldError(FieldErrorType.Invalid, 'metadata', goSyntax(metaJson(sar.metadata)), 'must be empty'));
  return errs;
}

export function validateSelfSubjectAccessReview(sar: Obj): FieldError[] {
  const errs = attributesErrors(sar.spec ?? {});
  if (!metaEmpty(sar.metadata, [])) errs.push(fieldError(FieldErrorType.Invalid, 'metadata', goSyntax(metaJson(sar.metadata)), 'must be empty'));
  return errs;
}

export function validateLocalSubjectAccessReview(sar: Obj): FieldError[] {
  const spec = sar.spec ?? {};
  const errs = subjectSpecErrors(spec);
  if (!metaEmpty(sar.metadata, ['namespace'])) {
    errs.push(fieldError(FieldErrorType.Invalid, 'metadata', goSyntax(metaJson(sar.metadata)), 'must be empty except for namespace'));
  }
  const ns = sar.metadata?.namespace ?? '';
  if (spec.resourceAttributes && (spec.resourceAttributes.namespace ?? '') !== ns) {
    errs.push(fieldError(FieldErrorType.Invalid, 'spec.resourceAttributes.namespace', spec.resourceAttributes.namespace ?? '', 'must match metadata.namespace'));
  }
  if (spec.nonResourceAttributes) {
    errs.push(fieldError(FieldErrorType.Invalid, 'spec.nonResourceAttributes', goSyntax(nonResourceJson(spec.nonResourceAttributes)), 'disallowed on this kind of request'));
  }
  return errs;
}
