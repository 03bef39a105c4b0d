/**
 * RFC 6455 framing: encode frames and decode a byte stream into frames. Pure
 * (no I/O); message reassembly and the close handshake live in
 * websocket-connection.ts.
 *
 * A decoding violation throws WebSocketProtocolError carrying the close code
 * the endpoint must send (1002 protocol error, 1007 invalid payload, 1009
 * message too big). The decoder checks a frame's head (reserved bits,
 * opcode, mask, control frame rules, minimal length encoding, the size
 * limit) before it buffers any of the payload, so it never holds more than
 * one frame of at most `maxPayload` bytes; after a violation it is spent.
 */

export const Opcode = {
  continuation: 0x0,
  text: 0x1,
  binary: 0x2,
  close: 0x8,
  ping: 0x9,
  pong: 0xa,
} as const;

export const CloseCode = {
  normal: 1000,
  goingAway: 1001,
  protocolError: 1002,
  unsupportedData: 1003,
  noStatus: 1005,
  abnormal: 1006,
  invalidPayload: 1007,
  tooBig: 1009,
  internalError: 1011,
} as const;

export interface WebSocketFrame {
  fin: boolean;
  opcode: number;
  /** Unmasked payload. */
  payload: Buffer;
  masked: boolean;
}

export class WebSocketProtocolError extends Error {
  readonly closeCode: number;
  constructor(message: string, closeCode: number = CloseCode.protocolError) {
    super(message);
    this.name = 'WebSocketProtocolError';
    this.closeCode = closeCode;
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

export function isControl(opcode: number): boolean {
  return (opcode & 0x8) !== 0;
}

/** XORs `data` with the 4-byte `mask` in place (masking and unmasking are the same). */
export function applyMask(data: Buffer, mask: Buffer): void {
  for (let i = 0; i < data.length; i++) data[i] ^= mask[i & 3];
}

/** The header of a frame carrying `length` payload bytes (with the mask key when masking). */
export function encodeFrameHeader(opcode: number, length: number, opts: { fin?: boolean; mask?: Buffer } = {}): Buffer {
  const fin = opts.fin ?? true;
  const extra = length < 126 ? 0 : length <= 0xffff ? 2 : 8;
  const head = Buffer.alloc(2 + extra + (opts.mask ? 4 : 0));
  head[0] = (fin ? 0x80 : 0) | (opcode & 0x0f);
  if (extra === 0) head[1] = length;
  else if (extra === 2) {
    head[1] = 126;
    head.writeUInt16BE(length, 2);
  } else {
    head[1] = 127;
    head.writeBigUInt64BE(BigInt(length), 2);
  }
  if (opts.mask) {
    head[1] |= 0x80;
    opts.mask.copy(head, 2 + extra, 0, 4);
  }
  return head;
}

/**
 * One frame. Servers send unmasked frames; a client must pass a 4-byte
 * `mask` (the payload is copied, not changed).
 */
export function encodeFrame(opcode: number, payload: Buffer, opts: { fin?: boolean; mask?: Buffer } = {}): Buffer {
  const head = encodeFrameHeader(opcode, payload.length, opts);
  if (!opts.mask) return Buffer.concat([head, payload]);
  const body = Buffer.from(payload);
  applyMask(body, opts.mask);
  return Buffer.concat([head, body]);
}

/** The payload of a close frame: a 2-byte code and a UTF-8 reason (≤ 123 bytes). */
export function closePayload(code: number, reason = ''): Buffer {
  const text = Buffer.from(reason).subarray(0, 123);
  const b = Buffer.alloc(2 + text.length);
  b.writeUInt16BE(code, 0);
  text.copy(b, 2);
  return b;
}

export function parseClosePayload(payload: Buffer): { code: number; reason: string } {
  if (payload.length === 0) return { code: CloseCode.noStatus, reason: '' };
  if (payload.length === 1) throw new WebSocketProtocolError('close frame with a 1-byte payload');
  const code = payload.readUInt16BE(0);
  const valid = (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
  if (!valid) throw new WebSocketProtocolError(`invalid close code ${code}`);
  let reason: string;
  try {
    reason = utf8.decode(payload.subarray(2));
  } catch {
    // §5.5.1: the reason is UTF-8; §8.1: invalid UTF-8 fails the connection with 1007.
    throw new WebSocketProtocolError('close reason is not valid UTF-8', CloseCode.invalidPayload);
  }
  return { code, reason };
}

export interface FrameDecoderOptions {
  /** A server requires every client frame to be masked (RFC 6455 §5.1). */
  requireMask: boolean;
  /** Largest frame payload accepted; larger ones fail with 1009. */
  maxPayload: number;
}

/** Incremental decoder: feed bytes with `push`, get whole frames back. */
export class FrameDecoder {
  #opts: FrameDecoderOptions;
  #chunks: Buffer[] = [];
  #buffered = 0;
  #failed: WebSocketProtocolError | undefined;

  constructor(opts: FrameDecoderOptions) {
    this.#opts = opts;
  }

  /** Frames completed by `chunk`; throws WebSocketProtocolError on a violation, and again on every later push. */
  push(chunk: Buffer): WebSocketFrame[] {
    if (this.#failed) throw this.#failed;
    try {
      return this.#push(chunk);
    } catch (err) {
      if (err instanceof WebSocketProtocolError) this.#failed = err;
      this.#chunks = [];
      this.#buffered = 0;
      throw err;
    }
  }

  #push(chunk: Buffer): WebSocketFrame[] {
    if (chunk.length) {
      this.#chunks.push(chunk);
      this.#buffered += chunk.length;
    }
    const frames: WebSocketFrame[] = [];
    for (;;) {
      const f = this.#next();
      if (!f) return frames;
      frames.push(f);
    }
  }

  #peek(n: number): Buffer | undefined {
    if (this.#buffered < n) return undefined;
    if (this.#chunks[0].length < n) this.#chunks = [Buffer.concat(this.#chunks)];
    return this.#chunks[0].subarray(0, n);
  }

  #take(n: number): Buffer {
    if (n === 0) return Buffer.alloc(0);
    if (this.#chunks[0].length < n) this.#chunks = [Buffer.concat(this.#chunks)];
    const first = this.#chunks[0];
    const out = first.subarray(0, n);
    if (first.length === n) this.#chunks.shift();
    else this.#chunks[0] = first.subarray(n);
    this.#buffered -= n;
    return out;
  }

  #next(): WebSocketFrame | undefined {
    const h = this.#peek(2);
    if (!h) return undefined;
    const fin = (h[0] & 0x80) !== 0;
    if (h[0] & 0x70) throw new WebSocketProtocolError('reserved bits set without a negotiated extension');
    const opcode = h[0] & 0x0f;
    const masked = (h[1] & 0x80) !== 0;
    let len = h[1] & 0x7f;
    if (!(opcode <= 2 || (opcode >= 8 && opcode <= 10))) throw new WebSocketProtocolError(`unknown opcode ${opcode}`);
    if (isControl(opcode) && (!fin || len > 125)) throw new WebSocketProtocolError('control frames must be unfragmented and at most 125 bytes');
    if (this.#opts.requireMask && !masked) throw new WebSocketProtocolError('client frames must be masked');
    let headLen = 2;
    // §5.2: the minimal number of bytes MUST be used to encode the length.
    if (len === 126) {
      const ext = this.#peek(4);
      if (!ext) return undefined;
      len = ext.readUInt16BE(2);
      if (len < 126) throw new WebSocketProtocolError(`a ${len}-byte length in the 16-bit form`);
      headLen = 4;
    } else if (len === 127) {
      const ext = this.#peek(10);
      if (!ext) return undefined;
      const big = ext.readBigUInt64BE(2);
      // The most significant bit MUST be 0; such a length is past any limit anyway.
      if (big > BigInt(this.#opts.maxPayload)) throw new WebSocketProtocolError(`frame of ${big} bytes exceeds the limit`, CloseCode.tooBig);
      len = Number(big);
      if (len <= 0xffff) throw new WebSocketProtocolError(`a ${len}-byte length in the 64-bit form`);
      headLen = 10;
    }
    if (len > this.#opts.maxPayload) throw new WebSocketProtocolError(`frame of ${len} bytes exceeds the limit`, CloseCode.tooBig);
    const total = headLen + (masked ? 4 : 0) + len;
    if (this.#buffered < total) return undefined;
    this.#take(headLen);
    const mask = masked ? Buffer.from(this.#take(4)) : undefined;
    // The payload stays a view of the received bytes (unmasked in place): no copy.
    const payload = this.#take(len);
    if (mask) applyMask(payload, mask);
    return { fin, opcode, payload, masked };
  }
}
