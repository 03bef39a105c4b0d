/**
 * A bounded incremental reader of an untrusted SPDY/3 byte stream (what a
 * client sends): it splits the stream into frames without ever holding more
 * than one control frame of at most `maxControlLength` body bytes, plus the
 * 7 bytes of a partial frame head. DATA payloads are not collected: a DATA
 * frame comes out as its head, then its payload in the pieces that arrived
 * (views of the pushed chunks, never copies), so a 16 MiB frame costs no
 * buffer. Structure only: what the frames mean is spdy-client-rules.ts's.
 *
 * A control frame longer than the limit throws SpdyProtocolError as soon as
 * its 8-byte head is read, before any of its body is buffered; after a
 * throw the reader is spent (every later push throws too).
 */
import { SpdyProtocolError } from './spdy-frames.ts';

export type SpdyReadEvent =
  | { kind: 'control'; version: number; type: number; flags: number; body: Buffer }
  /** A DATA frame's head; `length` payload bytes follow as `payload` events (none when 0). */
  | { kind: 'data'; streamId: number; flags: number; length: number }
  | { kind: 'payload'; chunk: Buffer; last: boolean };

export class SpdyFrameReader {
  #maxControlLength: number;
  /** Received bytes of a frame head or control frame that is not complete yet. */
  #pending: Buffer[] = [];
  #pendingLength = 0;
  /** Bytes the pending frame needs before it can be read: 8 for a head, 8 + length for a control frame. */
  #need = 8;
  /** Payload bytes of the current DATA frame still to come. */
  #payloadLeft = 0;
  #failed: SpdyProtocolError | undefined;

  constructor(opts: { maxControlLength: number }) {
    this.#maxControlLength = opts.maxControlLength;
  }

  /** Bytes held for an incomplete frame (at most 8 + maxControlLength). */
  get buffered(): number {
    return this.#pendingLength;
  }

  push(chunk: Buffer): SpdyReadEvent[] {
    if (this.#failed) throw this.#failed;
    const out: SpdyReadEvent[] = [];
    let buf = chunk;
    while (buf.length > 0) {
      if (this.#payloadLeft > 0) {
        const n = Math.min(this.#payloadLeft, buf.length);
        this.#payloadLeft -= n;
        out.push({ kind: 'payload', chunk: buf.subarray(0, n), last: this.#payloadLeft === 0 });
        buf = buf.subarray(n);
        continue;
      }
      // Collect until the pending frame (head, or whole control frame) is complete;
      // chunks are only joined once, when it is, so a trickled frame costs no re-copying.
      const take = Math.min(this.#need - this.#pendingLength, buf.length);
      this.#pending.push(buf.subarray(0, take));
      this.#pendingLength += take;
      buf = buf.subarray(take);
      if (this.#pendingLength < this.#need) break;
      const frame = this.#pending.length === 1 ? this.#pending[0] : Buffer.concat(this.#pending, this.#pendingLength);
      const length = frame.readUInt32BE(4) & 0xffffff;
      const control = (frame[0] & 0x80) !== 0;
      if (control && this.#need === 8 && length > 0) {
        if (length > this.#maxControlLength) {
          this.#failed = new SpdyProtocolError(`control frame of ${length} bytes exceeds the limit of ${this.#maxControlLength}`);
          throw this.#failed;
        }
        // The head is read; now wait for the body.
        this.#pending = [frame];
        this.#need = 8 + length;
        continue;
      }
      this.#pending = [];
      this.#pendingLength = 0;
      this.#need = 8;
      if (!control) {
        out.push({ kind: 'data', streamId: frame.readUInt32BE(0) & 0x7fffffff, flags: frame[4], length });
        this.#payloadLeft = length;
        continue;
      }
      out.push({ kind: 'control', version: frame.readUInt16BE(0) & 0x7fff, type: frame.readUInt16BE(2), flags: frame[4], body: frame.subarray(8, 8 + length) });
    }
    return out;
  }
}
