/**
 * apps/v1 ReplicaSet validation: validation.go `ValidateReplicaSet`,
 * `ValidateReplicaSetUpdate`, `ValidateReplicaSetStatusUpdate`, and the
 * registry's selector immutability (pkg/registry/apps/replicaset).
 */
import type { FieldError } from '../field-error.ts';
import { validateImmutableSelector, validateNonnegative, validateSelectorAndTemplate } from './apps-template.ts';
import { child, invalid, obj, type Obj } from './field-errors.ts';
import { validateObjectMeta, validateObjectMetaUpdate } from './object-meta.ts';
import { nameIsDNSSubdomain } from './string-formats.ts';

/** `ValidateReplicaSetSpec` (its empty-selector text says "deployment", as upstream's does). */
function validateReplicaSetSpec(spec: Obj, path: string, oldTemplate?: Obj): FieldError[] {
  const errs = validateNonnegative(spec.replicas, child(path, 'replicas'));
  errs.push(...validateNonnegative(spec.minReadySeconds, child(path, 'minReadySeconds')));
  errs.push(...validateSelectorAndTemplate(spec, path, 'deployment', oldTemplate));
  return errs;
}

/** `ValidateReplicaSet`, after defaulting. */
export function validateReplicaSet(rsIn: unknown): FieldError[] {
  const rs = obj(rsIn);
  const errs = validateObjectMeta(rs.metadata, true, nameIsDNSSubdomain, 'metadata');
  errs.push(...validateReplicaSetSpec(obj(rs.spec), 'spec'));
  return errs;
}

/**
 * The ReplicaSet strategy's `ValidateUpdate`: `ValidateReplicaSet` and
 * `ValidateReplicaSetUpdate` (so a spec error is listed twice among the
 * causes, once in the message), then the immutable selector.
 */
export function validateReplicaSetUpdate(rsIn: unknown, oldIn: unknown): FieldError[] {
  const rs = obj(rsIn);
  const old = obj(oldIn);
  const errs = validateReplicaSet(rs);
  errs.push(...validateObjectMetaUpdate(rs.metadata, old.metadata, 'metadata'));
  errs.push(...validateReplicaSetSpec(obj(rs.spec), 'spec', obj(obj(old.spec).template)));
  errs.push(...validateImmutableSelector(obj(rs.spec).selector, obj(old.spec).selector, 'spec.selector'));
  return errs;
}

/** `ValidateReplicaSetStatus`. */
function validateReplicaSetStatus(status: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const f of ['replicas', 'fullyLabeledReplicas', 'readyReplicas', 'availableReplicas', 'observedGeneration']) {
    errs.push(...validateNonnegative(status[f], child(path, f)));
  }
  const n = (f: string): number => (typeof status[f] === 'number' ? status[f] : 0);
  const msg = 'cannot be greater than status.replicas';
  if (n('fullyLabeledReplicas') > n('replicas')) errs.push(invalid(child(path, 'fullyLabeledReplicas'), n('fullyLabeledReplicas'), msg));
  if (n('readyReplicas') > n('replicas')) errs.push(invalid(child(path, 'readyReplicas'), n('readyReplicas'), msg));
  if (n('availableReplicas') > n('replicas')) errs.push(invalid(child(path, 'availableReplicas'), n('availableReplicas'), msg));
  if (n('availableReplicas') > n('readyReplicas')) errs.push(invalid(child(path, 'availableReplicas'), n('availableReplicas'), 'cannot be greater than readyReplicas'));
  return errs;
}

/** `ValidateReplicaSetStatusUpdate`. */
export function validateReplicaSetStatusUpdate(rsIn: unknown, oldIn: unknown): FieldError[] {
  const rs = obj(rsIn);
  const old = obj(oldIn);
  const errs = validateObjectMetaUpdate(rs.metadata, old.metadata, 'metadata');
  errs.push(...validateReplicaSetStatus(obj(rs.status), 'status'));
  return errs;
}
