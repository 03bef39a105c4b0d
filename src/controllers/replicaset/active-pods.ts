/**
 * Which pods count, and which go first on scale down (kube-controller-
 * manager's pkg/controller/controller_utils.go: IsPodActive,
 * FilterActivePods, ActivePodsWithRanks; readiness and availability are
 * the toolkit's pod-readiness.ts). Pure functions of the pods and the time.
 *
 * The ranking, `comparePodsForDeletion(a, b) < 0` meaning `a` goes first,
 * applies in order, the first difference deciding (v1.33 with its default
 * gates: PodDeletionCost and LogarithmicScaleDown on):
 *   1. unassigned < assigned (no spec.nodeName first);
 *   2. Pending < Unknown < Running (any other phase ranks as Pending);
 *   3. not ready < ready;
 *   4. lower `controller.kubernetes.io/pod-deletion-cost` first;
 *   5. higher rank first (the number of related active pods on its node);
 *   6. both ready: ready for a shorter time first, compared on a log2 scale
 *      of the nanoseconds since the Ready transition (a zero time first);
 *      equal buckets are ordered by UID;
 *   7. more container restarts first (regular containers, then sidecars);
 *   8. newer first, on the same log2 scale of the creation time (a zero
 *      time first; equal buckets by UID).
 */
import type { Pod } from 'kubernetes-types/core/v1.js';
import { isPodReady, podReadySince } from '../pod-readiness.ts';

export const podDeletionCostAnnotation = 'controller.kubernetes.io/pod-deletion-cost';

/** Neither terminal nor being deleted. */
export function isPodActive(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return phase !== 'Succeeded' && phase !== 'Failed' && !pod.metadata?.deletionTimestamp;
}

export function filterActivePods(pods: readonly Pod[]): Pod[] {
  return pods.filter(isPodActive);
}

/** GetDeletionCostFromPodAnnotations: the annotation as an int32, 0 when absent or invalid. */
export function podDeletionCost(pod: Pod): number {
  const v = pod.metadata?.annotations?.[podDeletionCostAnnotation];
  if (v === undefined) return 0;
  // What validFirstDigit then strconv.ParseInt accept: no `+`, no leading zero but in `0` itself (after a `-` they pass).
  if (!/^(0|[1-9][0-9]*|-[0-9]+)$/.test(v)) return 0;
  const n = Number(v);
  if (n < -2147483648 || n > 2147483647) return 0;
  return n === 0 ? 0 : n;
}

const phaseOrdinal: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

function maxRestarts(pod: Pod): { regular: number; sidecar: number } {
  let regular = 0;
  for (const c of pod.status?.containerStatuses ?? []) regular = Math.max(regular, c.restartCount ?? 0);
  const sidecars = new Set((pod.spec?.initContainers ?? []).filter((c) => c.restartPolicy === 'Always').map((c) => c.name));
  let sidecar = 0;
  for (const c of pod.status?.initContainerStatuses ?? []) if (sidecars.has(c.name)) sidecar = Math.max(sidecar, c.restartCount ?? 0);
  return { regular, sidecar };
}

function parseTime(s: string | undefined | null): number | undefined {
  if (!s) return undefined;
  const t = Date.parse(s);
  return Number.isNaN(t) ? undefined : t;
}

/** afterOrZero: a zero time first, else the later time first. */
function laterFirst(a: number | undefined, b: number | undefined): number {
  if (a === undefined || b === undefined) return a === undefined ? -1 : 1;
  return b - a;
}

/** int64(log2(nanoseconds since t)), or -1 for a time not before now. */
function logBucket(t: number, now: number): number {
  const d = (now - t) * 1e6;
  return d > 0 ? Math.floor(Math.log2(d)) : -1;
}

/** The later (younger) time first on the log scale; the UID orders a tie. */
function youngerFirst(a: Pod, ta: number | undefined, b: Pod, tb: number | undefined, now: number | undefined): number {
  if (now === undefined || ta === undefined || tb === undefined) return laterFirst(ta, tb);
  const diff = logBucket(ta, now) - logBucket(tb, now);
  if (diff !== 0) return diff;
  const ua = a.metadata?.uid ?? '';
  const ub = b.metadata?.uid ?? '';
  return ua < ub ? -1 : ua > ub ? 1 : 0;
}

export interface RankedPod {
  pod: Pod;
  /** Related active pods on the same node (see rankByRelatedPodsOnSameNode). */
  rank: number;
}

/** ActivePodsWithRanks.Less as a comparator: negative when `a` is deleted before `b`. */
export function comparePodsForDeletion(a: RankedPod, b: RankedPod, now?: number): number {
  const pa = a.pod;
  const pb = b.pod;
  const na = pa.spec?.nodeName ?? '';
  const nb = pb.spec?.nodeName ?? '';
  if (na !== nb && (na === '' || nb === '')) return na === '' ? -1 : 1;
  const oa = phaseOrdinal[pa.status?.phase ?? ''] ?? 0;
  const ob = phaseOrdinal[pb.status?.phase ?? ''] ?? 0;
  if (oa !== ob) return oa - ob;
  const ra = isPodReady(pa);
  const rb = isPodReady(pb);
  if (ra !== rb) return ra ? 1 : -1;
  const ca = podDeletionCost(pa);
  const cb = podDeletionCost(pb);
  if (ca !== cb) return ca - cb;
  if (a.rank !== b.rank) return b.rank - a.rank;
  if (ra && rb) {
    const ta = podReadySince(pa);
    const tb = podReadySince(pb);
    if (ta !== tb) {
      const c = youngerFirst(pa, ta, pb, tb, now);
      if (c !== 0) return c;
    }
  }
  const xa = maxRestarts(pa);
  const xb = maxRestarts(pb);
  if (xa.regular !== xb.regular) return xb.regular - xa.regular;
  if (xa.sidecar !== xb.sidecar) return xb.sidecar - xa.sidecar;
  const ta = parseTime(pa.metadata?.creationTimestamp);
  const tb = parseTime(pb.metadata?.creationTimestamp);
  if (ta !== tb) return youngerFirst(pa, ta, pb, tb, now);
  return 0;
}

/**
 * getPodsRankedByRelatedPodsOnSameNode: each pod ranked by how many active
 * pods of `related` share its node (`related` is usually a superset).
 */
export function rankByRelatedPodsOnSameNode(pods: readonly Pod[], related: readonly Pod[]): RankedPod[] {
  const onNode = new Map<string, number>();
  for (const p of related) {
    if (!isPodActive(p)) continue;
    const node = p.spec?.nodeName ?? '';
    onNode.set(node, (onNode.get(node) ?? 0) + 1);
  }
  return pods.map((pod) => ({ pod, rank: onNode.get(pod.spec?.nodeName ?? '') ?? 0 }));
}

/**
 * getPodsToDelete: the first `diff` pods of `pods` in deletion order, or
 * `pods` as given when all of them go.
 */
export function podsToDelete(pods: readonly Pod[], related: readonly Pod[], diff: number, now: number): Pod[] {
  if (diff >= pods.length) return pods.slice(0, diff);
  return rankByRelatedPodsOnSameNode(pods, related)
    .sort((a, b) => comparePodsForDeletion(a, b, now))
    .slice(0, diff)
    .map((r) => r.pod);
}
