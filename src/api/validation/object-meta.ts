/**
 * `metadata` rules: apimachinery `pkg/api/validation/objectmeta.go`
 * (ValidateObjectMetaAccessor, ValidateObjectMetaAccessorUpdate), meta/v1
 * `ValidateLabels`/`ValidateManagedFields`, plus core's legacy finalizer-name
 * rule (validation.go `validateKubeFinalizerName`).
 */
import type { FieldError } from '../field-error.ts';
import {
  child,
  entries,
  forbidden,
  GO_NIL,
  goStringSlice,
  index,
  invalid,
  invalidGoSyntax,
  list,
  obj,
  required,
  str,
  tooLong,
  type Obj,
} from './field-errors.ts';
import { byteLength, isDNS1123Label, isQualifiedName, isValidLabelValue } from './string-formats.ts';

/** `ValidateNameFunc`: messages for a name; `prefix` when validating generateName. */
export type NameValidator = (name: string, prefix: boolean) => string[];

export const TotalAnnotationSizeLimitB = 256 * (1 << 10);
const FieldImmutableErrorMsg = 'field is immutable';
const standardFinalizers = new Set(['kubernetes', 'orphan', 'foregroundDeletion']);

/** meta/v1 `ValidateLabels`: errors carry the map's path, not the key's. */
export function validateLabels(labels: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const [k, v] of entries(labels)) {
    for (const msg of isQualifiedName(k)) errs.push(invalid(path, k, msg));
    for (const msg of isValidLabelValue(str(v))) errs.push(invalid(path, str(v), msg));
  }
  return errs;
}

/** `ValidateAnnotations`: keys are qualified names ignoring case; 256 KiB in total. */
export function validateAnnotations(annotations: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  let total = 0;
  for (const [k, v] of entries(annotations)) {
    for (const msg of isQualifiedName(k.toLowerCase())) errs.push(invalid(path, k, msg));
    total += byteLength(k) + byteLength(str(v));
  }
  if (total > TotalAnnotationSizeLimitB) errs.push(tooLong(path, TotalAnnotationSizeLimitB));
  return errs;
}

function validateOwnerReferences(refs: Obj[], path: string): FieldError[] {
  const errs: FieldError[] = [];
  let firstController = '';
  for (const ref of refs) {
    const apiVersion = str(ref.apiVersion);
    const version = apiVersion.includes('/') ? apiVersion.split('/').slice(1).join('/') : apiVersion;
    const group = apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
    if (!version) errs.push(invalid(child(path, 'apiVersion'), apiVersion, 'version must not be empty'));
    if (!str(ref.kind)) errs.push(invalid(child(path, 'kind'), str(ref.kind), 'must not be empty'));
    if (!str(ref.name)) errs.push(invalid(child(path, 'name'), str(ref.name), 'must not be empty'));
    if (!str(ref.uid)) errs.push(invalid(child(path, 'uid'), str(ref.uid), 'must not be empty'));
    if (group === '' && version === 'v1' && str(ref.kind) === 'Event') {
      errs.push(invalidGoSyntax(path, goOwnerReference(ref), '/v1, Kind=Event is disallowed from being an owner'));
    }
    if (ref.controller === true) {
      const name = `${str(ref.kind)}/${str(ref.name)}`;
      if (firstController) {
        errs.push(
          invalidGoSyntax(
            path,
            `[]v1.OwnerReference{...}`,
            `Only one reference can have Controller set to true. Found "true" in references for ${firstController} and ${name}`,
          ),
        );
      } else {
        firstController = name;
      }
    }
  }
  return errs;
}

function goOwnerReference(ref: Obj): string {
  return `v1.OwnerReference{APIVersion:"${str(ref.apiVersion)}", Kind:"${str(ref.kind)}", Name:"${str(ref.name)}", UID:"${str(ref.uid)}"}`;
}

function validateFinalizers(finalizers: string[], path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const f of finalizers) for (const msg of isQualifiedName(f)) errs.push(invalid(path, f, msg));
  if (finalizers.includes('orphan') && finalizers.includes('foregroundDeletion')) {
    errs.push(invalidGoSyntax(path, goStringSlice(finalizers), 'finalizer orphan and foregroundDeletion cannot be both set'));
  }
  return errs;
}

/** core `validateKubeFinalizerName`: unqualified finalizers must be one of the standard ones. */
export function validateKubeFinalizerName(name: string, path: string): FieldError[] {
  if (!name.includes('/') && !standardFinalizers.has(name)) {
    return [invalid(path, name, 'name is neither a standard finalizer name nor is it fully qualified')];
  }
  return [];
}

function validateManagedFields(entriesList: Obj[], path: string): FieldError[] {
  const errs: FieldError[] = [];
  entriesList.forEach((e, i) => {
    const p = index(path, i);
    const op = str(e.operation);
    if (op !== 'Apply' && op !== 'Update') errs.push(invalid(child(p, 'operation'), op, 'must be `Apply` or `Update`'));
    const ft = str(e.fieldsType);
    if (ft && ft !== 'FieldsV1') errs.push(invalid(child(p, 'fieldsType'), ft, 'must be `FieldsV1`'));
    const manager = str(e.manager);
    if (byteLength(manager) > 128) errs.push(tooLong(child(p, 'manager'), 128));
    else if (/[^\x20-\x7e\u00a0-\uffff]/u.test(manager)) {
      errs.push(invalid(child(p, 'manager'), manager, 'must only contain printable characters'));
    }
    if (byteLength(str(e.subresource)) > 256) errs.push(tooLong(child(p, 'subresource'), 256));
  });
  return errs;
}

function stringList(v: unknown): string[] {
  return Array.isArray(v) ? v.map((x) => (typeof x === 'string' ? x : String(x))) : [];
}

/**
 * core `ValidateObjectMeta`. The registry generates `name` from
 * `generateName` before validation (as kube-apiserver does); when it has not,
 * a set generateName stands in for the missing name.
 */
export function validateObjectMeta(
  metaIn: unknown,
  requiresNamespace: boolean,
  nameFn: NameValidator,
  path = 'metadata',
): FieldError[] {
  const meta = obj(metaIn);
  const errs: FieldError[] = [];
  const generateName = str(meta.generateName);
  const name = str(meta.name);
  if (generateName) {
    for (const msg of nameFn(generateName, true)) errs.push(invalid(child(path, 'generateName'), generateName, msg));
  }
  if (!name) {
    if (!generateName) errs.push(required(child(path, 'name'), 'name or generateName is required'));
  } else {
    for (const msg of nameFn(name, false)) errs.push(invalid(child(path, 'name'), name, msg));
  }
  errs.push(...validateMetaCommon(meta, requiresNamespace, path));
  const finalizers = stringList(meta.finalizers);
  finalizers.forEach((f, i) => errs.push(...validateKubeFinalizerName(f, index(child(path, 'finalizers'), i))));
  return errs;
}

function validateMetaCommon(meta: Obj, requiresNamespace: boolean, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const namespace = str(meta.namespace);
  if (requiresNamespace) {
    if (!namespace) errs.push(required(child(path, 'namespace')));
    else for (const msg of nameIsNamespace(namespace)) errs.push(invalid(child(path, 'namespace'), namespace, msg));
  } else if (namespace) {
    errs.push(forbidden(child(path, 'namespace'), 'not allowed on this type'));
  }
  const generation = typeof meta.generation === 'number' ? meta.generation : 0;
  if (generation < 0) errs.push(invalid(child(path, 'generation'), generation, 'must be greater than or equal to 0'));
  errs.push(...validateLabels(meta.labels, child(path, 'labels')));
  errs.push(...validateAnnotations(meta.annotations, child(path, 'annotations')));
  errs.push(...validateOwnerReferences(list(meta.ownerReferences), child(path, 'ownerReferences')));
  errs.push(...validateFinalizers(stringList(meta.finalizers), child(path, 'finalizers')));
  errs.push(...validateManagedFields(list(meta.managedFields), child(path, 'managedFields')));
  return errs;
}

/** Namespaces are DNS-1123 labels (ValidateNamespaceName). */
function nameIsNamespace(ns: string): string[] {
  return isDNS1123Label(ns);
}

/** Go's `time.Time.String()` for an RFC 3339 timestamp, in UTC as kube-apiserver runs. */
function goTimeString(v: unknown): string {
  if (typeof v !== 'string' || !v) return '0001-01-01 00:00:00 +0000 UTC';
  const d = new Date(v);
  if (Number.isNaN(d.getTime())) return v;
  const iso = d.toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)} +0000 UTC`;
}

function immutable(newVal: unknown, oldVal: unknown, path: string): FieldError[] {
  if (newVal === oldVal) return [];
  return [invalid(path, newVal === undefined ? '' : newVal, FieldImmutableErrorMsg)];
}

/** core `ValidateObjectMetaUpdate`. */
export function validateObjectMetaUpdate(newIn: unknown, oldIn: unknown, path = 'metadata'): FieldError[] {
  const n = obj(newIn);
  const o = obj(oldIn);
  const errs: FieldError[] = [];
  if (o.deletionTimestamp) {
    const oldSet = new Set(stringList(o.finalizers));
    const extra = [...new Set(stringList(n.finalizers).filter((f) => !oldSet.has(f)))].sort();
    if (extra.length) {
      errs.push(
        forbidden(
          child(path, 'finalizers'),
          `no new finalizers can be added if the object is being deleted, found new finalizers ${goStringSlice(extra)}`,
        ),
      );
    }
  }
  if (!str(n.resourceVersion)) errs.push(invalid(child(path, 'resourceVersion'), '', 'must be specified for an update'));
  const newGen = typeof n.generation === 'number' ? n.generation : 0;
  const oldGen = typeof o.generation === 'number' ? o.generation : 0;
  if (newGen < oldGen) errs.push(invalid(child(path, 'generation'), newGen, 'must not be decremented'));
  errs.push(...immutable(str(n.name), str(o.name), child(path, 'name')));
  errs.push(...immutable(str(n.namespace), str(o.namespace), child(path, 'namespace')));
  errs.push(...immutable(str(n.uid), str(o.uid), child(path, 'uid')));
  if (goTimeString(n.creationTimestamp) !== goTimeString(o.creationTimestamp)) {
    errs.push(invalidGoSyntax(child(path, 'creationTimestamp'), goTimeString(n.creationTimestamp), FieldImmutableErrorMsg));
  }
  const newDel = n.deletionTimestamp ? goTimeString(n.deletionTimestamp) : undefined;
  const oldDel = o.deletionTimestamp ? goTimeString(o.deletionTimestamp) : undefined;
  if (newDel !== oldDel) {
    if (newDel === undefined) errs.push(invalid(child(path, 'deletionTimestamp'), GO_NIL, FieldImmutableErrorMsg));
    else errs.push(invalidGoSyntax(child(path, 'deletionTimestamp'), newDel, FieldImmutableErrorMsg));
  }
  const newGrace = typeof n.deletionGracePeriodSeconds === 'number' ? n.deletionGracePeriodSeconds : undefined;
  const oldGrace = typeof o.deletionGracePeriodSeconds === 'number' ? o.deletionGracePeriodSeconds : undefined;
  if (newGrace !== oldGrace) {
    errs.push(invalid(child(path, 'deletionGracePeriodSeconds'), newGrace ?? GO_NIL, FieldImmutableErrorMsg));
  }
  errs.push(...validateLabels(n.labels, child(path, 'labels')));
  errs.push(...validateAnnotations(n.annotations, child(path, 'annotations')));
  errs.push(...validateOwnerReferences(list(n.ownerReferences), child(path, 'ownerReferences')));
  errs.push(...validateManagedFields(list(n.managedFields), child(path, 'managedFields')));
  stringList(n.finalizers).forEach((f, i) => errs.push(...validateKubeFinalizerName(f, index(child(path, 'finalizers'), i))));
  return errs;
}
