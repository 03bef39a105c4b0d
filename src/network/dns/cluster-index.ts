/**
 * A `ClusterView` kept in memory and fed by the caller's informer handlers:
 * the indexes CoreDNS's controller keeps (coredns plugin/kubernetes
 * controller.go: services by name and by cluster IP, endpoints by service and
 * by address, pods by IP, namespaces) and the SOA serial, the Unix second of
 * the last change that altered an answer.
 *
 * One writer (the informer handlers, on the event loop); the resolver reads
 * between events, so every read sees a whole object. No timers.
 */
import type { ClusterView, DnsEndpointSlice, DnsPod, DnsService } from './cluster-view.ts';
import { isReady } from './find-records.ts';
import { canonicalIP } from './ip.ts';

export interface ClusterIndexOptions {
  /** Milliseconds since the epoch; the serial is its second. */
  readonly now?: () => number;
}

export class ClusterIndex implements ClusterView {
  readonly #now: () => number;
  #synced = false;
  #modified: number;
  readonly #namespaces = new Set<string>();
  readonly #services = new Map<string, DnsService>();
  readonly #servicesByIP = new Map<string, Set<string>>();
  readonly #slices = new Map<string, DnsEndpointSlice>();
  readonly #slicesByService = new Map<string, Set<string>>();
  readonly #slicesByIP = new Map<string, Set<string>>();
  readonly #pods = new Map<string, DnsPod>();
  readonly #podsByIP = new Map<string, Set<string>>();

  constructor(options: ClusterIndexOptions = {}) {
    this.#now = options.now ?? Date.now;
    this.#modified = this.#seconds();
  }

  /** Marks the initial lists done: unknown names answer NXDOMAIN from now on, not SERVFAIL. */
  markSynced(): void {
    this.#synced = true;
  }

  setNamespace(name: string): void {
    if (this.#namespaces.has(name)) return;
    this.#namespaces.add(name);
    this.#touch();
  }

  deleteNamespace(name: string): void {
    if (this.#namespaces.delete(name)) this.#touch();
  }

  setService(svc: DnsService): void {
    const key = keyOf(svc.namespace, svc.name);
    const old = this.#services.get(key);
    if (old !== undefined && same(old, svc)) return;
    if (old !== undefined) this.#unindexService(key, old);
    this.#services.set(key, svc);
    for (const ip of svc.clusterIPs) addTo(this.#servicesByIP, canonicalIP(ip), key);
    this.#touch();
  }

  deleteService(namespace: string, name: string): void {
    const key = keyOf(namespace, name);
    const old = this.#services.get(key);
    if (old === undefined) return;
    this.#unindexService(key, old);
    this.#services.delete(key);
    this.#touch();
  }

  setEndpointSlice(slice: DnsEndpointSlice): void {
    const key = keyOf(slice.namespace, slice.name);
    const old = this.#slices.get(key);
    if (old !== undefined && same(old, slice)) return;
    if (old !== undefined) this.#unindexSlice(key, old);
    this.#slices.set(key, slice);
    addTo(this.#slicesByService, keyOf(slice.namespace, slice.serviceName), key);
    for (const ip of readyAddresses(slice)) addTo(this.#slicesByIP, ip, key);
    this.#touch();
  }

  deleteEndpointSlice(namespace: string, name: string): void {
    const key = keyOf(namespace, name);
    const old = this.#slices.get(key);
    if (old === undefined) return;
    this.#unindexSlice(key, old);
    this.#slices.delete(key);
    this.#touch();
  }

  setPod(pod: DnsPod): void {
    const key = keyOf(pod.namespace, pod.name);
    const old = this.#pods.get(key);
    if (old !== undefined && same(old, pod)) return;
    if (old !== undefined) for (const ip of old.ips) removeFrom(this.#podsByIP, canonicalIP(ip), key);
    this.#pods.set(key, pod);
    for (const ip of pod.ips) addTo(this.#podsByIP, canonicalIP(ip), key);
    this.#touch();
  }

  deletePod(namespace: string, name: string): void {
    const key = keyOf(namespace, name);
    const old = this.#pods.get(key);
    if (old === undefined) return;
    for (const ip of old.ips) removeFrom(this.#podsByIP, canonicalIP(ip), key);
    this.#pods.delete(key);
    this.#touch();
  }

  hasSynced(): boolean {
    return this.#synced;
  }

  modified(): number {
    return this.#modified;
  }

  namespaceExists(namespace: string): boolean {
    return this.#namespaces.has(namespace);
  }

  service(namespace: string, name: string): DnsService | undefined {
    return this.#services.get(keyOf(namespace, name));
  }

  endpointSlices(namespace: string, service: string): readonly DnsEndpointSlice[] {
    return collect(this.#slicesByService.get(keyOf(namespace, service)), this.#slices);
  }

  servicesByIP(ip: string): readonly DnsService[] {
    return collect(this.#servicesByIP.get(ip), this.#services);
  }

  endpointSlicesByIP(ip: string): readonly DnsEndpointSlice[] {
    return collect(this.#slicesByIP.get(ip), this.#slices);
  }

  podsByIP(ip: string): readonly DnsPod[] {
    return collect(this.#podsByIP.get(ip), this.#pods);
  }

  #unindexService(key: string, svc: DnsService): void {
    for (const ip of svc.clusterIPs) removeFrom(this.#servicesByIP, canonicalIP(ip), key);
  }

  #unindexSlice(key: string, slice: DnsEndpointSlice): void {
    removeFrom(this.#slicesByService, keyOf(slice.namespace, slice.serviceName), key);
    for (const ip of readyAddresses(slice)) removeFrom(this.#slicesByIP, ip, key);
  }

  #touch(): void {
    this.#modified = this.#seconds();
  }

  #seconds(): number {
    return Math.floor(this.#now() / 1000);
  }
}

function keyOf(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

/** The plain objects hold only what DNS reads, so equal JSON means equal answers. */
function same(a: object, b: object): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function readyAddresses(slice: DnsEndpointSlice): Set<string> {
  const ips = new Set<string>();
  for (const e of slice.endpoints) {
    if (!isReady(e)) continue;
    for (const a of e.addresses) {
      const ip = canonicalIP(a);
      if (ip !== undefined) ips.add(ip);
    }
  }
  return ips;
}

function addTo(index: Map<string, Set<string>>, ip: string | undefined, key: string): void {
  if (ip === undefined) return;
  let keys = index.get(ip);
  if (keys === undefined) index.set(ip, (keys = new Set()));
  keys.add(key);
}

function removeFrom(index: Map<string, Set<string>>, ip: string | undefined, key: string): void {
  if (ip === undefined) return;
  const keys = index.get(ip);
  if (keys === undefined) return;
  keys.delete(key);
  if (keys.size === 0) index.delete(ip);
}

function collect<T>(keys: Set<string> | undefined, objects: Map<string, T>): T[] {
  if (keys === undefined) return [];
  const out: T[] = [];
  for (const k of keys) {
    const o = objects.get(k);
    if (o !== undefined) out.push(o);
  }
  return out;
}
