/**
 * A pod's resource requests as kube-scheduler counts them
 * (component-helpers resource.PodRequests, without non-zero defaults): the
 * larger of (app containers + restartable init containers) and, for each
 * init container, its requests plus those of the restartable init
 * containers started before it; plus spec.overhead. Then reduced to the
 * scheduler's Resource: millicores, bytes, and scalar resources (extended,
 * hugepages-*).
 */
import type { Pod } from '../../api/api.ts';
import { tryParseQuantity, type Quantity } from '../../api/validation/quantity.ts';

export type ResourceList = Map<string, Quantity>;

function toList(requests: Readonly<Record<string, unknown>> | undefined): ResourceList {
  const list: ResourceList = new Map();
  for (const [name, value] of Object.entries(requests ?? {})) {
    const q = tryParseQuantity(value);
    if (q) list.set(name, q);
  }
  return list;
}

function add(into: ResourceList, more: ResourceList): void {
  for (const [name, q] of more) {
    const cur = into.get(name);
    into.set(name, cur ? cur.add(q) : q);
  }
}

function max(into: ResourceList, other: ResourceList): void {
  for (const [name, q] of other) {
    const cur = into.get(name);
    if (!cur || q.cmp(cur) > 0) into.set(name, q);
  }
}

/** resource.PodRequests(pod, {}) as a list of quantities. */
export function podRequests(pod: Pod): ResourceList {
  const reqs: ResourceList = new Map();
  for (const c of pod.spec?.containers ?? []) add(reqs, toList(c.resources?.requests));
  const sidecars: ResourceList = new Map();
  const inits: ResourceList = new Map();
  for (const c of pod.spec?.initContainers ?? []) {
    const own = toList(c.resources?.requests);
    let use: ResourceList;
    if (c.restartPolicy === 'Always') {
      add(reqs, own);
      add(sidecars, own);
      use = sidecars;
    } else {
      use = new Map();
      add(use, own);
      add(use, sidecars);
    }
    max(inits, use);
  }
  max(reqs, inits);
  add(reqs, toList(pod.spec?.overhead));
  return reqs;
}

/** The scheduler's Resource: cpu in millicores, the rest in whole units. */
export interface Resource {
  milliCPU: bigint;
  memory: bigint;
  ephemeralStorage: bigint;
  allowedPodNumber: bigint;
  scalar: Map<string, bigint>;
}

export const emptyResource = (): Resource => ({ milliCPU: 0n, memory: 0n, ephemeralStorage: 0n, allowedPodNumber: 0n, scalar: new Map() });

/** schedutil.IsScalarResourceName: extended, hugepages-*, attachable-volumes-*, prefixed native. */
export function isScalarResourceName(name: string): boolean {
  return name.startsWith('hugepages-') || name.startsWith('attachable-volumes-') || name.includes('/');
}

/** framework.NewResource(list): what the filters compare. */
export function toResource(list: ResourceList): Resource {
  const r = emptyResource();
  for (const [name, q] of list) {
    if (name === 'cpu') r.milliCPU += q.milliValue();
    else if (name === 'memory') r.memory += q.value();
    else if (name === 'ephemeral-storage') r.ephemeralStorage += q.value();
    else if (name === 'pods') r.allowedPodNumber += q.value();
    else if (isScalarResourceName(name)) r.scalar.set(name, (r.scalar.get(name) ?? 0n) + q.value());
  }
  return r;
}

export function addResource(into: Resource, r: Resource): void {
  into.milliCPU += r.milliCPU;
  into.memory += r.memory;
  into.ephemeralStorage += r.ephemeralStorage;
  into.allowedPodNumber += r.allowedPodNumber;
  for (const [name, v] of r.scalar) into.scalar.set(name, (into.scalar.get(name) ?? 0n) + v);
}

/** The pod's request as NodeResourcesFit computes it. */
export const podResource = (pod: Pod): Resource => toResource(podRequests(pod));
