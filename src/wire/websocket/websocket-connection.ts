/**
 * A WebSocket connection over an already-upgraded socket: reassembles
 * fragmented messages, answers pings, runs the close handshake, and reports
 * every message and the end of the connection.
 *
 * States: open → closing (we sent a close frame and wait for the peer's, at
 * most `closeTimeoutMs`) → closed; or open → closed when the peer's close
 * frame arrives first (we echo it and end the socket) or the socket drops
 * (code 1006). `onClose` fires exactly once, when the socket is gone.
 *
 * The server role requires masked client frames and sends unmasked ones; the
 * client role (used by tests and tools) does the opposite.
 *
 * Bounds against a hostile peer: the decoder holds at most one frame of
 * `maxMessageBytes`; a fragmented message is gathered into one buffer that
 * grows by doubling up to `maxMessageBytes` (never a list of fragments, so a
 * flood of tiny or empty fragments costs no memory); a peer that sends pings
 * without reading gets no more pongs while `maxPendingPongBytes` of output
 * waits in the socket (§5.5.3 allows answering only the latest ping); after a
 * protocol violation (close 1002/1007/1009) the rest of its input is dropped.
 */
import { randomBytes } from 'node:crypto';
import type { Duplex } from 'node:stream';
import {
  CloseCode,
  closePayload,
  encodeFrame,
  encodeFrameHeader,
  FrameDecoder,
  Opcode,
  parseClosePayload,
  WebSocketProtocolError,
  type WebSocketFrame,
} from './websocket-frames.ts';

export interface WebSocketOptions {
  role?: 'server' | 'client';
  /** Bytes already read from the socket after the handshake. */
  head?: Buffer;
  /** Largest message (after reassembly) accepted; larger ones close with 1009. */
  maxMessageBytes?: number;
  /** How long to wait for the peer's close frame before dropping the socket. */
  closeTimeoutMs?: number;
  onMessage?: (data: Buffer, binary: boolean) => void;
  onClose?: (code: number, reason: string) => void;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Output waiting in the socket above which pings go unanswered. */
const maxPendingPongBytes = 64 * 1024;

export class WebSocketConnection {
  readonly socket: Duplex;
  #role: 'server' | 'client';
  #decoder: FrameDecoder;
  #maxMessage: number;
  #closeTimeoutMs: number;
  /** The fragmented message being gathered: its opcode (0: none), its bytes so far, and their count. */
  #fragmentOpcode = 0;
  #fragments: Buffer | undefined;
  #fragmentBytes = 0;
  #failed = false;
  #closeSent = false;
  #closeTimer: NodeJS.Timeout | undefined;
  #closed = false;
  #closeInfo = { code: CloseCode.abnormal as number, reason: '' };
  #onMessage: (data: Buffer, binary: boolean) => void;
  #onClose: (code: number, reason: string) => void;

  constructor(socket: Duplex, opts: WebSocketOptions = {}) {
    this.socket = socket;
    this.#role = opts.role ?? 'server';
    this.#maxMessage = opts.maxMessageBytes ?? 32 * 1024 * 1024;
    this.#closeTimeoutMs = opts.closeTimeoutMs ?? 2000;
    this.#decoder = new FrameDecoder({ requireMask: this.#role === 'server', maxPayload: this.#maxMessage });
    this.#onMessage = opts.onMessage ?? (() => {});
    this.#onClose = opts.onClose ?? (() => {});
    socket.on('data', (chunk: Buffer) => this.#feed(chunk));
    socket.on('error', () => {});
    socket.on('close', () => this.#finish());
    socket.on('end', () => {
      // The peer half-closed without a close frame; nothing more will come.
      if (!this.#closed) socket.end();
    });
    if (opts.head?.length) queueMicrotask(() => this.#feed(opts.head!));
    socket.resume();
  }

  set onMessage(fn: (data: Buffer, binary: boolean) => void) {
    this.#onMessage = fn;
  }

  set onClose(fn: (code: number, reason: string) => void) {
    this.#onClose = fn;
  }

  /** True until a close frame was sent or received, or the socket dropped. */
  get isOpen(): boolean {
    return !this.#closeSent && !this.#closed && !this.socket.destroyed;
  }

  /** Sends one message; returns false when the socket buffer is full (wait for 'drain') or the connection is closing. */
  send(data: Buffer, opcode: number = Opcode.binary): boolean {
    if (!this.isOpen) return false;
    return this.socket.write(this.#encode(opcode, data));
  }

  /** Sends the concatenation of `parts` as one message, without copying them first (server role). */
  sendParts(parts: Buffer[], opcode: number = Opcode.binary): boolean {
    if (this.#role === 'client') return this.send(Buffer.concat(parts), opcode);
    if (!this.isOpen) return false;
    const length = parts.reduce((n, p) => n + p.length, 0);
    this.socket.cork();
    this.socket.write(encodeFrameHeader(opcode, length));
    let ok = true;
    for (const p of parts) if (p.length) ok = this.socket.write(p);
    process.nextTick(() => this.socket.uncork());
    return ok;
  }

  ping(data: Buffer = Buffer.alloc(0)): void {
    if (this.isOpen) this.socket.write(this.#encode(Opcode.ping, data));
  }

  /** Starts the close handshake. Idempotent. */
  close(code: number = CloseCode.normal, reason = ''): void {
    if (this.#closeSent || this.#closed || this.socket.destroyed) return;
    this.#closeSent = true;
    this.#closeInfo = { code, reason };
    this.socket.write(this.#encode(Opcode.close, closePayload(code, reason)));
    this.#closeTimer = setTimeout(() => this.socket.destroy(), this.#closeTimeoutMs);
    this.#closeTimer.unref();
  }

  /** Drops the connection without a close handshake. */
  destroy(): void {
    this.socket.destroy();
  }

  #encode(opcode: number, data: Buffer): Buffer {
    return encodeFrame(opcode, data, this.#role === 'client' ? { mask: randomBytes(4) } : {});
  }

  #feed(chunk: Buffer): void {
    if (this.#closed || this.#failed) return;
    let frames: WebSocketFrame[];
    try {
      frames = this.#decoder.push(chunk);
      for (const f of frames) {
        this.#frame(f);
        if (this.#closed || this.socket.destroyed) return;
      }
    } catch (err) {
      const code = err instanceof WebSocketProtocolError ? err.closeCode : CloseCode.internalError;
      this.#fail(code, err instanceof Error ? err.message : String(err));
    }
  }

  #fail(code: number, reason: string): void {
    this.#failed = true;
    this.#fragments = undefined;
    if (!this.#closeSent && !this.socket.destroyed) {
      this.#closeSent = true;
      this.#closeInfo = { code, reason };
      this.socket.write(this.#encode(Opcode.close, closePayload(code, reason)));
    }
    this.socket.end();
    const t = setTimeout(() => this.socket.destroy(), this.#closeTimeoutMs);
    t.unref();
  }

  #frame(f: WebSocketFrame): void {
    switch (f.opcode) {
      case Opcode.ping:
        if (!this.#closeSent && this.socket.writableLength < maxPendingPongBytes) this.socket.write(this.#encode(Opcode.pong, f.payload));
        return;
      case Opcode.pong:
        return;
      case Opcode.close: {
        const info = parseClosePayload(f.payload);
        if (!this.#closeSent) {
          this.#closeSent = true;
          this.#closeInfo = info;
          // Echo the peer's code, as RFC 6455 §5.5.1 asks.
          const echo = info.code === CloseCode.noStatus ? Buffer.alloc(0) : closePayload(info.code);
          this.socket.write(this.#encode(Opcode.close, echo));
        } else {
          this.#closeInfo = info;
        }
        // The server ends the TCP connection first; a client waits for it.
        if (this.#role === 'server') this.socket.end();
        else {
          const t = setTimeout(() => this.socket.destroy(), this.#closeTimeoutMs);
          t.unref();
        }
        return;
      }
    }
    // Data frames.
    if (f.opcode === Opcode.continuation) {
      if (this.#fragmentOpcode === 0) throw new WebSocketProtocolError('continuation frame without a message to continue');
    } else if (this.#fragmentOpcode !== 0) {
      throw new WebSocketProtocolError('new data frame in the middle of a fragmented message');
    } else if (f.fin) {
      // An unfragmented message (the common case): the payload as decoded, no copy.
      this.#deliver(f.payload, f.opcode === Opcode.binary);
      return;
    } else {
      this.#fragmentOpcode = f.opcode;
    }
    this.#gather(f.payload);
    if (!f.fin) return;
    const data = this.#fragments?.subarray(0, this.#fragmentBytes) ?? Buffer.alloc(0);
    const binary = this.#fragmentOpcode === Opcode.binary;
    this.#fragments = undefined;
    this.#fragmentBytes = 0;
    this.#fragmentOpcode = 0;
    this.#deliver(data, binary);
  }

  /** Appends a fragment's payload to the message being gathered, within maxMessageBytes. */
  #gather(payload: Buffer): void {
    const need = this.#fragmentBytes + payload.length;
    if (need > this.#maxMessage) throw new WebSocketProtocolError('message too big', CloseCode.tooBig);
    if (payload.length === 0) return;
    if (!this.#fragments || this.#fragments.length < need) {
      const grown = Buffer.allocUnsafe(Math.min(this.#maxMessage, Math.max(need, 2 * (this.#fragments?.length ?? 0), 4096)));
      this.#fragments?.copy(grown, 0, 0, this.#fragmentBytes);
      this.#fragments = grown;
    }
    payload.copy(this.#fragments, this.#fragmentBytes);
    this.#fragmentBytes = need;
  }

  #deliver(data: Buffer, binary: boolean): void {
    if (!binary) {
      try {
        utf8.decode(data);
      } catch {
        throw new WebSocketProtocolError('text message is not valid UTF-8', CloseCode.invalidPayload);
      }
    }
    if (!this.#closeSent) this.#onMessage(data, binary);
  }

  #finish(): void {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#closeTimer) clearTimeout(this.#closeTimer);
    this.#onClose(this.#closeInfo.code, this.#closeInfo.reason);
  }
}
