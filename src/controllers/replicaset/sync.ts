/**
 * One reconcile of one ReplicaSet (upstream's syncReplicaSet and
 * manageReplicas), reading the informers' caches and writing through the
 * client:
 *
 *   1. gone from the cache → forget its expectations, done (its pods are
 *      the garbage collector's);
 *   2. claim the active pods of its namespace (controller-ref.ts: adopt
 *      matching orphans, release its pods that stopped matching);
 *   3. when its expectations are satisfied and it is not being deleted,
 *      manage replicas: create the missing pods in slow-start batches (at
 *      most burstReplicas a pass), or delete the surplus in deletion-rank
 *      order (active-pods.ts), expecting exactly those creates and deletes
 *      so that no event burst makes it act twice on the same shortfall;
 *   4. write the status (status.ts) when it changed, through the status
 *      subresource with one re-read retry;
 *   5. throw the error of step 3 (a retry with backoff), or ask to be
 *      reconciled again when a ready pod becomes available (minReadySeconds).
 *
 * State: the expectations it is given (in memory, rebuilt as empty at start,
 * when the cache is the truth).
 */
import type { ReplicaSet, ReplicaSetStatus } from 'kubernetes-types/apps/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { ApiError } from '../../api/errors.ts';
import type { ControllerClient } from '../../client/client.ts';
import type { Clock } from '../../clock/clock.ts';
import { ControllerRefManager, controllerRefOf, newControllerRef, recheckOwner, type OwnerKind } from '../controller-ref.ts';
import { selectorFromLabelSelector, type Selector } from '../label-selector.ts';
import type { Lister } from '../lister.ts';
import { objectKey, splitKey } from '../object-key.ts';
import { isNamespaceTerminating, type PodControl } from '../pod-template.ts';
import type { ReconcileResult } from '../queue-controller.ts';
import { filterActivePods, podsToDelete } from './active-pods.ts';
import { isPodAvailable, isPodReady, podAvailableAt } from '../pod-readiness.ts';
import { slowStartBatch, slowStartInitialBatchSize } from './slow-start.ts';
import { calculateStatus, statusNeedsUpdate } from './status.ts';
import type { UidTrackingExpectations } from './uid-expectations.ts';

export const replicaSetKind: OwnerKind = { apiVersion: 'apps/v1', kind: 'ReplicaSet' };

/** BurstReplicas: the most pods one pass creates or deletes. */
export const burstReplicas = 500;

/** statusUpdateRetries: re-reads after a failed status write. */
const statusUpdateRetries = 1;

export interface ReplicaSetSyncOptions {
  replicaSets: Lister<ReplicaSet>;
  pods: Lister<Pod>;
  client: Pick<ControllerClient, 'resource'>;
  podControl: PodControl;
  expectations: UidTrackingExpectations;
  clock: Clock;
  burstReplicas?: number;
  log?: (msg: string) => void;
}

export class ReplicaSetSync {
  readonly #o: ReplicaSetSyncOptions;

  constructor(opts: ReplicaSetSyncOptions) {
    this.#o = opts;
  }

  sync(key: string): ReconcileResult | void {
    const { replicaSets, pods, client, expectations, clock } = this.#o;
    const { namespace, name } = splitKey(key);
    const rs = replicaSets.get(namespace, name);
    if (!rs) {
      expectations.delete(key);
      return;
    }
    const needsSync = expectations.satisfied(key);
    let selector: Selector;
    try {
      selector = selectorFromLabelSelector(rs.spec?.selector);
    } catch (err) {
      // Not retried: only a change of the object can fix it.
      this.#o.log?.(`replicaset: error converting pod selector to selector for rs ${namespace}/${name}: ${(err as Error).message}`);
      return;
    }

    const rsClient = client.resource('replicasets');
    const manager = new ControllerRefManager<ReplicaSet, Pod>({
      owner: rs,
      ownerKind: replicaSetKind,
      selector,
      client: client.resource('pods'),
      canAdopt: recheckOwner(rsClient, rs, 'ReplicaSet'),
    });
    const active = filterActivePods(pods.listInNamespace(namespace ?? ''));
    const claimed = manager.claimOrThrow(active);

    let manageErr: Error | undefined;
    if (needsSync && !rs.metadata?.deletionTimestamp) manageErr = this.#manageReplicas(key, claimed, rs);

    const now = clock.now();
    const status = calculateStatus(rs, claimed, manageErr, now);
    const updated = this.#updateStatus(rs, status);

    if (manageErr) throw manageErr;
    const minReady = updated.spec?.minReadySeconds ?? 0;
    if (minReady > 0) {
      // When the next ready pod becomes available: upstream requeues after minReadySeconds; the exact time is as safe and sooner.
      const next = claimed
        .filter((p) => isPodReady(p) && !isPodAvailable(p, minReady, now))
        .map((p) => podAvailableAt(p, minReady))
        .filter((t): t is number => t !== undefined)
        .reduce((a, b) => Math.min(a, b), Infinity);
      if (next !== Infinity) return { requeueAfterMs: Math.max(0, next - now) };
    }
  }

  #manageReplicas(key: string, pods: readonly Pod[], rs: ReplicaSet): Error | undefined {
    const { expectations, podControl } = this.#o;
    const burst = this.#o.burstReplicas ?? burstReplicas;
    const namespace = rs.metadata?.namespace ?? '';
    let diff = pods.length - (rs.spec?.replicas ?? 1);
    if (diff < 0) {
      diff = Math.min(-diff, burst);
      expectations.expectCreations(key, diff);
      const controllerRef = newControllerRef(rs, replicaSetKind);
      const { successes, error } = slowStartBatch(diff, slowStartInitialBatchSize, () => {
        try {
          podControl.createPod({ namespace, template: rs.spec?.template, owner: rs, ownerKind: replicaSetKind, controllerRef });
        } catch (err) {
          // Every create would fail alike; nothing to report of the set.
          if (isNamespaceTerminating(err)) return;
          throw err;
        }
      });
      // The informer will never see the creates not made or refused.
      for (let skipped = diff - successes; skipped > 0; skipped--) expectations.creationObserved(key);
      return error;
    }
    if (diff > 0) {
      diff = Math.min(diff, burst);
      const victims = podsToDelete(pods, this.#relatedPods(rs), diff, this.#o.clock.now());
      expectations.expectDeletions(key, victims.map((p) => objectKey(p)));
      let first: Error | undefined;
      for (const pod of victims) {
        try {
          podControl.deletePod(namespace, pod.metadata?.name ?? '', rs, replicaSetKind);
        } catch (err) {
          // The informer will never see this deletion.
          expectations.deletionObserved(key, objectKey(pod));
          if (!(err instanceof ApiError && err.code === 404)) first ??= err instanceof Error ? err : new Error(String(err));
        }
      }
      return first;
    }
    return undefined;
  }

  /** getIndirectlyRelatedPods: the pods of every ReplicaSet with the same controller as `rs` (a Deployment's), once each. */
  #relatedPods(rs: ReplicaSet): Pod[] {
    const owner = controllerRefOf(rs);
    if (!owner) return [];
    const seen = new Set<string>();
    const related: Pod[] = [];
    for (const other of this.#o.replicaSets.listByController(owner.uid)) {
      let selector: Selector;
      try {
        selector = selectorFromLabelSelector(other.spec?.selector);
      } catch {
        continue;
      }
      for (const pod of this.#o.pods.listInNamespace(other.metadata?.namespace ?? '', selector)) {
        const uid = pod.metadata?.uid ?? '';
        if (seen.has(uid)) continue;
        seen.add(uid);
        related.push(pod);
      }
    }
    return related;
  }

  /** updateReplicaSetStatus: writes `status` with observedGeneration unless nothing changed; returns the set as it now is. */
  #updateStatus(rs: ReplicaSet, status: ReplicaSetStatus): ReplicaSet {
    if (!statusNeedsUpdate(rs, status)) return rs;
    const rsClient = this.#o.client.resource('replicasets');
    // The generation acted on, not a later one read on retry.
    const next = omitZeros({ ...status, observedGeneration: rs.metadata?.generation });
    let cur = rs;
    for (let i = 0; ; i++) {
      try {
        return rsClient.updateStatus(cur.metadata?.namespace, { ...cur, status: next });
      } catch (err) {
        if (i >= statusUpdateRetries) throw err;
        const fresh = rsClient.get(rs.metadata?.namespace, rs.metadata?.name ?? '');
        if (!fresh) throw err;
        cur = fresh;
      }
    }
  }
}

/** The status as Go serializes it: every count but `replicas` is omitempty. */
function omitZeros(status: ReplicaSetStatus): ReplicaSetStatus {
  const out: ReplicaSetStatus = { ...status, replicas: status.replicas ?? 0 };
  for (const k of ['fullyLabeledReplicas', 'readyReplicas', 'availableReplicas', 'observedGeneration'] as const) {
    if (!out[k]) delete out[k];
  }
  return out;
}
