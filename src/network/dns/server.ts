/**
 * The DNS server: UDP and TCP on one address and port given by the caller
 * (production: the kube-dns address 10.96.0.10, port 53), every message
 * answered by a `QueryHandler`.
 *
 * Bounds, so a flood or a hostile client costs memory and time in
 * proportion to the limits, never more:
 * - UDP: at most `maxUdpInFlight` messages being answered (only forwarded
 *   ones wait); beyond that datagrams are dropped, as a full socket buffer
 *   drops them.
 * - TCP (RFC 7766): messages framed by a two-byte length; at most
 *   `maxTcpConnections` connections (more are closed on accept); a
 *   connection idle for `tcpIdleTimeoutMs` (CoreDNS: 8 s) is closed, and one
 *   that starts a message without finishing it within `tcpReadTimeoutMs`
 *   (CoreDNS: 2 s) too; at most `maxTcpPipeline` messages of one connection
 *   are answered at once — reading pauses beyond that; replies go out as
 *   they are ready, possibly out of order; a client that leaves more than
 *   256 KiB of replies unread is disconnected.
 * - A handler error never escapes: the message goes unanswered.
 *
 * Lifecycle: `start(signal)` binds both sockets (port 0 picks one free for
 * both) and resolves with the address; aborting the signal or `stop()`
 * closes them, drops open connections and abandons answers in flight.
 * `stop()` is idempotent. State: the sockets, the open connections and the
 * in-flight count; timers only per TCP connection.
 */
import dgram from 'node:dgram';
import net from 'node:net';
import type { QueryHandler } from './handler.ts';

/** Replies a TCP client may leave unread before its connection is closed. */
const maxTcpUnread = 256 * 1024;

export interface DnsServerOptions {
  readonly address: string;
  /** 53 in production; 0 picks a free port for UDP and TCP alike. */
  readonly port: number;
  readonly handler: QueryHandler;
  readonly maxUdpInFlight?: number;
  readonly maxTcpConnections?: number;
  readonly maxTcpPipeline?: number;
  readonly tcpIdleTimeoutMs?: number;
  readonly tcpReadTimeoutMs?: number;
}

export interface BoundAddress {
  readonly address: string;
  readonly port: number;
}

export class DnsServer {
  readonly #options: DnsServerOptions;
  readonly #handler: QueryHandler;
  readonly #maxUdpInFlight: number;
  readonly #maxTcpConnections: number;
  readonly #maxTcpPipeline: number;
  readonly #tcpIdleTimeoutMs: number;
  readonly #tcpReadTimeoutMs: number;
  readonly #abort = new AbortController();
  readonly #connections = new Set<net.Socket>();
  #udp: dgram.Socket | undefined;
  #tcp: net.Server | undefined;
  #bound: BoundAddress | undefined;
  #udpInFlight = 0;
  #stopping: Promise<void> | undefined;

  constructor(options: DnsServerOptions) {
    this.#options = options;
    this.#handler = options.handler;
    this.#maxUdpInFlight = options.maxUdpInFlight ?? 2000;
    this.#maxTcpConnections = options.maxTcpConnections ?? 128;
    this.#maxTcpPipeline = options.maxTcpPipeline ?? 32;
    this.#tcpIdleTimeoutMs = options.tcpIdleTimeoutMs ?? 8000;
    this.#tcpReadTimeoutMs = options.tcpReadTimeoutMs ?? 2000;
  }

  /** The bound address, once started. */
  get address(): BoundAddress | undefined {
    return this.#bound;
  }

  async start(signal?: AbortSignal): Promise<BoundAddress> {
    if (this.#stopping) throw new Error('start a DNS server: it was stopped');
    if (this.#bound) return this.#bound;
    const { address, port } = this.#options;
    // With port 0 the UDP port is picked first; TCP may find it taken and then both try again.
    for (let attempt = 0; ; attempt++) {
      const udp = await bindUdp(address, port);
      const udpPort = udp.address().port;
      try {
        const tcp = await listenTcp(address, udpPort, this.#maxTcpConnections);
        this.#udp = udp;
        this.#tcp = tcp;
        this.#bound = { address, port: udpPort };
        break;
      } catch (err) {
        udp.close();
        if (port !== 0 || attempt >= 10 || (err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
      }
    }
    this.#udp.on('message', (msg, rinfo) => this.#onDatagram(msg, rinfo));
    // Errors on a bound UDP socket (ICMP reports for replies, EMSGSIZE) concern one datagram.
    this.#udp.on('error', () => {});
    this.#tcp.on('connection', (socket) => this.#onConnection(socket));
    this.#tcp.on('error', () => {});

    if (signal?.aborted) await this.stop();
    else signal?.addEventListener('abort', () => void this.stop(), { once: true });
    return this.#bound;
  }

  stop(): Promise<void> {
    this.#stopping ??= this.#stop();
    return this.#stopping;
  }

  async #stop(): Promise<void> {
    this.#abort.abort();
    for (const socket of this.#connections) socket.destroy();
    this.#connections.clear();
    const udp = this.#udp;
    const tcp = this.#tcp;
    await Promise.all([
      udp ? new Promise<void>((resolve) => udp.close(() => resolve())) : undefined,
      tcp ? new Promise<void>((resolve) => tcp.close(() => resolve())) : undefined,
    ]);
  }

  #onDatagram(msg: Buffer, rinfo: dgram.RemoteInfo): void {
    if (this.#udpInFlight >= this.#maxUdpInFlight) return;
    this.#udpInFlight++;
    this.#answer(msg, 'udp')
      .then((reply) => {
        if (reply === undefined || this.#abort.signal.aborted) return;
        this.#udp?.send(reply, rinfo.port, rinfo.address);
      })
      .catch(() => {})
      .finally(() => this.#udpInFlight--);
  }

  #onConnection(socket: net.Socket): void {
    if (this.#abort.signal.aborted) return void socket.destroy();
    let buffered: Buffer = Buffer.alloc(0);
    let pending = 0;
    let readTimer: NodeJS.Timeout | undefined;
    this.#connections.add(socket);
    socket.setNoDelay(true);
    socket.setTimeout(this.#tcpIdleTimeoutMs, () => socket.destroy());
    socket.on('error', () => {});
    socket.on('close', () => {
      this.#connections.delete(socket);
      clearTimeout(readTimer);
    });

    const dispatch = () => {
      while (buffered.length >= 2 && pending < this.#maxTcpPipeline) {
        const length = buffered.readUInt16BE(0);
        if (buffered.length < 2 + length) break;
        const message = Buffer.from(buffered.subarray(2, 2 + length));
        buffered = buffered.subarray(2 + length);
        pending++;
        this.#answer(message, 'tcp')
          .then((reply) => {
            if (reply === undefined || socket.destroyed) return;
            const frame = Buffer.alloc(2 + reply.length);
            frame.writeUInt16BE(reply.length, 0);
            reply.copy(frame, 2);
            socket.write(frame);
            // A client that pipelines without reading would grow this buffer without end.
            if (socket.writableLength > maxTcpUnread) socket.destroy();
          })
          .catch(() => {})
          .finally(() => {
            pending--;
            if (!socket.destroyed) {
              dispatch();
              if (pending < this.#maxTcpPipeline) socket.resume();
            }
          });
      }
      if (pending >= this.#maxTcpPipeline) socket.pause();
      // A message begun must be finished within the read timeout.
      clearTimeout(readTimer);
      readTimer = buffered.length > 0 && pending < this.#maxTcpPipeline ? setTimeout(() => socket.destroy(), this.#tcpReadTimeoutMs) : undefined;
    };
    socket.on('data', (chunk: Buffer) => {
      buffered = buffered.length === 0 ? chunk : Buffer.concat([buffered, chunk]);
      dispatch();
    });
  }

  async #answer(message: Buffer, transport: 'udp' | 'tcp'): Promise<Buffer | undefined> {
    try {
      return await this.#handler.handle(message, transport, this.#abort.signal);
    } catch {
      return undefined;
    }
  }
}

function bindUdp(address: string, port: number): Promise<dgram.Socket> {
  return new Promise((resolve, reject) => {
    const socket = dgram.createSocket({ type: net.isIPv6(address) ? 'udp6' : 'udp4' });
    socket.once('error', reject);
    socket.bind(port, address, () => {
      socket.off('error', reject);
      resolve(socket);
    });
  });
}

function listenTcp(address: string, port: number, maxConnections: number): Promise<net.Server> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.maxConnections = maxConnections;
    server.once('error', reject);
    server.listen({ host: address, port, exclusive: true }, () => {
      server.off('error', reject);
      resolve(server);
    });
  });
}
