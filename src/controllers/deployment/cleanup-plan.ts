/**
 * The revision history limit (sync.go cleanupDeployment): which old
 * ReplicaSets to delete so that at most revisionHistoryLimit remain — the
 * lowest revisions first, and only those scaled to 0 with no pods left and
 * their latest spec observed; ones already being deleted count for nothing.
 */
import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import { revisionHistoryLimit } from './deployment-spec.ts';
import { byRevision, sizeOf } from './replica-sets.ts';

export function planCleanup(oldRSs: readonly ReplicaSet[], d: Deployment): ReplicaSet[] {
  const limit = revisionHistoryLimit(d);
  if (limit === undefined) return [];
  const cleanable = oldRSs.filter((rs) => !rs.metadata?.deletionTimestamp);
  const diff = cleanable.length - limit;
  if (diff <= 0) return [];
  return [...cleanable]
    .sort(byRevision)
    .slice(0, diff)
    .filter((rs) => (rs.status?.replicas ?? 0) === 0 && sizeOf(rs) === 0 && (rs.metadata?.generation ?? 0) <= (rs.status?.observedGeneration ?? 0));
}
