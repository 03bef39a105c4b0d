/**
 * runtime — what the node agent does to a pod over CRI, decided before it is
 * done (the kubelet's kuberuntime).
 *
 * Owns: the pure planner (`planPodActions`, a port of `computePodActions`;
 * the kill reasons and Killing texts), the executor (`PodExecutor`: SyncPod's
 * step order, starting a container with crash-loop backoff, postStart, and
 * the kill procedure with preStop, grace period, the 2 s minimum and sidecar
 * termination order), reading runtime state back (`RuntimeObserver`), the
 * sandbox and container configurations and the environment, the labels and
 * annotations that let a restarted berth recognize its objects, lifecycle
 * hooks.
 *
 * Does not own: images (images/), volumes (volumes/), probe results
 * (prober/), status (status/), when to sync (pod-workers.ts, sync-pod.ts),
 * the pod predicates, runtime state shape and backoff it shares with them
 * (container/).
 *
 * State: the crash-loop backoff entries (in the executor, memory only, as in
 * the kubelet) and the observer's caches (observe.ts: what cannot change,
 * and exits seen before CRI reports them); everything else is read from
 * containerd on each sync. Timers: none of its own beyond the waits of a
 * kill, on the injected clock (preStop bounded by the grace period, the
 * sidecar ordering wait, sleep hooks), and the observer's real-time poll
 * while containerd catches up with a sandbox exit it already reported.
 *
 * Test double: fake-runtime.ts, an in-memory CRI runtime that keeps the CRI
 * runtime contract (cri/runtime-contract.ts) as containerd does.
 */
export { planPodActions, KillReason } from './plan-pod-actions.ts';
export type { PodActions, ContainerToKill } from './plan-pod-actions.ts';
export { PodExecutor, backoffKey } from './execute.ts';
export { RuntimeObserver } from './observe.ts';
