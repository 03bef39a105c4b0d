/**
 * The pod-wide budget for termination messages (the status manager's
 * `normalizeStatus`): all of a pod's messages share
 * `kubecontainer.MaxPodTerminationMessageLogLength`, 12 KiB, split evenly
 * between its containers and init containers; a longer terminated message
 * (current state or last termination) keeps its first bytes. With each
 * message already at most 4096 bytes, this bounds the pod object whatever
 * its containers write.
 */
import type { ContainerState, Pod, PodStatus } from '../../api/api.ts';

/** `kubecontainer.MaxPodTerminationMessageLogLength` (pkg/kubelet/container/runtime.go). */
export const maxPodTerminationMessageBytes = 1024 * 12;

function cut(state: ContainerState | undefined, max: number): void {
  const t = state?.terminated;
  if (!t?.message) return;
  const bytes = Buffer.from(t.message);
  if (bytes.length > max) t.message = bytes.subarray(0, max).toString('utf8');
}

/** Cuts the terminated messages of `status` (in place) to the pod's per-container share. */
export function limitTerminationMessages(pod: Pod, status: PodStatus): void {
  const containers = (pod.spec?.containers?.length ?? 0) + (pod.spec?.initContainers?.length ?? 0);
  const share = containers > 0 ? Math.floor(maxPodTerminationMessageBytes / containers) : maxPodTerminationMessageBytes;
  for (const s of [...(status.containerStatuses ?? []), ...(status.initContainerStatuses ?? [])]) {
    cut(s.state, share);
    cut(s.lastState, share);
  }
}
