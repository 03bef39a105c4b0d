/**
 * Names outside the cluster, handed to the node's upstream resolvers as
 * CoreDNS's `forward . /etc/resolv.conf { max_concurrent 1000 }` does
 * (coredns plugin/forward/forward.go `ServeDNS`, plugin/pkg/proxy):
 *
 * - upstreams are tried in random order (the plugin's default policy), each
 *   attempt waiting at most 2 s (the proxy's read timeout), over UDP and,
 *   when the reply is truncated, again over TCP to the same upstream;
 * - the whole query has a hard 5 s deadline (forward.go `defaultTimeout`):
 *   past it the answer is SERVFAIL, never a hang;
 * - an unreachable upstream (ICMP port unreachable, refused connection) is
 *   not retried for this query, and when every upstream is unreachable the
 *   answer is SERVFAIL at once. (CoreDNS retries until its health checks
 *   mark the upstream down; berth fails fast instead.)
 * - more than `maxInFlight` queries at once answer REFUSED, as
 *   `max_concurrent` does;
 * - a reply whose question is not the query's answers FORMERR, as the
 *   plugin's `state.Match` check does.
 *
 * State: the count of queries in flight; each attempt owns its socket and
 * timer, both gone when it settles. No background loops (no health checks).
 */
import { randomInt } from 'node:crypto';
import dnsPacket from 'dns-packet';
import type { Packet, Question } from 'dns-packet';
import { isTruncated, readHeader, withId } from './message.ts';
import { exchangeTcp, exchangeUdp } from './upstream-exchange.ts';
import type { ExchangeResult, Upstream } from './upstream-exchange.ts';

export interface ForwarderOptions {
  /** Where to send; tests pass servers on 127.0.0.1, `berth serve` the host's resolv.conf. */
  readonly upstreams: readonly Upstream[];
  /** The hard deadline of one query: 5000. */
  readonly deadlineMs?: number;
  /** How long one attempt on one upstream waits: 2000. */
  readonly attemptTimeoutMs?: number;
  /** Queries in flight beyond which new ones are REFUSED: 1000. */
  readonly maxInFlight?: number;
  /** `random` (CoreDNS's default) or `sequential` (upstreams in the order given). */
  readonly policy?: 'random' | 'sequential';
}

export type ForwardResult =
  /** The upstream's reply, with the query's own ID. */
  | { readonly kind: 'reply'; readonly message: Buffer }
  | { readonly kind: 'servfail'; readonly reason: string }
  | { readonly kind: 'refused'; readonly reason: string }
  | { readonly kind: 'formerr'; readonly reason: string };

/** The forwarder as its callers see it. */
export interface Forwarding {
  forward(query: Buffer, signal?: AbortSignal): Promise<ForwardResult>;
}

export class Forwarder implements Forwarding {
  readonly #upstreams: readonly Upstream[];
  readonly #deadlineMs: number;
  readonly #attemptTimeoutMs: number;
  readonly #maxInFlight: number;
  readonly #policy: 'random' | 'sequential';
  #inFlight = 0;

  constructor(options: ForwarderOptions) {
    this.#upstreams = [...options.upstreams];
    this.#deadlineMs = options.deadlineMs ?? 5000;
    this.#attemptTimeoutMs = options.attemptTimeoutMs ?? 2000;
    this.#maxInFlight = options.maxInFlight ?? 1000;
    this.#policy = options.policy ?? 'random';
  }

  get inFlight(): number {
    return this.#inFlight;
  }

  /** Forwards one query (wire format, the client's ID) and settles within the deadline. */
  async forward(query: Buffer, signal?: AbortSignal): Promise<ForwardResult> {
    const header = readHeader(query);
    if (header === undefined) return { kind: 'formerr', reason: 'the query is shorter than a header' };
    let question: Question | undefined;
    try {
      question = dnsPacket.decode(query).questions?.[0];
    } catch {
      return { kind: 'formerr', reason: 'the query does not decode' };
    }
    if (this.#upstreams.length === 0) return { kind: 'servfail', reason: 'no upstream resolvers are configured' };
    if (this.#inFlight >= this.#maxInFlight) return { kind: 'refused', reason: `${this.#maxInFlight} queries are already being forwarded` };

    this.#inFlight++;
    try {
      return await this.#forward(query, question, header.id, signal);
    } finally {
      this.#inFlight--;
    }
  }

  async #forward(query: Buffer, question: Question | undefined, clientId: number, signal?: AbortSignal): Promise<ForwardResult> {
    const deadline = performance.now() + this.#deadlineMs;
    const order = this.#order();
    const unreachable = new Set<Upstream>();
    let lastReason = 'no upstream answered';

    while (unreachable.size < order.length) {
      for (const upstream of order) {
        if (unreachable.has(upstream)) continue;
        const left = deadline - performance.now();
        if (left <= 0 || signal?.aborted) return { kind: 'servfail', reason: `${lastReason}; gave up after ${this.#deadlineMs} ms` };

        const result = await this.#attempt(upstream, query, Math.min(this.#attemptTimeoutMs, left), deadline, signal);
        if (result.kind === 'reply') {
          const match = matchQuestion(question, result.message);
          if (match === 'same') return { kind: 'reply', message: withId(result.message, clientId) };
          if (match === 'other') return { kind: 'formerr', reason: 'the upstream answered another question' };
          lastReason = 'the upstream sent a reply that does not decode';
          unreachable.add(upstream);
          continue;
        }
        lastReason = result.reason;
        if (result.kind === 'refused' || result.kind === 'error') unreachable.add(upstream);
      }
    }
    return { kind: 'servfail', reason: lastReason };
  }

  /** One upstream: UDP, then TCP if the reply is truncated; a failed TCP retry keeps the truncated reply. */
  async #attempt(upstream: Upstream, query: Buffer, timeoutMs: number, deadline: number, signal?: AbortSignal): Promise<ExchangeResult> {
    const id = randomInt(65536);
    const udp = await exchangeUdp(upstream, withId(query, id), id, timeoutMs, signal);
    if (udp.kind !== 'reply' || !isTruncated(udp.message)) return udp;
    const left = Math.min(this.#attemptTimeoutMs, deadline - performance.now());
    if (left <= 0) return udp;
    const tcp = await exchangeTcp(upstream, withId(query, id), id, left, signal);
    return tcp.kind === 'reply' ? tcp : udp;
  }

  #order(): Upstream[] {
    const list = [...this.#upstreams];
    if (this.#policy === 'sequential') return list;
    for (let i = list.length - 1; i > 0; i--) {
      const j = randomInt(i + 1);
      [list[i], list[j]] = [list[j]!, list[i]!];
    }
    return list;
  }
}

/** Whether `reply` answers the question `a`: same name (any case), type and class. */
function matchQuestion(a: Question | undefined, reply: Buffer): 'same' | 'other' | 'undecodable' {
  let r: Packet;
  try {
    r = dnsPacket.decode(reply);
  } catch {
    return 'undecodable';
  }
  const b = r.questions?.[0];
  if (a === undefined || b === undefined) return a === b ? 'same' : 'other';
  return a.name.toLowerCase() === b.name.toLowerCase() && a.type === b.type && (a.class ?? 'IN') === (b.class ?? 'IN') ? 'same' : 'other';
}
