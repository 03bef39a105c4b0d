/**
 * StatefulPodControl (stateful_pod_control.go): the pod and claim writes of
 * a StatefulSet sync, each with upstream's event on the set:
 *   SuccessfulCreate `create Pod web-0 in StatefulSet web successful`,
 *   FailedCreate `create Pod web-0 in StatefulSet web failed error: <err>`,
 *   the same for `delete` and `update`, and for claims
 *   SuccessfulCreate `create Claim data-web-0 Pod web-0 in StatefulSet web success`,
 *   FailedCreate `create Claim data-web-0 for Pod web-0 in StatefulSet web failed error: <err>`.
 * Claims are read fresh from the API before they are written.
 */
import type { StatefulSet } from 'kubernetes-types/apps/v1.js';
import type { PersistentVolumeClaim, Pod } from 'kubernetes-types/core/v1.js';
import { ApiError } from '../../api/errors.ts';
import type { EventRecorder, ResourceClient } from '../../client/client.ts';
import { aggregate } from '../controller-ref.ts';
import { ownerEventRef } from '../pod-template.ts';
import { claimName, identityMatches, ordinalOf, podClaims, statefulSetKind, storageMatches, updateIdentity, updateStorage } from './identity.ts';
import { claimOwnerRefs, hasUnexpectedController, isClaimOwnerUpToDate } from './retention.ts';

export interface StatefulPodControlOptions {
  pods: Pick<ResourceClient<Pod>, 'create' | 'get' | 'update' | 'delete'>;
  claims: Pick<ResourceClient<PersistentVolumeClaim>, 'create' | 'get' | 'update'>;
  recorder: Pick<EventRecorder, 'record'>;
}

const title = (verb: string) => verb.charAt(0).toUpperCase() + verb.slice(1);

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

const isConflict = (err: unknown) => err instanceof ApiError && err.code === 409 && err.reason !== 'AlreadyExists';

export class StatefulPodControl {
  readonly #o: StatefulPodControlOptions;

  constructor(opts: StatefulPodControlOptions) {
    this.#o = opts;
  }

  #podEvent(verb: string, set: StatefulSet, pod: Pod, err?: unknown): void {
    const podName = pod.metadata?.name ?? '';
    const setName = set.metadata?.name ?? '';
    if (err === undefined) this.#o.recorder.record(ownerEventRef(set, statefulSetKind), 'Normal', `Successful${title(verb)}`, `${verb} Pod ${podName} in StatefulSet ${setName} successful`);
    else this.#o.recorder.record(ownerEventRef(set, statefulSetKind), 'Warning', `Failed${title(verb)}`, `${verb} Pod ${podName} in StatefulSet ${setName} failed error: ${message(err)}`);
  }

  #claimEvent(verb: string, set: StatefulSet, pod: Pod, claim: PersistentVolumeClaim, err?: unknown): void {
    const c = claim.metadata?.name ?? '';
    const p = pod.metadata?.name ?? '';
    const s = set.metadata?.name ?? '';
    if (err === undefined) this.#o.recorder.record(ownerEventRef(set, statefulSetKind), 'Normal', `Successful${title(verb)}`, `${verb} Claim ${c} Pod ${p} in StatefulSet ${s} success`);
    else this.#o.recorder.record(ownerEventRef(set, statefulSetKind), 'Warning', `Failed${title(verb)}`, `${verb} Claim ${c} for Pod ${p} in StatefulSet ${s} failed error: ${message(err)}`);
  }

  /** createPersistentVolumeClaims: creates the pod's missing claims; a claim being deleted is an error. */
  #createClaims(set: StatefulSet, pod: Pod): void {
    const errs: Error[] = [];
    for (const claim of podClaims(set, pod).values()) {
      const ns = claim.metadata?.namespace;
      const name = claim.metadata?.name ?? '';
      let existing: PersistentVolumeClaim | undefined;
      try {
        existing = this.#o.claims.get(ns, name);
      } catch (err) {
        errs.push(new Error(`failed to retrieve PVC ${name}: ${message(err)}`));
        this.#claimEvent('create', set, pod, claim, err);
        continue;
      }
      if (!existing) {
        try {
          this.#o.claims.create(ns, claim);
          this.#claimEvent('create', set, pod, claim);
        } catch (err) {
          errs.push(new Error(`failed to create PVC ${name}: ${message(err)}`));
          if (!(err instanceof ApiError && err.reason === 'AlreadyExists')) this.#claimEvent('create', set, pod, claim, err);
        }
      } else if (existing.metadata?.deletionTimestamp) {
        errs.push(new Error(`pvc ${name} is being deleted`));
      }
    }
    if (errs.length > 0) throw aggregate(errs);
  }

  /** CreateStatefulPod: claims first, then the pod, then the claims' owner references. */
  createStatefulPod(set: StatefulSet, pod: Pod): void {
    try {
      this.#createClaims(set, pod);
    } catch (err) {
      this.#podEvent('create', set, pod, err);
      throw err;
    }
    let created: Pod;
    try {
      created = this.#o.pods.create(set.metadata?.namespace, pod);
    } catch (err) {
      // An AlreadyExists is sunk without an event: the pod is seen on a later sync.
      if (!(err instanceof ApiError && err.reason === 'AlreadyExists')) this.#podEvent('create', set, pod, err);
      throw err;
    }
    try {
      this.updatePodClaimsForRetentionPolicy(set, created);
    } catch (err) {
      this.#podEvent('update', set, pod, err);
      throw err;
    }
    this.#podEvent('create', set, pod);
  }

  /** DeleteStatefulPod. */
  deleteStatefulPod(set: StatefulSet, pod: Pod): void {
    try {
      this.#o.pods.delete(set.metadata?.namespace, pod.metadata?.name ?? '');
    } catch (err) {
      this.#podEvent('delete', set, pod, err);
      if (err instanceof ApiError && err.code === 404) return;
      throw err;
    }
    this.#podEvent('delete', set, pod);
  }

  /** createMissingPersistentVolumeClaims of a Pending pod, then the claims' owners. */
  createMissingClaims(set: StatefulSet, pod: Pod): void {
    this.#createClaims(set, pod);
    try {
      this.updatePodClaimsForRetentionPolicy(set, pod);
    } catch (err) {
      this.#podEvent('update', set, pod, err);
      throw err;
    }
  }

  /** UpdatePodClaimForRetentionPolicy: writes the owner references the policy wants on each existing claim. */
  updatePodClaimsForRetentionPolicy(set: StatefulSet, pod: Pod): void {
    const ordinal = ordinalOf(pod);
    for (const template of set.spec?.volumeClaimTemplates ?? []) {
      const name = claimName(set, template, ordinal);
      let claim: PersistentVolumeClaim | undefined;
      try {
        claim = this.#o.claims.get(set.metadata?.namespace, name);
      } catch (err) {
        throw new Error(`Could not retrieve claim ${name} not found for ${pod.metadata?.name ?? ''} when checking PVC deletion policy: ${message(err)}`);
      }
      if (!claim) continue;
      if (hasUnexpectedController(claim, set, pod)) {
        this.#o.recorder.record(
          ownerEventRef(set, statefulSetKind),
          'Warning',
          'ConflictingController',
          `PersistentVolumeClaim ${name} has a conflicting OwnerReference that acts as a manging controller, the retention policy is ignored for this claim`,
        );
      }
      if (isClaimOwnerUpToDate(claim, set, pod)) continue;
      const refs = claimOwnerRefs(claim, set, pod);
      const next: PersistentVolumeClaim = { ...claim, metadata: { ...claim.metadata, ownerReferences: refs } };
      if (refs.length === 0) delete (next.metadata as { ownerReferences?: unknown }).ownerReferences;
      try {
        this.#o.claims.update(set.metadata?.namespace, next);
      } catch (err) {
        throw new Error(`could not update claim ${name} for delete policy ownerRefs: ${message(err)}`);
      }
    }
  }

  /**
   * UpdateStatefulPod: makes the pod's identity, storage and claim owners
   * conform to `set`, retrying on conflicts with a fresh read (five tries,
   * retry.DefaultBackoff's steps); records `update` when it wrote.
   */
  updateStatefulPod(set: StatefulSet, podIn: Pod): void {
    let pod: Pod = structuredClone(podIn);
    let attempted = false;
    let lastErr: unknown;
    for (let attempt = 0; attempt < 5; attempt++) {
      let consistent = true;
      if (!identityMatches(set, pod)) {
        updateIdentity(set, pod);
        consistent = false;
      }
      if (!storageMatches(set, pod)) {
        updateStorage(set, pod);
        consistent = false;
        try {
          this.#createClaims(set, pod);
        } catch (err) {
          this.#podEvent('update', set, pod, err);
          throw err;
        }
      }
      const ordinal = ordinalOf(pod);
      const mismatched = (set.spec?.volumeClaimTemplates ?? []).some((t) => {
        const c = this.#o.claims.get(set.metadata?.namespace, claimName(set, t, ordinal));
        return c !== undefined && !isClaimOwnerUpToDate(c, set, pod);
      });
      if (mismatched) {
        try {
          this.updatePodClaimsForRetentionPolicy(set, pod);
        } catch (err) {
          this.#podEvent('update', set, pod, err);
          throw err;
        }
        consistent = false;
      }
      if (consistent) return;
      attempted = true;
      try {
        this.#o.pods.update(set.metadata?.namespace, pod);
        this.#podEvent('update', set, pod);
        return;
      } catch (err) {
        lastErr = err;
        const fresh = this.#o.pods.get(set.metadata?.namespace, pod.metadata?.name ?? '');
        if (fresh) pod = structuredClone(fresh);
        if (!isConflict(err)) break;
      }
    }
    if (attempted) this.#podEvent('update', set, pod, lastErr);
    throw lastErr;
  }
}
