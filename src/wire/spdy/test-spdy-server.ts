/**
 * Test helper: a scripted stand-in for containerd's streaming server. It
 * answers SPDY/3.1 upgrades on 127.0.0.1 (negotiating from `protocols`),
 * accepts every stream the client opens (SYN_REPLY), records what arrives,
 * and lets a test send data, FIN, RST_STREAM, PING and GOAWAY back. Built
 * from the same frame and header codecs as the client, so it checks them
 * against each other; the e2e tests check them against containerd.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { Socket } from 'node:net';
import {
  encodeData,
  encodeGoAway,
  encodePing,
  encodeRstStream,
  encodeSynReply,
  Flag,
  FrameType,
  parsePing,
  parseRstStream,
  parseSynStream,
  SpdyFrameDecoder,
  type SpdyFrame,
} from './spdy-frames.ts';
import { HeaderCompressor, HeaderDecompressor } from './spdy-header-codec.ts';

export interface ServerStream {
  id: number;
  headers: Record<string, string>;
  received: Buffer[];
  fin: boolean;
  reset: boolean;
}

export class FakeSpdySession {
  readonly socket: Socket;
  readonly request: IncomingMessage;
  readonly streams: ServerStream[] = [];
  readonly pings: number[] = [];
  goAwayReceived = false;
  #compressor = new HeaderCompressor();
  #decompressor = new HeaderDecompressor();
  #out: Promise<void> = Promise.resolve();
  #in: Promise<void> = Promise.resolve();
  #waiters: (() => void)[] = [];
  /** When false, SYN_STREAMs are left unanswered (to test waiting for replies). */
  autoReply = true;

  constructor(socket: Socket, request: IncomingMessage) {
    this.socket = socket;
    this.request = request;
    const decoder = new SpdyFrameDecoder();
    socket.on('data', (d: Buffer) => {
      for (const f of decoder.push(d)) this.#in = this.#in.then(() => this.#handle(f));
    });
    socket.on('error', () => {});
  }

  async #handle(f: SpdyFrame): Promise<void> {
    if (!f.control) {
      const s = this.streams.find((x) => x.id === f.streamId);
      if (s) {
        if (f.data.length) s.received.push(f.data);
        if (f.flags & Flag.fin) s.fin = true;
      }
    } else if (f.type === FrameType.synStream) {
      const { streamId, headerBlock } = parseSynStream(f.body);
      const h = await this.#decompressor.decompress(headerBlock);
      this.streams.push({ id: streamId, headers: Object.fromEntries([...h].map(([k, v]) => [k, v.join(',')])), received: [], fin: false, reset: false });
      if (this.autoReply) this.reply(streamId);
    } else if (f.type === FrameType.rstStream) {
      const s = this.streams.find((x) => x.id === parseRstStream(f.body).streamId);
      if (s) s.reset = true;
    } else if (f.type === FrameType.ping) {
      this.pings.push(parsePing(f.body).id);
    } else if (f.type === FrameType.goAway) {
      this.goAwayReceived = true;
    }
    for (const w of this.#waiters.splice(0)) w();
  }

  /** Resolves once `pred` holds (re-checked after every frame). */
  async until(pred: () => boolean, what = 'condition'): Promise<void> {
    const end = Date.now() + 5000;
    while (!pred()) {
      if (Date.now() > end) throw new Error(`fake SPDY server: timed out waiting for ${what}`);
      await new Promise<void>((r) => {
        this.#waiters.push(r);
        setTimeout(r, 50).unref();
      });
    }
  }

  stream(type: string): ServerStream | undefined {
    return this.streams.find((s) => s.headers.streamtype === type);
  }

  bytes(type: string): number {
    return (this.stream(type)?.received ?? []).reduce((n, b) => n + b.length, 0);
  }

  text(type: string): string {
    return Buffer.concat(this.stream(type)?.received ?? []).toString();
  }

  #send(make: () => Buffer | Promise<Buffer>): Promise<void> {
    this.#out = this.#out.then(async () => {
      const b = await make();
      if (!this.socket.destroyed) this.socket.write(b);
    });
    return this.#out;
  }

  reply(id: number): Promise<void> {
    return this.#send(async () => encodeSynReply(id, await this.#compressor.compress({})));
  }

  data(id: number, data: string | Buffer, fin = false): Promise<void> {
    return this.#send(() => encodeData(id, Buffer.from(data), fin));
  }

  rst(id: number, status = 5): Promise<void> {
    return this.#send(() => encodeRstStream(id, status));
  }

  ping(id: number): Promise<void> {
    return this.#send(() => encodePing(id));
  }

  goAway(): Promise<void> {
    return this.#send(() => encodeGoAway(0));
  }

  /** What containerd does at the end of an exec: output FINs, the status, resets, GOAWAY, close. */
  async finishExec(status: string): Promise<void> {
    for (const t of ['stdout', 'stderr']) {
      const s = this.stream(t);
      if (s) await this.data(s.id, '', true);
    }
    const err = this.stream('error')!;
    await this.data(err.id, status);
    for (const s of this.streams) if (s.headers.streamtype !== 'stdout' && s.headers.streamtype !== 'stderr') await this.rst(s.id);
    await this.goAway();
    this.socket.end();
  }
}

export interface FakeSpdyServer {
  url(path?: string): string;
  sessions: FakeSpdySession[];
  /** Resolves with the next session to be established. */
  nextSession(): Promise<FakeSpdySession>;
  /** A refusal for the next upgrade instead of 101. */
  refuseNext(status: number, body: string): void;
  close(): Promise<void>;
}

export async function fakeSpdyServer(protocols: string[] = ['v4.channel.k8s.io']): Promise<FakeSpdyServer> {
  const sessions: FakeSpdySession[] = [];
  const waiting: ((s: FakeSpdySession) => void)[] = [];
  let refusal: { status: number; body: string } | undefined;
  const server: Server = createServer((_req, res) => {
    res.writeHead(400);
    res.end('upgrade required');
  });
  server.on('upgrade', (req: IncomingMessage, socket: Socket) => {
    if (refusal) {
      const { status, body } = refusal;
      refusal = undefined;
      socket.end(`HTTP/1.1 ${status} Refused\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
      return;
    }
    const raw = req.headers['x-stream-protocol-version'] ?? [];
    const offered = (Array.isArray(raw) ? raw : [raw]).flatMap((v) => v.split(',')).map((v) => v.trim());
    const chosen = offered.find((p) => protocols.includes(p));
    if (!chosen || (req.headers.upgrade ?? '').toLowerCase() !== 'spdy/3.1') {
      socket.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    socket.write(`HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: ${chosen}\r\n\r\n`);
    const s = new FakeSpdySession(socket, req);
    sessions.push(s);
    const w = waiting.shift();
    if (w) w(s);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  return {
    url: (path = '/exec/token') => `http://127.0.0.1:${port}${path}`,
    sessions,
    nextSession: () => new Promise((r) => waiting.push(r)),
    refuseNext: (status, body) => {
      refusal = { status, body };
    },
    close: async () => {
      for (const s of sessions) s.socket.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
