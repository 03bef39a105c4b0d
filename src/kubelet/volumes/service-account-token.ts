/**
 * The kubelet's ServiceAccount token manager (kubernetes
 * `pkg/kubelet/token/token_manager.go`): tokens for projected
 * `serviceAccountToken` sources, requested through the TokenRequest API
 * bound to the pod, cached per (service account, namespace, audiences,
 * expiry, bound pod), and requested again once 80 % of a token's life has
 * passed or it is 24 hours old (minus up to 10 s of jitter), on the
 * kubelet's clock. A failed refresh keeps serving the cached token until it
 * expires. Expired tokens and those of torn-down pods are dropped.
 *
 * State: the cache, in memory (a restart requests new tokens). Timers: none;
 * volume set-up asks, and the pod worker's resyncs ask again.
 */
import type { TokenRequest } from 'kubernetes-types/authentication/v1.js';
import type { Pod, ServiceAccountTokenProjection } from 'kubernetes-types/core/v1.js';
import type { Clock } from '../../clock/clock.ts';

/** The in-process TokenRequest: `serviceaccounts/<name>/token` create in `namespace`. */
export type RequestServiceAccountToken = (namespace: string, serviceAccountName: string, request: TokenRequest) => Promise<TokenRequest>;

const maxTtlMs = 24 * 60 * 60 * 1000;
const maxJitterSeconds = 10;

export interface TokenManagerOptions {
  request: RequestServiceAccountToken;
  clock: Clock;
  /** A number in [0, 1) for the refresh jitter; Math.random unless a test fixes it. */
  random?: () => number;
}

function expiry(tr: TokenRequest): number {
  return Date.parse(tr.status?.expirationTimestamp ?? '');
}

export class ServiceAccountTokenManager {
  #o: TokenManagerOptions;
  #cache = new Map<string, { podUid: string; tr: TokenRequest }>();

  constructor(opts: TokenManagerOptions) {
    this.#o = opts;
  }

  /** `requiresRefresh`: past 24 h since issue or within 20 % of the TTL of expiry, less the jitter. */
  requiresRefresh(tr: TokenRequest): boolean {
    const seconds = tr.spec.expirationSeconds;
    if (seconds === undefined) return false;
    const now = this.#o.clock.now();
    const exp = expiry(tr);
    const iat = exp - seconds * 1000;
    const jitterMs = Math.floor((this.#o.random ?? Math.random)() * maxJitterSeconds) * 1000;
    if (now > iat + maxTtlMs - jitterMs) return true;
    return now > exp - Math.floor((seconds * 20) / 100) * 1000 - jitterMs;
  }

  /** The token for a projected source of `pod`; throws the kubelet's error when none can be had. */
  async token(pod: Pod, projection: ServiceAccountTokenProjection): Promise<string> {
    this.#dropExpired();
    const ns = pod.metadata?.namespace ?? '';
    const sa = pod.spec?.serviceAccountName ?? '';
    const podUid = pod.metadata?.uid ?? '';
    const request: TokenRequest = {
      spec: {
        audiences: projection.audience ? [projection.audience] : [],
        expirationSeconds: projection.expirationSeconds ?? 3600,
        boundObjectRef: { apiVersion: 'v1', kind: 'Pod', name: pod.metadata?.name ?? '', uid: podUid },
      },
    };
    const key = JSON.stringify([sa, ns, request.spec.audiences, request.spec.expirationSeconds, podUid]);
    const cached = this.#cache.get(key);
    if (cached && !this.requiresRefresh(cached.tr)) return cached.tr.status!.token;
    let fresh: TokenRequest;
    try {
      fresh = await this.#o.request(ns, sa, request);
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      if (!cached) throw new Error(`failed to fetch token: ${why}`);
      // Only the cache key, never the token.
      if (this.#expired(cached.tr)) throw new Error(`token ${key} expired and refresh failed: ${why}`);
      return cached.tr.status!.token;
    }
    this.#cache.set(key, { podUid, tr: fresh });
    return fresh.status!.token;
  }

  /** `DeleteServiceAccountToken`: the pod is gone. */
  forgetPod(podUid: string): void {
    for (const [k, v] of this.#cache) if (v.podUid === podUid) this.#cache.delete(k);
  }

  #expired(tr: TokenRequest): boolean {
    return this.#o.clock.now() > expiry(tr);
  }

  #dropExpired(): void {
    for (const [k, v] of this.#cache) if (this.#expired(v.tr)) this.#cache.delete(k);
  }
}
