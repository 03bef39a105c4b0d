/**
 * Event reasons and message texts the kubelet emits (v1.33: the reasons of
 * pkg/kubelet/events/event.go, the texts of their call sites in kuberuntime/,
 * images/ and prober/). One vocabulary, so tests and code match on the same
 * strings.
 */
export const Reason = {
  Pulling: 'Pulling',
  Pulled: 'Pulled',
  Failed: 'Failed',
  BackOff: 'BackOff',
  ErrImageNeverPull: 'ErrImageNeverPull',
  InspectFailed: 'InspectFailed',
  Created: 'Created',
  Started: 'Started',
  Killing: 'Killing',
  Unhealthy: 'Unhealthy',
  ProbeWarning: 'ProbeWarning',
  FailedPostStartHook: 'FailedPostStartHook',
  FailedPreStopHook: 'FailedPreStopHook',
  SandboxChanged: 'SandboxChanged',
  FailedCreatePodSandBox: 'FailedCreatePodSandBox',
  FailedKillPod: 'FailedKillPod',
  DeadlineExceeded: 'DeadlineExceeded',
  FailedMount: 'FailedMount',
} as const;

export const Message = {
  pulling: (image: string) => `Pulling image "${image}"`,
  alreadyPresent: (image: string) => `Container image "${image}" already present on machine`,
  pulled: (image: string, pull: string, total: string, size: number) =>
    `Successfully pulled image "${image}" in ${pull} (${total} including waiting). Image size: ${size} bytes.`,
  failedToPull: (image: string, err: string) => `Failed to pull image "${image}": ${err}`,
  backOffPull: (image: string) => `Back-off pulling image "${image}"`,
  neverPull: (image: string) => `Container image "${image}" is not present with pull policy of Never`,
  created: (name: string) => `Created container: ${name}`,
  started: (name: string) => `Started container ${name}`,
  stopping: (name: string) => `Stopping container ${name}`,
  error: (err: string) => `Error: ${err}`,
  backOffRestart: (container: string, podDesc: string) => `Back-off restarting failed container ${container} in pod ${podDesc}`,
  sandboxChanged: () => 'Pod sandbox changed, it will be killed and re-created.',
  failedCreateSandbox: (err: string) => `Failed to create pod sandbox: ${err}`,
  deadlineExceeded: () => 'Pod was active on the node longer than the specified deadline',
} as const;

/** `format.Pod`: `<name>_<namespace>(<uid>)`. */
export function podDescription(pod: { metadata?: { name?: string; namespace?: string; uid?: string } }): string {
  return `${pod.metadata?.name}_${pod.metadata?.namespace}(${pod.metadata?.uid})`;
}
