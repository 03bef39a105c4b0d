/**
 * Questions about a pod and what the runtime reports for it that the planner
 * (runtime/), the status generator (status/), the prober and the volume
 * manager all ask, answered once. Pure.
 *
 * Upstream: `ShouldContainerBeRestarted` (pkg/kubelet/container/helpers.go),
 * `PodSandboxChanged` (pkg/kubelet/kuberuntime/util/util.go),
 * `isInitContainerFailed` and `hasAnyRegularContainerCreated`
 * (pkg/kubelet/kuberuntime/kuberuntime_container.go),
 * `HasAnyActiveRegularContainerStarted` (pkg/kubelet/container/helpers.go),
 * `podutil.IsRestartableInitContainer` (pkg/api/v1/pod/util.go).
 */
import type { Container, Pod } from '../../api/api.ts';
import { latestContainer, type PodRuntimeState, type RuntimeContainer } from './pod-runtime-state.ts';

/** A sidecar: an init container with `restartPolicy: Always` (a restartable init container). */
export function isSidecar(c: Container): boolean {
  return c.restartPolicy === 'Always';
}

/** Failure for a regular init container: non-zero exit, OOMKilled, or unknown state. */
export function isInitContainerFailed(c: RuntimeContainer): boolean {
  if (c.reason === 'OOMKilled') return true;
  if (c.state === 'exited' && c.exitCode !== 0) return true;
  return c.state === 'unknown';
}

/** `ShouldContainerBeRestarted` for a regular container. */
export function shouldContainerBeRestarted(pod: Pod, c: Container, state: PodRuntimeState): boolean {
  if (pod.metadata?.deletionTimestamp) return false;
  const s = latestContainer(state, c.name);
  if (!s) return true;
  if (s.state === 'running') return false;
  if (s.state === 'unknown' || s.state === 'created') return true;
  const policy = pod.spec?.restartPolicy ?? 'Always';
  if (policy === 'Never') return false;
  if (policy === 'OnFailure' && s.exitCode === 0) return false;
  return true;
}

/** `PodSandboxChanged`: whether a (new) sandbox must be created. */
export function sandboxChanged(pod: Pod, state: PodRuntimeState): { create: boolean; attempt: number; sandboxId: string } {
  if (state.sandboxes.length === 0) return { create: true, attempt: 0, sandboxId: '' };
  const latest = state.sandboxes[0];
  const readyCount = state.sandboxes.filter((s) => s.ready).length;
  if (readyCount > 1 || !latest.ready) return { create: true, attempt: latest.attempt + 1, sandboxId: latest.id };
  const hostNetwork = pod.spec?.hostNetwork === true;
  if (latest.hostNetwork !== hostNetwork) return { create: true, attempt: latest.attempt + 1, sandboxId: '' };
  if (!hostNetwork && latest.ip === '') return { create: true, attempt: latest.attempt + 1, sandboxId: latest.id };
  return { create: false, attempt: latest.attempt, sandboxId: latest.id };
}

/**
 * Whether any regular container of the pod exists in state created or running
 * (the initialization test of `computeInitContainerActions`: exited instances
 * may be left over from an earlier sandbox, so they do not count).
 */
export function hasAnyRegularContainerCreated(pod: Pod, state: PodRuntimeState): boolean {
  return (pod.spec?.containers ?? []).some((c) => {
    const s = latestContainer(state, c.name);
    return !!s && (s.state === 'created' || s.state === 'running');
  });
}

/**
 * `HasAnyActiveRegularContainerStarted`: some regular container has an
 * instance in the newest sandbox (the pod's phase test of initialization).
 */
export function hasAnyActiveRegularContainerStarted(pod: Pod, state: PodRuntimeState): boolean {
  const current = state.sandboxes[0]?.id;
  if (!current) return false;
  const names = new Set((pod.spec?.containers ?? []).map((c) => c.name));
  return state.containers.some((c) => names.has(c.name) && c.sandboxId === current);
}
