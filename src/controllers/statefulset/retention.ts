/**
 * persistentVolumeClaimRetentionPolicy as owner references on the pods'
 * claims (stateful_set_utils.go isClaimOwnerUpToDate,
 * updateClaimOwnerRefForSetAndPod, hasUnexpectedController,
 * hasStaleOwnerRef; stateful_pod_control.go ClaimsMatchRetentionPolicy,
 * PodClaimIsStale), so that the garbage collector deletes a claim with its
 * owner:
 *   whenScaled Retain, whenDeleted Retain: no reference;
 *   Retain / Delete: a controller reference to the set;
 *   Delete / Retain: to the pod, once the pod is scaled away;
 *   Delete / Delete: to the set while the pod is in range, to the pod once scaled away.
 * Claims with a stale reference (same name, other UID) or another
 * controller are left alone. Pure.
 */
import type { StatefulSet } from 'kubernetes-types/apps/v1.js';
import type { PersistentVolumeClaim, Pod } from 'kubernetes-types/core/v1.js';
import type { OwnerReference } from 'kubernetes-types/meta/v1.js';
import { newControllerRef, type OwnerKind } from '../controller-ref.ts';
import { claimName, inOrdinalRange, ordinalOf, podClaims, podKind, statefulSetKind } from './identity.ts';

type Owner = { metadata?: { name?: string; uid?: string } };

export function retentionPolicy(set: StatefulSet): { whenDeleted: string; whenScaled: string } {
  const p = set.spec?.persistentVolumeClaimRetentionPolicy;
  return { whenDeleted: p?.whenDeleted ?? 'Retain', whenScaled: p?.whenScaled ?? 'Retain' };
}

/** matchesRef: the reference names this object by kind, apiVersion and name. */
function matchesRef(ref: OwnerReference, obj: Owner, kind: OwnerKind): boolean {
  return ref.apiVersion === kind.apiVersion && ref.kind === kind.kind && ref.name === obj.metadata?.name;
}

function refsOf(claim: PersistentVolumeClaim): readonly OwnerReference[] {
  return claim.metadata?.ownerReferences ?? [];
}

function hasOwnerRef(claim: PersistentVolumeClaim, owner: Owner): boolean {
  return refsOf(claim).some((r) => r.uid === owner.metadata?.uid);
}

/** hasStaleOwnerRef: the first reference naming the object has another UID. */
export function hasStaleOwnerRef(claim: PersistentVolumeClaim, obj: Owner, kind: OwnerKind): boolean {
  const ref = refsOf(claim).find((r) => matchesRef(r, obj, kind));
  return ref !== undefined && ref.uid !== (obj.metadata?.uid ?? '');
}

/** hasUnexpectedController: under a Delete policy, a stale reference to us or another controller. */
export function hasUnexpectedController(claim: PersistentVolumeClaim, set: StatefulSet, pod: Pod): boolean {
  const policy = retentionPolicy(set);
  if (policy.whenScaled === 'Retain' && policy.whenDeleted === 'Retain') return false;
  for (const ref of refsOf(claim)) {
    if (matchesRef(ref, set, statefulSetKind)) {
      if (ref.uid !== set.metadata?.uid) return true;
      continue;
    }
    if (matchesRef(ref, pod, podKind)) {
      if (ref.uid !== pod.metadata?.uid) return true;
      continue;
    }
    if (ref.controller === true) return true;
  }
  return false;
}

function hasNonControllerOwner(claim: PersistentVolumeClaim, set: StatefulSet, pod: Pod): boolean {
  return refsOf(claim).some((r) => (r.uid === set.metadata?.uid || r.uid === pod.metadata?.uid) && r.controller !== true);
}

/** isClaimOwnerUpToDate. */
export function isClaimOwnerUpToDate(claim: PersistentVolumeClaim, set: StatefulSet, pod: Pod): boolean {
  if (hasStaleOwnerRef(claim, set, statefulSetKind) || hasStaleOwnerRef(claim, pod, podKind)) return true;
  if (hasUnexpectedController(claim, set, pod)) return !(hasOwnerRef(claim, set) || hasOwnerRef(claim, pod));
  if (hasNonControllerOwner(claim, set, pod)) return false;
  const { whenScaled, whenDeleted } = retentionPolicy(set);
  const scaledDown = !inOrdinalRange(pod, set);
  if (whenScaled === 'Retain' && whenDeleted === 'Delete') return hasOwnerRef(claim, set) && !hasOwnerRef(claim, pod);
  if (whenScaled === 'Delete' && whenDeleted === 'Retain') return !hasOwnerRef(claim, set) && scaledDown === hasOwnerRef(claim, pod);
  if (whenScaled === 'Delete' && whenDeleted === 'Delete') return scaledDown !== hasOwnerRef(claim, set) && scaledDown === hasOwnerRef(claim, pod);
  // Retain/Retain, and an unknown policy treated as Retain.
  return !hasOwnerRef(claim, set) && !hasOwnerRef(claim, pod);
}

/** updateClaimOwnerRefForSetAndPod: the claim's references as the policy wants them. */
export function claimOwnerRefs(claim: PersistentVolumeClaim, set: StatefulSet, pod: Pod): OwnerReference[] {
  const unexpected = hasUnexpectedController(claim, set, pod);
  let refs = refsOf(claim).filter((r) => !matchesRef(r, set, statefulSetKind) && !matchesRef(r, pod, podKind));
  if (unexpected) return refs;
  const add = (owner: Owner, kind: OwnerKind) => {
    if (!refs.some((r) => r.uid === owner.metadata?.uid)) refs = [...refs, newControllerRef(owner, kind)];
  };
  const { whenScaled, whenDeleted } = retentionPolicy(set);
  const scaledDown = !inOrdinalRange(pod, set);
  if (whenScaled === 'Retain' && whenDeleted === 'Delete') add(set, statefulSetKind);
  else if (whenScaled === 'Delete' && whenDeleted === 'Retain') {
    if (scaledDown) add(pod, podKind);
  } else if (whenScaled === 'Delete' && whenDeleted === 'Delete') {
    if (scaledDown) add(pod, podKind);
    else add(set, statefulSetKind);
  }
  return refs;
}

type ClaimLookup = (namespace: string, name: string) => PersistentVolumeClaim | undefined;

/** ClaimsMatchRetentionPolicy: every existing claim of the pod has the references the policy wants. */
export function claimsMatchRetentionPolicy(set: StatefulSet, pod: Pod, claim: ClaimLookup): boolean {
  const ordinal = ordinalOf(pod);
  for (const template of set.spec?.volumeClaimTemplates ?? []) {
    const c = claim(set.metadata?.namespace ?? '', claimName(set, template, ordinal));
    if (c && !isClaimOwnerUpToDate(c, set, pod)) return false;
  }
  return true;
}

/**
 * PodClaimIsStale: under whenScaled Delete, a claim still referring to an
 * earlier pod of the same name (another UID; a pod not yet created has
 * none) blocks creating the pod until the garbage collector removes it.
 */
export function podClaimIsStale(set: StatefulSet, pod: Pod, claim: ClaimLookup): boolean {
  if (retentionPolicy(set).whenScaled === 'Retain') return false;
  for (const c of podClaims(set, pod).values()) {
    const existing = claim(c.metadata?.namespace ?? '', c.metadata?.name ?? '');
    if (existing && hasStaleOwnerRef(existing, pod, podKind)) return true;
  }
  return false;
}
