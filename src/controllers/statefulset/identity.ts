/**
 * What a StatefulSet's pod is (kube-controller-manager
 * pkg/controller/statefulset/stateful_set_utils.go): its stable name
 * `<set>-<ordinal>` from which the ordinal is read back, its identity labels
 * (statefulset.kubernetes.io/pod-name, apps.kubernetes.io/pod-index),
 * hostname and subdomain, its volumes for the claim templates
 * (`<claim>-<set>-<ordinal>`), its revision label, and the pod states the
 * controller acts on. Pure.
 */
import type { ControllerRevision, StatefulSet } from 'kubernetes-types/apps/v1.js';
import type { PersistentVolumeClaim, Pod, Volume } from 'kubernetes-types/core/v1.js';
import { newControllerRef, type OwnerKind } from '../controller-ref.ts';
import { podFromTemplate } from '../pod-template.ts';
import { isPodAvailable, isPodReady } from '../pod-readiness.ts';

export const statefulSetKind: OwnerKind = { apiVersion: 'apps/v1', kind: 'StatefulSet' };
export const podKind: OwnerKind = { apiVersion: 'v1', kind: 'Pod' };

/** apps.StatefulSetRevisionLabel (ControllerRevisionHashLabelKey). */
export const revisionLabel = 'controller-revision-hash';
/** apps.StatefulSetPodNameLabel. */
export const podNameLabel = 'statefulset.kubernetes.io/pod-name';
/** apps.PodIndexLabel (the PodIndexLabel gate is on in v1.33). */
export const podIndexLabel = 'apps.kubernetes.io/pod-index';

const statefulPodRegex = /^(.*)-([0-9]+)$/;

/** getParentNameAndOrdinal: `web-3` → [`web`, 3]; ordinal -1 when the name has none (or it overflows int32). */
export function parentAndOrdinal(pod: Pod): [string, number] {
  const m = statefulPodRegex.exec(pod.metadata?.name ?? '');
  if (!m) return ['', -1];
  const n = Number(m[2]);
  return [m[1], n <= 2 ** 31 - 1 ? n : -1];
}

export function ordinalOf(pod: Pod): number {
  return parentAndOrdinal(pod)[1];
}

export function startOrdinal(set: StatefulSet): number {
  return set.spec?.ordinals?.start ?? 0;
}

/** The last ordinal of the range (inclusive). */
export function endOrdinal(set: StatefulSet): number {
  return startOrdinal(set) + (set.spec?.replicas ?? 1) - 1;
}

export function inOrdinalRange(pod: Pod, set: StatefulSet): boolean {
  const o = ordinalOf(pod);
  return o >= startOrdinal(set) && o <= endOrdinal(set);
}

export function podName(set: StatefulSet, ordinal: number): string {
  return `${set.metadata?.name ?? ''}-${ordinal}`;
}

export function claimName(set: StatefulSet, claim: PersistentVolumeClaim, ordinal: number): string {
  return `${claim.metadata?.name ?? ''}-${set.metadata?.name ?? ''}-${ordinal}`;
}

/** isMemberOf: the pod's name says it belongs to the set. */
export function isMemberOf(set: StatefulSet, pod: Pod): boolean {
  return parentAndOrdinal(pod)[0] === set.metadata?.name;
}

export function identityMatches(set: StatefulSet, pod: Pod): boolean {
  const [parent, ordinal] = parentAndOrdinal(pod);
  const name = pod.metadata?.name;
  return (
    ordinal >= 0 &&
    parent === set.metadata?.name &&
    name === podName(set, ordinal) &&
    pod.metadata?.namespace === set.metadata?.namespace &&
    pod.metadata?.labels?.[podNameLabel] === name
  );
}

/** storageMatches: every claim template has a volume of its name naming the pod's claim. */
export function storageMatches(set: StatefulSet, pod: Pod): boolean {
  const ordinal = ordinalOf(pod);
  if (ordinal < 0) return false;
  const volumes = new Map((pod.spec?.volumes ?? []).map((v) => [v.name, v]));
  for (const claim of set.spec?.volumeClaimTemplates ?? []) {
    const v = volumes.get(claim.metadata?.name ?? '');
    if (!v?.persistentVolumeClaim || v.persistentVolumeClaim.claimName !== claimName(set, claim, ordinal)) return false;
  }
  return true;
}

/**
 * getPersistentVolumeClaims: the pod's claims by template name, each the
 * template named for the pod, in the set's namespace, with the selector's
 * matchLabels added to its labels.
 */
export function podClaims(set: StatefulSet, pod: Pod): Map<string, PersistentVolumeClaim> {
  const ordinal = ordinalOf(pod);
  const claims = new Map<string, PersistentVolumeClaim>();
  for (const template of set.spec?.volumeClaimTemplates ?? []) {
    const claim: PersistentVolumeClaim = structuredClone(template);
    const m = { ...claim.metadata };
    m.name = claimName(set, template, ordinal);
    m.namespace = set.metadata?.namespace;
    m.labels = { ...m.labels, ...set.spec?.selector?.matchLabels };
    (claim as { metadata?: unknown }).metadata = m;
    // The template's defaulted `status: {phase: Pending}` is not the client's to write.
    delete (claim as { status?: unknown }).status;
    claims.set(template.metadata?.name ?? '', claim);
  }
  return claims;
}

/** updateStorage: the claim volumes first (replacing volumes of the same name), then the pod's others. */
export function updateStorage(set: StatefulSet, pod: Pod): void {
  const claims = podClaims(set, pod);
  const volumes: Volume[] = [...claims].map(([name, c]) => ({ name, persistentVolumeClaim: { claimName: c.metadata?.name ?? '' } }));
  for (const v of pod.spec?.volumes ?? []) if (!claims.has(v.name)) volumes.push(v);
  pod.spec = { ...pod.spec!, volumes };
}

/** updateIdentity: name, namespace, the pod-name and pod-index labels. */
export function updateIdentity(set: StatefulSet, pod: Pod): void {
  const ordinal = ordinalOf(pod);
  const m = (pod.metadata ??= {});
  m.name = podName(set, ordinal);
  m.namespace = set.metadata?.namespace;
  m.labels = { ...m.labels, [podNameLabel]: m.name, [podIndexLabel]: String(ordinal) };
}

/**
 * newStatefulSetPod: from the template, owned by the set, with its identity,
 * hostname, subdomain and claim volumes. GetPodFromTemplate's generateName
 * (`<set>-`) stays, unused beside the name, as on upstream's pods.
 */
export function newStatefulSetPod(set: StatefulSet, ordinal: number): Pod {
  const pod = podFromTemplate(set.spec?.template, set, newControllerRef(set, statefulSetKind));
  pod.metadata!.name = podName(set, ordinal);
  updateIdentity(set, pod);
  // initIdentity: immutable fields, set only at creation.
  pod.spec = { ...pod.spec!, hostname: pod.metadata!.name };
  if (set.spec?.serviceName) pod.spec.subdomain = set.spec.serviceName;
  updateStorage(set, pod);
  return pod;
}

export function podRevision(pod: Pod): string {
  return pod.metadata?.labels?.[revisionLabel] ?? '';
}

function setPodRevision(pod: Pod, revision: string): void {
  pod.metadata = { ...pod.metadata, labels: { ...pod.metadata?.labels, [revisionLabel]: revision } };
}

/**
 * newVersionedStatefulSetPod: ordinals below the partition (RollingUpdate)
 * get the current revision's template, the others the update revision's.
 * Upstream's condition also sends every OnDelete pod below
 * start + status.currentReplicas to the current revision; the operator
 * precedence of that Go expression is kept.
 */
export function newVersionedPod(currentSet: StatefulSet, updateSet: StatefulSet, current: ControllerRevision, update: ControllerRevision, ordinal: number): Pod {
  const strategy = currentSet.spec?.updateStrategy;
  const start = startOrdinal(currentSet);
  const ru = strategy?.rollingUpdate;
  const toCurrent =
    (strategy?.type === 'RollingUpdate' && !ru && ordinal < start + (currentSet.status?.currentReplicas ?? 0)) ||
    (ru !== undefined && ru !== null && ordinal < start + (ru.partition ?? 0));
  const pod = newStatefulSetPod(toCurrent ? currentSet : updateSet, ordinal);
  setPodRevision(pod, (toCurrent ? current : update).metadata?.name ?? '');
  return pod;
}

// Pod states (stateful_set_utils.go).
export const isCreated = (pod: Pod) => (pod.status?.phase ?? '') !== '';
export const isPending = (pod: Pod) => pod.status?.phase === 'Pending';
export const isFailed = (pod: Pod) => pod.status?.phase === 'Failed';
export const isSucceeded = (pod: Pod) => pod.status?.phase === 'Succeeded';
export const isTerminating = (pod: Pod) => !!pod.metadata?.deletionTimestamp;

export function isRunningAndReady(pod: Pod): boolean {
  return pod.status?.phase === 'Running' && isPodReady(pod);
}

/** isRunningAndAvailable: podutil.IsPodAvailable (the phase is not checked, as upstream). */
export function isRunningAndAvailable(pod: Pod, minReadySeconds: number, now: number): boolean {
  return isPodAvailable(pod, minReadySeconds, now);
}

/** isUnavailable: not yet (or no longer) available, or being deleted. */
export function isUnavailable(pod: Pod, minReadySeconds: number, now: number): boolean {
  return !isRunningAndAvailable(pod, minReadySeconds, now) || isTerminating(pod);
}
