/**
 * Where the node agent's pod events go: a recorder bound to the kubelet's
 * source, taking the pod and the container field path. Every kubelet folder
 * that reports on a pod (runtime, prober, volumes through the executor)
 * writes through one `PodEventSink`; the reasons and texts are events/.
 *
 * Upstream: the kubelet's `record.EventRecorder` and the container
 * reference's field path (`GenerateContainerRef`, pkg/kubelet/container/ref.go).
 */
import type { Pod } from '../../api/api.ts';
import type { EventRecorder } from '../../client/client.ts';

export type PodEventSink = (pod: Pod, fieldPath: string | undefined, type: 'Normal' | 'Warning', reason: string, message: string) => void;

export function podEventSink(recorder: EventRecorder): PodEventSink {
  return (pod, fieldPath, type, reason, message) => {
    const m = pod.metadata!;
    recorder.record(
      {
        kind: 'Pod',
        namespace: m.namespace!,
        name: m.name!,
        uid: m.uid!,
        apiVersion: 'v1',
        ...(m.resourceVersion ? { resourceVersion: m.resourceVersion } : {}),
        ...(fieldPath ? { fieldPath } : {}),
      },
      type,
      reason,
      message,
    );
  };
}

/** `spec.initContainers{name}` or `spec.containers{name}`. */
export function fieldPathOf(pod: Pod, name: string): string | undefined {
  if ((pod.spec?.initContainers ?? []).some((c) => c.name === name)) return `spec.initContainers{${name}}`;
  if ((pod.spec?.containers ?? []).some((c) => c.name === name)) return `spec.containers{${name}}`;
  if ((pod.spec?.ephemeralContainers ?? []).some((c) => c.name === name)) return `spec.ephemeralContainers{${name}}`;
  return undefined;
}
