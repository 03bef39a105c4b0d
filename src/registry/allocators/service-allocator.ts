/**
 * Cluster IPs and node ports for Services, as kube-apiserver v1.33 assigns
 * them on create and update (`pkg/registry/core/service/storage`:
 * storage.go `beginCreate`/`beginUpdate`, `normalizeClusterIPs`,
 * `patchAllocatedValues`; alloc.go `allocateCreate`/`allocateUpdate`,
 * `initIPFamilyFields`, `initNodePorts`, `updateNodePorts`, the health check
 * node port), on a single-stack IPv4 cluster.
 *
 * The pools have no state of their own. What is taken is read from the
 * stored Services at each allocation, so a value is free again the moment
 * the Service holding it is deleted or stops needing it (type change), and a
 * restart — even after `kill -9` — cannot hand out a value twice: there is
 * no second record to fall out of step with the first. kube-apiserver keeps
 * IPAddress objects and a bitmap and repairs them by controller; berth has
 * nothing to repair.
 *
 * Out-of-range requested IPs fail as v1.33's MultiCIDRServiceAllocator (GA,
 * on) fails them: `the provided network does not match the current range`.
 * Dry runs behave like kube-apiserver's: a dynamic IP shows as the network
 * address, dynamic node ports as 32769, 32770, … and requested values are
 * not checked against each other's pools as strictly.
 */
import type { Service } from 'kubernetes-types/core/v1.js';
import { ApiError, errors, type FieldError } from '../../api/api.ts';
import type { Stored } from '../../api/types.ts';
import {
  isHeadlessService,
  isIPv4String,
  isIPv6String,
  needsHealthCheck,
  validateServiceClusterIPsRelatedFields,
} from '../../api/validation/validation.ts';
import { fieldError, FieldErrorType } from '../../api/field-error.ts';
import type { AllocationContext, Allocator } from './allocator.ts';
import { IPv4Range, ipv4ToNumber, numberToIPv4 } from './ip-range.ts';
import { PortRange } from './port-range.ts';

type Svc = Stored<Service>;
type Spec = NonNullable<Svc['spec']>;

/** kubeadm's and kind's default service CIDR. */
export const defaultServiceCIDR = '10.96.0.0/12';
/** kube-apiserver's default `--service-node-port-range`. */
export const defaultNodePortRange = '30000-32767';

export interface ServiceAllocatorOptions {
  serviceCIDR?: string;
  nodePortRange?: string;
  /** An integer in [0, n); Math.random by default. Tests pin it. */
  random?: (n: number) => number;
}

const errAllocatedIP = 'provided IP is already allocated';
const errMismatchedNetwork = 'the provided network does not match the current range';
const errAllocatedPort = 'provided port is already allocated';
const errFull = 'range is full';

const invalidService = (svc: Svc, errs: FieldError[]): ApiError => errors.invalid('Service', svc.metadata.name, errs);
const invalid = (field: string, value: unknown, detail: string): FieldError => fieldError(FieldErrorType.Invalid, field, value, detail);

const needsClusterIP = (spec: Spec): boolean => spec.type !== 'ExternalName';
const needsNodePort = (spec: Spec): boolean => spec.type === 'NodePort' || spec.type === 'LoadBalancer';
/** `shouldAllocateNodePorts`: a LoadBalancer may opt out with allocateLoadBalancerNodePorts=false. */
const shouldAllocateNodePorts = (spec: Spec): boolean =>
  spec.type === 'NodePort' || (spec.type === 'LoadBalancer' && spec.allocateLoadBalancerNodePorts !== false);
const sameStrings = (a: readonly string[] | undefined, b: readonly string[] | undefined): boolean =>
  (a ?? []).length === (b ?? []).length && (a ?? []).every((v, i) => v === (b ?? [])[i]);
const familyOf = (ip: string): string => (isIPv4String(ip) ? 'IPv4' : isIPv6String(ip) ? 'IPv6' : 'unknown');

/** The IPs held by Services other than the one being written. */
function usedClusterIPs(peers: Svc[]): Set<number> {
  const used = new Set<number>();
  for (const s of peers) {
    if (!needsClusterIP(s.spec ?? {})) continue;
    for (const ip of s.spec?.clusterIPs ?? []) {
      const n = ipv4ToNumber(ip);
      if (n !== undefined) used.add(n);
    }
  }
  return used;
}

/** The node ports (and health check node ports) held by Services other than the one being written. */
function usedNodePorts(peers: Svc[]): Set<number> {
  const used = new Set<number>();
  for (const s of peers) {
    for (const p of s.spec?.ports ?? []) if (p.nodePort) used.add(p.nodePort);
    if (s.spec?.healthCheckNodePort) used.add(s.spec.healthCheckNodePort);
  }
  return used;
}

/**
 * One write's node port allocations (portallocator's PortAllocationOperation):
 * a port allocated earlier in the same write is taken for the rest of it.
 */
class NodePortOperation {
  readonly #range: PortRange;
  readonly #used: Set<number>;
  readonly #random: (n: number) => number;
  readonly #dryRun: boolean;
  readonly #allocated: number[] = [];

  constructor(range: PortRange, used: Set<number>, random: (n: number) => number, dryRun: boolean) {
    this.#range = range;
    this.#used = used;
    this.#random = random;
    this.#dryRun = dryRun;
  }

  /** The error text, or undefined when `port` is now this write's. A dry run skips the range check, as kube-apiserver's does. */
  allocate(port: number): string | undefined {
    if (!this.#dryRun && !this.#range.contains(port)) {
      return `provided port is not in the valid range. The range of valid ports is ${this.#range}`;
    }
    if (this.#used.has(port) || this.#allocated.includes(port)) return errAllocatedPort;
    this.#allocated.push(port);
    return undefined;
  }

  /** A free port, or undefined when the range is full. A dry run makes one up above the last it handed out. */
  next(): number | undefined {
    if (this.#dryRun) {
      const port = (this.#allocated.length ? Math.max(...this.#allocated) : 32768) + 1;
      this.#allocated.push(port);
      return port;
    }
    const taken = new Set([...this.#used, ...this.#allocated]);
    const port = this.#range.next(taken, this.#random);
    if (port !== undefined) this.#allocated.push(port);
    return port;
  }
}

/** `normalizeClusterIPs`: keep clusterIP and clusterIPs in step for clients that set only the singular. */
export function normalizeClusterIPs(svc: Svc, old: Svc | undefined): void {
  const spec = (svc.spec ??= {});
  if (!old) {
    if (spec.clusterIP && (spec.clusterIPs ?? []).length === 0) spec.clusterIPs = [spec.clusterIP];
    return;
  }
  const oldSpec = old.spec ?? {};
  // An old client patched some other field and did not send clusterIPs.
  if ((oldSpec.clusterIPs ?? []).length > 0 && (spec.clusterIPs ?? []).length === 0 && (oldSpec.clusterIP ?? '') === (spec.clusterIP ?? '')) {
    spec.clusterIPs = oldSpec.clusterIPs;
  }
  if ((oldSpec.clusterIP ?? '') !== (spec.clusterIP ?? '')) {
    const same = sameStrings(oldSpec.clusterIPs, spec.clusterIPs);
    if (oldSpec.clusterIP && !spec.clusterIP) {
      // Cleared the singular: clear the plural on the client's behalf.
      if (same) delete spec.clusterIPs;
    } else if (same) {
      // Changed the singular only: the plural follows, and validation judges the change.
      spec.clusterIPs = [spec.clusterIP ?? ''];
    }
  }
}

/** `patchAllocatedValues`: a resubmitted manifest that omits allocated values keeps them. */
export function patchAllocatedValues(svc: Svc, old: Svc): void {
  const spec = (svc.spec ??= {});
  const oldSpec = old.spec ?? {};
  if (needsClusterIP(oldSpec) && needsClusterIP(spec)) {
    if (!spec.clusterIP && oldSpec.clusterIP) spec.clusterIP = oldSpec.clusterIP;
    if ((spec.clusterIPs ?? []).length === 0 && (oldSpec.clusterIPs ?? []).length > 0) spec.clusterIPs = [...oldSpec.clusterIPs!];
  }
  if (needsNodePort(oldSpec) && needsNodePort(spec)) {
    const newPorts = new Set((spec.ports ?? []).map((p) => p.nodePort ?? 0).filter((n) => n !== 0));
    const used = new Set((oldSpec.ports ?? []).map((p) => p.nodePort ?? 0).filter((n) => n !== 0 && newPorts.has(n)));
    // By port name: the user may have changed the port's other properties.
    const byName = new Map<string, number>();
    for (const p of oldSpec.ports ?? []) byName.set(p.name ?? '', p.nodePort ?? 0);
    for (const p of spec.ports ?? []) {
      if (p.nodePort) continue;
      const oldVal = byName.get(p.name ?? '') ?? 0;
      if (!used.has(oldVal) && oldVal !== 0) p.nodePort = oldVal;
    }
  }
  if (needsHealthCheck(oldSpec) && needsHealthCheck(spec) && !spec.healthCheckNodePort && oldSpec.healthCheckNodePort) {
    spec.healthCheckNodePort = oldSpec.healthCheckNodePort;
  }
}

/** `isMatchingPreferDualStackClusterIPFields`: a PreferDualStack Service whose IPs and families did not change is left alone. */
function unchangedPreferDualStack(spec: Spec, oldSpec: Spec | undefined): boolean {
  if (!oldSpec || spec.ipFamilyPolicy === undefined) return false;
  if (oldSpec.type !== spec.type || !needsClusterIP(spec)) return false;
  if (spec.ipFamilyPolicy !== 'PreferDualStack' || (oldSpec.ipFamilyPolicy !== undefined && oldSpec.ipFamilyPolicy !== 'PreferDualStack')) return false;
  return sameStrings(oldSpec.clusterIPs, spec.clusterIPs) && sameStrings(oldSpec.ipFamilies, spec.ipFamilies);
}

/**
 * `initIPFamilyFields` on a cluster with one (IPv4) service CIDR: infer
 * ipFamilyPolicy and ipFamilies, and refuse what the cluster cannot serve.
 */
function initIPFamilyFields(svc: Svc, old: Svc | undefined): void {
  const spec = svc.spec!;
  if (spec.type === 'ExternalName') return;
  const oldSpec = old?.spec;
  if (unchangedPreferDualStack(spec, oldSpec)) return;
  const selectorless = Object.keys(spec.selector ?? {}).length === 0;
  if (spec.ipFamilyPolicy === undefined || spec.ipFamilyPolicy === null) {
    if (oldSpec?.ipFamilyPolicy) spec.ipFamilyPolicy = oldSpec.ipFamilyPolicy;
    // Headless and selectorless: the endpoints may be of either family.
    else if (spec.clusterIP === 'None' && selectorless) spec.ipFamilyPolicy = 'RequireDualStack';
    else spec.ipFamilyPolicy = 'SingleStack';
  }
  const pre = validateServiceClusterIPsRelatedFields(svc);
  if (pre.length) throw invalidService(svc, pre);
  const policy = spec.ipFamilyPolicy;
  const errs: FieldError[] = [];
  if (oldSpec) {
    if (policy === 'SingleStack') {
      if (sameStrings(oldSpec.clusterIPs, spec.clusterIPs) && (spec.clusterIPs ?? []).length > 1) spec.clusterIPs = spec.clusterIPs!.slice(0, 1);
      if (sameStrings(oldSpec.ipFamilies, spec.ipFamilies) && (spec.ipFamilies ?? []).length > 1) spec.ipFamilies = spec.ipFamilies!.slice(0, 1);
    } else {
      const n = (spec.clusterIPs ?? []).length;
      if (n > 0 && n < (oldSpec.clusterIPs ?? []).length) {
        errs.push(invalid('spec.ipFamilyPolicy', policy, "must be 'SingleStack' to release the secondary cluster IP"));
      }
      const f = (spec.ipFamilies ?? []).length;
      if (f > 0 && f < (oldSpec.ipFamilies ?? []).length) {
        errs.push(invalid('spec.ipFamilyPolicy', policy, "must be 'SingleStack' to release the secondary IP family"));
      }
    }
  }
  if (policy === 'SingleStack') {
    if ((spec.clusterIPs ?? []).length === 2) {
      errs.push(invalid('spec.ipFamilyPolicy', policy, "must be 'RequireDualStack' or 'PreferDualStack' when multiple cluster IPs are specified"));
    }
    if ((spec.ipFamilies ?? []).length === 2) {
      errs.push(invalid('spec.ipFamilyPolicy', policy, "must be 'RequireDualStack' or 'PreferDualStack' when multiple IP families are specified"));
    }
  }
  const ips = spec.clusterIPs ?? [];
  for (let i = 0; i < ips.length; i++) {
    if (ips[i] === 'None') break;
    const fam = familyOf(ips[i]);
    if (i >= (spec.ipFamilies ?? []).length) {
      if (fam !== 'IPv4') errs.push(invalid(`spec.clusterIPs[${i}]`, [...ips], `${fam} is not configured on this cluster`));
      else spec.ipFamilies = [...(spec.ipFamilies ?? []), fam];
    }
  }
  if (errs.length) throw invalidService(svc, errs);
  if (spec.clusterIP === 'None' && selectorless) {
    const families = (spec.ipFamilies ??= ['IPv4']);
    if (families.length === 0) families.push('IPv4');
    // A single-stack cluster still accepts headless selectorless dual-stack Services.
    if (families.length < 2 && spec.ipFamilyPolicy !== 'SingleStack') families.push(families[0] === 'IPv4' ? 'IPv6' : 'IPv4');
    return;
  }
  if (spec.ipFamilyPolicy === 'RequireDualStack') {
    errs.push(invalid('spec.ipFamilyPolicy', spec.ipFamilyPolicy, 'this cluster is not configured for dual-stack services'));
  }
  (spec.ipFamilies ?? []).forEach((fam, i) => {
    if (fam !== 'IPv4') errs.push(invalid(`spec.ipFamilies[${i}]`, fam, 'not configured on this cluster'));
  });
  if (errs.length) throw invalidService(svc, errs);
  if ((spec.ipFamilies ?? []).length === 0) spec.ipFamilies = ['IPv4'];
}

export class ServiceAllocator implements Allocator<Service> {
  readonly ipRange: IPv4Range;
  readonly nodePorts: PortRange;
  readonly #random: (n: number) => number;

  constructor(opts: ServiceAllocatorOptions = {}) {
    this.ipRange = new IPv4Range(opts.serviceCIDR ?? defaultServiceCIDR);
    this.nodePorts = new PortRange(opts.nodePortRange ?? defaultNodePortRange);
    this.#random = opts.random ?? ((n) => Math.floor(Math.random() * n));
  }

  allocate(svc: Svc, old: Svc | undefined, ctx: AllocationContext<Service>): void {
    svc.spec ??= {};
    if (old) {
      patchAllocatedValues(svc, old);
      normalizeClusterIPs(svc, old);
    } else {
      normalizeClusterIPs(svc, undefined);
    }
    initIPFamilyFields(svc, old);
    const peers = ctx.peers();
    const oldSpec = old?.spec;
    // A new Service, or one leaving ExternalName, gets its cluster IPs;
    // one entering ExternalName gives them up (its stored form no longer holds them).
    if (!oldSpec || (oldSpec.type === 'ExternalName' && svc.spec.type !== 'ExternalName')) this.#allocClusterIPs(svc, peers, ctx.dryRun);
    const op = new NodePortOperation(this.nodePorts, usedNodePorts(peers), this.#random, ctx.dryRun);
    if (!oldSpec) this.#initNodePorts(svc, op);
    else if (needsNodePort(svc.spec)) this.#updateNodePorts(svc, oldSpec, op);
    if (needsHealthCheck(svc.spec) && !(oldSpec && needsHealthCheck(oldSpec))) this.#allocHealthCheckNodePort(svc, op);
  }

  /** `allocClusterIPs`: a requested IP must be in range and free; an empty one is chosen. */
  #allocClusterIPs(svc: Svc, peers: Svc[], dryRun: boolean): void {
    const spec = svc.spec!;
    if (spec.type === 'ExternalName') return;
    if (isHeadlessService(svc)) return;
    const ips = (spec.clusterIPs ??= []);
    const families = spec.ipFamilies ?? ['IPv4'];
    families.forEach((_, i) => {
      if (i > ips.length - 1) ips.push('');
    });
    // Only IPv4 reaches here: initIPFamilyFields refused every other family.
    const i = families.indexOf('IPv4');
    if (i < 0) return;
    const requested = ips[i];
    let ip: string;
    if (requested === '') {
      ip = dryRun ? numberToIPv4(this.ipRange.network) : this.#nextIP(peers);
    } else {
      const n = ipv4ToNumber(requested);
      if (n === undefined) throw errors.internal(`failed to parse service IP "${requested}"`);
      const fail = (why: string) => invalidService(svc, [invalid('spec.clusterIPs', [...ips], `failed to allocate IP ${requested}: ${why}`)]);
      if (dryRun) {
        if (!this.ipRange.contains(n)) {
          throw fail(`the provided IP (${numberToIPv4(n)}) is not in the valid range. The range of valid IPs is ${this.ipRange.cidr}`);
        }
      } else {
        if (!this.ipRange.contains(n)) throw fail(errMismatchedNetwork);
        if (usedClusterIPs(peers).has(n)) throw fail(errAllocatedIP);
      }
      ip = requested;
    }
    ips[i] = ip;
    if (i === 0) spec.clusterIP = ip;
  }

  #nextIP(peers: Svc[]): string {
    const n = this.ipRange.next(usedClusterIPs(peers), this.#random);
    if (n === undefined) throw errors.internal(`failed to allocate a serviceIP: ${errFull}`);
    return numberToIPv4(n);
  }

  /**
   * `initNodePorts`: ports that share a port number (TCP and UDP of the same
   * port) share one node port; a requested node port is honoured for every
   * port with that number.
   */
  #initNodePorts(svc: Svc, op: NodePortOperation): void {
    const spec = svc.spec!;
    if (!needsNodePort(spec)) return;
    const ports = spec.ports ?? [];
    const byPort = new Map<number, number>();
    ports.forEach((sp, i) => {
      if (!sp.nodePort && !shouldAllocateNodePorts(spec)) return;
      const allocated = byPort.get(sp.port) ?? 0;
      if (allocated === 0) {
        const requested = ports.find((p) => p.port === sp.port && p.nodePort)?.nodePort ?? 0;
        if (requested !== 0) {
          const err = op.allocate(requested);
          if (err) throw invalidService(svc, [invalid(`spec.ports[${i}].nodePort`, requested, err)]);
          sp.nodePort = requested;
        } else {
          const port = op.next();
          if (port === undefined) throw errors.internal(`failed to allocate a nodePort: ${errFull}`);
          sp.nodePort = port;
        }
        byPort.set(sp.port, sp.nodePort);
      } else if (sp.nodePort !== allocated) {
        if (!sp.nodePort) sp.nodePort = allocated;
        else {
          const err = op.allocate(sp.nodePort);
          if (err) throw invalidService(svc, [invalid(`spec.ports[${i}].nodePort`, sp.nodePort, err)]);
        }
      }
    });
  }

  /** `updateNodePorts`: node ports the Service already held stay its own; new ones are allocated. */
  #updateNodePorts(svc: Svc, oldSpec: Spec, op: NodePortOperation): void {
    const spec = svc.spec!;
    const oldPorts = new Set((oldSpec.ports ?? []).map((p) => p.nodePort ?? 0).filter((n) => n !== 0));
    const allocatedHere = new Set<number>();
    const seen: { protocol: string; nodePort: number }[] = [];
    (spec.ports ?? []).forEach((sp, i) => {
      if (!sp.nodePort && !shouldAllocateNodePorts(spec)) return;
      if (sp.nodePort) {
        if (!oldPorts.has(sp.nodePort) && !allocatedHere.has(sp.nodePort)) {
          const err = op.allocate(sp.nodePort);
          if (err) throw invalidService(svc, [invalid(`spec.ports[${i}].nodePort`, sp.nodePort, err)]);
          allocatedHere.add(sp.nodePort);
        }
      } else {
        const port = op.next();
        if (port === undefined) throw errors.internal(`failed to allocate a nodePort: ${errFull}`);
        sp.nodePort = port;
      }
      const protocol = sp.protocol ?? '';
      if (seen.some((s) => s.protocol === protocol && s.nodePort === sp.nodePort)) {
        // A plain Go error in kube-apiserver: a 500 with no reason, its text as the message.
        throw new ApiError(500, '', `duplicate nodePort: {${protocol} ${sp.nodePort}}`);
      }
      seen.push({ protocol, nodePort: sp.nodePort! });
    });
  }

  /** `allocHealthCheckNodePort`, for a LoadBalancer with externalTrafficPolicy Local. */
  #allocHealthCheckNodePort(svc: Svc, op: NodePortOperation): void {
    const spec = svc.spec!;
    const requested = spec.healthCheckNodePort ?? 0;
    if (requested !== 0) {
      const err = op.allocate(requested);
      if (err) throw errors.internal(`failed to allocate requested HealthCheck NodePort ${requested}: ${err}`);
      return;
    }
    const port = op.next();
    if (port === undefined) throw errors.internal(`failed to allocate a HealthCheck NodePort 0: ${errFull}`);
    spec.healthCheckNodePort = port;
  }
}
