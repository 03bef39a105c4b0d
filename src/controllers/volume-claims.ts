/**
 * Persistent volume claims as several controllers see them (the PV binder,
 * the local-path provisioner, pvc-protection, ephemeral-volume): the
 * annotations of kubernetes `pkg/controller/volume/persistentvolume/util`
 * (v1.33), a claim's and a volume's storage class, the claim names a pod
 * uses, and when a pod is done with them. Pure.
 */
import type { PersistentVolume, PersistentVolumeClaim, Pod } from 'kubernetes-types/core/v1.js';

export const AnnBindCompleted = 'pv.kubernetes.io/bind-completed';
export const AnnBoundByController = 'pv.kubernetes.io/bound-by-controller';
export const AnnDynamicallyProvisioned = 'pv.kubernetes.io/provisioned-by';
export const AnnSelectedNode = 'volume.kubernetes.io/selected-node';
export const AnnStorageProvisioner = 'volume.kubernetes.io/storage-provisioner';
export const AnnBetaStorageProvisioner = 'volume.beta.kubernetes.io/storage-provisioner';
const AnnBetaStorageClass = 'volume.beta.kubernetes.io/storage-class';

/** `GetPersistentVolumeClaimClass`. */
export function claimClass(claim: PersistentVolumeClaim): string {
  const ann = claim.metadata?.annotations ?? {};
  if (Object.hasOwn(ann, AnnBetaStorageClass)) return ann[AnnBetaStorageClass]!;
  return claim.spec?.storageClassName ?? '';
}

/** `GetPersistentVolumeClass`. */
export function volumeClass(pv: PersistentVolume): string {
  const ann = pv.metadata?.annotations ?? {};
  if (Object.hasOwn(ann, AnnBetaStorageClass)) return ann[AnnBetaStorageClass]!;
  return pv.spec?.storageClassName ?? '';
}

/** `ephemeral.VolumeClaimName`: the claim of a generic ephemeral volume is `<pod>-<volume>`. */
export function ephemeralClaimName(pod: Pod, volumeName: string): string {
  return `${pod.metadata?.name ?? ''}-${volumeName}`;
}

/** The claim names a pod's volumes use (persistentVolumeClaim and generic ephemeral volumes). */
export function claimNamesOf(pod: Pod): string[] {
  const out: string[] = [];
  for (const v of pod.spec?.volumes ?? []) {
    if (v.persistentVolumeClaim?.claimName) out.push(v.persistentVolumeClaim.claimName);
    else if (v.ephemeral) out.push(ephemeralClaimName(pod, v.name));
  }
  return out;
}

/** Succeeded or Failed: the pod will never run again. */
export function podIsTerminal(pod: Pod): boolean {
  return pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
}
