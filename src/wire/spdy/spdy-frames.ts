/**
 * SPDY/3 framing (the protocol spdystream speaks under the name "SPDY/3.1";
 * kubectl, the kubelet and containerd's streaming server all use it): frame
 * encoding, an incremental decoder, and the uncompressed name/value header
 * block. Pure; header compression lives in spdy-header-codec.ts.
 *
 * Wire layout (big endian):
 *   control: |1|version(15)|type(16)| flags(8)|length(24) | body
 *   data:    |0|stream-id(31)       | flags(8)|length(24) | data
 */

export const spdyVersion = 3;

export const FrameType = {
  synStream: 1,
  synReply: 2,
  rstStream: 3,
  settings: 4,
  ping: 6,
  goAway: 7,
  headers: 8,
  windowUpdate: 9,
} as const;

export const Flag = {
  fin: 0x01,
  unidirectional: 0x02,
} as const;

export const RstStatus = {
  protocolError: 1,
  invalidStream: 2,
  refusedStream: 3,
  unsupportedVersion: 4,
  cancel: 5,
  internalError: 6,
  flowControlError: 7,
  streamInUse: 8,
  streamAlreadyClosed: 9,
  frameTooLarge: 11,
} as const;

export const GoAwayStatus = { ok: 0, protocolError: 1, internalError: 2 } as const;

/** Largest length the 24-bit field carries. */
export const maxFrameLength = 0xffffff;

export type SpdyFrame =
  | { control: false; streamId: number; flags: number; data: Buffer }
  | { control: true; version: number; type: number; flags: number; body: Buffer };

export class SpdyProtocolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SpdyProtocolError';
  }
}

function controlFrame(type: number, flags: number, body: Buffer): Buffer {
  if (body.length > maxFrameLength) throw new SpdyProtocolError(`control frame body of ${body.length} bytes is too large`);
  const head = Buffer.alloc(8);
  head.writeUInt16BE(0x8000 | spdyVersion, 0);
  head.writeUInt16BE(type, 2);
  head.writeUInt32BE(((flags & 0xff) << 24) | body.length, 4);
  return Buffer.concat([head, body]);
}

function u32(...values: number[]): Buffer {
  const b = Buffer.alloc(values.length * 4);
  values.forEach((v, i) => b.writeUInt32BE(v >>> 0, i * 4));
  return b;
}

/** The 8-byte head of a DATA frame whose `length` payload bytes follow separately. */
export function encodeDataHead(streamId: number, length: number, fin = false): Buffer {
  if (length > maxFrameLength) throw new SpdyProtocolError(`data frame of ${length} bytes is too large`);
  const head = Buffer.alloc(8);
  head.writeUInt32BE(streamId & 0x7fffffff, 0);
  head.writeUInt32BE(((fin ? Flag.fin : 0) << 24) | length, 4);
  return head;
}

export function encodeData(streamId: number, data: Buffer, fin = false): Buffer {
  return Buffer.concat([encodeDataHead(streamId, data.length, fin), data]);
}

/** `headerBlock` is already compressed. */
export function encodeSynStream(
  streamId: number,
  headerBlock: Buffer,
  opts: { associatedTo?: number; priority?: number; fin?: boolean; unidirectional?: boolean } = {},
): Buffer {
  const body = Buffer.alloc(10);
  body.writeUInt32BE(streamId & 0x7fffffff, 0);
  body.writeUInt32BE((opts.associatedTo ?? 0) & 0x7fffffff, 4);
  body[8] = ((opts.priority ?? 0) & 0x7) << 5;
  body[9] = 0;
  const flags = (opts.fin ? Flag.fin : 0) | (opts.unidirectional ? Flag.unidirectional : 0);
  return controlFrame(FrameType.synStream, flags, Buffer.concat([body, headerBlock]));
}

export function encodeSynReply(streamId: number, headerBlock: Buffer, fin = false): Buffer {
  return controlFrame(FrameType.synReply, fin ? Flag.fin : 0, Buffer.concat([u32(streamId & 0x7fffffff), headerBlock]));
}

export function encodeHeaders(streamId: number, headerBlock: Buffer, fin = false): Buffer {
  return controlFrame(FrameType.headers, fin ? Flag.fin : 0, Buffer.concat([u32(streamId & 0x7fffffff), headerBlock]));
}

export function encodeRstStream(streamId: number, status: number): Buffer {
  return controlFrame(FrameType.rstStream, 0, u32(streamId & 0x7fffffff, status));
}

export function encodePing(id: number): Buffer {
  return controlFrame(FrameType.ping, 0, u32(id));
}

export function encodeGoAway(lastGoodStreamId: number, status: number = GoAwayStatus.ok): Buffer {
  return controlFrame(FrameType.goAway, 0, u32(lastGoodStreamId & 0x7fffffff, status));
}

export function encodeWindowUpdate(streamId: number, delta: number): Buffer {
  return controlFrame(FrameType.windowUpdate, 0, u32(streamId & 0x7fffffff, delta & 0x7fffffff));
}

export function encodeSettings(entries: { id: number; value: number; flags?: number }[], clear = false): Buffer {
  const body = Buffer.alloc(4 + entries.length * 8);
  body.writeUInt32BE(entries.length, 0);
  entries.forEach((e, i) => {
    body.writeUInt32BE((((e.flags ?? 0) & 0xff) << 24) | (e.id & 0xffffff), 4 + i * 8);
    body.writeUInt32BE(e.value >>> 0, 8 + i * 8);
  });
  return controlFrame(FrameType.settings, clear ? 1 : 0, body);
}

function need(body: Buffer, n: number, what: string): void {
  if (body.length < n) throw new SpdyProtocolError(`${what} frame too short (${body.length} bytes)`);
}

export function parseSynStream(body: Buffer): { streamId: number; associatedTo: number; priority: number; slot: number; headerBlock: Buffer } {
  need(body, 10, 'SYN_STREAM');
  const streamId = body.readUInt32BE(0) & 0x7fffffff;
  if (streamId === 0) throw new SpdyProtocolError('SYN_STREAM with stream id 0');
  return {
    streamId,
    associatedTo: body.readUInt32BE(4) & 0x7fffffff,
    priority: body[8] >> 5,
    slot: body[9],
    headerBlock: body.subarray(10),
  };
}

/** SYN_REPLY and HEADERS share this layout. */
export function parseStreamHeaders(body: Buffer): { streamId: number; headerBlock: Buffer } {
  need(body, 4, 'SYN_REPLY/HEADERS');
  return { streamId: body.readUInt32BE(0) & 0x7fffffff, headerBlock: body.subarray(4) };
}

export function parseRstStream(body: Buffer): { streamId: number; status: number } {
  need(body, 8, 'RST_STREAM');
  return { streamId: body.readUInt32BE(0) & 0x7fffffff, status: body.readUInt32BE(4) };
}

export function parsePing(body: Buffer): { id: number } {
  need(body, 4, 'PING');
  return { id: body.readUInt32BE(0) };
}

export function parseGoAway(body: Buffer): { lastGoodStreamId: number; status: number } {
  need(body, 4, 'GOAWAY');
  return { lastGoodStreamId: body.readUInt32BE(0) & 0x7fffffff, status: body.length >= 8 ? body.readUInt32BE(4) : 0 };
}

export function parseWindowUpdate(body: Buffer): { streamId: number; delta: number } {
  need(body, 8, 'WINDOW_UPDATE');
  return { streamId: body.readUInt32BE(0) & 0x7fffffff, delta: body.readUInt32BE(4) & 0x7fffffff };
}

export function parseSettings(body: Buffer): { id: number; value: number; flags: number }[] {
  need(body, 4, 'SETTINGS');
  const n = body.readUInt32BE(0);
  need(body, 4 + n * 8, 'SETTINGS');
  const out: { id: number; value: number; flags: number }[] = [];
  for (let i = 0; i < n; i++) {
    const fid = body.readUInt32BE(4 + i * 8);
    out.push({ flags: fid >>> 24, id: fid & 0xffffff, value: body.readUInt32BE(8 + i * 8) });
  }
  return out;
}

/** Incremental decoder: feed bytes with `push`, get whole frames back. */
export class SpdyFrameDecoder {
  #chunks: Buffer[] = [];
  #buffered = 0;

  push(chunk: Buffer): SpdyFrame[] {
    if (chunk.length) {
      this.#chunks.push(chunk);
      this.#buffered += chunk.length;
    }
    const out: SpdyFrame[] = [];
    while (this.#buffered >= 8) {
      if (this.#chunks[0].length < 8) this.#chunks = [Buffer.concat(this.#chunks)];
      const h = this.#chunks[0];
      const length = h.readUInt32BE(4) & 0xffffff;
      if (this.#buffered < 8 + length) break;
      const all = this.#chunks.length === 1 ? this.#chunks[0] : Buffer.concat(this.#chunks);
      const frame = all.subarray(0, 8 + length);
      const rest = all.subarray(8 + length);
      this.#chunks = rest.length ? [rest] : [];
      this.#buffered = rest.length;
      const flags = frame[4];
      // A view of the received bytes, not a copy.
      const payload = frame.subarray(8);
      if (frame[0] & 0x80) {
        out.push({ control: true, version: frame.readUInt16BE(0) & 0x7fff, type: frame.readUInt16BE(2), flags, body: payload });
      } else {
        out.push({ control: false, streamId: frame.readUInt32BE(0) & 0x7fffffff, flags, data: payload });
      }
    }
    return out;
  }
}

/** Header names are lowercase on the wire; several values of one name are joined by NUL. */
export type HeaderMap = Map<string, string[]>;

export function encodeHeaderBlock(headers: Record<string, string | string[]> | HeaderMap): Buffer {
  const entries = headers instanceof Map ? [...headers.entries()] : Object.entries(headers);
  const parts: Buffer[] = [u32(entries.length)];
  for (const [name, value] of entries) {
    const n = Buffer.from(name.toLowerCase());
    const v = Buffer.from(Array.isArray(value) ? value.join('\0') : value);
    parts.push(u32(n.length), n, u32(v.length), v);
  }
  return Buffer.concat(parts);
}

export function decodeHeaderBlock(block: Buffer): HeaderMap {
  const fail = (why: string): never => {
    throw new SpdyProtocolError(`invalid header block: ${why}`);
  };
  if (block.length < 4) fail('too short');
  const count = block.readUInt32BE(0);
  const out: HeaderMap = new Map();
  let off = 4;
  const str = (): string => {
    if (off + 4 > block.length) fail('truncated length');
    const len = block.readUInt32BE(off);
    off += 4;
    if (off + len > block.length) fail('truncated string');
    const s = block.subarray(off, off + len).toString('utf8');
    off += len;
    return s;
  };
  for (let i = 0; i < count; i++) {
    const name = str();
    const value = str();
    if (name === '') fail('empty header name');
    if (name !== name.toLowerCase()) fail(`header ${JSON.stringify(name)} was not lowercased`);
    if (out.has(name)) fail(`multiple headers named ${JSON.stringify(name)}`);
    out.set(name, value.split('\0'));
  }
  return out;
}
