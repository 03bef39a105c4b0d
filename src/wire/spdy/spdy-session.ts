/**
 * The client end of a SPDY/3 connection, as spdystream (the library behind
 * the kubelet's and containerd's streaming servers) expects it: the client
 * opens streams with odd ids and waits for each SYN_REPLY before sending data
 * (spdystream drops data on a stream it has not replied to yet); peer PINGs
 * are echoed; SETTINGS and WINDOW_UPDATE are ignored (spdystream does no flow
 * control; TCP carries backpressure).
 *
 * Stream life: open (after SYN_REPLY) → each side half-closes with FIN; a
 * RST_STREAM, a lost connection or close() ends it at once. Consumers see the
 * remote side's end once, through `onEnd`.
 *
 * Ordering: incoming frames are handled one after another (header blocks
 * inflate asynchronously but in wire order); outgoing frames are written in
 * call order through one queue, because header compression state is shared.
 */
import type { Duplex } from 'node:stream';
import {
  encodeData,
  encodeGoAway,
  encodePing,
  encodeRstStream,
  encodeSynStream,
  Flag,
  FrameType,
  GoAwayStatus,
  parseGoAway,
  parsePing,
  parseRstStream,
  parseStreamHeaders,
  parseSynStream,
  RstStatus,
  SpdyFrameDecoder,
  spdyVersion,
  type HeaderMap,
  type SpdyFrame,
} from './spdy-frames.ts';
import { HeaderCompressor, HeaderDecompressor } from './spdy-header-codec.ts';

export type StreamEnd = 'fin' | 'reset' | 'closed';

export interface StreamHandlers {
  onData(data: Buffer): void;
  onEnd(how: StreamEnd): void;
}

const maxDataChunk = 32 * 1024;
/** Outgoing backlog (queued frames + socket buffer) above which writers are asked to pause. */
const highWater = 1024 * 1024;

export class SpdyStream {
  readonly id: number;
  readonly headers: Record<string, string>;
  #session: SpdyClientSession;
  #handlers: StreamHandlers | undefined;
  #pending: Buffer[] = [];
  #ended: StreamEnd | undefined;
  #endDelivered = false;
  #localEnded = false;

  constructor(session: SpdyClientSession, id: number, headers: Record<string, string>) {
    this.#session = session;
    this.id = id;
    this.headers = headers;
  }

  /** Sets the consumer; data and an end that arrived earlier are delivered now. */
  attach(handlers: StreamHandlers): void {
    this.#handlers = handlers;
    for (const d of this.#pending.splice(0)) handlers.onData(d);
    this.#deliverEnd();
  }

  get remoteEnded(): boolean {
    return this.#ended !== undefined;
  }

  /** Sends data (split into frames); ignored once this side ended. */
  write(data: Buffer): void {
    if (this.#localEnded || this.#ended === 'reset' || this.#ended === 'closed' || data.length === 0) return;
    for (let off = 0; off < data.length; off += maxDataChunk) {
      this.#session.sendFrame(encodeData(this.id, data.subarray(off, off + maxDataChunk)));
    }
  }

  /** Half-closes this side: an empty DATA frame with FIN. Idempotent. */
  end(): void {
    if (this.#localEnded || this.#ended === 'reset' || this.#ended === 'closed') return;
    this.#localEnded = true;
    this.#session.sendFrame(encodeData(this.id, Buffer.alloc(0), true));
  }

  reset(status: number = RstStatus.cancel): void {
    if (this.#ended === 'reset' || this.#ended === 'closed') return;
    this.#localEnded = true;
    this.#session.sendFrame(encodeRstStream(this.id, status));
    this.remoteEnd('reset');
  }

  /** @internal */
  receive(data: Buffer): void {
    if (this.#ended) return;
    if (this.#handlers) this.#handlers.onData(data);
    else this.#pending.push(data);
  }

  /** @internal */
  remoteEnd(how: StreamEnd): void {
    if (this.#ended && !(how !== 'fin' && this.#ended === 'fin')) return;
    this.#ended ??= how;
    if (how !== 'fin') this.#localEnded = true;
    this.#deliverEnd();
  }

  #deliverEnd(): void {
    if (!this.#handlers || !this.#ended || this.#endDelivered) return;
    this.#endDelivered = true;
    this.#handlers.onEnd(this.#ended);
  }

  /** @internal Whether both directions are done, so the session can forget it. */
  get finished(): boolean {
    return this.#ended !== undefined && (this.#localEnded || this.#ended !== 'fin');
  }
}

interface PendingOpen {
  stream: SpdyStream;
  resolve(s: SpdyStream): void;
  reject(err: Error): void;
}

export class SpdyClientSession {
  #socket: Duplex;
  #decoder = new SpdyFrameDecoder();
  #compressor = new HeaderCompressor();
  #decompressor = new HeaderDecompressor();
  #nextId = 1;
  #streams = new Map<number, SpdyStream>();
  #opening = new Map<number, PendingOpen>();
  #inTail: Promise<void> = Promise.resolve();
  #outTail: Promise<void> = Promise.resolve();
  #goneAway = false;
  #paused = false;
  #queuedBytes = 0;
  #drainWaiters: (() => void)[] = [];
  #closing = false;
  #closed = false;
  #closedPromise: Promise<void>;
  #onGoAway: () => void;
  #log: (msg: string) => void;

  constructor(socket: Duplex, opts: { head?: Buffer; onGoAway?: () => void; log?: (msg: string) => void } = {}) {
    this.#socket = socket;
    this.#onGoAway = opts.onGoAway ?? (() => {});
    this.#log = opts.log ?? (() => {});
    this.#closedPromise = new Promise((resolve) => socket.once('close', () => resolve()));
    socket.on('data', (chunk: Buffer) => this.#feed(chunk));
    socket.on('drain', () => this.#checkDrained());
    socket.on('error', (err: NodeJS.ErrnoException) => {
      // The peer closing first (EPIPE, ECONNRESET) is an ordinary end.
      if (err.code !== 'EPIPE' && err.code !== 'ECONNRESET') this.#log(`spdy connection error: ${err.message}`);
    });
    // Frames read before the close are still queued; handle them first.
    socket.on('close', () => {
      this.#inTail = this.#inTail.then(() => this.#teardown());
    });
    if (opts.head?.length) this.#feed(opts.head);
    socket.resume();
  }

  get closed(): boolean {
    return this.#closed;
  }

  get goneAway(): boolean {
    return this.#goneAway;
  }

  /** Resolves when the underlying socket has closed. */
  whenClosed(): Promise<void> {
    return this.#closedPromise;
  }

  /** Opens a stream and resolves once the peer replied (rejects on RST_STREAM or loss). */
  openStream(headers: Record<string, string>): Promise<SpdyStream> {
    if (this.#closed || this.#goneAway) return Promise.reject(new Error('the SPDY connection is closed'));
    const id = this.#nextId;
    this.#nextId += 2;
    const stream = new SpdyStream(this, id, headers);
    this.#streams.set(id, stream);
    const opened = new Promise<SpdyStream>((resolve, reject) => this.#opening.set(id, { stream, resolve, reject }));
    this.#enqueue(async () => encodeSynStream(id, await this.#compressor.compress(headers)));
    return opened;
  }

  /** @internal Writes a frame after everything queued before it. */
  sendFrame(frame: Buffer): void {
    this.#queuedBytes += frame.length;
    this.#enqueue(() => frame, frame.length);
  }

  /** Whether more than `highWater` bytes wait to be sent: writers should pause until `whenDrained`. */
  get congested(): boolean {
    return this.#queuedBytes + this.#socket.writableLength > highWater;
  }

  /** Calls `fn` once the outgoing backlog is below the high-water mark again (at once if it is). */
  whenDrained(fn: () => void): void {
    if (!this.congested || this.#closed) fn();
    else this.#drainWaiters.push(fn);
  }

  #checkDrained(): void {
    if (this.congested && !this.#closed) return;
    for (const fn of this.#drainWaiters.splice(0)) fn();
  }

  #enqueue(make: () => Buffer | Promise<Buffer>, counted = 0): void {
    if (this.#closed) return;
    this.#outTail = this.#outTail.then(async () => {
      const frame = await make();
      this.#queuedBytes -= counted;
      if (!this.#closed && !this.#socket.destroyed) this.#socket.write(frame);
      if (this.#drainWaiters.length) this.#checkDrained();
    }).catch((err) => {
      this.#log(`spdy write failed: ${err instanceof Error ? err.message : String(err)}`);
      this.#socket.destroy();
    });
  }

  /** Resets every open stream, says GOAWAY and ends the connection. Idempotent. */
  close(): void {
    if (this.#closed || this.#closing) return;
    this.#closing = true;
    for (const s of this.#streams.values()) if (!s.finished) s.reset(RstStatus.cancel);
    this.#enqueue(() => encodeGoAway(0, GoAwayStatus.ok));
    const outDone = this.#outTail;
    this.#goneAway = true;
    void outDone.then(() => {
      this.#socket.end();
      const t = setTimeout(() => this.#socket.destroy(), 1000);
      t.unref();
    });
  }

  destroy(): void {
    this.#socket.destroy();
  }

  /** Stops reading from the connection (backpressure) until `resume`. */
  pause(): void {
    this.#paused = true;
    this.#socket.pause();
  }

  resume(): void {
    this.#paused = false;
    this.#socket.resume();
  }

  get paused(): boolean {
    return this.#paused;
  }

  #feed(chunk: Buffer): void {
    let frames: SpdyFrame[];
    try {
      frames = this.#decoder.push(chunk);
    } catch (err) {
      this.#log(`spdy framing error: ${err instanceof Error ? err.message : String(err)}`);
      this.#socket.destroy();
      return;
    }
    for (const f of frames) {
      this.#inTail = this.#inTail.then(() => this.#handle(f)).catch((err) => {
        this.#log(`spdy protocol error: ${err instanceof Error ? err.message : String(err)}`);
        this.#socket.destroy();
      });
    }
  }

  async #handle(f: SpdyFrame): Promise<void> {
    if (!f.control) {
      const s = this.#streams.get(f.streamId);
      if (!s) return;
      if (f.data.length) s.receive(f.data);
      if (f.flags & Flag.fin) this.#remoteEnd(s, 'fin');
      return;
    }
    if (f.version !== spdyVersion) throw new Error(`unsupported SPDY version ${f.version}`);
    switch (f.type) {
      case FrameType.synReply: {
        const { streamId, headerBlock } = parseStreamHeaders(f.body);
        await this.#decompressor.decompress(headerBlock);
        const pending = this.#opening.get(streamId);
        if (!pending) return;
        this.#opening.delete(streamId);
        pending.resolve(pending.stream);
        if (f.flags & Flag.fin) this.#remoteEnd(pending.stream, 'fin');
        return;
      }
      case FrameType.headers: {
        const { streamId, headerBlock } = parseStreamHeaders(f.body);
        await this.#decompressor.decompress(headerBlock);
        const s = this.#streams.get(streamId);
        if (s && f.flags & Flag.fin) this.#remoteEnd(s, 'fin');
        return;
      }
      case FrameType.synStream: {
        // Servers do not open streams in these protocols; refuse politely.
        const { streamId, headerBlock } = parseSynStream(f.body);
        await this.#decompressor.decompress(headerBlock);
        this.sendFrame(encodeRstStream(streamId, RstStatus.refusedStream));
        return;
      }
      case FrameType.rstStream: {
        const { streamId } = parseRstStream(f.body);
        const pending = this.#opening.get(streamId);
        if (pending) {
          this.#opening.delete(streamId);
          pending.reject(new Error(`stream ${streamId} was reset by the peer`));
        }
        const s = this.#streams.get(streamId);
        if (s) this.#remoteEnd(s, 'reset');
        return;
      }
      case FrameType.ping: {
        const { id } = parsePing(f.body);
        // Even ids are the server's own pings: echo them. Odd ids answer ours.
        if (id % 2 === 0) this.sendFrame(encodePing(id));
        return;
      }
      case FrameType.goAway:
        parseGoAway(f.body);
        if (!this.#goneAway) {
          this.#goneAway = true;
          this.#onGoAway();
        }
        return;
      default:
        // SETTINGS, WINDOW_UPDATE and unknown types carry nothing this client needs.
        return;
    }
  }

  #remoteEnd(s: SpdyStream, how: StreamEnd): void {
    s.remoteEnd(how);
    if (s.finished) this.#streams.delete(s.id);
  }

  #teardown(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const p of this.#opening.values()) p.reject(new Error('the SPDY connection closed before the stream was accepted'));
    this.#opening.clear();
    for (const s of this.#streams.values()) s.remoteEnd('closed');
    this.#streams.clear();
    this.#compressor.close();
    this.#decompressor.close();
    this.#checkDrained();
  }
}
