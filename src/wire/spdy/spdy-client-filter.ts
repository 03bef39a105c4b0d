/**
 * The client → containerd half of a proxied SPDY session (kubectl ≤ 1.29
 * exec/attach/port-forward, and the SPDY inside kubectl's port-forward
 * WebSocket tunnel): every frame the client sends is read, checked against
 * spdy-client-rules.ts and the session's stream state, and re-encoded by
 * berth before anything of it goes upstream. containerd's SPDY library dies
 * on some malformed frames (an out-of-memory crash takes the whole node's
 * runtime down); with this filter it only ever reads frames berth wrote.
 *
 * Re-framing, not pass-through: control frames are rebuilt from their parsed
 * fields, and header blocks are inflated (bounded), checked and compressed
 * again with berth's own zlib stream — so from its first header block on,
 * containerd's inflater follows berth's compression, never the client's.
 * DATA payloads are opaque and forwarded as they arrive, behind a re-encoded
 * head. The containerd → client direction is not touched (its compression
 * context stays end to end).
 *
 * Stream state (client-initiated streams only; the kubelet's servers open
 * none): ids are odd and increasing (§2.3.2); a stream is open from its
 * SYN_STREAM until the client's FIN or RST_STREAM; DATA and HEADERS need an
 * open stream (§2.2.2), RST_STREAM and WINDOW_UPDATE a stream the client
 * opened; no new stream after the client's GOAWAY; at most maxOpenStreams.
 *
 * Violations: the first broken rule calls `onViolation` once and the filter
 * stops — the offending frame and everything after it is dropped; the
 * caller closes that one session. Nothing here throws to the caller.
 *
 * Ordering and bounds: events are handled strictly in wire order; a header
 * block makes the queue wait for zlib (asynchronous), everything else goes
 * through synchronously. The reader holds at most one control frame; the
 * queue at most maxBacklogBytes before the source is paused; upstream
 * backpressure (`write` returning false) pauses the source until `drained`.
 */
import {
  encodeDataHead,
  encodeGoAway,
  encodeHeaders,
  encodePing,
  encodeRstStream,
  encodeSettings,
  encodeSynStream,
  encodeWindowUpdate,
  Flag,
  SpdyProtocolError,
} from './spdy-frames.ts';
import {
  checkClientControlFrame,
  checkClientDataHead,
  checkHeaderBlock,
  defaultSpdyLimits,
  forbiddenRequestHeaders,
  forbiddenStreamHeaders,
  type ClientControlFrame,
  type SpdyLimits,
} from './spdy-client-rules.ts';
import { SpdyFrameReader, type SpdyReadEvent } from './spdy-frame-reader.ts';
import { HeaderCompressor, HeaderDecompressor } from './spdy-header-codec.ts';

export interface SpdyClientFilterOptions {
  /** Receives checked, re-encoded bytes in wire order; false means the consumer is full (call `drained` later). */
  write(bytes: Buffer): boolean;
  /** Called at most once, when the client broke a rule; nothing of that frame was written. */
  onViolation(reason: string): void;
  /** Stop reading the client (backpressure) until `resume`. */
  pause(): void;
  resume(): void;
  limits?: Partial<SpdyLimits>;
}

function eventBytes(e: SpdyReadEvent): number {
  return e.kind === 'payload' ? e.chunk.length : e.kind === 'control' ? 8 + e.body.length : 8;
}

export class SpdyClientFilter {
  #o: SpdyClientFilterOptions;
  #limits: SpdyLimits;
  #reader: SpdyFrameReader;
  #inflater: HeaderDecompressor;
  #deflater = new HeaderCompressor();
  #queue: SpdyReadEvent[] = [];
  #next = 0;
  #backlog = 0;
  #busy = false;
  #writeBlocked = false;
  #sourcePaused = false;
  #stopped = false;
  #violation: string | undefined;
  /** Client streams that are open from the client's side (no FIN or RST_STREAM sent yet). */
  #open = new Set<number>();
  /** The highest stream id the client opened (0: none yet). */
  #lastId = 0;
  #goneAway = false;
  #idleWaiters: (() => void)[] = [];

  constructor(o: SpdyClientFilterOptions) {
    this.#o = o;
    this.#limits = { ...defaultSpdyLimits, ...o.limits };
    this.#reader = new SpdyFrameReader({ maxControlLength: this.#limits.maxControlLength });
    this.#inflater = new HeaderDecompressor({ maxBytes: this.#limits.maxHeaderBlockBytes });
  }

  /** Why the session was refused, once it was. */
  get violation(): string | undefined {
    return this.#violation;
  }

  /** Bytes read but not forwarded yet (reader buffer plus queue). */
  get backlog(): number {
    return this.#backlog + this.#reader.buffered;
  }

  /** Feeds bytes the client sent. */
  push(chunk: Buffer): void {
    if (this.#stopped || chunk.length === 0) return;
    let events: SpdyReadEvent[];
    try {
      events = this.#reader.push(chunk);
    } catch (err) {
      this.#fail(err);
      return;
    }
    for (const e of events) {
      this.#queue.push(e);
      this.#backlog += eventBytes(e);
    }
    this.#pump();
  }

  /** The consumer took what it had buffered: reading may go on. */
  drained(): void {
    this.#writeBlocked = false;
    this.#flow();
  }

  /** Calls `fn` once everything pushed so far was handled (at once if it was, or if the filter stopped). */
  whenIdle(fn: () => void): void {
    if (this.#stopped || (!this.#busy && this.#next === this.#queue.length)) fn();
    else this.#idleWaiters.push(fn);
  }

  /** Ends the filter without a violation (the session is over); idempotent. */
  close(): void {
    if (this.#stopped) return;
    this.#stop();
  }

  #stop(): void {
    this.#stopped = true;
    this.#queue = [];
    this.#next = 0;
    this.#backlog = 0;
    this.#inflater.close();
    this.#deflater.close();
    for (const fn of this.#idleWaiters.splice(0)) fn();
  }

  #fail(err: unknown): void {
    if (this.#stopped) return;
    const reason = err instanceof Error ? err.message : String(err);
    this.#violation = reason;
    this.#stop();
    this.#o.onViolation(reason);
  }

  #write(bytes: Buffer): void {
    if (!this.#o.write(bytes)) this.#writeBlocked = true;
  }

  /** Pauses the source while the backlog or the consumer is full, resumes it once neither is. */
  #flow(): void {
    if (this.#stopped) return;
    const full = this.#writeBlocked || this.backlog > this.#limits.maxBacklogBytes;
    if (full && !this.#sourcePaused) {
      this.#sourcePaused = true;
      this.#o.pause();
    } else if (!full && this.#sourcePaused) {
      this.#sourcePaused = false;
      this.#o.resume();
    }
  }

  #pump(): void {
    while (!this.#busy && !this.#stopped && this.#next < this.#queue.length) {
      const e = this.#queue[this.#next++];
      this.#backlog -= eventBytes(e);
      let pending: Promise<void> | undefined;
      try {
        pending = this.#handle(e);
      } catch (err) {
        this.#fail(err);
        return;
      }
      if (pending) {
        this.#busy = true;
        pending.then(
          () => {
            this.#busy = false;
            this.#pump();
          },
          (err) => this.#fail(err),
        );
      }
    }
    // Drop handled events so the queue holds only what the backlog counts.
    if (this.#next === this.#queue.length) {
      this.#queue = [];
      this.#next = 0;
      if (!this.#busy && !this.#stopped) for (const fn of this.#idleWaiters.splice(0)) fn();
    } else if (this.#next > 1024 && this.#next * 2 > this.#queue.length) {
      this.#queue = this.#queue.slice(this.#next);
      this.#next = 0;
    }
    this.#flow();
  }

  /** Handles one event; returns a promise only when it has to wait for zlib. */
  #handle(e: SpdyReadEvent): Promise<void> | undefined {
    switch (e.kind) {
      case 'payload':
        this.#write(e.chunk);
        return undefined;
      case 'data': {
        checkClientDataHead(e);
        if (!this.#open.has(e.streamId)) throw new SpdyProtocolError(`DATA frame on stream ${e.streamId}, which is not open`);
        const fin = (e.flags & Flag.fin) !== 0;
        if (fin) this.#open.delete(e.streamId);
        this.#write(encodeDataHead(e.streamId, e.length, fin));
        return undefined;
      }
      case 'control':
        return this.#control(checkClientControlFrame(e));
    }
  }

  #opened(id: number): boolean {
    return id % 2 === 1 && id <= this.#lastId;
  }

  #control(f: ClientControlFrame): Promise<void> | undefined {
    switch (f.type) {
      case 'syn-stream': {
        if (this.#goneAway) throw new SpdyProtocolError(`SYN_STREAM ${f.streamId} after the client's GOAWAY`);
        if (f.streamId % 2 === 0) throw new SpdyProtocolError(`SYN_STREAM with even stream id ${f.streamId} (client streams are odd)`);
        if (f.streamId <= this.#lastId) throw new SpdyProtocolError(`SYN_STREAM ${f.streamId} does not follow stream ${this.#lastId}`);
        if (f.associatedTo !== 0) throw new SpdyProtocolError(`SYN_STREAM ${f.streamId} associated to stream ${f.associatedTo}`);
        if (this.#open.size >= this.#limits.maxOpenStreams) throw new SpdyProtocolError(`more than ${this.#limits.maxOpenStreams} open streams`);
        this.#lastId = f.streamId;
        if (!f.fin) this.#open.add(f.streamId);
        return this.#reencodeBlock(f.headerBlock, forbiddenRequestHeaders, (block) =>
          encodeSynStream(f.streamId, block, { priority: f.priority, fin: f.fin, unidirectional: f.unidirectional }),
        );
      }
      case 'headers': {
        if (!this.#open.has(f.streamId)) throw new SpdyProtocolError(`HEADERS on stream ${f.streamId}, which is not open`);
        if (f.fin) this.#open.delete(f.streamId);
        return this.#reencodeBlock(f.headerBlock, forbiddenStreamHeaders, (block) => encodeHeaders(f.streamId, block, f.fin));
      }
      case 'rst-stream':
        if (!this.#opened(f.streamId)) throw new SpdyProtocolError(`RST_STREAM for stream ${f.streamId}, which the client never opened`);
        this.#open.delete(f.streamId);
        this.#write(encodeRstStream(f.streamId, f.status));
        return undefined;
      case 'window-update':
        if (f.streamId !== 0 && !this.#opened(f.streamId)) throw new SpdyProtocolError(`WINDOW_UPDATE for stream ${f.streamId}, which the client never opened`);
        this.#write(encodeWindowUpdate(f.streamId, f.delta));
        return undefined;
      case 'settings':
        this.#write(encodeSettings(f.entries, f.clear));
        return undefined;
      case 'ping':
        this.#write(encodePing(f.id));
        return undefined;
      case 'go-away':
        this.#goneAway = true;
        this.#write(encodeGoAway(f.lastGoodStreamId, f.status));
        return undefined;
    }
  }

  /** Inflates the client's block (bounded), checks it, compresses it with berth's stream, and writes the frame built around it. */
  async #reencodeBlock(compressed: Buffer, forbidden: ReadonlySet<string>, frame: (block: Buffer) => Buffer): Promise<void> {
    const block = await this.#inflater.inflate(compressed);
    if (this.#stopped) return;
    checkHeaderBlock(block, this.#limits, forbidden);
    const recompressed = await this.#deflater.compressBlock(block);
    if (this.#stopped) return;
    this.#write(frame(recompressed));
  }
}
