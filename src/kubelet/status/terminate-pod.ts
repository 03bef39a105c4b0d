/**
 * The status manager's `TerminatePod` (v1.33, pkg/kubelet/status/status_manager.go):
 * the last status of a pod whose containers have all stopped for good (deleted,
 * or finished). Pure.
 *
 *  - once the pod has initialized, every regular container not terminated is
 *    reported terminated `ContainerStatusUnknown` (137): whether it succeeded
 *    is not known, so it counts as an error;
 *  - init containers up to the last one that ever started, if not
 *    terminated, get the same (the waiting suffix stays waiting);
 *  - a phase that is not terminal becomes `Failed`, so that a pod deleted
 *    while initializing shows `Init:Error` (or `Failed`) before it goes.
 */
import type { ContainerState, ContainerStatus, Pod, PodStatus } from '../../api/api.ts';

const unknownTermination = (): ContainerState => ({
  terminated: {
    reason: 'ContainerStatusUnknown',
    message: 'The container could not be located when the pod was terminated',
    exitCode: 137,
  },
});

/** `hasPodInitialized`: evidence in the pod's API status that a regular container ever started. */
function hasPodInitialized(pod: Pod): boolean {
  if ((pod.spec?.initContainers ?? []).length === 0) return true;
  for (const s of pod.status?.containerStatuses ?? []) {
    if (s.lastState?.terminated || !s.state?.waiting) return true;
  }
  const inits = pod.status?.initContainerStatuses ?? [];
  const last = inits[inits.length - 1];
  if (last) {
    if (last.lastState?.terminated && last.lastState.terminated.exitCode === 0) return true;
    if (last.state?.terminated && last.state.terminated.exitCode === 0) return true;
  }
  return false;
}

/** `initializedContainers`: the statuses up to the last one that left waiting (at least the first). */
function initializedContainers(statuses: ContainerStatus[]): ContainerStatus[] {
  for (let i = statuses.length - 1; i >= 0; i--) {
    if (!statuses[i].state?.waiting || statuses[i].lastState?.terminated) return statuses.slice(0, i + 1);
  }
  return statuses.slice(0, 1);
}

export function terminatePodStatus(pod: Pod, generated: PodStatus): PodStatus {
  const status: PodStatus = structuredClone(generated);
  if (hasPodInitialized(pod)) {
    for (const s of status.containerStatuses ?? []) {
      if (!s.state?.terminated) s.state = unknownTermination();
    }
  }
  for (const s of initializedContainers(status.initContainerStatuses ?? [])) {
    if (!s.state?.terminated) s.state = unknownTermination();
  }
  if (status.phase !== 'Succeeded' && status.phase !== 'Failed') status.phase = 'Failed';
  return status;
}
