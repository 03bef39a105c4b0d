/**
 * Defaults for persistent storage: `SetDefaults_PersistentVolume`,
 * `SetDefaults_PersistentVolumeClaim(Spec)` and `SetDefaults_HostPathVolumeSource`
 * of kubernetes `pkg/apis/core/v1/defaults.go`, `SetDefaults_StorageClass` of
 * `pkg/apis/storage/v1/defaults.go` (v1.33), canonical quantities, and the
 * DefaultStorageClass admission plugin's choice of class
 * (`plugin/pkg/admission/storage/storageclass/setdefault`).
 */
import type { PersistentVolume, PersistentVolumeClaim } from 'kubernetes-types/core/v1.js';
import type { StorageClass } from 'kubernetes-types/storage/v1.js';
import { setOwn } from '../json-object.ts';
import { canonicalResourceQuantity, tryParseQuantity } from '../validation/quantity.ts';

export const IsDefaultStorageClassAnnotation = 'storageclass.kubernetes.io/is-default-class';
export const BetaIsDefaultStorageClassAnnotation = 'storageclass.beta.kubernetes.io/is-default-class';
export const BetaStorageClassAnnotation = 'volume.beta.kubernetes.io/storage-class';

function canonicalList(list: Record<string, unknown> | undefined): void {
  if (!list) return;
  for (const [k, v] of Object.entries(list)) setOwn(list, k, canonicalResourceQuantity(v));
}

export function defaultPersistentVolume(pv: PersistentVolume): void {
  const spec = (pv.spec ??= {});
  spec.persistentVolumeReclaimPolicy ||= 'Retain';
  spec.volumeMode ??= 'Filesystem';
  if (spec.hostPath) spec.hostPath.type ??= '';
  canonicalList(spec.capacity);
}

export function defaultPersistentVolumeClaim(pvc: PersistentVolumeClaim): void {
  const spec = (pvc.spec ??= {});
  spec.volumeMode ??= 'Filesystem';
  canonicalList(spec.resources?.requests);
  canonicalList(spec.resources?.limits);
}

export function defaultStorageClass(sc: StorageClass): void {
  sc.reclaimPolicy ??= 'Delete';
  sc.volumeBindingMode ??= 'Immediate';
}

/** `storageutil.IsDefaultAnnotation`. */
export function isDefaultStorageClass(sc: StorageClass): boolean {
  const a = sc.metadata?.annotations ?? {};
  return a[IsDefaultStorageClassAnnotation] === 'true' || a[BetaIsDefaultStorageClassAnnotation] === 'true';
}

/**
 * `GetDefaultClass`: of the classes marked default, the newest (by
 * creationTimestamp, then name), as kube-apiserver has chosen since v1.26.
 */
export function defaultStorageClassOf(classes: readonly StorageClass[]): StorageClass | undefined {
  const defaults = classes.filter(isDefaultStorageClass);
  defaults.sort((a, b) => {
    const ta = Date.parse(a.metadata?.creationTimestamp ?? '') || 0;
    const tb = Date.parse(b.metadata?.creationTimestamp ?? '') || 0;
    if (ta !== tb) return tb - ta;
    return (a.metadata?.name ?? '') < (b.metadata?.name ?? '') ? -1 : 1;
  });
  return defaults[0];
}

/**
 * The DefaultStorageClass admission plugin on create: a claim that names no
 * class (neither `storageClassName` nor the beta annotation) gets the default
 * class's name, if there is one. Mutates `pvc`.
 */
export function admitDefaultStorageClass(pvc: PersistentVolumeClaim, classes: readonly StorageClass[]): void {
  if (pvc.spec?.storageClassName !== undefined && pvc.spec?.storageClassName !== null) return;
  if (pvc.metadata?.annotations && Object.hasOwn(pvc.metadata.annotations, BetaStorageClassAnnotation)) return;
  const def = defaultStorageClassOf(classes);
  if (!def?.metadata?.name) return;
  (pvc.spec ??= {}).storageClassName = def.metadata.name;
}

/**
 * The PersistentVolumeClaimResize admission plugin: a claim's storage
 * request may grow only when it is bound and its class allows expansion.
 * Returns the refusal (the text of kube-apiserver's Forbidden) or undefined.
 */
export function claimResizeRefusal(pvc: PersistentVolumeClaim, old: PersistentVolumeClaim, classes: readonly StorageClass[]): string | undefined {
  const newSize = tryParseQuantity(pvc.spec?.resources?.requests?.storage);
  const oldSize = tryParseQuantity(old.spec?.resources?.requests?.storage);
  if (!newSize || !oldSize || newSize.cmp(oldSize) <= 0) return undefined;
  if (old.status?.phase !== 'Bound') return 'Only bound persistent volume claims can be expanded';
  const ann = pvc.metadata?.annotations ?? {};
  const className = Object.hasOwn(ann, BetaStorageClassAnnotation) ? ann[BetaStorageClassAnnotation] : (pvc.spec?.storageClassName ?? '');
  const sc = className ? classes.find((c) => c.metadata?.name === className) : undefined;
  if (sc?.allowVolumeExpansion !== true) {
    return 'only dynamically provisioned pvc can be resized and the storageclass that provisions the pvc must support resize';
  }
  return undefined;
}

/** What kind ships as its default class (and k3s as `local-path`): rancher's local-path provisioner, bound on first use. */
export function defaultStandardStorageClass(): StorageClass {
  return {
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: { name: 'standard', annotations: { [IsDefaultStorageClassAnnotation]: 'true' } },
    provisioner: 'rancher.io/local-path',
    reclaimPolicy: 'Delete',
    volumeBindingMode: 'WaitForFirstConsumer',
  };
}
