/**
 * The writes of one sync of one Deployment (sync.go getNewReplicaSet,
 * scaleReplicaSet, cleanupDeployment, syncDeploymentStatus; progress.go
 * syncRolloutStatus): the executor of what the planners decide, used by the
 * paths of rollouts.ts. It works on a private copy of the Deployment whose
 * annotations and status it changes as upstream does, and whose
 * resourceVersion follows its own writes (so a second status write in the
 * same sync does not conflict with the first).
 *
 * Every write goes through the client; a failed write throws and the key is
 * retried with backoff. `requeueAfterMs` is set when the progress deadline
 * needs a look although nothing changes.
 */
import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import { ApiError } from '../../api/api.ts';
import type { ControllerClient, EventRecorder, ObjectRef } from '../../client/client.ts';
import { newControllerRef } from '../controller-ref.ts';
import { replicasAnnotationsNeedUpdate, revisionAnnotation, setDeploymentRevision, setNewReplicaSetAnnotations, setReplicasAnnotations } from './annotations.ts';
import { planCleanup } from './cleanup-plan.ts';
import { getCondition, newCondition, reasons, setCondition } from './conditions.ts';
import { maxSurge, progressDeadlineSeconds, replicasOf } from './deployment-spec.ts';
import { computeHash, podTemplateHashLabel } from './pod-template-hash.ts';
import { equalIgnoreHash, findNewReplicaSet, findOldReplicaSets, maxRevision, sizeOf } from './replica-sets.ts';
import { newRSNewReplicas, type ScaleStep } from './rolling-plan.ts';
import { planScale } from './scale-plan.ts';
import { calculateStatus, compactStatus, progressCheckDelayMs, rolloutStatus, statusEqual } from './status.ts';

export const deploymentKind = { apiVersion: 'apps/v1', kind: 'Deployment' } as const;

export interface SyncDeps {
  client: ControllerClient;
  recorder: EventRecorder;
  now: () => number;
  /** The ReplicaSet cache, read when a create finds the name taken. */
  getReplicaSet: (namespace: string, name: string) => ReplicaSet | undefined;
}

/** Whether an error carries the NamespaceTerminating cause (nothing can be created; not retried). */
export function isNamespaceTerminating(err: unknown): boolean {
  return err instanceof ApiError && !!err.details?.causes?.some((c) => c.reason === 'NamespaceTerminating');
}

const isAlreadyExists = (err: unknown) => err instanceof ApiError && err.reason === 'AlreadyExists';
const isNotFound = (err: unknown) => err instanceof ApiError && err.code === 404;

export class DeploymentSync {
  readonly #deps: SyncDeps;
  readonly d: Deployment;
  /** Set when the progress deadline must be checked again later. */
  requeueAfterMs: number | undefined;
  /** ReplicaSets as this sync wrote them, by UID: later steps read these, not the cache's older copies. */
  readonly #written = new Map<string, ReplicaSet>();

  constructor(deps: SyncDeps, d: Deployment) {
    this.#deps = deps;
    this.d = structuredClone(d);
  }

  get #ns(): string {
    return this.d.metadata?.namespace ?? '';
  }

  #ref(): ObjectRef {
    const m = this.d.metadata ?? {};
    return { kind: 'Deployment', apiVersion: 'apps/v1', namespace: m.namespace ?? '', name: m.name ?? '', uid: m.uid ?? '', resourceVersion: m.resourceVersion };
  }

  event(type: 'Normal' | 'Warning', reason: string, message: string): void {
    this.#deps.recorder.record(this.#ref(), type, reason, message);
  }

  /** The status subresource, which also keeps the annotations (the revision) as apps/v1's status strategy does. */
  updateStatus(): void {
    const body = { ...this.d, status: compactStatus(this.d.status ?? {}) };
    const written = this.#deps.client.resource('deployments').updateStatus(this.#ns, body);
    this.d.metadata = { ...this.d.metadata, resourceVersion: written.metadata?.resourceVersion };
  }

  /** The main resource (spec and metadata), for the rollback annotation. */
  updateDeployment(): void {
    const written = this.#deps.client.resource('deployments').update(this.#ns, this.d);
    this.d.metadata = { ...this.d.metadata, resourceVersion: written.metadata?.resourceVersion };
  }

  // ---- ReplicaSets ----------------------------------------------------------

  /** getAllReplicaSetsAndSyncRevision. */
  replicaSets(cached: readonly ReplicaSet[], create: boolean): { newRS: ReplicaSet | undefined; oldRSs: ReplicaSet[] } {
    const rsList = cached.map((rs) => this.#written.get(rs.metadata?.uid ?? '') ?? rs);
    const oldRSs = findOldReplicaSets(this.d, rsList);
    const newRS = this.#getNewReplicaSet(rsList, oldRSs, create);
    return { newRS, oldRSs };
  }

  /** getNewReplicaSet: finds (syncing its revision) or creates the ReplicaSet of the current template. */
  #getNewReplicaSet(rsList: readonly ReplicaSet[], oldRSs: readonly ReplicaSet[], create: boolean): ReplicaSet | undefined {
    const d = this.d;
    const existing = findNewReplicaSet(d, rsList);
    const newRevision = String(maxRevision(oldRSs) + 1);
    const deadline = progressDeadlineSeconds(d);
    if (existing) {
      const rsCopy = structuredClone(existing);
      const annotationsUpdated = setNewReplicaSetAnnotations(d, rsCopy, newRevision, true);
      const minReady = d.spec?.minReadySeconds ?? 0;
      if (annotationsUpdated || (rsCopy.spec?.minReadySeconds ?? 0) !== minReady) {
        rsCopy.spec = { ...rsCopy.spec!, minReadySeconds: minReady || undefined };
        return this.#wrote(this.#deps.client.resource('replicasets').update(this.#ns, rsCopy));
      }
      let needsUpdate = setDeploymentRevision(d, rsCopy.metadata?.annotations?.[revisionAnnotation] ?? '');
      if (deadline !== undefined && !getCondition(d.status, 'Progressing')) {
        d.status ??= {};
        setCondition(d.status, newCondition('Progressing', 'True', reasons.foundNewRS, `Found new replica set "${rsCopy.metadata?.name}"`, this.#deps.now()));
        needsUpdate = true;
      }
      if (needsUpdate) this.updateStatus();
      return rsCopy;
    }
    if (!create) return undefined;

    const collisionCount = d.status?.collisionCount ?? undefined;
    const hash = computeHash(d.spec?.template, collisionCount);
    const template = structuredClone(d.spec?.template ?? {});
    template.metadata = { ...template.metadata, labels: { ...template.metadata?.labels, [podTemplateHashLabel]: hash } };
    const selector = structuredClone(d.spec?.selector ?? {});
    selector.matchLabels = { ...selector.matchLabels, [podTemplateHashLabel]: hash };
    const newRS: ReplicaSet = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name: `${d.metadata?.name}-${hash}`,
        namespace: this.#ns,
        ownerReferences: [newControllerRef(d, deploymentKind)],
        labels: { ...template.metadata.labels },
      },
      spec: { replicas: 0, selector, template, ...(d.spec?.minReadySeconds ? { minReadySeconds: d.spec.minReadySeconds } : {}) },
    };
    const count = newRSNewReplicas(d, [...oldRSs, newRS], newRS);
    newRS.spec!.replicas = count;
    setNewReplicaSetAnnotations(d, newRS, newRevision, false);

    let created: ReplicaSet;
    let alreadyExists = false;
    try {
      created = this.#deps.client.resource('replicasets').create(this.#ns, newRS);
    } catch (err) {
      if (isAlreadyExists(err)) {
        alreadyExists = true;
        const rs = this.#deps.getReplicaSet(this.#ns, newRS.metadata!.name!);
        if (!rs) throw err;
        const ref = rs.metadata?.ownerReferences?.find((r) => r.controller === true);
        if (!(ref && ref.uid === d.metadata?.uid && equalIgnoreHash(d.spec?.template, rs.spec?.template))) {
          // A hash collision: another template has this name. A new collisionCount gives a new hash next time.
          d.status ??= {};
          d.status.collisionCount = (d.status.collisionCount ?? 0) + 1;
          this.updateStatus();
          throw err;
        }
        created = rs;
      } else if (isNamespaceTerminating(err)) {
        throw err;
      } else {
        const msg = `Failed to create new replica set "${newRS.metadata!.name}": ${err instanceof Error ? err.message : String(err)}`;
        if (deadline !== undefined) {
          const before = structuredClone(d.status ?? {});
          d.status ??= {};
          setCondition(d.status, newCondition('Progressing', 'False', reasons.failedRSCreate, msg, this.#deps.now()));
          // The API server drops a write that changes nothing; berth's store would not, and its watch event would loop.
          if (!statusEqual(before, d.status)) {
            try {
              this.updateStatus();
            } catch {
              // The failed create is the error to report.
            }
          }
        }
        this.event('Warning', reasons.failedRSCreate, msg);
        throw err;
      }
    }
    if (!alreadyExists && count > 0) this.event('Normal', 'ScalingReplicaSet', `Scaled up replica set ${created.metadata?.name} from 0 to ${count}`);
    let needsUpdate = setDeploymentRevision(d, newRevision);
    if (!alreadyExists && deadline !== undefined) {
      d.status ??= {};
      setCondition(d.status, newCondition('Progressing', 'True', reasons.newReplicaSet, `Created new replica set "${created.metadata?.name}"`, this.#deps.now()));
      needsUpdate = true;
    }
    if (needsUpdate) this.updateStatus();
    return created;
  }

  /** scaleReplicaSet: sets the size and the replicas annotations; an event when the size changed. Returns the ReplicaSet as written. */
  scaleReplicaSet(rs: ReplicaSet, newScale: number): { scaled: boolean; rs: ReplicaSet } {
    const d = this.d;
    const oldScale = sizeOf(rs);
    const sizeNeedsUpdate = oldScale !== newScale;
    const max = replicasOf(d) + maxSurge(d);
    if (!sizeNeedsUpdate && !replicasAnnotationsNeedUpdate(rs, replicasOf(d), max)) return { scaled: false, rs };
    const rsCopy = structuredClone(rs);
    rsCopy.spec = { ...rsCopy.spec!, replicas: newScale };
    setReplicasAnnotations(rsCopy, replicasOf(d), max);
    const written = this.#wrote(this.#deps.client.resource('replicasets').update(this.#ns, rsCopy));
    if (sizeNeedsUpdate) {
      const op = oldScale < newScale ? 'up' : 'down';
      this.event('Normal', 'ScalingReplicaSet', `Scaled ${op} replica set ${written.metadata?.name} from ${oldScale} to ${newScale}`);
    }
    return { scaled: sizeNeedsUpdate, rs: written };
  }

  #wrote(rs: ReplicaSet): ReplicaSet {
    this.#written.set(rs.metadata?.uid ?? '', rs);
    return rs;
  }

  /** scaleReplicaSetAndRecordEvent: nothing when the size is already right. */
  scaleAndRecord(rs: ReplicaSet, newScale: number): { scaled: boolean; rs: ReplicaSet } {
    if (sizeOf(rs) === newScale) return { scaled: false, rs };
    return this.scaleReplicaSet(rs, newScale);
  }

  /** Applies steps in order; a ReplicaSet written twice is written the second time from its first result. */
  applySteps(steps: readonly ScaleStep[], record: boolean): number {
    const latest = new Map<string, ReplicaSet>();
    let scaledBy = 0;
    for (const step of steps) {
      const uid = step.rs.metadata?.uid ?? '';
      const current = latest.get(uid) ?? step.rs;
      const before = sizeOf(current);
      const r = record ? this.scaleAndRecord(current, step.replicas) : this.scaleReplicaSet(current, step.replicas);
      latest.set(uid, r.rs);
      scaledBy += Math.abs(before - step.replicas);
    }
    return scaledBy;
  }

  /** scale: a scaling event or a paused Deployment. Proportional steps write every active ReplicaSet (their annotations too). */
  scale(newRS: ReplicaSet | undefined, oldRSs: readonly ReplicaSet[]): void {
    const { steps, proportional } = planScale(this.d, newRS, oldRSs);
    this.applySteps(steps, !proportional);
  }

  /** cleanupDeployment: deletes what planCleanup names. */
  cleanup(oldRSs: readonly ReplicaSet[]): void {
    for (const rs of planCleanup(oldRSs, this.d)) {
      try {
        this.#deps.client.resource('replicasets').delete(this.#ns, rs.metadata?.name ?? '');
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    }
  }

  // ---- status ---------------------------------------------------------------

  /** syncDeploymentStatus. */
  syncDeploymentStatus(allRSs: readonly (ReplicaSet | undefined)[], newRS: ReplicaSet | undefined): void {
    const next = calculateStatus(allRSs, newRS, this.d, this.#deps.now());
    if (statusEqual(this.d.status, next)) return;
    this.d.status = next;
    this.updateStatus();
  }

  /** syncRolloutStatus, with requeueStuckDeployment when nothing changed. */
  syncRolloutStatus(allRSs: readonly (ReplicaSet | undefined)[], newRS: ReplicaSet | undefined): void {
    const now = this.#deps.now();
    const next = rolloutStatus(allRSs, newRS, this.d, now);
    if (statusEqual(this.d.status, next)) {
      this.requeueAfterMs = progressCheckDelayMs(this.d, next, now);
      return;
    }
    this.d.status = next;
    this.updateStatus();
  }

  /** checkPausedConditions: Progressing Unknown DeploymentPaused / DeploymentResumed, unless it has timed out. */
  checkPausedConditions(): void {
    const d = this.d;
    if (progressDeadlineSeconds(d) === undefined) return;
    const cond = getCondition(d.status, 'Progressing');
    if (cond?.reason === reasons.timedOut) return;
    const pausedCondExists = cond?.reason === reasons.paused;
    d.status ??= {};
    if (d.spec?.paused && !pausedCondExists) {
      setCondition(d.status, newCondition('Progressing', 'Unknown', reasons.paused, 'Deployment is paused', this.#deps.now()));
    } else if (!d.spec?.paused && pausedCondExists) {
      setCondition(d.status, newCondition('Progressing', 'Unknown', reasons.resumed, 'Deployment is resumed', this.#deps.now()));
    } else return;
    this.updateStatus();
  }
}
