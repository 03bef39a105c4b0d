/**
 * Downward API values, shared by env `valueFrom` and downwardAPI / projected
 * volume items: Kubernetes' `fieldpath.ExtractFieldPathAsString` (metadata
 * fields, labels and annotations as `key="value"` lines) and
 * `resource.ExtractContainerResourceValue` (a container's requests or limits
 * divided by the divisor and rounded up; unset limits fall back to the node's
 * allocatable, as `MergeContainerResourceLimits` does).
 */
import { goQuote } from '../../api/api.ts';
import type { Container, Pod } from '../../api/api.ts';
import { tryParseQuantity } from '../../api/validation/quantity.ts';
import { own } from '../../api/json-object.ts';

export interface NodeAllocatable {
  cpu: string;
  memory: string;
  'ephemeral-storage': string;
}

export class DownwardApiError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DownwardApiError';
  }
}

/** `fieldpath.FormatMap`: sorted `key="value"` lines, values quoted as Go's %q. */
export function formatMap(m: Record<string, string> | undefined): string {
  return Object.keys(m ?? {})
    .sort()
    .map((k) => `${k}=${goQuote(m![k])}`)
    .join('\n');
}

/** `metadata.labels['key']` → ['metadata.labels', 'key']. */
function splitSubscript(path: string): [string, string] | undefined {
  if (!path.endsWith("']")) return undefined;
  const open = path.indexOf("['");
  if (open < 0) return undefined;
  return [path.slice(0, open), path.slice(open + 2, -2)];
}

/** `ExtractFieldPathAsString` for the metadata paths both env and volumes accept. */
export function fieldPathValue(pod: Pod, path: string): string {
  const meta = pod.metadata ?? {};
  const sub = splitSubscript(path);
  if (sub) {
    const [base, key] = sub;
    if (base === 'metadata.annotations') return own(meta.annotations, key) ?? '';
    if (base === 'metadata.labels') return own(meta.labels, key) ?? '';
    throw new DownwardApiError(`fieldPath ${goQuote(path)} does not support subscript`);
  }
  switch (path) {
    case 'metadata.annotations':
      return formatMap(meta.annotations);
    case 'metadata.labels':
      return formatMap(meta.labels);
    case 'metadata.name':
      return meta.name ?? '';
    case 'metadata.namespace':
      return meta.namespace ?? '';
    case 'metadata.uid':
      return meta.uid ?? '';
  }
  throw new DownwardApiError(`unsupported fieldPath: ${path}`);
}

const mergedResources = ['cpu', 'memory', 'ephemeral-storage'] as const;

/** The container's limits with unset (or zero) cpu, memory and ephemeral-storage taken from the node. */
function limitsWithNodeDefaults(c: Container, allocatable: NodeAllocatable): Record<string, unknown> {
  const limits: Record<string, unknown> = { ...(c.resources?.limits ?? {}) };
  for (const r of mergedResources) {
    const q = tryParseQuantity(limits[r]);
    if (!q || q.milliValue() === 0n) limits[r] = allocatable[r];
  }
  return limits;
}

function ceilDiv(a: bigint, b: bigint): bigint {
  if (b === 0n) return 0n;
  const q = a / b;
  return a % b !== 0n && a > 0n === b > 0n ? q + 1n : q;
}

/**
 * `ExtractContainerResourceValue` after `MergeContainerResourceLimits`: cpu in
 * units of the divisor's millicores, everything else in the divisor's bytes.
 */
export function resourceValue(c: Container, resource: string, divisor: unknown, allocatable: NodeAllocatable): string {
  const dot = resource.indexOf('.');
  const kind = resource.slice(0, dot);
  const name = resource.slice(dot + 1);
  const d = tryParseQuantity(divisor ?? '1');
  const div = d && d.milliValue() !== 0n ? d : tryParseQuantity('1')!;
  const list = kind === 'limits' ? limitsWithNodeDefaults(c, allocatable) : kind === 'requests' ? (c.resources?.requests ?? {}) : undefined;
  const known = name === 'cpu' || name === 'memory' || name === 'ephemeral-storage' || name.startsWith('hugepages-');
  if (!list || !known) throw new DownwardApiError(`unsupported container resource : ${resource}`);
  const q = tryParseQuantity((list as Record<string, unknown>)[name] ?? '0') ?? tryParseQuantity('0')!;
  if (name === 'cpu') return String(ceilDiv(q.milliValue(), div.milliValue()));
  return String(ceilDiv(q.value(), div.value()));
}

/** `findContainerInPod`: regular containers first, then init containers. */
export function findContainer(pod: Pod, name: string): Container | undefined {
  return pod.spec?.containers.find((c) => c.name === name) ?? pod.spec?.initContainers?.find((c) => c.name === name);
}

/** `ExtractResourceValueByContainerNameAndNodeAllocatable`. */
export function resourceValueOf(
  pod: Pod,
  containerName: string,
  resource: string,
  divisor: unknown,
  allocatable: NodeAllocatable,
): string {
  const c = findContainer(pod, containerName);
  if (!c) throw new DownwardApiError(`container ${containerName} not found`);
  return resourceValue(c, resource, divisor, allocatable);
}
