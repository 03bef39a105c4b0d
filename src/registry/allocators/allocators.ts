/**
 * registry/allocators — values drawn from pools that every object of a kind
 * shares: a Service's cluster IPs (from the service CIDR, 10.96.0.0/12) and
 * node ports (30000–32767), as kube-apiserver's ipallocator and
 * portallocator hand them out.
 *
 * Owns: the ranges and the rules of allocation. Does not own: the pools'
 * state — there is none here. Each allocation reads the stored objects of
 * the kind (AllocationContext.peers) and takes what none of them holds, in
 * the same synchronous call that validates and stores the object, so values
 * are released by deleting or changing the object that held them, and a
 * restart cannot hand one out twice. No loops, no timers.
 *
 * The registry attaches an allocator to a kind's ResourceStore by resource
 * (`allocatorFor`); kinds without one have no pooled fields.
 */
import type { ResourceInfo } from '../../api/kind.ts';
import type { Allocator } from './allocator.ts';
import { ServiceAllocator, type ServiceAllocatorOptions } from './service-allocator.ts';

export type { AllocationContext, Allocator } from './allocator.ts';
export { IPv4Range, ipv4ToNumber, numberToIPv4 } from './ip-range.ts';
export { PortRange } from './port-range.ts';
export { ServiceAllocator, defaultNodePortRange, defaultServiceCIDR, normalizeClusterIPs, patchAllocatedValues } from './service-allocator.ts';
export type { ServiceAllocatorOptions } from './service-allocator.ts';

/** kubeadm's address for the `kubernetes` Service: the first of the service CIDR. */
export const kubernetesServiceIP = '10.96.0.1';
/** kubeadm's (and kind's) address for the `kube-dns` Service. */
export const dnsServiceIP = '10.96.0.10';

export interface AllocatorOptions {
  services?: ServiceAllocatorOptions;
}

/** The allocator of the resource `info` describes, or undefined when it has no pooled fields. */
export function allocatorFor(info: ResourceInfo, opts: AllocatorOptions = {}): Allocator<any> | undefined {
  if (info.group === '' && info.resource === 'services') return new ServiceAllocator(opts.services);
  return undefined;
}
