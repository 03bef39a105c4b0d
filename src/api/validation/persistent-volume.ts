/**
 * PersistentVolumes and PersistentVolumeClaims: validation.go
 * `ValidatePersistentVolume`, `ValidatePersistentVolumeUpdate`,
 * `ValidatePersistentVolumeStatusUpdate`, `ValidatePersistentVolumeClaim`,
 * `ValidatePersistentVolumeClaimUpdate` and `ValidatePersistentVolumeClaimStatusUpdate`
 * (v1.33, RecoverVolumeExpansionFailure on, VolumeAttributesClass off).
 *
 * Volume sources: berth mounts hostPath and local volumes; the other sources
 * count for "exactly one volume type" but their fields are not checked.
 */
import { goSyntax, type FieldError, type GoSyntax } from '../field-error.ts';
import { child, forbidden, index, invalid, key, list, notSupported, obj, required, str, type Obj } from './field-errors.ts';
import { validateObjectMeta, validateObjectMetaUpdate } from './object-meta.ts';
import { validateLabelSelector } from './pod-spec.ts';
import { tryParseQuantity } from './quantity.ts';
import { goCmpDiff } from './spec-diff.ts';
import { specEqual } from './spec-equal.ts';
import { isDNS1123Subdomain, nameIsDNSSubdomain } from './string-formats.ts';
import { validateHostPathVolumeSource, validatePathNoBacksteps } from './volumes.ts';

export const supportedAccessModes = ['ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOncePod'];
export const supportedReclaimPolicies = ['Delete', 'Recycle', 'Retain'];
export const supportedVolumeModes = ['Block', 'Filesystem'];

/** PersistentVolumeSource fields in the order `ValidatePersistentVolumeSpec` checks them. */
const pvSources = [
  'hostPath',
  'gcePersistentDisk',
  'awsElasticBlockStore',
  'glusterfs',
  'flocker',
  'nfs',
  'rbd',
  'quobyte',
  'cephfs',
  'iscsi',
  'cinder',
  'fc',
  'flexVolume',
  'azureFile',
  'vsphereVolume',
  'photonPersistentDisk',
  'portworxVolume',
  'azureDisk',
  'scaleIO',
  'local',
  'storageos',
  'csi',
] as const;

/** `%#v` of a core.ResourceList, as field errors print a map (quantities shown by their text). */
function resourceListGoSyntax(list: Obj): GoSyntax {
  const keys = Object.keys(list).sort();
  return goSyntax(`core.ResourceList{${keys.map((k) => `${JSON.stringify(k)}:${JSON.stringify(String(list[k]))}`).join(', ')}}`);
}

/** `ValidateClassName`: a DNS subdomain. */
function validateClassName(name: string, path: string): FieldError[] {
  return isDNS1123Subdomain(name).map((msg) => invalid(path, name, msg));
}

/** `ValidatePositiveQuantityValue` (with `validateBasicResource`'s parse). */
function validatePositiveQuantity(v: unknown, path: string): FieldError[] {
  const q = tryParseQuantity(v);
  if (!q) return [invalid(path, v, 'quantities must match the regular expression \'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$\'')];
  if (q.sign() <= 0) return [invalid(path, q.toString(), 'must be greater than zero')];
  return [];
}

function validateAccessModes(modes: string[], path: string, emptyDetail: string): FieldError[] {
  const errs: FieldError[] = [];
  if (modes.length === 0) errs.push(required(path, emptyDetail));
  let rwop = false;
  let other = false;
  for (const m of modes) {
    if (!supportedAccessModes.includes(m)) errs.push(notSupported(path, m, supportedAccessModes));
    if (m === 'ReadWriteOncePod') rwop = true;
    else if (supportedAccessModes.includes(m)) other = true;
  }
  if (rwop && other) errs.push(forbidden(path, 'may not use ReadWriteOncePod with other access modes'));
  return errs;
}

/** `validateLocalVolumeSource`: an absolute path without backsteps. */
function validateLocalSource(src: Obj, path: string): FieldError[] {
  const p = str(src.path);
  if (!p) return [required(child(path, 'path'))];
  const errs = validatePathNoBacksteps(p, child(path, 'path'));
  if (!p.startsWith('/')) errs.push(invalid(child(path, 'path'), p, 'must be an absolute path'));
  return errs;
}

/** `validateVolumeNodeAffinity`: returns whether it is specified. */
function validateVolumeNodeAffinity(na: unknown, path: string): { specified: boolean; errs: FieldError[] } {
  if (na === undefined || na === null) return { specified: false, errs: [] };
  const req = obj(na).required;
  if (req === undefined || req === null) return { specified: true, errs: [required(child(path, 'required'), 'must specify required node constraints')] };
  const terms = list(obj(req).nodeSelectorTerms);
  const tp = child(child(path, 'required'), 'nodeSelectorTerms');
  if (terms.length === 0) return { specified: true, errs: [required(tp, 'must have at least one node selector term')] };
  const errs: FieldError[] = [];
  terms.forEach((t, i) => {
    for (const [j, rq] of list(t.matchExpressions).entries()) {
      if (!str(rq.key)) errs.push(required(child(index(child(index(tp, i), 'matchExpressions'), j), 'key')));
    }
  });
  return { specified: true, errs };
}

export function validatePersistentVolumeSpec(specIn: unknown, path = 'spec'): FieldError[] {
  const spec = obj(specIn);
  const errs = validateAccessModes(list(spec.accessModes) as unknown as string[], child(path, 'accessModes'), '');
  const capacity = obj(spec.capacity);
  const capKeys = Object.keys(capacity);
  if (capKeys.length === 0) errs.push(required(child(path, 'capacity')));
  if (!Object.hasOwn(capacity, 'storage') || capKeys.length > 1) errs.push(notSupported(child(path, 'capacity'), spec.capacity === undefined || spec.capacity === null ? goSyntax('core.ResourceList(nil)') : resourceListGoSyntax(capacity), ['storage']));
  for (const k of capKeys) errs.push(...validatePositiveQuantity(capacity[k], key(child(path, 'capacity'), k)));
  const policy = str(spec.persistentVolumeReclaimPolicy);
  if (policy && !supportedReclaimPolicies.includes(policy)) {
    errs.push(notSupported(child(path, 'persistentVolumeReclaimPolicy'), policy, supportedReclaimPolicies));
  }
  const na = validateVolumeNodeAffinity(spec.nodeAffinity, child(path, 'nodeAffinity'));
  errs.push(...na.errs);
  let numVolumes = 0;
  for (const s of pvSources) {
    if (spec[s] === undefined || spec[s] === null) continue;
    // flexVolume is counted without the "more than 1" check, as upstream.
    if (numVolumes > 0 && s !== 'flexVolume') {
      errs.push(forbidden(child(path, s === 'cephfs' ? 'cephFS' : s), 'may not specify more than 1 volume type'));
      continue;
    }
    numVolumes++;
    if (s === 'hostPath') errs.push(...validateHostPathVolumeSource(obj(spec.hostPath), child(path, 'hostPath')));
    if (s === 'local') {
      errs.push(...validateLocalSource(obj(spec.local), child(path, 'local')));
      if (!na.specified) errs.push(required(child(path, 'nodeAffinity'), 'Local volume requires node affinity'));
    }
  }
  if (numVolumes === 0) errs.push(required(path, 'must specify a volume type'));
  if (spec.hostPath && normalizePath(str(obj(spec.hostPath).path)) === '/' && policy === 'Recycle') {
    errs.push(forbidden(child(path, 'persistentVolumeReclaimPolicy'), "may not be 'recycle' for a hostPath mount of '/'"));
  }
  if (str(spec.storageClassName)) errs.push(...validateClassName(str(spec.storageClassName), child(path, 'storageClassName')));
  if (typeof spec.volumeMode === 'string' && !supportedVolumeModes.includes(spec.volumeMode)) {
    errs.push(notSupported(child(path, 'volumeMode'), spec.volumeMode, supportedVolumeModes));
  }
  return errs;
}

/** Go's `path.Clean` for the `/` check. */
function normalizePath(p: string): string {
  const parts: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') parts.pop();
    else parts.push(seg);
  }
  return p.startsWith('/') ? `/${parts.join('/')}` : parts.join('/') || '.';
}

export function validatePersistentVolume(pvIn: unknown): FieldError[] {
  const pv = obj(pvIn);
  return [...validateObjectMeta(pv.metadata, false, nameIsDNSSubdomain, 'metadata'), ...validatePersistentVolumeSpec(pv.spec)];
}

const pvNonSourceFields = new Set([
  'accessModes',
  'capacity',
  'claimRef',
  'persistentVolumeReclaimPolicy',
  'storageClassName',
  'mountOptions',
  'volumeMode',
  'nodeAffinity',
  'volumeAttributesClassName',
]);

function volumeSource(spec: Obj): Record<string, unknown> {
  return Object.fromEntries(Object.entries(spec).filter(([k]) => !pvNonSourceFields.has(k)));
}

export function validatePersistentVolumeUpdate(newIn: unknown, oldIn: unknown): FieldError[] {
  const n = obj(newIn);
  const o = obj(oldIn);
  const errs = validatePersistentVolume(n);
  const newSource = volumeSource(obj(n.spec));
  const oldSource = volumeSource(obj(o.spec));
  if (!specEqual('PersistentVolumeSpec', newSource, oldSource)) {
    const diff = goCmpDiff('core.PersistentVolumeSource', oldSource, newSource, (a, b) => specEqual('*', a, b));
    errs.push(forbidden('spec.persistentvolumesource', `spec.persistentvolumesource is immutable after creation\n${diff}`));
  }
  if (obj(n.spec).volumeMode !== obj(o.spec).volumeMode) errs.push(invalid('volumeMode', obj(n.spec).volumeMode ?? null, 'field is immutable'));
  if (obj(o.spec).nodeAffinity && !specEqual('VolumeNodeAffinity', obj(n.spec).nodeAffinity, obj(o.spec).nodeAffinity)) {
    errs.push(invalid('nodeAffinity', obj(n.spec).nodeAffinity ?? null, 'field is immutable'));
  }
  return errs;
}

/** `ValidatePersistentVolumeStatusUpdate` and `ValidatePersistentVolumeClaimStatusUpdate`'s common part. */
export function validateVolumeStatusUpdate(newIn: unknown, oldIn: unknown): FieldError[] {
  const n = obj(newIn);
  const errs = validateObjectMetaUpdate(n.metadata, obj(oldIn).metadata, 'metadata');
  if (!str(obj(n.metadata).resourceVersion)) errs.push(required('resourceVersion'));
  return errs;
}

export function validatePersistentVolumeClaimSpec(specIn: unknown, path = 'spec'): FieldError[] {
  const spec = obj(specIn);
  const errs: FieldError[] = [];
  const modes = list(spec.accessModes) as unknown as string[];
  if (modes.length === 0) errs.push(required(child(path, 'accessModes'), 'at least 1 access mode is required'));
  if (spec.selector !== undefined && spec.selector !== null) errs.push(...validateLabelSelector(spec.selector, child(path, 'selector')));
  errs.push(...validateAccessModes(modes, child(path, 'accessModes'), '').filter((e) => e.type !== 'FieldValueRequired'));
  const requests = obj(obj(spec.resources).requests);
  const storagePath = key(child(path, 'resources'), 'storage');
  if (!Object.hasOwn(requests, 'storage')) errs.push(required(storagePath));
  else errs.push(...validatePositiveQuantity(requests.storage, storagePath));
  if (str(spec.storageClassName)) errs.push(...validateClassName(str(spec.storageClassName), child(path, 'storageClassName')));
  if (typeof spec.volumeMode === 'string' && !supportedVolumeModes.includes(spec.volumeMode)) {
    errs.push(notSupported(child(path, 'volumeMode'), spec.volumeMode, supportedVolumeModes));
  }
  for (const ds of ['dataSource', 'dataSourceRef']) {
    const ref = spec[ds];
    if (ref === undefined || ref === null) continue;
    const r = obj(ref);
    const dp = child(path, ds);
    if (!str(r.name)) errs.push(required(child(dp, 'name')));
    if (!str(r.kind)) errs.push(required(child(dp, 'kind')));
    if (!str(r.apiGroup) && str(r.kind) !== 'PersistentVolumeClaim') {
      errs.push(invalid(dp, str(r.kind), "must be 'PersistentVolumeClaim' when referencing the default apiGroup"));
    }
  }
  return errs;
}

export function validatePersistentVolumeClaim(pvcIn: unknown): FieldError[] {
  const pvc = obj(pvcIn);
  return [...validateObjectMeta(pvc.metadata, true, nameIsDNSSubdomain, 'metadata'), ...validatePersistentVolumeClaimSpec(pvc.spec)];
}

const betaStorageClassAnnotation = 'volume.beta.kubernetes.io/storage-class';

export function validatePersistentVolumeClaimUpdate(newIn: unknown, oldIn: unknown): FieldError[] {
  const n = obj(newIn);
  const o = obj(oldIn);
  const errs = validateObjectMetaUpdate(n.metadata, o.metadata, 'metadata');
  errs.push(...validatePersistentVolumeClaim(n));
  const newSpec: Obj = structuredClone(obj(n.spec));
  const oldSpec: Obj = structuredClone(obj(o.spec));
  // The binder sets volumeName once.
  if (!str(oldSpec.volumeName)) oldSpec.volumeName = newSpec.volumeName;
  const oldAnn = obj(obj(o.metadata).annotations);
  const newAnn = obj(obj(n.metadata).annotations);
  const upgradeFromAnnotation =
    Object.hasOwn(oldAnn, betaStorageClassAnnotation) &&
    oldSpec.storageClassName === undefined &&
    typeof newSpec.storageClassName === 'string' &&
    newSpec.storageClassName === oldAnn[betaStorageClassAnnotation] &&
    (!Object.hasOwn(newAnn, betaStorageClassAnnotation) || newAnn[betaStorageClassAnnotation] === oldAnn[betaStorageClassAnnotation]);
  if (upgradeFromAnnotation) {
    delete newSpec.storageClassName;
  } else {
    if (newAnn[betaStorageClassAnnotation] !== oldAnn[betaStorageClassAnnotation]) {
      errs.push(invalid(key('metadata.annotations', betaStorageClassAnnotation), newAnn[betaStorageClassAnnotation] ?? '', 'field is immutable'));
    }
    // `validateStorageClassUpgradeFromNil`: a nil class may be set once (retroactive default class).
    const oldAnnClass = oldAnn[betaStorageClassAnnotation];
    if (
      oldSpec.storageClassName === undefined &&
      typeof newSpec.storageClassName === 'string' &&
      (oldAnnClass === undefined || oldAnnClass === newSpec.storageClassName)
    ) {
      newSpec.storageClassName = oldSpec.storageClassName;
      if (newSpec.storageClassName === undefined) delete newSpec.storageClassName;
    }
  }
  const bound = obj(n.status).phase === 'Bound';
  if (bound && newSpec.resources && obj(newSpec.resources).requests) {
    const req = obj(obj(newSpec.resources).requests);
    const oldReq = obj(obj(obj(o.spec).resources).requests);
    if (Object.hasOwn(oldReq, 'storage')) req.storage = oldReq.storage;
    else delete req.storage;
  }
  newSpec.volumeAttributesClassName = oldSpec.volumeAttributesClassName;
  if (newSpec.volumeAttributesClassName === undefined) delete newSpec.volumeAttributesClassName;
  if (!specEqual('PersistentVolumeClaimSpec', newSpec, oldSpec)) {
    const diff = goCmpDiff('core.PersistentVolumeClaimSpec', oldSpec, newSpec, (a, b) => specEqual('*', a, b));
    errs.push(forbidden('spec', `spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims\n${diff}`));
  }
  const oldSize = tryParseQuantity(obj(obj(obj(o.spec).resources).requests).storage);
  const newSize = tryParseQuantity(obj(obj(obj(n.spec).resources).requests).storage);
  const statusSize = tryParseQuantity(obj(obj(o.status).capacity).storage);
  if (oldSize && newSize && newSize.cmp(oldSize) < 0) {
    // RecoverVolumeExpansionFailure: down to, but not at or below, the recorded capacity.
    if (statusSize ? newSize.cmp(statusSize) <= 0 : newSize.sign() <= 0) {
      errs.push(forbidden('spec.resources.requests.storage', 'field can not be less than status.capacity'));
    }
  }
  if (obj(n.spec).volumeMode !== obj(o.spec).volumeMode) errs.push(invalid('volumeMode', obj(n.spec).volumeMode ?? null, 'field is immutable'));
  return errs;
}
