/**
 * apps/v1 DaemonSet validation: validation.go `ValidateDaemonSet`,
 * `ValidateDaemonSetUpdate`, `ValidateDaemonSetStatusUpdate`, and the
 * registry's selector immutability (pkg/registry/apps/daemonset). The
 * internal templateGeneration lives in the
 * `deprecated.daemonset.template.generation` annotation in apps/v1; the
 * strategy keeps it, so its update rules cannot fail here.
 */
import { goSyntax, type FieldError } from '../field-error.ts';
import { goDaemonSetUpdateStrategy, goIntOrString, goLabelSelector } from './apps-go-syntax.ts';
import {
  compileSelector,
  intOrPercentValue,
  validateCollisionCountUpdate,
  isNotMoreThan100Percent,
  selectorMismatch,
  validateImmutableSelector,
  validateNonnegative,
  validatePodTemplateSpec,
  validatePositiveIntOrPercent,
  validateWorkloadTemplateSpec,
} from './apps-template.ts';
import { child, invalid, invalidGoSyntax, list, notSupported, obj, required, type Obj } from './field-errors.ts';
import { validateObjectMeta, validateObjectMetaUpdate } from './object-meta.ts';
import { validateLabelSelector } from './pod-spec.ts';
import { nameIsDNSSubdomain } from './string-formats.ts';

/** `ValidateRollingUpdateDaemonSet`: exactly one of maxUnavailable and maxSurge is non-zero. */
function validateRollingUpdate(ru: Obj, path: string): FieldError[] {
  const mu = ru.maxUnavailable;
  const ms = ru.maxSurge;
  const errs = validatePositiveIntOrPercent(mu, child(path, 'maxUnavailable'), goIntOrString(mu));
  errs.push(...validatePositiveIntOrPercent(ms, child(path, 'maxSurge'), goIntOrString(ms)));
  errs.push(...isNotMoreThan100Percent(mu, child(path, 'maxUnavailable'), goIntOrString(mu)));
  errs.push(...isNotMoreThan100Percent(ms, child(path, 'maxSurge'), goIntOrString(ms)));
  const hasUnavailable = intOrPercentValue(mu) !== 0;
  const hasSurge = intOrPercentValue(ms) !== 0;
  if (hasUnavailable && hasSurge) errs.push(invalidGoSyntax(child(path, 'maxSurge'), goIntOrString(ms), 'may not be set when maxUnavailable is non-zero'));
  else if (!hasUnavailable && !hasSurge) errs.push(required(child(path, 'maxUnavailable'), 'cannot be 0 when maxSurge is 0'));
  return errs;
}

/** `ValidateDaemonSetUpdateStrategy`. */
function validateUpdateStrategy(strategy: Obj, path: string): FieldError[] {
  switch (strategy.type) {
    case 'OnDelete':
      return [];
    case 'RollingUpdate':
      if (strategy.rollingUpdate == null) return [required(child(path, 'rollingUpdate'))];
      return validateRollingUpdate(obj(strategy.rollingUpdate), child(path, 'rollingUpdate'));
    default:
      return [notSupported(path, goSyntax(goDaemonSetUpdateStrategy(strategy)), ['RollingUpdate', 'OnDelete'])];
  }
}

/**
 * `ValidateDaemonSetSpec`. Unlike Deployments, a missing selector is not
 * reported as such: it selects nothing, so the template labels do not match.
 */
function validateDaemonSetSpec(spec: Obj, path: string): FieldError[] {
  const template = obj(spec.template);
  const sel = spec.selector;
  const errs = validateLabelSelector(sel, child(path, 'selector'));
  const compiled = compileSelector(sel);
  if (compiled && !compiled.matches(obj(obj(template.metadata).labels))) errs.push(selectorMismatch(template, child(path, 'template')));
  if (sel != null && Object.keys(obj(obj(sel).matchLabels)).length + list(obj(sel).matchExpressions).length === 0) {
    errs.push(invalidGoSyntax(child(path, 'selector'), goLabelSelector(sel), 'empty selector is invalid for daemonset'));
  }
  errs.push(...validatePodTemplateSpec(template, child(path, 'template')));
  errs.push(...validateWorkloadTemplateSpec(template, child(path, 'template'), 'DaemonSet'));
  errs.push(...validateNonnegative(spec.minReadySeconds, child(path, 'minReadySeconds')));
  errs.push(...validateUpdateStrategy(obj(spec.updateStrategy), child(path, 'updateStrategy')));
  if (typeof spec.revisionHistoryLimit === 'number') errs.push(...validateNonnegative(spec.revisionHistoryLimit, child(path, 'revisionHistoryLimit')));
  return errs;
}

/** `ValidateDaemonSet`, after defaulting. */
export function validateDaemonSet(dsIn: unknown): FieldError[] {
  const ds = obj(dsIn);
  const errs = validateObjectMeta(ds.metadata, true, nameIsDNSSubdomain, 'metadata');
  errs.push(...validateDaemonSetSpec(obj(ds.spec), 'spec'));
  return errs;
}

/**
 * The DaemonSet strategy's `ValidateUpdate`: `ValidateDaemonSet` and
 * `ValidateDaemonSetUpdate` (so a spec error is listed twice among the
 * causes, once in the message), then the immutable selector.
 */
export function validateDaemonSetUpdate(dsIn: unknown, oldIn: unknown): FieldError[] {
  const ds = obj(dsIn);
  const old = obj(oldIn);
  const errs = validateDaemonSet(ds);
  errs.push(...validateObjectMetaUpdate(ds.metadata, old.metadata, 'metadata'));
  errs.push(...validateDaemonSetSpec(obj(ds.spec), 'spec'));
  errs.push(...validateImmutableSelector(obj(ds.spec).selector, obj(old.spec).selector, 'spec.selector'));
  return errs;
}

/** `validateDaemonSetStatus`. */
function validateDaemonSetStatus(status: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const f of [
    'currentNumberScheduled',
    'numberMisscheduled',
    'desiredNumberScheduled',
    'numberReady',
    'observedGeneration',
    'updatedNumberScheduled',
    'numberAvailable',
    'numberUnavailable',
  ]) {
    errs.push(...validateNonnegative(status[f], child(path, f)));
  }
  if (typeof status.collisionCount === 'number') errs.push(...validateNonnegative(status.collisionCount, child(path, 'collisionCount')));
  return errs;
}

/** `ValidateDaemonSetStatusUpdate`. */
export function validateDaemonSetStatusUpdate(dsIn: unknown, oldIn: unknown): FieldError[] {
  const ds = obj(dsIn);
  const old = obj(oldIn);
  const status = obj(ds.status);
  const errs = validateObjectMetaUpdate(ds.metadata, old.metadata, 'metadata');
  errs.push(...validateDaemonSetStatus(status, 'status'));
  errs.push(...validateCollisionCountUpdate(status, obj(old.status)));
  return errs;
}
