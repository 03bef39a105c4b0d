/**
 * The service proxy: holds the latest Services and EndpointSlices it was
 * given and keeps the kernel's rules equal to them, one atomic
 * iptables-restore per sync (render-rules.ts, restore-transaction.ts) on a
 * coalescing loop (bounded-frequency-runner.ts).
 *
 * Lifecycle:
 *   start()       takes the service-network lease (../service-network-lease.ts; ProxyError Held
 *                 if another live node has it) and starts the loop. Nothing
 *                 is written until replaceAll() has been called once: a
 *                 restarted node must not REJECT every Service for want of
 *                 EndpointSlices it has not listed yet (kube-proxy waits for
 *                 both informers to sync the same way).
 *   replaceAll()  the full lists (an informer's initial list or a re-list);
 *   set…/delete…  one object's change.
 *   stop()        stops the loop and gives the lease up; the rules stay, so
 *                 pods that outlive the node process stay reachable and a
 *                 restarted node rewrites them (kube-proxy leaves its rules
 *                 on exit too). Idempotent.
 *   remove()      stop(), then delete every chain and jump the proxy added.
 *
 * A sync whose rendered rules equal the last ones written is skipped, unless
 * it is the periodic one (every `syncPeriodMs`), which rewrites everything and
 * so repairs rules someone else flushed. A failed sync is retried with a
 * back-off from 1 s doubling to `syncPeriodMs`.
 */
import type { Service } from 'kubernetes-types/core/v1.js';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1.js';
import { BoundedFrequencyRunner } from './bounded-frequency-runner.ts';
import { systemClock, type ProxyClock } from './clock.ts';
import type { IptablesRunner } from './iptables-runner.ts';
import { isIPv4Cidr } from './ipv4.ts';
import { acquireLease, leaseHolder, releaseLease, SERVICE_NETWORK_LEASE, type LeaseHolder } from '../service-network-lease.ts';
import { ProxyError, ProxyErrorCode } from './proxy-error.ts';
import { masqueradeMark, modelOf, renderTables, serializeTables, type ProxyConfig } from './render-rules.ts';
import { buildRemoveInput, buildSyncInput, parseIptablesSave } from './restore-transaction.ts';

export interface ServiceProxyOptions {
  config: ProxyConfig;
  iptables: IptablesRunner;
  clock?: ProxyClock;
  /** Least time between syncs once a burst is spent; default 500 ms (kube-proxy's minSyncPeriod is 1 s). */
  minSyncPeriodMs?: number;
  /** Syncs allowed back to back; default 2, kube-proxy's burstSyncs. */
  burstSyncs?: number;
  /** The periodic full rewrite; default 30 s, kube-proxy's syncPeriod. */
  syncPeriodMs?: number;
  /** The dataplane lease; without it none is taken (tests that program a namespace of their own). */
  lease?: { holder: LeaseHolder; file?: string };
  /**
   * Runs before each sync: the place for host settings that can only be made
   * later (route_localnet on the bridge, once the first pod created it:
   * host-sysctls.ts). A throw fails the sync like an iptables error.
   */
  beforeSync?: () => void;
  /** Told about each failed sync (the wiring logs it); the proxy retries by itself. */
  onSyncError?: (err: Error) => void;
}

export interface ProxyStatus {
  /** replaceAll() has been called: the proxy knows the whole state. */
  initialized: boolean;
  /** Successful syncs so far. */
  syncs: number;
  /** Clock time of the last successful sync. */
  lastSyncAt: number | undefined;
  /** The last sync's error, cleared by a successful one. */
  lastError: string | undefined;
}

function key(namespace: string | undefined, name: string | undefined): string {
  return `${namespace ?? ''}/${name ?? ''}`;
}

export class ServiceProxy {
  readonly #o: ServiceProxyOptions;
  readonly #clock: ProxyClock;
  readonly #runner: BoundedFrequencyRunner;
  readonly #services = new Map<string, Service>();
  readonly #slices = new Map<string, EndpointSlice>();
  #initialized = false;
  #started = false;
  #lastWritten: string | undefined;
  #failures = 0;
  #status: ProxyStatus = { initialized: false, syncs: 0, lastSyncAt: undefined, lastError: undefined };

  constructor(options: ServiceProxyOptions) {
    if (!isIPv4Cidr(options.config.clusterCidr)) {
      throw new RangeError(`start the service proxy: cluster CIDR "${options.config.clusterCidr}" is not an IPv4 CIDR`);
    }
    masqueradeMark(options.config.masqueradeBit);
    this.#o = options;
    this.#clock = options.clock ?? systemClock;
    this.#runner = new BoundedFrequencyRunner((periodic) => this.#sync(periodic), {
      clock: this.#clock,
      minIntervalMs: options.minSyncPeriodMs ?? 500,
      maxIntervalMs: options.syncPeriodMs ?? 30_000,
      burst: options.burstSyncs ?? 2,
    });
  }

  start(): void {
    if (this.#started) return;
    if (this.#o.lease) {
      const { holder, file } = this.#o.lease;
      const taken = acquireLease(holder.dataDir, { path: file, pid: holder.pid });
      if (!taken.acquired) {
        throw new ProxyError(
          ProxyErrorCode.Held,
          `start the service proxy: the node with data directory "${taken.holder.dataDir}" (pid ${taken.holder.pid}) serves the service network on this machine; stop it first`,
        );
      }
    }
    this.#started = true;
    this.#runner.start();
  }

  replaceAll(services: Iterable<Service>, endpointSlices: Iterable<EndpointSlice>): void {
    this.#services.clear();
    this.#slices.clear();
    for (const s of services) this.#services.set(key(s.metadata?.namespace, s.metadata?.name), s);
    for (const s of endpointSlices) this.#slices.set(key(s.metadata?.namespace, s.metadata?.name), s);
    this.#initialized = this.#status.initialized = true;
    this.#runner.run();
  }

  setService(service: Service): void {
    this.#services.set(key(service.metadata?.namespace, service.metadata?.name), service);
    this.#runner.run();
  }

  deleteService(namespace: string, name: string): void {
    if (this.#services.delete(key(namespace, name))) this.#runner.run();
  }

  setEndpointSlice(slice: EndpointSlice): void {
    this.#slices.set(key(slice.metadata?.namespace, slice.metadata?.name), slice);
    this.#runner.run();
  }

  deleteEndpointSlice(namespace: string, name: string): void {
    if (this.#slices.delete(key(namespace, name))) this.#runner.run();
  }

  status(): ProxyStatus {
    return { ...this.#status };
  }

  async stop(): Promise<void> {
    await this.#runner.stop();
    if (this.#started && this.#o.lease) releaseLease({ path: this.#o.lease.file, pid: this.#o.lease.holder.pid, dataDir: this.#o.lease.holder.dataDir });
    this.#started = false;
  }

  /** stop(), then deletes every chain and jump of the proxy. */
  async remove(): Promise<void> {
    await this.stop();
    await removeServiceRules(this.#o.iptables);
    this.#lastWritten = undefined;
  }

  async #sync(periodic: boolean): Promise<void> {
    if (!this.#initialized) return;
    const { config, iptables } = this.#o;
    try {
      this.#o.beforeSync?.();
      const rendered = renderTables(modelOf({ services: this.#services.values(), endpointSlices: this.#slices.values() }, config.nodeName), config);
      const text = serializeTables(rendered);
      if (!periodic && text === this.#lastWritten) return;
      const [filter, nat] = await Promise.all([iptables.save('filter'), iptables.save('nat')]);
      await iptables.restore(buildSyncInput(rendered, parseIptablesSave(filter + nat)));
      this.#lastWritten = text;
      this.#failures = 0;
      this.#status = { ...this.#status, syncs: this.#status.syncs + 1, lastSyncAt: this.#clock.now(), lastError: undefined };
    } catch (err) {
      const error = err instanceof Error ? err : new Error(String(err));
      this.#lastWritten = undefined;
      this.#status = { ...this.#status, lastError: error.message };
      const period = this.#o.syncPeriodMs ?? 30_000;
      this.#runner.retryAfter(Math.min(period, 1000 * 2 ** this.#failures++));
      this.#o.onSyncError?.(error);
    }
  }
}

/**
 * Deletes every chain and jump of berth's service proxy. Returns whether
 * there was anything to delete. Throws a ProxyError (IptablesFailed).
 */
export async function removeServiceRules(iptables: IptablesRunner): Promise<boolean> {
  const [filter, nat] = await Promise.all([iptables.save('filter'), iptables.save('nat')]);
  const input = buildRemoveInput(parseIptablesSave(filter + nat));
  if (!input) return false;
  await iptables.restore(input);
  return true;
}

export type RemoveOutcome = { removed: boolean } | { removed: false; heldBy: LeaseHolder };

/**
 * `berth down`: removes the proxy's rules unless a live node still holds the
 * dataplane lease (then its rules are its own, and stay).
 */
export async function removeServiceProxy(iptables: IptablesRunner, leaseFile = SERVICE_NETWORK_LEASE): Promise<RemoveOutcome> {
  const holder = leaseHolder({ path: leaseFile });
  if (holder) return { removed: false, heldBy: holder };
  return { removed: await removeServiceRules(iptables) };
}
