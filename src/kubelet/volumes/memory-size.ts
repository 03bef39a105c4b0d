/**
 * The size of a memory-backed volume's tmpfs (`calculateEmptyDirMemorySize`,
 * SizeMemoryBackedVolumes): the node's allocatable memory, lowered to the
 * pod's memory limit when every container declares one, lowered again to the
 * emptyDir's `sizeLimit` when that is smaller. Secret and projected volumes
 * use the same rule without a sizeLimit.
 */
import type { Container, Pod } from '../../api/api.ts';
import { tryParseQuantity } from '../../api/validation/quantity.ts';
import { isSidecar } from '../container/pod-predicates.ts';

function memoryLimit(c: Container): bigint | undefined {
  const q = tryParseQuantity(c.resources?.limits?.memory);
  return q && q.sign() > 0 ? q.value() : undefined;
}

/**
 * The pod's memory limit as its cgroup gets it (`PodLimits`): regular
 * containers and sidecars add up; each regular init container (with the
 * sidecars started before it) is a floor. Undefined when any container has
 * no memory limit.
 */
export function podMemoryLimit(pod: Pod): bigint | undefined {
  const spec = pod.spec;
  if (!spec) return undefined;
  let sidecars = 0n;
  let initFloor = 0n;
  for (const c of spec.initContainers ?? []) {
    const l = memoryLimit(c);
    if (l === undefined) return undefined;
    if (isSidecar(c)) sidecars += l;
    else if (sidecars + l > initFloor) initFloor = sidecars + l;
  }
  let sum = sidecars;
  for (const c of spec.containers) {
    const l = memoryLimit(c);
    if (l === undefined) return undefined;
    sum += l;
  }
  const overhead = tryParseQuantity(spec.overhead?.memory)?.value() ?? 0n;
  return (sum > initFloor ? sum : initFloor) + overhead;
}

export function memoryBackedSize(pod: Pod, sizeLimit: unknown, nodeAllocatableMemory: string): bigint {
  let size = tryParseQuantity(nodeAllocatableMemory)?.value() ?? 0n;
  const podLimit = podMemoryLimit(pod);
  if (podLimit !== undefined && podLimit > 0n && podLimit <= size) size = podLimit;
  const volumeLimit = tryParseQuantity(sizeLimit);
  if (volumeLimit && volumeLimit.sign() > 0 && volumeLimit.value() <= size) size = volumeLimit.value();
  return size;
}
