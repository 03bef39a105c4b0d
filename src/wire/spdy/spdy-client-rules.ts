/**
 * What a SPDY/3 client may send to a CRI streaming server, frame by frame:
 * the shape checks that make a frame safe to hand to containerd's SPDY
 * library (moby/spdystream's `spdy` framer, the Go SPDY/3 framer it forked).
 * Pure; the per-session state (which streams are open) is
 * spdy-client-filter.ts's.
 *
 * Why each rule exists — the framer trusts the wire:
 *   - it reads each control frame's fixed fields whatever the declared
 *     length, so a length that disagrees with the type desynchronizes the
 *     stream (the next frame is read from the middle of this one);
 *   - it allocates from counts and lengths before reading them: the SETTINGS
 *     entry count (`make([]SettingsFlagIdValue, n)`: 2³²−1 entries is 48 GB,
 *     and containerd dies), the header count (`make(http.Header, n)`), each
 *     header name and value (`make([]byte, length)`) — GHSA-pc3f-x583-g7j2,
 *     fixed in spdystream 0.5.1, which containerd 1.6 does not vendor;
 *   - it fails the whole connection on anything else it dislikes (unknown
 *     type, flags on PING/GOAWAY/WINDOW_UPDATE, stream id 0, uppercase or
 *     duplicate header names), which is harmless but pointless to forward.
 * The rest comes from the SPDY/3 draft (§ numbers below), limited to what
 * kubectl's client (client-go over spdystream) actually sends.
 */
import { Flag, FrameType, maxFrameLength, SpdyProtocolError, spdyVersion } from './spdy-frames.ts';

export interface SpdyLimits {
  /** Largest control frame body; the framer has none, kubectl's are under 100 bytes. */
  maxControlLength: number;
  /** Largest inflated header block (zlib expands up to ~1000:1). */
  maxHeaderBlockBytes: number;
  /** Most name/value pairs in one header block (kubectl sends at most 3). */
  maxHeaders: number;
  /** Most streams the client may hold open at once (port-forward: 2 per connection while it lasts). */
  maxOpenStreams: number;
  /** Bytes read from the client but not yet forwarded, above which reading pauses. */
  maxBacklogBytes: number;
}

export const defaultSpdyLimits: SpdyLimits = {
  maxControlLength: 64 * 1024,
  maxHeaderBlockBytes: 64 * 1024,
  maxHeaders: 100,
  maxOpenStreams: 1024,
  maxBacklogBytes: 1024 * 1024,
};

export type ClientControlFrame =
  | { type: 'syn-stream'; streamId: number; associatedTo: number; priority: number; fin: boolean; unidirectional: boolean; headerBlock: Buffer }
  | { type: 'headers'; streamId: number; fin: boolean; headerBlock: Buffer }
  | { type: 'rst-stream'; streamId: number; status: number }
  | { type: 'settings'; clear: boolean; entries: { flags: number; id: number; value: number }[] }
  | { type: 'ping'; id: number }
  | { type: 'go-away'; lastGoodStreamId: number; status: number }
  | { type: 'window-update'; streamId: number; delta: number };

const typeNames: Record<number, string> = {
  [FrameType.synStream]: 'SYN_STREAM',
  [FrameType.synReply]: 'SYN_REPLY',
  [FrameType.rstStream]: 'RST_STREAM',
  [FrameType.settings]: 'SETTINGS',
  [FrameType.ping]: 'PING',
  [FrameType.goAway]: 'GOAWAY',
  [FrameType.headers]: 'HEADERS',
  [FrameType.windowUpdate]: 'WINDOW_UPDATE',
};

function fail(message: string): never {
  throw new SpdyProtocolError(message);
}

function streamIdAt(body: Buffer, offset: number): number {
  return body.readUInt32BE(offset) & 0x7fffffff;
}

/**
 * A control frame from the client, checked and parsed; throws
 * SpdyProtocolError naming the first rule it breaks.
 */
export function checkClientControlFrame(f: { version: number; type: number; flags: number; body: Buffer }): ClientControlFrame {
  // §2.2.1: version 3. The framer never looks, so another version would be read as 3.
  if (f.version !== spdyVersion) fail(`control frame of SPDY version ${f.version}, not ${spdyVersion}`);
  const name = typeNames[f.type];
  // The framer ends the connection on a type it does not know (CREDENTIAL, 10, among them).
  if (!name) fail(`unknown control frame type ${f.type}`);
  const { body, flags } = f;
  const length = body.length;
  const allowFlags = (allowed: number) => {
    if (flags & ~allowed) fail(`${name} with flags 0x${flags.toString(16)}`);
  };
  const exactLength = (n: number) => {
    if (length !== n) fail(`${name} of ${length} bytes, not ${n}`);
  };
  switch (f.type) {
    case FrameType.synStream: {
      // §2.6.1: FIN and UNIDIRECTIONAL; 10 fixed bytes, then a compressed header block.
      allowFlags(Flag.fin | Flag.unidirectional);
      if (length <= 10) fail(`SYN_STREAM of ${length} bytes has no header block`);
      const streamId = streamIdAt(body, 0);
      if (streamId === 0) fail('SYN_STREAM with stream id 0');
      return {
        type: 'syn-stream',
        streamId,
        associatedTo: streamIdAt(body, 4),
        priority: body[8] >> 5,
        fin: (flags & Flag.fin) !== 0,
        unidirectional: (flags & Flag.unidirectional) !== 0,
        headerBlock: body.subarray(10),
      };
    }
    case FrameType.synReply:
      // The kubelet's streaming servers never open a stream, so there is nothing for a client to reply to.
      return fail('SYN_REPLY from the client (the server opens no streams)');
    case FrameType.headers: {
      // §2.6.7: FIN only; a stream id, then a compressed header block.
      allowFlags(Flag.fin);
      if (length <= 4) fail(`HEADERS of ${length} bytes has no header block`);
      const streamId = streamIdAt(body, 0);
      if (streamId === 0) fail('HEADERS with stream id 0');
      return { type: 'headers', streamId, fin: (flags & Flag.fin) !== 0, headerBlock: body.subarray(4) };
    }
    case FrameType.rstStream: {
      // §2.6.3: no flags, 8 bytes, a stream, and a status from 1 to 11 (the framer rejects 0).
      allowFlags(0);
      exactLength(8);
      const streamId = streamIdAt(body, 0);
      const status = body.readUInt32BE(4);
      if (streamId === 0) fail('RST_STREAM with stream id 0');
      if (status < 1 || status > 11) fail(`RST_STREAM with status ${status}`);
      return { type: 'rst-stream', streamId, status };
    }
    case FrameType.settings: {
      // §2.6.4: CLEAR_SETTINGS only; an entry count, then exactly that many 8-byte entries.
      allowFlags(0x01);
      if (length < 4) fail(`SETTINGS of ${length} bytes has no entry count`);
      const count = body.readUInt32BE(0);
      if (count !== (length - 4) / 8) fail(`SETTINGS claims ${count} entries in ${length} bytes`);
      const entries: { flags: number; id: number; value: number }[] = [];
      for (let i = 0; i < count; i++) {
        const word = body.readUInt32BE(4 + i * 8);
        entries.push({ flags: word >>> 24, id: word & 0xffffff, value: body.readUInt32BE(8 + i * 8) });
      }
      return { type: 'settings', clear: (flags & 0x01) !== 0, entries };
    }
    case FrameType.ping: {
      // §2.6.5: no flags, a 4-byte id; the framer rejects id 0.
      allowFlags(0);
      exactLength(4);
      const id = body.readUInt32BE(0);
      if (id === 0) fail('PING with id 0');
      return { type: 'ping', id };
    }
    case FrameType.goAway: {
      // §2.6.6: no flags, 8 bytes (the framer rejects any other length), status OK, PROTOCOL_ERROR or INTERNAL_ERROR.
      allowFlags(0);
      exactLength(8);
      const status = body.readUInt32BE(4);
      if (status > 2) fail(`GOAWAY with status ${status}`);
      return { type: 'go-away', lastGoodStreamId: streamIdAt(body, 0), status };
    }
    case FrameType.windowUpdate: {
      // §2.6.8: no flags, 8 bytes, a delta from 1 to 2³¹−1.
      allowFlags(0);
      exactLength(8);
      const delta = body.readUInt32BE(4) & 0x7fffffff;
      if (delta === 0) fail('WINDOW_UPDATE with delta 0');
      return { type: 'window-update', streamId: streamIdAt(body, 0), delta };
    }
  }
  return fail(`unknown control frame type ${f.type}`);
}

/** A DATA frame head from the client (§2.2.2): FIN is its only flag, stream 0 is not a stream. */
export function checkClientDataHead(h: { streamId: number; flags: number; length: number }): void {
  if (h.streamId === 0) fail('DATA frame on stream 0');
  if (h.flags & ~Flag.fin) fail(`DATA frame with flags 0x${h.flags.toString(16)}`);
  if (h.length > maxFrameLength) fail(`DATA frame of ${h.length} bytes`);
}

/** Headers the framer refuses in a SYN_STREAM (its invalidReqHeaders). */
export const forbiddenRequestHeaders: ReadonlySet<string> = new Set(['connection', 'host', 'keep-alive', 'proxy-connection', 'transfer-encoding']);
/** Headers the framer refuses in a HEADERS frame on a client stream (its invalidRespHeaders, chosen by the odd id). */
export const forbiddenStreamHeaders: ReadonlySet<string> = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding']);

/**
 * An inflated name/value header block (§2.6.10), checked to the byte: a
 * count within `maxHeaders`; every name and value inside the block; names
 * non-empty, lowercase printable US-ASCII, not repeated, not `forbidden`;
 * values without empty NUL-separated parts; and nothing after the last pair
 * (the framer would read it as the start of the next block).
 */
export function checkHeaderBlock(block: Buffer, limits: Pick<SpdyLimits, 'maxHeaders'>, forbidden: ReadonlySet<string>): void {
  const bad = (why: string): never => fail(`invalid header block: ${why}`);
  if (block.length < 4) bad(`${block.length} bytes`);
  const count = block.readUInt32BE(0);
  if (count > limits.maxHeaders) bad(`${count} headers, more than ${limits.maxHeaders}`);
  let off = 4;
  const field = (what: string): Buffer => {
    if (off + 4 > block.length) bad(`${what} length past the end`);
    const len = block.readUInt32BE(off);
    off += 4;
    if (len > block.length - off) bad(`${what} of ${len} bytes past the end`);
    const out = block.subarray(off, off + len);
    off += len;
    return out;
  };
  const seen = new Set<string>();
  for (let i = 0; i < count; i++) {
    const rawName = field('name');
    if (rawName.length === 0) bad('an empty name');
    for (const c of rawName) if (c < 0x21 || c > 0x7e || (c >= 0x41 && c <= 0x5a)) bad(`name ${JSON.stringify(rawName.toString('latin1'))} is not lowercase printable ASCII`);
    const name = rawName.toString('latin1');
    if (seen.has(name)) bad(`header ${JSON.stringify(name)} repeated`);
    if (forbidden.has(name)) bad(`header ${JSON.stringify(name)} is not allowed`);
    seen.add(name);
    const value = field('value');
    if (value.length > 0 && (value[0] === 0 || value[value.length - 1] === 0 || value.includes(Buffer.from([0, 0])))) bad(`header ${JSON.stringify(name)} has an empty value`);
  }
  if (off !== block.length) bad(`${block.length - off} bytes after the last header`);
}
