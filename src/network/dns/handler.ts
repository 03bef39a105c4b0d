/**
 * One query in, one reply out (or none), in wire format — what the server
 * does between reading a message and writing one, the part of CoreDNS's
 * server and plugin chain berth keeps (errors, kubernetes, forward,
 * loadbalance; no cache):
 *
 * 1. Header checks before decoding (message.ts `acceptAction`): responses
 *    and runts are dropped, other opcodes NOTIMP, odd section counts FORMERR.
 * 2. Decode; a message that does not decode, or whose question dns-packet
 *    cannot read back byte for byte, is FORMERR. More than one OPT record is
 *    FORMERR; an EDNS version other than 0 is BADVERS.
 * 3. The cluster zones answer from `resolve`; an ExternalName CNAME leaving
 *    the zones is chased through this same handler (CoreDNS
 *    `Upstream.Lookup`) and the target's answers appended.
 * 4. Other names go to the forwarder; its reply is relayed as the upstream
 *    wrote it (its compression and record order kept), with the client's ID.
 *    SERVFAIL and REFUSED from the forwarder are written as bare replies.
 * 5. Successful answers of ours are shuffled (load-balance.ts); replies over
 *    UDP are cut to the client's size with TC set.
 */
import dnsPacket from 'dns-packet';
import type { Answer, Packet } from 'dns-packet';
import type { ClusterView } from './cluster-view.ts';
import type { Forwarding } from './forwarder.ts';
import { randomId, shuffleSection } from './load-balance.ts';
import type { RandomId } from './load-balance.ts';
import {
  acceptAction,
  badversReply,
  encodeWithin,
  errorReply,
  maxTcpSize,
  optOf,
  questionRoundTrips,
  readHeader,
  replyFlags,
  replyOpt,
  udpSizeOf,
} from './message.ts';
import type { RcodeName } from './message.ts';
import { resolve } from './resolver.ts';
import type { Reply, ResolverConfig } from './resolver.ts';

export type Transport = 'udp' | 'tcp';

/** What a server calls per message; `undefined` means send nothing. */
export interface QueryHandler {
  handle(query: Buffer, transport: Transport, signal?: AbortSignal): Promise<Buffer | undefined>;
}

export interface DnsHandlerOptions {
  readonly view: ClusterView;
  readonly config: ResolverConfig;
  readonly forwarder: Forwarding;
  /** The shuffle's randomness; tests pin it. */
  readonly random?: RandomId;
}

export class DnsHandler implements QueryHandler {
  readonly #view: ClusterView;
  readonly #config: ResolverConfig;
  readonly #forwarder: Forwarding;
  readonly #random: RandomId;

  constructor(options: DnsHandlerOptions) {
    this.#view = options.view;
    this.#config = options.config;
    this.#forwarder = options.forwarder;
    this.#random = options.random ?? randomId;
  }

  async handle(query: Buffer, transport: Transport, signal?: AbortSignal): Promise<Buffer | undefined> {
    const header = readHeader(query);
    if (header === undefined) return undefined; // Too short to answer; a reply could amplify spoofed traffic.
    const action = acceptAction(header);
    if (action === 'ignore') return undefined;
    if (action === 'not-implemented') return errorReply(header, 'NOTIMP');
    if (action === 'reject') return errorReply(header, 'FORMERR');

    let packet: Packet;
    try {
      packet = dnsPacket.decode(query);
    } catch {
      return errorReply(header, 'FORMERR');
    }
    const question = packet.questions?.[0];
    if (question === undefined || !questionRoundTrips(query, question)) return errorReply(header, 'FORMERR');
    const opt = optOf(packet);
    if (opt === 'multiple') return errorReply(header, 'FORMERR', [question]);
    if (opt !== undefined && opt.ednsVersion !== 0) return badversReply(packet, opt);

    const size = transport === 'udp' ? udpSizeOf(opt) : maxTcpSize;
    const resolution = resolve(this.#view, question, this.#config);
    if (resolution.kind === 'forward') return this.#forward(query, packet, size, signal);

    let reply: Reply = resolution;
    let truncated = false;
    if (reply.chase !== undefined) {
      const chased = await this.#lookup(reply.chase.name, reply.chase.type, signal);
      truncated = chased.truncated;
      reply = { ...reply, answers: [...reply.answers, ...chased.answers] };
    }
    const ok = reply.rcode === 'NOERROR';
    return encodeWithin(
      {
        type: 'response',
        id: packet.id ?? 0,
        flags: replyFlags(packet, { rcode: reply.rcode, authoritative: reply.authoritative, truncated }),
        questions: [question],
        answers: ok ? shuffleSection(reply.answers, this.#random) : reply.answers,
        authorities: ok ? shuffleSection(reply.authorities, this.#random) : reply.authorities,
        additionals: [...(ok ? shuffleSection(reply.additionals, this.#random) : reply.additionals), ...(opt ? [replyOpt(opt)] : [])],
      },
      size,
    );
  }

  async #forward(query: Buffer, packet: Packet, size: number, signal?: AbortSignal): Promise<Buffer | undefined> {
    const result = await this.#forwarder.forward(query, signal);
    if (signal?.aborted) return undefined;
    if (result.kind !== 'reply') {
      const rcode: RcodeName = result.kind === 'refused' ? 'REFUSED' : result.kind === 'formerr' ? 'FORMERR' : 'SERVFAIL';
      return bareReply(packet, rcode);
    }
    if (result.message.length <= size) return result.message;
    // Too large for the client's UDP size: cut it down (uncompressed, so it may lose more than needed).
    try {
      return encodeWithin(dnsPacket.decode(result.message), size);
    } catch {
      return bareReply(packet, 'SERVFAIL');
    }
  }

  /** The answers for `name` and `type` through this handler, as CoreDNS's upstream lookup gets them. */
  async #lookup(name: string, type: 'A' | 'AAAA', signal?: AbortSignal): Promise<{ answers: Answer[]; truncated: boolean }> {
    const query = dnsPacket.encode({ type: 'query', id: this.#random(), flags: dnsPacket.RECURSION_DESIRED, questions: [{ type, name, class: 'IN' }] });
    const reply = await this.handle(query, 'tcp', signal);
    if (reply === undefined) return { answers: [], truncated: false };
    try {
      const packet = dnsPacket.decode(reply);
      return { answers: packet.answers ?? [], truncated: packet.flag_tc === true };
    } catch {
      return { answers: [], truncated: false };
    }
  }
}

/** An error reply CoreDNS's server writes for a failed plugin: the question, RD copied, the OPT echoed, not authoritative. */
function bareReply(query: Packet, rcode: RcodeName): Buffer {
  const opt = optOf(query);
  return dnsPacket.encode({
    type: 'response',
    id: query.id ?? 0,
    flags: replyFlags(query, { rcode, authoritative: false }),
    questions: query.questions ?? [],
    additionals: opt && opt !== 'multiple' ? [replyOpt(opt)] : [],
  });
}
