/**
 * Has a pod reached the outcome `berth play` waits for, failed, or neither?
 * Pure: a function of the pod object alone.
 *
 * Reached: restartPolicy Always — phase Running and condition Ready=True;
 * Never/OnFailure (run to completion) — phase Succeeded.
 * Failed: phase Failed; or any container (init, sidecar, app) waiting
 * with a reason that needs a change to recover from (CrashLoopBackOff, image
 * pull errors, config errors); or the pod is being deleted.
 * Anything else: still on its way.
 */

export type PodOutcome =
  | { kind: 'pending' }
  | { kind: 'reached'; summary: string }
  | { kind: 'failed'; reason: string; detail: string; container?: string; init?: boolean; hasLogs: boolean };

/** Waiting reasons after which the kubelet only retries what already failed. */
export const FAILING_WAITING_REASONS: ReadonlySet<string> = new Set([
  'CrashLoopBackOff',
  'ErrImagePull',
  'ImagePullBackOff',
  'InvalidImageName',
  'ErrImageNeverPull',
  'RegistryUnavailable',
  'SignatureValidationFailed',
  'CreateContainerConfigError',
  'CreateContainerError',
  'RunContainerError',
  'PreStartHookError',
  'PostStartHookError',
]);

const NO_LOGS = new Set(['ErrImagePull', 'ImagePullBackOff', 'InvalidImageName', 'ErrImageNeverPull', 'RegistryUnavailable', 'SignatureValidationFailed', 'CreateContainerConfigError', 'CreateContainerError']);

interface Status {
  name: string;
  state?: { waiting?: { reason?: string; message?: string }; running?: object; terminated?: Terminated };
  lastState?: { terminated?: Terminated };
  restartCount?: number;
  ready?: boolean;
}
interface Terminated {
  exitCode?: number;
  signal?: number;
  reason?: string;
  message?: string;
}

function exitText(t: Terminated): string {
  const parts = [`exit code ${t.exitCode ?? 0}`];
  if (t.reason) parts.push(t.reason);
  return parts.join(', ');
}

function restarts(n: number | undefined): string {
  return n ? `, restarted ${n} time${n === 1 ? '' : 's'}` : '';
}

function containerWord(init: boolean, sidecar: boolean): string {
  return sidecar ? 'sidecar container' : init ? 'init container' : 'container';
}

export function podOutcome(pod: any): PodOutcome {
  const spec = pod?.spec ?? {};
  const status = pod?.status ?? {};
  const policy: string = spec.restartPolicy ?? 'Always';
  const sidecars = new Set<string>((spec.initContainers ?? []).filter((c: any) => c.restartPolicy === 'Always').map((c: any) => c.name));
  const all: { s: Status; init: boolean }[] = [
    ...(status.initContainerStatuses ?? []).map((s: Status) => ({ s, init: true })),
    ...(status.containerStatuses ?? []).map((s: Status) => ({ s, init: false })),
  ];

  if (status.phase === 'Succeeded') return { kind: 'reached', summary: 'Succeeded' };
  if (status.phase === 'Failed') {
    const failed =
      all.find(({ s, init }) => init && !sidecars.has(s.name) && s.state?.terminated && s.state.terminated.exitCode !== 0) ??
      all.find(({ s, init }) => !init && s.state?.terminated && s.state.terminated.exitCode !== 0);
    if (failed) {
      const t = failed.s.state!.terminated!;
      return {
        kind: 'failed',
        reason: t.reason ?? 'Error',
        detail: `${containerWord(failed.init, sidecars.has(failed.s.name))} "${failed.s.name}" ${exitText(t)}${t.message ? `: ${t.message.trim()}` : ''}`,
        container: failed.s.name,
        init: failed.init,
        hasLogs: true,
      };
    }
    return { kind: 'failed', reason: status.reason ?? 'Failed', detail: status.message ?? 'the pod failed', hasLogs: false };
  }
  if (pod?.metadata?.deletionTimestamp) {
    return { kind: 'failed', reason: 'Terminating', detail: 'the pod is being deleted', hasLogs: false };
  }
  for (const { s, init } of all) {
    const w = s.state?.waiting;
    if (!w?.reason || !FAILING_WAITING_REASONS.has(w.reason)) continue;
    const last = s.lastState?.terminated;
    const why = w.reason === 'CrashLoopBackOff' && last ? `last run ${exitText(last)}${restarts(s.restartCount)}` : (w.message ?? '');
    return {
      kind: 'failed',
      reason: w.reason,
      detail: `${containerWord(init, sidecars.has(s.name))} "${s.name}" is waiting: ${w.reason}${why ? ` (${why})` : ''}`,
      container: s.name,
      init,
      hasLogs: !NO_LOGS.has(w.reason),
    };
  }
  if (policy === 'Always' && status.phase === 'Running') {
    const ready = (status.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True');
    if (ready) {
      const n = (status.containerStatuses ?? []).length + sidecars.size;
      const r = (status.containerStatuses ?? []).filter((s: Status) => s.ready).length + (status.initContainerStatuses ?? []).filter((s: Status) => sidecars.has(s.name) && s.ready).length;
      return { kind: 'reached', summary: `Running (${r}/${n} ready)` };
    }
  }
  return { kind: 'pending' };
}
