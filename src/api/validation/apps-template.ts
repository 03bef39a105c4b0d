/**
 * What apps/v1 workloads share in validation.go (pkg/apis/apps/validation and
 * core's `ValidatePodTemplateSpec`): the pod template checked by the pod
 * rules under `spec.template.*`, the selector against the template's labels,
 * int-or-percent fields and non-negative counts.
 */
import { isDeepStrictEqual } from 'node:util';
import type { FieldError } from '../field-error.ts';
import { goLabelSelector, goStringMap } from './apps-go-syntax.ts';
import { child, forbidden, invalid, invalidGoSyntax, isObj, list, notSupported, obj, required, str, type Obj } from './field-errors.ts';
import { validateAnnotations, validateLabels } from './object-meta.ts';
import { validateAnnotationsMatchFields, validatePodAnnotations, deletionCostValid } from './pod.ts';
import { validateLabelSelector, validatePodSpec } from './pod-spec.ts';
import { regexError } from './string-formats.ts';

export const IsNegativeErrorMsg = 'must be greater than or equal to 0';
export const FieldImmutableErrorMsg = 'field is immutable';
const deletionCostAnnotation = 'controller.kubernetes.io/pod-deletion-cost';

/** `ValidateNonnegativeField`; an absent field is Go's zero. */
export function validateNonnegative(value: unknown, path: string): FieldError[] {
  const n = typeof value === 'number' ? value : 0;
  return n < 0 ? [invalid(path, n, IsNegativeErrorMsg)] : [];
}

/** `IsDecremented` for optional counters (collisionCount). */
function isDecremented(update: unknown, old: unknown): boolean {
  if (typeof update !== 'number') return typeof old === 'number';
  return typeof old === 'number' && update < old;
}

/** A status update's `status.collisionCount` may not go down (nor be dropped). */
export function validateCollisionCountUpdate(status: Obj, oldStatus: Obj): FieldError[] {
  if (!isDecremented(status.collisionCount, oldStatus.collisionCount)) return [];
  return [invalid('status.collisionCount', typeof status.collisionCount === 'number' ? status.collisionCount : 0, 'cannot be decremented')];
}

/** `ValidateImmutableField` for a selector (Semantic.DeepEqual: nil and empty maps/lists are alike). */
export function validateImmutableSelector(newSel: unknown, oldSel: unknown, path: string): FieldError[] {
  if (isDeepStrictEqual(normalizeSelector(newSel), normalizeSelector(oldSel))) return [];
  if (newSel === undefined || newSel === null) return [invalid(path, null, FieldImmutableErrorMsg)];
  return [invalidGoSyntax(path, goLabelSelector(newSel), FieldImmutableErrorMsg)];
}

function normalizeSelector(sel: unknown): unknown {
  if (!isObj(sel)) return null;
  const labels = obj(sel.matchLabels);
  return {
    matchLabels: Object.fromEntries(Object.keys(labels).sort().map((k) => [k, labels[k]])),
    matchExpressions: list(sel.matchExpressions).map((e) => ({ key: str(e.key), operator: str(e.operator), values: Array.isArray(e.values) ? e.values : [] })),
  };
}

/**
 * `metav1.LabelSelectorAsSelector` and `Selector.Matches`. `undefined`
 * selector: Go's labels.Nothing() (matches nothing, not Empty); `everything`:
 * a non-nil selector with no requirements.
 */
export interface CompiledSelector {
  everything: boolean;
  matches(labels: Record<string, unknown>): boolean;
}

/** Null when the selector does not convert (the `invalid label selector` case). */
export function compileSelector(sel: unknown): CompiledSelector | null {
  if (sel === undefined || sel === null) return { everything: false, matches: () => false };
  if (validateLabelSelector(sel, 'selector').length > 0) return null;
  const s = obj(sel);
  const labels = Object.entries(obj(s.matchLabels));
  const exprs = list(s.matchExpressions);
  return {
    everything: labels.length === 0 && exprs.length === 0,
    matches(set) {
      const has = (k: string) => Object.hasOwn(set, k);
      for (const [k, v] of labels) if (!has(k) || set[k] !== v) return false;
      for (const e of exprs) {
        const k = str(e.key);
        const values: unknown[] = Array.isArray(e.values) ? e.values : [];
        switch (str(e.operator)) {
          case 'In':
            if (!has(k) || !values.includes(set[k])) return false;
            break;
          case 'NotIn':
            if (has(k) && values.includes(set[k])) return false;
            break;
          case 'Exists':
            if (!has(k)) return false;
            break;
          case 'DoesNotExist':
            if (has(k)) return false;
            break;
        }
      }
      return true;
    },
  };
}

/** `GetValidationOptionsFromPodTemplate`'s AllowInvalidPodDeletionCost: an old template may keep an invalid cost. */
function allowInvalidDeletionCost(oldTemplate: Obj | undefined): boolean {
  if (!oldTemplate) return false;
  const ann = obj(obj(oldTemplate.metadata).annotations);
  return Object.hasOwn(ann, deletionCostAnnotation) && !deletionCostValid(str(ann[deletionCostAnnotation]));
}

/**
 * core `ValidatePodTemplateSpec`: note the `labels`/`annotations` paths lack
 * the `metadata` segment, as in kube-apiserver.
 */
export function validatePodTemplateSpec(template: Obj, path: string, oldTemplate?: Obj): FieldError[] {
  const meta = obj(template.metadata);
  const spec = obj(template.spec);
  const errs = validateLabels(meta.labels, child(path, 'labels'));
  errs.push(...validateAnnotations(meta.annotations, child(path, 'annotations')));
  errs.push(...validatePodAnnotations(obj(meta.annotations), spec, child(path, 'annotations'), allowInvalidDeletionCost(oldTemplate)));
  errs.push(...validatePodSpec(spec, child(path, 'spec'), false));
  errs.push(...validateAnnotationsMatchFields(meta, spec, child(path, 'spec')));
  if (list(spec.ephemeralContainers).length > 0) {
    errs.push(forbidden(child(child(path, 'spec'), 'ephemeralContainers'), 'ephemeral containers not allowed in pod template'));
  }
  return errs;
}

/** The template rules every workload adds: restartPolicy Always, no activeDeadlineSeconds. */
export function validateWorkloadTemplateSpec(template: Obj, path: string, kind: string): FieldError[] {
  const spec = obj(template.spec);
  const errs: FieldError[] = [];
  const restartPolicy = str(spec.restartPolicy);
  if (restartPolicy !== 'Always') errs.push(notSupported(child(child(path, 'spec'), 'restartPolicy'), restartPolicy, ['Always']));
  if (spec.activeDeadlineSeconds !== undefined && spec.activeDeadlineSeconds !== null) {
    errs.push(forbidden(child(child(path, 'spec'), 'activeDeadlineSeconds'), `activeDeadlineSeconds in ${kind} is not Supported`));
  }
  return errs;
}

/** Template labels that the selector does not select. */
export function selectorMismatch(template: Obj, path: string): FieldError {
  const labels = obj(template.metadata).labels;
  return invalidGoSyntax(child(child(path, 'metadata'), 'labels'), goStringMap(labels), '`selector` does not match template `labels`');
}

/**
 * `ValidatePodTemplateSpecForReplicaSet` (Deployments and ReplicaSets):
 * selector against labels, the pod template, then the workload rules.
 */
export function validatePodTemplateSpecForReplicaSet(template: Obj, selector: CompiledSelector, path: string, oldTemplate?: Obj): FieldError[] {
  const errs: FieldError[] = [];
  if (!selector.everything && !selector.matches(obj(obj(template.metadata).labels))) errs.push(selectorMismatch(template, path));
  errs.push(...validatePodTemplateSpec(template, path, oldTemplate));
  errs.push(...validateWorkloadTemplateSpec(template, path, 'ReplicaSet'));
  return errs;
}

/**
 * The selector rules of Deployment and ReplicaSet specs: required, valid,
 * non-empty, then the template against it (or `invalid label selector`).
 */
export function validateSelectorAndTemplate(spec: Obj, path: string, kind: string, oldTemplate?: Obj): FieldError[] {
  const errs: FieldError[] = [];
  const selPath = child(path, 'selector');
  const sel = spec.selector;
  if (sel === undefined || sel === null) {
    errs.push(required(selPath));
  } else {
    errs.push(...validateLabelSelector(sel, selPath));
    if (Object.keys(obj(obj(sel).matchLabels)).length + list(obj(sel).matchExpressions).length === 0) {
      errs.push(invalidGoSyntax(selPath, goLabelSelector(sel), `empty selector is invalid for ${kind}`));
    }
  }
  const compiled = compileSelector(sel);
  if (!compiled) errs.push(invalidGoSyntax(selPath, goLabelSelector(sel), 'invalid label selector'));
  else errs.push(...validatePodTemplateSpecForReplicaSet(obj(spec.template), compiled, child(path, 'template'), oldTemplate));
  return errs;
}

const percentRe = /^[0-9]+%$/;
const percentErrMsg = regexError("a valid percent string must be a numeric string followed by an ending '%'", '[0-9]+%', '1%', '93%');

/** `getPercentValue`: the number of a valid percent string. */
function percentValue(v: unknown): number | undefined {
  return typeof v === 'string' && percentRe.test(v) ? Number(v.slice(0, -1)) : undefined;
}

/** `getIntOrPercentValue`: a percent's number, else IntOrString.IntValue (Atoi of a string, 0 when it fails). */
export function intOrPercentValue(v: unknown): number {
  const p = percentValue(v);
  if (p !== undefined) return p;
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && /^[+-]?[0-9]+$/.test(v)) return Number(v);
  return 0;
}

/** `ValidatePositiveIntOrPercent`. */
export function validatePositiveIntOrPercent(v: unknown, path: string, goText: string): FieldError[] {
  if (typeof v === 'string') return percentRe.test(v) ? [] : [invalidGoSyntax(path, goText, percentErrMsg)];
  return validateNonnegative(v, path);
}

/** `IsNotMoreThan100Percent`. */
export function isNotMoreThan100Percent(v: unknown, path: string, goText: string): FieldError[] {
  const p = percentValue(v);
  return p !== undefined && p > 100 ? [invalidGoSyntax(path, goText, 'must not be greater than 100%')] : [];
}
