/**
 * SPDY/3 header compression. Each direction of a connection is ONE zlib
 * stream primed with the SPDY dictionary; every header block is written into
 * it and ended with a sync flush, so the peer can inflate each block as it
 * arrives while the history carries over to the next block. Blocks must
 * therefore be compressed and decompressed strictly in wire order: both
 * classes serialize their calls internally.
 *
 * Inflating is bounded: a block whose output passes `maxBytes` (a zlib bomb
 * expands about 1000:1) fails at once and the stream is destroyed, so it
 * never holds more than that plus one zlib chunk. A failed or ended stream
 * fails every later call: a connection whose header stream broke is over.
 */
import { constants, createDeflate, createInflate, type Deflate, type Inflate } from 'node:zlib';
import { decodeHeaderBlock, encodeHeaderBlock, SpdyProtocolError, type HeaderMap } from './spdy-frames.ts';
import { spdyDictionary } from './spdy-dictionary.ts';

/**
 * Pushes `input` through a zlib stream with a sync flush and collects what
 * comes out, failing when the output passes `limit` or the stream ends (a
 * final deflate block would leave later blocks unreadable).
 */
function flushThrough(z: Deflate | Inflate, input: Buffer, limit = Infinity): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const out: Buffer[] = [];
    let size = 0;
    const done = (err?: Error) => {
      z.off('data', onData);
      z.off('error', done);
      z.off('end', onEnd);
      z.off('close', onEnd);
      if (err) reject(err);
      else resolve(Buffer.concat(out));
    };
    const onData = (d: Buffer) => {
      size += d.length;
      if (size > limit) {
        z.destroy();
        done(new SpdyProtocolError(`header block inflates to more than ${limit} bytes`));
        return;
      }
      out.push(d);
    };
    const onEnd = () => done(new SpdyProtocolError('the header compression stream ended'));
    if (z.destroyed || z.writableEnded) {
      onEnd();
      return;
    }
    z.on('data', onData);
    z.once('error', done);
    z.once('end', onEnd);
    z.once('close', onEnd);
    z.write(input);
    z.flush(constants.Z_SYNC_FLUSH, () => done());
  });
}

export class HeaderCompressor {
  #z: Deflate = createDeflate({ dictionary: spdyDictionary, level: constants.Z_BEST_COMPRESSION });
  #tail: Promise<unknown> = Promise.resolve();

  /** The compressed form of a header block, in call order. */
  compress(headers: Record<string, string | string[]> | HeaderMap): Promise<Buffer> {
    return this.compressBlock(encodeHeaderBlock(headers));
  }

  /** The compressed form of an already encoded (uncompressed) name/value block, in call order. */
  compressBlock(block: Buffer): Promise<Buffer> {
    const p = this.#tail.then(() => flushThrough(this.#z, block));
    this.#tail = p.catch(() => {});
    return p;
  }

  close(): void {
    this.#z.destroy();
  }
}

export class HeaderDecompressor {
  #z: Inflate = createInflate({ dictionary: spdyDictionary });
  #tail: Promise<unknown> = Promise.resolve();
  #maxBytes: number;

  /** `maxBytes` bounds the inflated size of each block. */
  constructor(opts: { maxBytes?: number } = {}) {
    this.#maxBytes = opts.maxBytes ?? Infinity;
  }

  /** Inflates one compressed header block, in call order, and parses it. */
  async decompress(compressed: Buffer): Promise<HeaderMap> {
    return decodeHeaderBlock(await this.inflate(compressed));
  }

  /** Inflates one compressed header block, in call order, without parsing it. */
  inflate(compressed: Buffer): Promise<Buffer> {
    const p = this.#tail.then(() => flushThrough(this.#z, compressed, this.#maxBytes));
    this.#tail = p.catch(() => {});
    return p;
  }

  close(): void {
    this.#z.destroy();
  }
}
