/**
 * status — what the node reports about a pod (the kubelet's
 * `generateAPIPodStatus`, pkg/kubelet/kubelet_pods.go, and status manager,
 * pkg/kubelet/status/status_manager.go).
 *
 * Owns: the pure generator (`generatePodStatus`: phase, conditions in
 * Kubernetes' order with their reasons and messages, container statuses —
 * init statuses in spec order, the others sorted by name — with state,
 * lastState, restartCount, started/ready, image, imageID, containerID; a
 * terminal phase, once reported, stays), the last status of a pod whose
 * containers all stopped for good (`terminatePodStatus`, the status manager's
 * TerminatePod: never left Pending or Running), and the single writer of pod status
 * to the API (`StatusManager`, which stamps transition times and startTime).
 *
 * Does not own: what runs (runtime/), probe results (prober/, read through
 * `ProbeView`), start failures (the sync's reason cache, passed in).
 *
 * State: the status last written per pod, in memory (rebuilt from the API
 * after a restart). No timers.
 */
export { generatePodStatus } from './generate-status.ts';
export type { StatusInput } from './generate-status.ts';
export { StatusManager } from './status-manager.ts';
export { terminatePodStatus } from './terminate-pod.ts';
export { getPhase } from './phase.ts';
export type { PodPhase } from './phase.ts';
