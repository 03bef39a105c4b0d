/**
 * apps/v1 Deployment validation: validation.go `ValidateDeployment`,
 * `ValidateDeploymentUpdate`, `ValidateDeploymentStatusUpdate`, and the
 * registry's selector immutability (pkg/registry/apps/deployment).
 */
import { goSyntax, type FieldError } from '../field-error.ts';
import {
  intOrPercentValue,
  validateCollisionCountUpdate,
  isNotMoreThan100Percent,
  validateImmutableSelector,
  validateNonnegative,
  validatePositiveIntOrPercent,
  validateSelectorAndTemplate,
} from './apps-template.ts';
import { goDeploymentStrategy, goIntOrString } from './apps-go-syntax.ts';
import { child, forbidden, invalid, invalidGoSyntax, notSupported, obj, required, type Obj } from './field-errors.ts';
import { validateObjectMeta, validateObjectMetaUpdate } from './object-meta.ts';
import { nameIsDNSSubdomain } from './string-formats.ts';

/** `ValidateRollingUpdateDeployment`. */
function validateRollingUpdate(ru: Obj, path: string): FieldError[] {
  const mu = ru.maxUnavailable;
  const ms = ru.maxSurge;
  const errs = validatePositiveIntOrPercent(mu, child(path, 'maxUnavailable'), goIntOrString(mu));
  errs.push(...validatePositiveIntOrPercent(ms, child(path, 'maxSurge'), goIntOrString(ms)));
  if (intOrPercentValue(mu) === 0 && intOrPercentValue(ms) === 0) {
    errs.push(invalidGoSyntax(child(path, 'maxUnavailable'), goIntOrString(mu), 'may not be 0 when `maxSurge` is 0'));
  }
  errs.push(...isNotMoreThan100Percent(mu, child(path, 'maxUnavailable'), goIntOrString(mu)));
  return errs;
}

/** `ValidateDeploymentStrategy`. */
function validateStrategy(strategy: Obj, path: string): FieldError[] {
  switch (strategy.type) {
    case 'Recreate':
      return strategy.rollingUpdate != null ? [forbidden(child(path, 'rollingUpdate'), "may not be specified when strategy `type` is 'Recreate'")] : [];
    case 'RollingUpdate':
      if (strategy.rollingUpdate == null) return [required(child(path, 'rollingUpdate'), 'this should be defaulted and never be nil')];
      return validateRollingUpdate(obj(strategy.rollingUpdate), child(path, 'rollingUpdate'));
    default:
      return [notSupported(path, goSyntax(goDeploymentStrategy(strategy)), ['Recreate', 'RollingUpdate'])];
  }
}

/** `ValidateDeploymentSpec`. */
function validateDeploymentSpec(spec: Obj, path: string, oldTemplate?: Obj): FieldError[] {
  const errs = validateNonnegative(spec.replicas, child(path, 'replicas'));
  errs.push(...validateSelectorAndTemplate(spec, path, 'deployment', oldTemplate));
  errs.push(...validateStrategy(obj(spec.strategy), child(path, 'strategy')));
  errs.push(...validateNonnegative(spec.minReadySeconds, child(path, 'minReadySeconds')));
  if (typeof spec.revisionHistoryLimit === 'number') errs.push(...validateNonnegative(spec.revisionHistoryLimit, child(path, 'revisionHistoryLimit')));
  if (typeof spec.progressDeadlineSeconds === 'number') {
    const p = child(path, 'progressDeadlineSeconds');
    errs.push(...validateNonnegative(spec.progressDeadlineSeconds, p));
    const minReady = typeof spec.minReadySeconds === 'number' ? spec.minReadySeconds : 0;
    if (spec.progressDeadlineSeconds <= minReady) errs.push(invalid(p, spec.progressDeadlineSeconds, 'must be greater than minReadySeconds'));
  }
  return errs;
}

/** `ValidateDeployment`, after defaulting. */
export function validateDeployment(dIn: unknown): FieldError[] {
  const d = obj(dIn);
  const errs = validateObjectMeta(d.metadata, true, nameIsDNSSubdomain, 'metadata');
  errs.push(...validateDeploymentSpec(obj(d.spec), 'spec'));
  return errs;
}

/** The deployment strategy's `ValidateUpdate`: `ValidateDeploymentUpdate`, then the immutable selector. */
export function validateDeploymentUpdate(dIn: unknown, oldIn: unknown): FieldError[] {
  const d = obj(dIn);
  const old = obj(oldIn);
  const errs = validateObjectMetaUpdate(d.metadata, old.metadata, 'metadata');
  errs.push(...validateDeploymentSpec(obj(d.spec), 'spec', obj(obj(old.spec).template)));
  errs.push(...validateImmutableSelector(obj(d.spec).selector, obj(old.spec).selector, 'spec.selector'));
  return errs;
}

/** `ValidateDeploymentStatus`. */
function validateDeploymentStatus(status: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const f of ['observedGeneration', 'replicas', 'updatedReplicas', 'readyReplicas', 'availableReplicas', 'unavailableReplicas']) {
    errs.push(...validateNonnegative(status[f], child(path, f)));
  }
  if (typeof status.collisionCount === 'number') errs.push(...validateNonnegative(status.collisionCount, child(path, 'collisionCount')));
  const n = (f: string): number => (typeof status[f] === 'number' ? status[f] : 0);
  const msg = 'cannot be greater than status.replicas';
  if (n('updatedReplicas') > n('replicas')) errs.push(invalid(child(path, 'updatedReplicas'), n('updatedReplicas'), msg));
  if (n('readyReplicas') > n('replicas')) errs.push(invalid(child(path, 'readyReplicas'), n('readyReplicas'), msg));
  if (n('availableReplicas') > n('replicas')) errs.push(invalid(child(path, 'availableReplicas'), n('availableReplicas'), msg));
  if (n('availableReplicas') > n('readyReplicas')) errs.push(invalid(child(path, 'availableReplicas'), n('availableReplicas'), 'cannot be greater than readyReplicas'));
  return errs;
}

/** `ValidateDeploymentStatusUpdate`. */
export function validateDeploymentStatusUpdate(dIn: unknown, oldIn: unknown): FieldError[] {
  const d = obj(dIn);
  const old = obj(oldIn);
  const status = obj(d.status);
  const errs = validateObjectMetaUpdate(d.metadata, old.metadata, 'metadata');
  errs.push(...validateDeploymentStatus(status, 'status'));
  errs.push(...validateCollisionCountUpdate(status, obj(old.status)));
  return errs;
}
