/**
 * Labels and annotations berth puts on CRI sandboxes and containers. They are
 * how the kubelet recognizes its runtime objects after a restart: the pod UID,
 * container name, restart count and spec hash live on the objects themselves,
 * not only in berth's memory. Keys match the kubelet's where one exists.
 */
import { createHash } from 'node:crypto';
import type { Container } from '../../api/api.ts';

export const Label = {
  podName: 'io.kubernetes.pod.name',
  podNamespace: 'io.kubernetes.pod.namespace',
  podUid: 'io.kubernetes.pod.uid',
  containerName: 'io.kubernetes.container.name',
  /** Marks objects created by berth, so berth never touches anyone else's. */
  managedBy: 'berth.dev/managed',
} as const;

export const Annotation = {
  containerHash: 'io.kubernetes.container.hash',
  restartCount: 'io.kubernetes.container.restartCount',
  terminationMessagePath: 'io.kubernetes.container.terminationMessagePath',
  terminationMessagePolicy: 'io.kubernetes.container.terminationMessagePolicy',
  gracePeriod: 'io.kubernetes.pod.terminationGracePeriod',
  /** `init`, `sidecar` or `regular`. */
  containerKind: 'berth.dev/container-kind',
  /** Host path of the termination message file of this instance. */
  terminationMessageHostPath: 'berth.dev/termination-message-host-path',
  /** On sandboxes: `true` when the pod uses the host's network namespace. */
  hostNetwork: 'berth.dev/host-network',
} as const;

/**
 * The container hash the kubelet uses to detect definition changes: only the
 * name and image count (`HashContainer`, pkg/kubelet/container/helpers.go,
 * v1.31+), so an image update restarts the container and, through the
 * backoff key (`GetStableKey`, pkg/kubelet/kuberuntime/helpers.go), starts a
 * fresh crash-loop backoff.
 */
export function containerHash(c: Pick<Container, 'name' | 'image'>): string {
  return createHash('sha256').update(`${c.name}\0${c.image ?? ''}`).digest('hex').slice(0, 8);
}
