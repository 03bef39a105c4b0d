/**
 * Has a workload (a Deployment, a DaemonSet, a StatefulSet) reached the outcome `berth
 * play` waits for, failed, or neither? Pure: a function of the workload
 * object and the outcomes of its pods.
 *
 * Reached: what `kubectl rollout status` calls done (kubectl's
 * polymorphichelpers/rollout_status.go): the controller has observed the
 * latest generation and every replica is updated and available. A
 * DaemonSet with the OnDelete strategy, which rollout status refuses, is
 * done when every pod it should run is available. A StatefulSet is done
 * when its replicas are ready and, under RollingUpdate, those above the
 * partition updated; under OnDelete, when its replicas are ready.
 * Failed: a Deployment whose Progressing condition says
 * ProgressDeadlineExceeded; or one of its current pods failed as a bare
 * pod fails (outcome.ts: CrashLoopBackOff, image pull errors, ...) or
 * cannot be scheduled. Pods being deleted are not judged: a rollout
 * deletes old pods as a matter of course.
 * A Job is done when its Complete condition is True and failed when its
 * Failed condition is (BackoffLimitExceeded, DeadlineExceeded, ...): its
 * pods may fail and be retried on the way, so only a pod that cannot start
 * at all (an image pull or configuration error) or cannot be scheduled
 * fails it early.
 * Pending: anything else, with rollout status's waiting message.
 */
import { selectorFromLabelSelector, type Selector } from '../../api/label-selector.ts';
import { FAILING_WAITING_REASONS, type PodOutcome } from './outcome.ts';

export type WorkloadOutcome = { kind: 'pending'; waiting: string } | { kind: 'reached'; summary: string } | { kind: 'failed'; reason: string; detail: string };

/** A pod of the workload and its own outcome. */
export interface MemberPod {
  name: string;
  pod: any;
  outcome: PodOutcome;
}

/** The workload kinds play waits for, by `apiVersion kind`. */
export const workloadKinds: ReadonlySet<string> = new Set(['apps/v1 Deployment', 'apps/v1 DaemonSet', 'apps/v1 StatefulSet', 'batch/v1 Job']);

export function isWorkload(obj: { apiVersion?: string; kind?: string }): boolean {
  return workloadKinds.has(`${obj.apiVersion} ${obj.kind}`);
}

/** The pods a workload selects (its spec.selector); nothing when it has none or it cannot be read. */
export function workloadSelector(obj: any): Selector {
  try {
    return selectorFromLabelSelector(obj?.spec?.selector);
  } catch {
    return { empty: false, matches: () => false };
  }
}

function deploymentProgress(d: any): WorkloadOutcome {
  const name = d.metadata?.name;
  const status = d.status ?? {};
  if ((d.metadata?.generation ?? 0) > (status.observedGeneration ?? 0)) return { kind: 'pending', waiting: 'Waiting for deployment spec update to be observed...' };
  const progressing = (status.conditions ?? []).find((c: any) => c.type === 'Progressing');
  if (progressing?.reason === 'ProgressDeadlineExceeded') {
    return { kind: 'failed', reason: 'ProgressDeadlineExceeded', detail: `deployment "${name}" exceeded its progress deadline${progressing.message ? `: ${progressing.message}` : ''}` };
  }
  const wanted = d.spec?.replicas ?? 1;
  const updated = status.updatedReplicas ?? 0;
  const replicas = status.replicas ?? 0;
  const available = status.availableReplicas ?? 0;
  if (updated < wanted) return { kind: 'pending', waiting: `Waiting for deployment "${name}" rollout to finish: ${updated} out of ${wanted} new replicas have been updated...` };
  if (replicas > updated) return { kind: 'pending', waiting: `Waiting for deployment "${name}" rollout to finish: ${replicas - updated} old replicas are pending termination...` };
  if (available < updated) return { kind: 'pending', waiting: `Waiting for deployment "${name}" rollout to finish: ${available} of ${updated} updated replicas are available...` };
  return { kind: 'reached', summary: `successfully rolled out (${available}/${wanted} available)` };
}

function daemonSetProgress(ds: any): WorkloadOutcome {
  const name = ds.metadata?.name;
  const status = ds.status ?? {};
  if ((ds.metadata?.generation ?? 0) > (status.observedGeneration ?? 0)) return { kind: 'pending', waiting: 'Waiting for daemon set spec update to be observed...' };
  const desired = status.desiredNumberScheduled ?? 0;
  const updated = status.updatedNumberScheduled ?? 0;
  const available = status.numberAvailable ?? 0;
  const rolling = (ds.spec?.updateStrategy?.type ?? 'RollingUpdate') === 'RollingUpdate';
  if (rolling && updated < desired) return { kind: 'pending', waiting: `Waiting for daemon set "${name}" rollout to finish: ${updated} out of ${desired} new pods have been updated...` };
  if (available < desired) return { kind: 'pending', waiting: `Waiting for daemon set "${name}" rollout to finish: ${available} of ${rolling ? `${updated} updated` : desired} pods are available...` };
  return { kind: 'reached', summary: `successfully rolled out (${available}/${desired} available)` };
}

/** kubectl's StatefulSetStatusViewer (OnDelete, which it refuses, is done once the replicas are ready). */
function statefulSetProgress(ss: any): WorkloadOutcome {
  const status = ss.status ?? {};
  const observed = status.observedGeneration ?? 0;
  if (observed === 0 || (ss.metadata?.generation ?? 0) > observed) return { kind: 'pending', waiting: 'Waiting for statefulset spec update to be observed...' };
  const wanted = ss.spec?.replicas ?? 1;
  const ready = status.readyReplicas ?? 0;
  if (ready < wanted) return { kind: 'pending', waiting: `Waiting for ${wanted - ready} pods to be ready...` };
  const updated = status.updatedReplicas ?? 0;
  const strategy = ss.spec?.updateStrategy ?? {};
  if (strategy.type === 'RollingUpdate' && strategy.rollingUpdate) {
    const partition = strategy.rollingUpdate.partition;
    if (typeof partition === 'number' && updated < wanted - partition) {
      return { kind: 'pending', waiting: `Waiting for partitioned roll out to finish: ${updated} out of ${wanted - partition} new pods have been updated...` };
    }
  } else if (strategy.type === 'RollingUpdate' && status.updateRevision !== status.currentRevision) {
    return { kind: 'pending', waiting: `waiting for statefulset rolling update to complete ${updated} pods at revision ${status.updateRevision}...` };
  }
  return { kind: 'reached', summary: `successfully rolled out (${ready}/${wanted} ready)` };
}

/** kubectl wait --for=condition=complete|failed, with the Job's own counts while it runs. */
function jobProgress(job: any): WorkloadOutcome {
  const status = job.status ?? {};
  const cond = (type: string) => (status.conditions ?? []).find((c: any) => c.type === type && c.status === 'True');
  const completions = job.spec?.completions ?? 1;
  const succeeded = status.succeeded ?? 0;
  const failed = cond('Failed');
  if (failed) return { kind: 'failed', reason: failed.reason ?? 'Failed', detail: `job "${job.metadata?.name}" failed: ${failed.message ?? failed.reason ?? 'Failed'}` };
  if (cond('Complete')) return { kind: 'reached', summary: `completed (${succeeded}/${completions})` };
  const tries = status.failed ? `, ${status.failed} failed` : '';
  return { kind: 'pending', waiting: `Waiting for job "${job.metadata?.name}" to complete: ${succeeded} of ${completions} completions succeeded${tries}...` };
}

/**
 * Why a Job's pod cannot run at all, so the Job itself would wait forever:
 * the failing waiting reasons except those of a container that ran (the Job
 * counts those failures against its backoffLimit), and no room to schedule.
 */
const RAN_AND_FAILED: ReadonlySet<string> = new Set(['CrashLoopBackOff', 'RunContainerError', 'PreStartHookError', 'PostStartHookError']);
const JOB_POD_BLOCKERS: ReadonlySet<string> = new Set([...[...FAILING_WAITING_REASONS].filter((r) => !RAN_AND_FAILED.has(r)), 'Unschedulable']);

/** A pod the scheduler could not place: its PodScheduled condition's reason and message. */
function unschedulable(pod: any): { reason: string; message: string } | undefined {
  const c = (pod?.status?.conditions ?? []).find((x: any) => x.type === 'PodScheduled');
  return c?.status === 'False' && c.reason === 'Unschedulable' ? { reason: c.reason, message: c.message ?? '' } : undefined;
}

/** The first member pod that failed, as the workload's failure; pods being deleted are skipped. */
export function failedMember(members: readonly MemberPod[]): { member: MemberPod; reason: string; detail: string } | undefined {
  for (const m of members) {
    if (m.pod?.metadata?.deletionTimestamp) continue;
    if (m.outcome.kind === 'failed' && m.outcome.reason !== 'Terminating' && m.outcome.reason !== 'Deleted') {
      return { member: m, reason: m.outcome.reason, detail: `pod/${m.name}: ${m.outcome.detail}` };
    }
    const u = unschedulable(m.pod);
    if (u) return { member: m, reason: u.reason, detail: `pod/${m.name} cannot be scheduled: ${u.message}` };
  }
  return undefined;
}

const progressOf: Record<string, (obj: any) => WorkloadOutcome> = {
  Deployment: deploymentProgress,
  DaemonSet: daemonSetProgress,
  StatefulSet: statefulSetProgress,
  Job: jobProgress,
};

export function workloadOutcome(obj: any, members: readonly MemberPod[]): WorkloadOutcome {
  const progress = (progressOf[obj?.kind] ?? deploymentProgress)(obj);
  if (progress.kind !== 'pending') return progress;
  const failed = failedMember(members);
  if (!failed || (obj?.kind === 'Job' && !JOB_POD_BLOCKERS.has(failed.reason))) return progress;
  return { kind: 'failed', reason: failed.reason, detail: failed.detail };
}
