/**
 * The PV controller's decisions (kubernetes `pkg/controller/volume/persistentvolume`
 * pv_controller.go `syncClaim`/`syncVolume`, v1.33), as pure functions of a
 * claim or volume and what the caches hold. The executor (persistentvolume.ts)
 * carries the actions out through the client.
 */
import type { Node, PersistentVolume, PersistentVolumeClaim, Pod } from 'kubernetes-types/core/v1.js';
import type { StorageClass } from 'kubernetes-types/storage/v1.js';
import { AnnBindCompleted, AnnBoundByController, AnnDynamicallyProvisioned, AnnSelectedNode, AnnStorageProvisioner, claimClass } from '../volume-claims.ts';
import { findMatchingVolume, isVolumeBoundToClaim } from './matching.ts';

export interface BinderView {
  volumes: readonly PersistentVolume[];
  volume(name: string): PersistentVolume | undefined;
  claim(namespace: string, name: string): PersistentVolumeClaim | undefined;
  storageClass(name: string): StorageClass | undefined;
  /** Scheduled, non-terminal pods of the claim's namespace that use it. */
  scheduledUsers(claim: PersistentVolumeClaim): Pod[];
  node(name: string): Node | undefined;
}

export type ClaimAction =
  | { type: 'event'; eventType: 'Normal' | 'Warning'; reason: string; message: string }
  | { type: 'bind'; volume: PersistentVolume }
  | { type: 'annotate'; annotations: Record<string, string> }
  | { type: 'phase'; phase: 'Pending' | 'Lost' | 'Bound'; volume?: PersistentVolume };

export type VolumeAction =
  | { type: 'phase'; phase: 'Available' | 'Bound' | 'Released' | 'Failed'; message?: string }
  | { type: 'unbind' }
  | { type: 'event'; eventType: 'Normal' | 'Warning'; reason: string; message: string }
  | { type: 'syncClaim'; namespace: string; name: string };

export const waitForFirstConsumerMessage = 'waiting for first consumer to be created before binding';

export function externalProvisioningMessage(provisioner: string): string {
  return `Waiting for a volume to be created either by the external provisioner '${provisioner}' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.`;
}

/** `syncClaim`. */
export function planClaim(claim: PersistentVolumeClaim, view: BinderView): ClaimAction[] {
  if (claim.metadata?.deletionTimestamp && !claim.spec?.volumeName) return [];
  const ann = claim.metadata?.annotations ?? {};
  if (ann[AnnBindCompleted] !== undefined) return planBoundClaim(claim, view);
  return planUnboundClaim(claim, view);
}

function planUnboundClaim(claim: PersistentVolumeClaim, view: BinderView): ClaimAction[] {
  const volumeName = claim.spec?.volumeName ?? '';
  if (volumeName) {
    // The user asked for a particular volume.
    const pv = view.volume(volumeName);
    if (!pv) return [{ type: 'phase', phase: 'Pending' }];
    if (!pv.spec?.claimRef || isVolumeBoundToClaim(pv, claim) || preBound(pv, claim)) return [{ type: 'bind', volume: pv }];
    return [
      { type: 'phase', phase: 'Pending' },
      { type: 'event', eventType: 'Warning', reason: 'FailedBinding', message: `volume "${volumeName}" already bound to a different claim.` },
    ];
  }
  const className = claimClass(claim);
  const sc = className ? view.storageClass(className) : undefined;
  const ann = claim.metadata?.annotations ?? {};
  let selectedNode = ann[AnnSelectedNode];
  const delayBinding = sc?.volumeBindingMode === 'WaitForFirstConsumer';
  const actions: ClaimAction[] = [];
  if (delayBinding && !selectedNode) {
    // The scheduler's VolumeBinding plugin, after the fact: a scheduled pod chose the node.
    const user = view.scheduledUsers(claim)[0];
    if (user?.spec?.nodeName) selectedNode = user.spec.nodeName;
  }
  const node = selectedNode ? { name: selectedNode, object: view.node(selectedNode) } : undefined;
  const pv = findMatchingVolume(claim, view.volumes, { delayBinding, node });
  if (pv) return [{ type: 'bind', volume: pv }];
  if (delayBinding && !selectedNode) {
    return [
      { type: 'phase', phase: 'Pending' },
      { type: 'event', eventType: 'Normal', reason: 'WaitForFirstConsumer', message: waitForFirstConsumerMessage },
    ];
  }
  if (delayBinding && selectedNode && ann[AnnSelectedNode] !== selectedNode) {
    actions.push({ type: 'annotate', annotations: { [AnnSelectedNode]: selectedNode } });
  }
  if (!className) {
    return [
      { type: 'phase', phase: 'Pending' },
      { type: 'event', eventType: 'Normal', reason: 'FailedBinding', message: 'no persistent volumes available for this claim and no storage class is set' },
    ];
  }
  if (!sc) {
    return [
      { type: 'phase', phase: 'Pending' },
      { type: 'event', eventType: 'Warning', reason: 'ProvisioningFailed', message: `storageclass.storage.k8s.io "${className}" not found` },
    ];
  }
  const provisioner = sc.provisioner;
  if (ann[AnnStorageProvisioner] !== provisioner || ann['volume.beta.kubernetes.io/storage-provisioner'] !== provisioner) {
    actions.push({ type: 'annotate', annotations: { [AnnStorageProvisioner]: provisioner, 'volume.beta.kubernetes.io/storage-provisioner': provisioner } });
  }
  actions.push(
    { type: 'phase', phase: 'Pending' },
    { type: 'event', eventType: 'Normal', reason: 'ExternalProvisioning', message: externalProvisioningMessage(provisioner) },
  );
  return actions;
}

function preBound(pv: PersistentVolume, claim: PersistentVolumeClaim): boolean {
  const ref = pv.spec?.claimRef;
  return !!ref && ref.name === claim.metadata?.name && ref.namespace === claim.metadata?.namespace && !ref.uid;
}

function planBoundClaim(claim: PersistentVolumeClaim, view: BinderView): ClaimAction[] {
  const volumeName = claim.spec?.volumeName ?? '';
  if (!volumeName) {
    return lost(claim, 'ClaimLost', 'Bound claim has lost reference to PersistentVolume. Data on the volume is lost!');
  }
  const pv = view.volume(volumeName);
  if (!pv) return lost(claim, 'ClaimLost', 'Bound claim has lost its PersistentVolume. Data on the volume is lost!');
  if (!pv.spec?.claimRef || preBound(pv, claim)) return [{ type: 'bind', volume: pv }];
  if (isVolumeBoundToClaim(pv, claim)) {
    if (claim.status?.phase === 'Bound' && claim.status.capacity) return [];
    return [{ type: 'bind', volume: pv }];
  }
  return lost(claim, 'ClaimMisbound', 'Two claims are bound to the same volume, this one is bound incorrectly');
}

function lost(claim: PersistentVolumeClaim, reason: string, message: string): ClaimAction[] {
  if (claim.status?.phase === 'Lost') return [];
  return [
    { type: 'phase', phase: 'Lost' },
    { type: 'event', eventType: 'Warning', reason, message },
  ];
}

/** `syncVolume` and `reclaimVolume`. */
export function planVolume(pv: PersistentVolume, view: BinderView): VolumeAction[] {
  const phase = pv.status?.phase;
  const ref = pv.spec?.claimRef;
  const setPhase = (p: 'Available' | 'Bound' | 'Released' | 'Failed', message?: string): VolumeAction[] =>
    phase === p ? [] : [{ type: 'phase', phase: p, message }];
  if (!ref) return setPhase('Available');
  let claim = view.claim(ref.namespace ?? '', ref.name ?? '');
  if (claim && ref.uid && claim.metadata?.uid !== ref.uid) claim = undefined;
  if (!ref.uid) {
    // Pre-bound by a user: the claim's sync binds it.
    const out = setPhase('Available');
    if (claim && !claim.spec?.volumeName) out.push({ type: 'syncClaim', namespace: ref.namespace ?? '', name: ref.name ?? '' });
    return out;
  }
  if (!claim) {
    const out: VolumeAction[] = phase === 'Released' || phase === 'Failed' ? [] : [{ type: 'phase', phase: 'Released' }];
    return [...out, ...reclaim(pv, phase === 'Failed')];
  }
  const claimVolume = claim.spec?.volumeName ?? '';
  if (!claimVolume) {
    // Binding in progress (or a provisioned volume waiting for its claim).
    return [...setPhase(phase === 'Bound' ? 'Bound' : 'Available'), { type: 'syncClaim', namespace: ref.namespace ?? '', name: ref.name ?? '' }];
  }
  if (claimVolume === pv.metadata?.name) return setPhase('Bound');
  // The claim is bound to another volume.
  if ((pv.metadata?.annotations ?? {})[AnnBoundByController] !== undefined) {
    if (pv.metadata?.annotations?.[AnnDynamicallyProvisioned] && pv.spec?.persistentVolumeReclaimPolicy === 'Delete') {
      return [...(phase === 'Released' ? [] : [{ type: 'phase' as const, phase: 'Released' as const }]), ...reclaim(pv, false)];
    }
    return [{ type: 'unbind' }];
  }
  return setPhase('Available');
}

function reclaim(pv: PersistentVolume, failed: boolean): VolumeAction[] {
  if (failed) return [];
  switch (pv.spec?.persistentVolumeReclaimPolicy) {
    case 'Retain':
      return [];
    case 'Recycle':
      return [
        { type: 'phase', phase: 'Failed', message: 'No recycler plugin found for the volume!' },
        { type: 'event', eventType: 'Warning', reason: 'VolumeFailedRecycle', message: 'No recycler plugin found for the volume!' },
      ];
    case 'Delete': {
      // An external provisioner deletes its own volumes.
      if (pv.metadata?.annotations?.[AnnDynamicallyProvisioned]) return [];
      const message = `error getting deleter volume plugin for volume "${pv.metadata?.name ?? ''}": no deletable volume plugin matched`;
      return [
        { type: 'phase', phase: 'Failed', message },
        { type: 'event', eventType: 'Warning', reason: 'VolumeFailedDelete', message },
      ];
    }
  }
  return [];
}
