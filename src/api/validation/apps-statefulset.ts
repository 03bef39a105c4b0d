/**
 * apps/v1 StatefulSet validation (kubernetes v1.33 pkg/apis/apps/validation
 * `ValidateStatefulSet`, `ValidateStatefulSetUpdate`,
 * `ValidateStatefulSetStatusUpdate`).
 *
 * Unlike the other workloads, the pod template's PodSpec is not validated
 * here (upstream's ValidatePodTemplateSpecForStatefulSet leaves it as a
 * TODO): only the template's labels and annotations, restartPolicy and
 * activeDeadlineSeconds. An invalid PodSpec surfaces as FailedCreate events
 * when the controller creates the pods. The volumeClaimTemplates are not
 * validated either. The name must be a DNS label.
 */
import { goQuote } from '../go-format.ts';
import type { FieldError } from '../field-error.ts';
import { goIntOrString, goLabelSelector } from './apps-go-syntax.ts';
import { compileSelector, intOrPercentValue, isNotMoreThan100Percent, selectorMismatch, validateCollisionCountUpdate, validateNonnegative, validatePositiveIntOrPercent } from './apps-template.ts';
import { child, forbidden, invalid, invalidGoSyntax, isObj, list, notSupported, obj, required, str, type Obj } from './field-errors.ts';
import { validateAnnotations, validateLabels, validateObjectMeta, validateObjectMetaUpdate } from './object-meta.ts';
import { deletionCostValid, validatePodAnnotations } from './pod.ts';
import { validateLabelSelector } from './pod-spec.ts';
import { nameIsDNSLabel } from './string-formats.ts';

const deletionCostAnnotation = 'controller.kubernetes.io/pod-deletion-cost';

/** `%#v` of the *IntOrString inside a struct: a non-nil pointer prints as an address. */
function goPointer(type: string, v: unknown): string {
  return v === undefined || v === null ? `(*${type})(nil)` : `(*${type})(0xc000000000)`;
}

/** `%#v` of an apps.RollingUpdateStatefulSetStrategy (a field.Invalid value is dereferenced). */
function goRollingUpdate(ru: Obj): string {
  const partition = typeof ru.partition === 'number' ? ru.partition : 0;
  return `apps.RollingUpdateStatefulSetStrategy{Partition:${partition}, MaxUnavailable:${goPointer('intstr.IntOrString', ru.maxUnavailable)}}`;
}

/** `%#v` of an apps.StatefulSetUpdateStrategy. */
function goUpdateStrategy(s: Obj): string {
  return `apps.StatefulSetUpdateStrategy{Type:${goQuote(str(s.type))}, RollingUpdate:${goPointer('apps.RollingUpdateStatefulSetStrategy', s.rollingUpdate)}}`;
}

/** `validateRollingUpdateStatefulSet`: partition non-negative; maxUnavailable a positive int or 1–100%. */
function validateRollingUpdate(ru: Obj, path: string): FieldError[] {
  const errs = validateNonnegative(ru.partition, child(path, 'partition'));
  const mu = ru.maxUnavailable;
  if (mu !== undefined && mu !== null) {
    const p = child(path, 'maxUnavailable');
    errs.push(...validatePositiveIntOrPercent(mu, p, goIntOrString(mu)));
    if (intOrPercentValue(mu) === 0) errs.push(invalidGoSyntax(p, goIntOrString(mu), 'cannot be 0'));
    errs.push(...isNotMoreThan100Percent(mu, p, goIntOrString(mu)));
  }
  return errs;
}

function validateRetentionPolicyType(v: unknown, path: string): FieldError[] {
  const s = str(v);
  return s === 'Retain' || s === 'Delete' ? [] : [notSupported(path, s, ['Retain', 'Delete'])];
}

/** `ValidatePodTemplateSpecForStatefulSet` (the `template == nil` case cannot arise: the field is a struct). */
function validateTemplate(template: Obj, sel: ReturnType<typeof compileSelector>, path: string, oldTemplate?: Obj): FieldError[] {
  const errs: FieldError[] = [];
  const meta = obj(template.metadata);
  if (sel && !sel.everything && !sel.matches(obj(meta.labels))) errs.push(selectorMismatch(template, path));
  errs.push(...validateLabels(meta.labels, child(path, 'labels')));
  errs.push(...validateAnnotations(meta.annotations, child(path, 'annotations')));
  const oldAnn = obj(obj(oldTemplate?.metadata).annotations);
  const allowInvalidCost = Object.hasOwn(oldAnn, deletionCostAnnotation) && !deletionCostValid(str(oldAnn[deletionCostAnnotation]));
  errs.push(...validatePodAnnotations(obj(meta.annotations), obj(template.spec), child(path, 'annotations'), allowInvalidCost));
  return errs;
}

/** `ValidateStatefulSetSpec`. */
function validateStatefulSetSpec(spec: Obj, path: string, oldTemplate?: Obj): FieldError[] {
  const errs: FieldError[] = [];
  const policy = str(spec.podManagementPolicy);
  if (policy === '') errs.push(required(child(path, 'podManagementPolicy')));
  else if (policy !== 'OrderedReady' && policy !== 'Parallel') errs.push(invalid(child(path, 'podManagementPolicy'), policy, "must be 'OrderedReady' or 'Parallel'"));

  const strategy = obj(spec.updateStrategy);
  const strategyPath = child(path, 'updateStrategy');
  switch (str(strategy.type)) {
    case '':
      errs.push(required(strategyPath));
      break;
    case 'OnDelete':
      if (isObj(strategy.rollingUpdate)) {
        errs.push(invalidGoSyntax(child(strategyPath, 'rollingUpdate'), goRollingUpdate(strategy.rollingUpdate), "only allowed for updateStrategy 'RollingUpdate'"));
      }
      break;
    case 'RollingUpdate':
      if (isObj(strategy.rollingUpdate)) errs.push(...validateRollingUpdate(strategy.rollingUpdate, child(strategyPath, 'rollingUpdate')));
      break;
    default:
      errs.push(invalidGoSyntax(strategyPath, goUpdateStrategy(strategy), "must be 'RollingUpdate' or 'OnDelete'"));
  }

  if (isObj(spec.persistentVolumeClaimRetentionPolicy)) {
    const p = spec.persistentVolumeClaimRetentionPolicy;
    const pp = child(path, 'persistentVolumeClaimRetentionPolicy');
    errs.push(...validateRetentionPolicyType(p.whenDeleted, child(pp, 'whenDeleted')));
    errs.push(...validateRetentionPolicyType(p.whenScaled, child(pp, 'whenScaled')));
  }

  errs.push(...validateNonnegative(spec.replicas, child(path, 'replicas')));
  errs.push(...validateNonnegative(spec.minReadySeconds, child(path, 'minReadySeconds')));
  if (isObj(spec.ordinals)) errs.push(...validateNonnegative(spec.ordinals.start, child(path, 'ordinals.start')));

  const sel = spec.selector;
  const selPath = child(path, 'selector');
  if (sel === undefined || sel === null) {
    errs.push(required(selPath));
  } else {
    errs.push(...validateLabelSelector(sel, selPath));
    if (Object.keys(obj(obj(sel).matchLabels)).length + list(obj(sel).matchExpressions).length === 0) {
      errs.push(invalidGoSyntax(selPath, goLabelSelector(sel), 'empty selector is invalid for statefulset'));
    }
  }
  const compiled = compileSelector(sel);
  const template = obj(spec.template);
  // A nil selector converts to labels.Nothing(), which is not Empty: the template labels never match it.
  if (!compiled) errs.push(invalidGoSyntax(selPath, goLabelSelector(sel), ''));
  else errs.push(...validateTemplate(template, compiled, child(path, 'template'), oldTemplate));

  const podSpec = obj(template.spec);
  const restartPolicy = str(podSpec.restartPolicy);
  if (restartPolicy !== 'Always') errs.push(notSupported(child(path, 'template.spec.restartPolicy'), restartPolicy, ['Always']));
  if (podSpec.activeDeadlineSeconds !== undefined && podSpec.activeDeadlineSeconds !== null) {
    errs.push(forbidden(child(path, 'template.spec.activeDeadlineSeconds'), 'activeDeadlineSeconds in StatefulSet is not Supported'));
  }
  return errs;
}

/** `ValidateStatefulSet`, after defaulting. */
export function validateStatefulSet(ssIn: unknown): FieldError[] {
  const ss = obj(ssIn);
  const errs = validateObjectMeta(ss.metadata, true, nameIsDNSLabel, 'metadata');
  errs.push(...validateStatefulSetSpec(obj(ss.spec), 'spec'));
  return errs;
}

const updatableFields = ['replicas', 'template', 'updateStrategy', 'minReadySeconds', 'ordinals', 'persistentVolumeClaimRetentionPolicy'];

/** Semantic.DeepEqual over decoded JSON: absent, null, empty maps and empty lists alike. */
function semanticEqual(a: unknown, b: unknown): boolean {
  const empty = (v: unknown) => v === undefined || v === null || (Array.isArray(v) && v.length === 0) || (isObj(v) && Object.keys(v).length === 0);
  if (empty(a) && empty(b)) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => semanticEqual(x, b[i]));
  if (isObj(a) && isObj(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys) if (!semanticEqual(a[k], b[k])) return false;
    return true;
  }
  return a === b;
}

/**
 * The strategy's `ValidateUpdate` (`ValidateStatefulSetUpdate`): metadata
 * update rules (the name is not validated again), the spec, and only
 * replicas, ordinals, template, updateStrategy,
 * persistentVolumeClaimRetentionPolicy and minReadySeconds may change.
 */
export function validateStatefulSetUpdate(ssIn: unknown, oldIn: unknown): FieldError[] {
  const ss = obj(ssIn);
  const old = obj(oldIn);
  const spec = obj(ss.spec);
  const oldSpec = obj(old.spec);
  const errs = validateObjectMetaUpdate(ss.metadata, old.metadata, 'metadata');
  errs.push(...validateStatefulSetSpec(spec, 'spec', obj(oldSpec.template)));
  const rest = (s: Obj) => Object.fromEntries(Object.entries(s).filter(([k]) => !updatableFields.includes(k)));
  if (!semanticEqual(rest(spec), rest(oldSpec))) {
    errs.push(
      forbidden(
        'spec',
        "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
      ),
    );
  }
  return errs;
}

/** `ValidateStatefulSetStatus`. */
function validateStatefulSetStatus(status: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const f of ['replicas', 'readyReplicas', 'currentReplicas', 'updatedReplicas', 'availableReplicas']) errs.push(...validateNonnegative(status[f], child(path, f)));
  if (typeof status.observedGeneration === 'number') errs.push(...validateNonnegative(status.observedGeneration, child(path, 'observedGeneration')));
  if (typeof status.collisionCount === 'number') errs.push(...validateNonnegative(status.collisionCount, child(path, 'collisionCount')));
  const n = (f: string) => (typeof status[f] === 'number' ? (status[f] as number) : 0);
  const msg = 'cannot be greater than status.replicas';
  for (const f of ['readyReplicas', 'currentReplicas', 'updatedReplicas', 'availableReplicas']) {
    if (n(f) > n('replicas')) errs.push(invalid(child(path, f), n(f), msg));
  }
  if (n('availableReplicas') > n('readyReplicas')) errs.push(invalid(child(path, 'availableReplicas'), n('availableReplicas'), 'cannot be greater than status.readyReplicas'));
  return errs;
}

/** `ValidateStatefulSetStatusUpdate`. */
export function validateStatefulSetStatusUpdate(ssIn: unknown, oldIn: unknown): FieldError[] {
  const ss = obj(ssIn);
  const old = obj(oldIn);
  const status = obj(ss.status);
  const errs = validateStatefulSetStatus(status, 'status');
  errs.push(...validateObjectMetaUpdate(ss.metadata, old.metadata, 'metadata'));
  errs.push(...validateCollisionCountUpdate(status, obj(old.status)));
  return errs;
}
