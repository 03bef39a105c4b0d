/**
 * Why a container did not start, as the executor (runtime/) records it and
 * the status generator (status/) shows it: the container's waiting reason
 * and message until a start succeeds (the kubelet's reason cache,
 * pkg/kubelet/kuberuntime/kuberuntime_manager.go and kubelet_pods.go
 * `convertToAPIContainerStatuses`).
 */

export interface StartFailure {
  /** Waiting reason, e.g. `CrashLoopBackOff`, `ErrImagePull`. */
  reason: string;
  message: string;
}

/**
 * A container's configuration cannot be made (missing configMap or key, bad
 * subPath, …): the start fails with reason `CreateContainerConfigError` and
 * this message (`ErrCreateContainerConfig`, pkg/kubelet/container/sync_result.go).
 */
export class ContainerConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ContainerConfigError';
  }
}
