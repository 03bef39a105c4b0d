/**
 * DNS messages around dns-packet: the header checks a server makes before
 * decoding (miekg/dns `defaultMsgAcceptFunc`, which CoreDNS serves with),
 * error replies, the client's UDP size and truncation to it (miekg/dns
 * `Msg.Truncate`), reply flags.
 *
 * dns-packet writes names uncompressed, so a reply is larger than CoreDNS's
 * for the same records and truncates sooner over UDP (the client then asks
 * over TCP, as after any truncated reply).
 */
import dnsPacket from 'dns-packet';
import type { Answer, Packet, Question } from 'dns-packet';

export const rcodes = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5 } as const;
export type RcodeName = keyof typeof rcodes;

/** EDNS BADVERS (16): 0 in the header, 1 in the OPT record's extended rcode. */
const badversExtended = 1;

const flagQR = 1 << 15;
const flagAA = 1 << 10;
const flagTC = 1 << 9;
const flagRD = 1 << 8;
const flagCD = 1 << 4;
const opcodeQuery = 0;

/** The smallest UDP payload every client takes (RFC 1035) and the largest a UDP datagram carries. */
export const minUdpSize = 512;
export const maxUdpSize = 65507;
/** A TCP message's length is two bytes. */
export const maxTcpSize = 65535;

export interface Header {
  readonly id: number;
  readonly flags: number;
  readonly qdcount: number;
  readonly ancount: number;
  readonly nscount: number;
  readonly arcount: number;
}

export function readHeader(buf: Uint8Array): Header | undefined {
  if (buf.length < 12) return undefined;
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  return {
    id: view.getUint16(0),
    flags: view.getUint16(2),
    qdcount: view.getUint16(4),
    ancount: view.getUint16(6),
    nscount: view.getUint16(8),
    arcount: view.getUint16(10),
  };
}

export function opcodeOf(header: Header): number {
  return (header.flags >> 11) & 0xf;
}

export type AcceptAction = 'accept' | 'ignore' | 'reject' | 'not-implemented';

/**
 * What a server does with a message before decoding it: responses are
 * ignored (never answered: a reply could be reflected); opcodes other than
 * QUERY are not implemented (NOTIFY, which miekg/dns lets through, has no
 * zone to notify here); anything but one question and at most one answer,
 * one authority and two additional records is rejected with FORMERR.
 */
export function acceptAction(header: Header): AcceptAction {
  if (header.flags & flagQR) return 'ignore';
  if (opcodeOf(header) !== opcodeQuery) return 'not-implemented';
  if (header.qdcount !== 1) return 'reject';
  if (header.ancount > 1 || header.nscount > 1 || header.arcount > 2) return 'reject';
  return 'accept';
}

/**
 * A bare error reply (miekg/dns `SetRcodeFormatError` and the server's
 * rejection path): the query's ID, QR, opcode kept only for NOTIMP, the
 * question when it could be read.
 */
export function errorReply(header: Header, rcode: RcodeName, questions: readonly Question[] = []): Buffer {
  const opcode = rcode === 'NOTIMP' ? opcodeOf(header) : opcodeQuery;
  return dnsPacket.encode({
    type: 'response',
    id: header.id,
    flags: (opcode << 11) | rcodes[rcode],
    questions: [...questions],
  });
}

/** The query's OPT record, when it has exactly one; `multiple` when it has more (FORMERR, RFC 6891 §6.1.1). */
export function optOf(query: Packet): Extract<Answer, { type: 'OPT' }> | 'multiple' | undefined {
  const opts = (query.additionals ?? []).filter((a) => a.type === 'OPT');
  if (opts.length > 1) return 'multiple';
  return opts[0] as Extract<Answer, { type: 'OPT' }> | undefined;
}

/** The largest reply the client takes over UDP: its EDNS size, at least 512 (CoreDNS `request.Size`). */
export function udpSizeOf(opt: Extract<Answer, { type: 'OPT' }> | undefined): number {
  const size = opt?.udpPayloadSize ?? minUdpSize;
  return Math.min(Math.max(size, minUdpSize), maxUdpSize);
}

/** The OPT record of a reply to a query that carried `opt`: its size and DO bit (CoreDNS `SizeAndDo`). */
export function replyOpt(opt: Extract<Answer, { type: 'OPT' }>): Answer {
  return { type: 'OPT', name: '.', udpPayloadSize: udpSizeOf(opt), extendedRcode: 0, ednsVersion: 0, flags: opt.flags & dnsPacket.DNSSEC_OK, flag_do: opt.flag_do, options: [] } as Answer;
}

/** The reply to an OPT record of a version other than 0: BADVERS with a version-0 OPT (CoreDNS `edns.Version`). */
export function badversReply(query: Packet, opt: Extract<Answer, { type: 'OPT' }>): Buffer {
  return dnsPacket.encode({
    type: 'response',
    id: query.id ?? 0,
    flags: replyFlags(query, { rcode: 'NOERROR', authoritative: false }),
    questions: query.questions ?? [],
    additionals: [{ ...(replyOpt(opt) as object), extendedRcode: badversExtended } as Answer],
  });
}

/** Reply flags for `query`: QR, opcode QUERY, RD and CD copied, AA as given; RA never (the zone is served authoritatively). */
export function replyFlags(query: Packet, reply: { rcode: RcodeName; authoritative: boolean; truncated?: boolean }): number {
  const queryFlags = query.flags ?? 0;
  return (
    (queryFlags & (flagRD | flagCD)) |
    (reply.authoritative ? flagAA : 0) |
    (reply.truncated ? flagTC : 0) |
    rcodes[reply.rcode]
  );
}

/**
 * `packet` encoded in at most `size` bytes: records are kept in order while
 * they fit (answers, then authority, then additional), the OPT record always
 * kept, TC set when an answer or authority record was dropped (miekg/dns
 * `Msg.Truncate`).
 */
export function encodeWithin(packet: Packet, size: number): Buffer {
  const whole = dnsPacket.encode(packet);
  if (whole.length <= size) return whole;

  const extra = packet.additionals ?? [];
  const opt = extra.filter((a) => a.type === 'OPT');
  let room = size - dnsPacket.encodingLength({ questions: packet.questions ?? [], additionals: opt });
  const take = (records: readonly Answer[]): Answer[] => {
    const kept: Answer[] = [];
    for (const r of records) {
      const length = recordLength(r);
      if (length > room) break;
      room -= length;
      kept.push(r);
    }
    return kept;
  };
  const answers = take(packet.answers ?? []);
  const authorities = answers.length === (packet.answers ?? []).length ? take(packet.authorities ?? []) : [];
  const additionals = authorities.length === (packet.authorities ?? []).length && answers.length === (packet.answers ?? []).length
    ? take(extra.filter((a) => a.type !== 'OPT'))
    : [];
  const dropped = answers.length < (packet.answers ?? []).length || authorities.length < (packet.authorities ?? []).length;
  return dnsPacket.encode({
    ...packet,
    flags: (packet.flags ?? 0) | (dropped ? flagTC : 0),
    answers,
    authorities,
    additionals: [...additionals, ...opt],
  });
}

/** The bytes one record takes in a message (the header is 12). */
function recordLength(r: Answer): number {
  return dnsPacket.encodingLength({ answers: [r] }) - 12;
}

export function isTruncated(buf: Uint8Array): boolean {
  const header = readHeader(buf);
  return header !== undefined && (header.flags & flagTC) !== 0;
}

/** `buf` with its ID replaced, as a new buffer. */
export function withId(buf: Uint8Array, id: number): Buffer {
  const out = Buffer.from(buf);
  out.writeUInt16BE(id, 0);
  return out;
}

/**
 * Whether dns-packet reads the question of `query` as the bytes say: labels
 * holding a dot, bytes that are not UTF-8, or a compressed question name
 * would come back as a different name, so such queries are refused
 * FORMERR rather than answered for another name.
 */
export function questionRoundTrips(query: Uint8Array, question: Question): boolean {
  const encoded = dnsPacket.encode({ questions: [question] }).subarray(12);
  const raw = query.subarray(12, 12 + encoded.length);
  return Buffer.compare(Buffer.from(raw), encoded) === 0;
}
