import { test } from 'node:test';
import assert from 'node:assert/strict';
import { constants, deflateSync, inflateSync } from 'node:zlib';
import { HeaderCompressor, HeaderDecompressor } from './spdy-header-codec.ts';
import { spdyDictionary } from './spdy-dictionary.ts';
import { encodeHeaderBlock } from './spdy-frames.ts';

test('the SPDY/3 dictionary is the 1423 bytes whose zlib id containerd’s streaming server accepts', async () => {
  assert.equal(spdyDictionary.length, 1423);
  assert.equal(spdyDictionary.subarray(0, 11).toString('latin1'), '\0\0\0\x07options');
  assert.ok(spdyDictionary.toString('latin1').endsWith(',*,enq=0.'));
  // A zlib stream primed with a dictionary names it by its Adler-32 (bytes 2–5).
  const c = new HeaderCompressor();
  const first = await c.compress({ streamtype: 'error' });
  c.close();
  assert.equal(first.readUInt32BE(2).toString(16), 'e3c6a7c2');
});

test('header blocks round-trip in order through one shared compression context', async () => {
  const c = new HeaderCompressor();
  const d = new HeaderDecompressor();
  const blocks: Record<string, string>[] = [
    { streamtype: 'error' },
    { streamtype: 'stdin' },
    { streamtype: 'stdout' },
    { streamtype: 'data', port: '8080', requestid: '0' },
    { streamtype: 'data', port: '8080', requestid: '1' },
  ];
  const compressed = await Promise.all(blocks.map((b) => c.compress(b)));
  // Later blocks reuse earlier ones' history, so they are smaller than standalone ones.
  assert.ok(compressed[4].length < compressed[3].length, `${compressed[4].length} < ${compressed[3].length}`);
  for (const [i, b] of compressed.entries()) {
    // Every block ends with a sync flush marker, so the peer can inflate it at once.
    assert.deepEqual([...b.subarray(-4)], [0, 0, 0xff, 0xff]);
    const h = await d.decompress(b);
    assert.deepEqual(Object.fromEntries([...h].map(([k, v]) => [k, v.join(',')])), blocks[i]);
  }
  c.close();
  d.close();
});

test('the compressed stream is standard zlib: one inflate with the dictionary reads all blocks', async () => {
  const c = new HeaderCompressor();
  const a = await c.compress({ streamtype: 'error' });
  const b = await c.compress({ streamtype: 'resize' });
  c.close();
  const plain = inflateSync(Buffer.concat([a, b]), { dictionary: spdyDictionary, finishFlush: constants.Z_SYNC_FLUSH });
  assert.ok(plain.equals(Buffer.concat([encodeHeaderBlock({ streamtype: 'error' }), encodeHeaderBlock({ streamtype: 'resize' })])));
});

test('HeaderDecompressor rejects a block compressed without the SPDY dictionary', async () => {
  const { deflateSync } = await import('node:zlib');
  const d = new HeaderDecompressor();
  const foreign = deflateSync(encodeHeaderBlock({ a: 'b' }), { dictionary: Buffer.from('not the spdy dictionary'), finishFlush: constants.Z_SYNC_FLUSH });
  await assert.rejects(d.decompress(foreign), /dictionary/i);
  d.close();
});

test('HeaderDecompressor fails a block that inflates past maxBytes (a zlib bomb), and every block after it', async () => {
  const bomb = deflateSync(Buffer.alloc(10_000_000), { dictionary: spdyDictionary, finishFlush: constants.Z_SYNC_FLUSH });
  assert.ok(bomb.length < 16 * 1024);
  const d = new HeaderDecompressor({ maxBytes: 64 * 1024 });
  await assert.rejects(d.inflate(bomb), /header block inflates to more than 65536 bytes/);
  const c = new HeaderCompressor();
  await assert.rejects(d.inflate(await c.compress({ a: 'b' })), /the header compression stream ended/);
  c.close();
  d.close();
});

test('HeaderDecompressor fails the block after one that ended the zlib stream instead of waiting forever', async () => {
  const d = new HeaderDecompressor();
  const finished = deflateSync(encodeHeaderBlock({ a: 'b' }), { dictionary: spdyDictionary });
  assert.ok((await d.inflate(finished)).equals(encodeHeaderBlock({ a: 'b' })));
  await assert.rejects(d.inflate(finished), /the header compression stream ended/);
  d.close();
});

test('HeaderCompressor.compressBlock compresses an encoded block as compress does', async () => {
  const a = new HeaderCompressor();
  const b = new HeaderCompressor();
  assert.ok((await a.compress({ streamtype: 'error' })).equals(await b.compressBlock(encodeHeaderBlock({ streamtype: 'error' }))));
  a.close();
  b.close();
});
