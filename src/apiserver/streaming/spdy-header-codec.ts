/**
 * SPDY/3 header compression. Each direction of a connection is ONE zlib
 * stream primed with the SPDY dictionary; every header block is written into
 * it and ended with a sync flush, so the peer can inflate each block as it
 * arrives while the history carries over to the next block. Blocks must
 * therefore be compressed and decompressed strictly in wire order: both
 * classes serialize their calls internally.
 */
import { constants, createDeflate, createInflate, type Deflate, type Inflate } from 'node:zlib';
import { decodeHeaderBlock, encodeHeaderBlock, type HeaderMap } from './spdy-frames.ts';
import { spdyDictionary } from './spdy-dictionary.ts';

/** Pushes `input` through a zlib stream with a sync flush and collects what comes out. */
function flushThrough(z: Deflate | Inflate, input: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const out: Buffer[] = [];
    const onData = (d: Buffer) => out.push(d);
    const onError = (err: Error) => {
      z.off('data', onData);
      reject(err);
    };
    z.on('data', onData);
    z.once('error', onError);
    z.write(input);
    z.flush(constants.Z_SYNC_FLUSH, () => {
      z.off('data', onData);
      z.off('error', onError);
      resolve(Buffer.concat(out));
    });
  });
}

export class HeaderCompressor {
  #z: Deflate = createDeflate({ dictionary: spdyDictionary, level: constants.Z_BEST_COMPRESSION });
  #tail: Promise<unknown> = Promise.resolve();

  /** The compressed form of a header block, in call order. */
  compress(headers: Record<string, string | string[]> | HeaderMap): Promise<Buffer> {
    const block = encodeHeaderBlock(headers);
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

  /** Inflates one compressed header block, in call order, and parses it. */
  decompress(compressed: Buffer): Promise<HeaderMap> {
    const p = this.#tail.then(async () => decodeHeaderBlock(await flushThrough(this.#z, compressed)));
    this.#tail = p.catch(() => {});
    return p;
  }

  close(): void {
    this.#z.destroy();
  }
}
