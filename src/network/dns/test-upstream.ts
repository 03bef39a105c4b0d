/**
 * Test double: an upstream DNS server on 127.0.0.1 (UDP and TCP on one
 * port), scripted per query, and a closed port to stand for an upstream
 * that refuses. Nothing here sends a packet anywhere but 127.0.0.1; the
 * addresses in scripted answers are documentation addresses (192.0.2.0/24),
 * data only.
 */
import dgram from 'node:dgram';
import net from 'node:net';
import dnsPacket from 'dns-packet';
import type { Answer, Packet } from 'dns-packet';
import type { Upstream } from './upstream-exchange.ts';

export type UpstreamTransport = 'udp' | 'tcp';

/** What the upstream does with a query: a reply packet (its ID is set from the query), raw messages sent as they are, or silence. */
export type Script = (query: Packet, transport: UpstreamTransport) => Packet | Buffer[] | 'silent';

export interface FakeUpstream {
  readonly upstream: Upstream;
  /** Every query received, with its transport. */
  readonly queries: { packet: Packet; transport: UpstreamTransport }[];
  stop(): Promise<void>;
}

/** Answers every A question with 192.0.2.1 and anything else with NOERROR and no records. */
export const answerA: Script = (query) => reply(query, query.questions?.[0]?.type === 'A' ? [aRecord(query.questions[0]!.name, '192.0.2.1')] : []);

export function reply(query: Packet, answers: Answer[], options: { truncated?: boolean; rcode?: number } = {}): Packet {
  return {
    type: 'response',
    id: query.id ?? 0,
    flags: dnsPacket.RECURSION_DESIRED | dnsPacket.RECURSION_AVAILABLE | (options.truncated ? dnsPacket.TRUNCATED_RESPONSE : 0) | (options.rcode ?? 0),
    questions: query.questions ?? [],
    answers,
  };
}

export function aRecord(name: string, ip: string, ttl = 60): Answer {
  return { type: 'A', name, ttl, class: 'IN', data: ip };
}

export async function startFakeUpstream(script: Script = answerA): Promise<FakeUpstream> {
  const queries: FakeUpstream['queries'] = [];
  const respond = (bytes: Buffer, transport: UpstreamTransport): Buffer[] => {
    let packet: Packet;
    try {
      packet = dnsPacket.decode(bytes);
    } catch {
      return [];
    }
    queries.push({ packet, transport });
    const out = script(packet, transport);
    if (out === 'silent') return [];
    return Array.isArray(out) ? out : [dnsPacket.encode({ ...out, id: packet.id ?? 0 })];
  };

  for (let attempt = 0; ; attempt++) {
    const udp = dgram.createSocket('udp4');
    await new Promise<void>((resolve) => udp.bind(0, '127.0.0.1', resolve));
    const port = udp.address().port;
    const tcp = net.createServer((socket) => {
      let buffered = Buffer.alloc(0);
      socket.on('error', () => {});
      socket.on('data', (chunk: Buffer) => {
        buffered = Buffer.concat([buffered, chunk]);
        while (buffered.length >= 2 && buffered.length >= 2 + buffered.readUInt16BE(0)) {
          const message = buffered.subarray(2, 2 + buffered.readUInt16BE(0));
          buffered = buffered.subarray(2 + message.length);
          for (const out of respond(message, 'tcp')) {
            const length = Buffer.alloc(2);
            length.writeUInt16BE(out.length);
            socket.write(Buffer.concat([length, out]));
          }
        }
      });
    });
    const listening = await new Promise<boolean>((resolve) => {
      tcp.once('error', () => resolve(false));
      tcp.listen(port, '127.0.0.1', () => resolve(true));
    });
    if (!listening) {
      udp.close();
      if (attempt < 10) continue;
      throw new Error('start a fake upstream: no port free for both UDP and TCP');
    }
    const sockets = new Set<net.Socket>();
    tcp.on('connection', (s) => {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    });
    udp.on('message', (msg, rinfo) => {
      for (const out of respond(msg, 'udp')) udp.send(out, rinfo.port, rinfo.address);
    });
    let stopped: Promise<void> | undefined;
    return {
      upstream: { host: '127.0.0.1', port },
      queries,
      stop: () =>
        (stopped ??= Promise.all([
          new Promise<void>((resolve) => udp.close(() => resolve())),
          new Promise<void>((resolve) => {
            for (const s of sockets) s.destroy();
            tcp.close(() => resolve());
          }),
        ]).then(() => undefined)),
    };
  }
}

/** A 127.0.0.1 port with nothing listening on UDP or TCP: it was bound and released. */
export async function closedPort(): Promise<Upstream> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return { host: '127.0.0.1', port };
}
