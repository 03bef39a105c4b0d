/**
 * Test double: a dig-like client for servers on 127.0.0.1 — one query over
 * UDP or TCP, built with dns-packet, or raw bytes for malformed input.
 */
import dgram from 'node:dgram';
import net from 'node:net';
import dnsPacket from 'dns-packet';
import type { Answer, DecodedPacket, RecordType } from 'dns-packet';

export interface Target {
  readonly address: string;
  readonly port: number;
}

export interface QueryOptions {
  readonly id?: number;
  /** Adds an OPT record advertising this UDP size. */
  readonly edns?: number;
  readonly ednsVersion?: number;
  readonly recursionDesired?: boolean;
  readonly timeoutMs?: number;
}

/** A decoded reply; dns-packet decodes the rcode but its types leave it out. */
export type Reply = DecodedPacket & { readonly rcode: string };

export function decodeReply(bytes: Buffer): Reply {
  return dnsPacket.decode(bytes) as Reply;
}

export function buildQuery(name: string, type: RecordType | string, options: QueryOptions = {}): Buffer {
  const additionals: Answer[] = [];
  if (options.edns !== undefined) {
    additionals.push({ type: 'OPT', name: '.', udpPayloadSize: options.edns, extendedRcode: 0, ednsVersion: options.ednsVersion ?? 0, flags: 0, flag_do: false, options: [] } as Answer);
  }
  return dnsPacket.encode({
    type: 'query',
    id: options.id ?? 4242,
    flags: options.recursionDesired === false ? 0 : dnsPacket.RECURSION_DESIRED,
    questions: [{ name, type: type as RecordType, class: 'IN' }],
    additionals,
  });
}

/** Sends `bytes` over UDP and resolves with the first datagram back, or undefined after `timeoutMs`. */
export function sendUdp(target: Target, bytes: Buffer, timeoutMs = 2000): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    const socket = dgram.createSocket('udp4');
    const timer = setTimeout(() => finish(undefined), timeoutMs);
    const finish = (reply: Buffer | undefined) => {
      clearTimeout(timer);
      socket.close();
      resolve(reply);
    };
    socket.on('message', (msg) => finish(msg));
    socket.on('error', () => finish(undefined));
    socket.send(bytes, target.port, target.address);
  });
}

export async function digUdp(target: Target, name: string, type: RecordType | string, options: QueryOptions = {}): Promise<Reply> {
  const reply = await sendUdp(target, buildQuery(name, type, options), options.timeoutMs);
  if (reply === undefined) throw new Error(`dig ${type} ${name}: no reply over UDP`);
  return decodeReply(reply);
}

/** Sends framed messages over one TCP connection and collects `expect` framed replies. */
export function sendTcp(target: Target, frames: Buffer[], expect: number, timeoutMs = 2000): Promise<Buffer[]> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(target.port, target.address);
    const replies: Buffer[] = [];
    let buffered = Buffer.alloc(0);
    const timer = setTimeout(() => finish(new Error(`got ${replies.length} of ${expect} TCP replies`)), timeoutMs);
    const finish = (err?: Error) => {
      clearTimeout(timer);
      socket.destroy();
      if (err) reject(err);
      else resolve(replies);
    };
    socket.on('error', (err) => finish(err));
    socket.on('close', () => finish(replies.length === expect ? undefined : new Error(`connection closed after ${replies.length} of ${expect} TCP replies`)));
    socket.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      while (buffered.length >= 2 && buffered.length >= 2 + buffered.readUInt16BE(0)) {
        const length = buffered.readUInt16BE(0);
        replies.push(buffered.subarray(2, 2 + length));
        buffered = buffered.subarray(2 + length);
      }
      if (replies.length >= expect) finish();
    });
    socket.write(Buffer.concat(frames));
  });
}

export function frame(message: Buffer): Buffer {
  const length = Buffer.alloc(2);
  length.writeUInt16BE(message.length);
  return Buffer.concat([length, message]);
}

export async function digTcp(target: Target, name: string, type: RecordType | string, options: QueryOptions = {}): Promise<Reply> {
  const [reply] = await sendTcp(target, [frame(buildQuery(name, type, options))], 1, options.timeoutMs);
  return decodeReply(reply!);
}

/** Answers as `name ttl TYPE data`, for comparing with dig output. */
export function digLines(records: readonly Answer[] | undefined): string[] {
  return (records ?? []).filter((r) => r.type !== 'OPT').map((r) => {
    const data = 'data' in r ? r.data : undefined;
    const text =
      r.type === 'SRV' && typeof data === 'object' && data !== null && 'target' in data
        ? `${data.priority} ${data.weight} ${data.port} ${data.target}.`
        : r.type === 'TXT' && Array.isArray(data)
          ? data.map(String).join(' ')
          : r.type === 'CNAME' || r.type === 'PTR' || r.type === 'NS'
            ? `${String(data)}.`
            : r.type === 'SOA'
              ? 'SOA'
              : String(data);
    return `${r.name}. ${'ttl' in r ? r.ttl : 0} ${r.type} ${text}`;
  });
}
