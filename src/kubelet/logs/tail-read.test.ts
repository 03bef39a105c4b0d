import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { open, truncate } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bytesRead } from './bytes-read.ts';
import { findTailLineStart, readAtMostSync } from './tail-read.ts';

const MiB = 1024 * 1024;

function tempDir(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'berth-tail-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A sparse file of `size` bytes that ends with `tail`. */
async function sparseFile(path: string, size: number, tail: string): Promise<void> {
  writeFileSync(path, 'head\n');
  await truncate(path, size - tail.length);
  const fh = await open(path, 'a');
  await fh.write(tail);
  await fh.close();
}

test('readAtMostSync returns the end of a 50 MB file and reads only about that much', async (t) => {
  const path = join(tempDir(t), 'big');
  await sparseFile(path, 50 * MiB, 'the end');
  const before = bytesRead();
  const { data, truncated } = readAtMostSync(path, 4096);
  const readBytes = bytesRead() - before;
  assert.equal(data.length, 4096);
  assert.equal(data.subarray(4089).toString(), 'the end');
  assert.equal(truncated, true);
  assert.ok(readBytes < MiB, `read ${readBytes} bytes`);
});

test('readAtMostSync returns a short file whole and says it was not truncated', (t) => {
  const path = join(tempDir(t), 'small');
  writeFileSync(path, 'done');
  assert.deepEqual(readAtMostSync(path, 4096), { data: Buffer.from('done'), truncated: false });
  writeFileSync(path, '');
  assert.deepEqual(readAtMostSync(path, 4096), { data: Buffer.alloc(0), truncated: false });
});

test('readAtMostSync throws the error of a missing file', (t) => {
  assert.throws(() => readAtMostSync(join(tempDir(t), 'none'), 10), { code: 'ENOENT' });
});

async function tailOf(text: string, n: number, dir: string): Promise<string> {
  const path = join(dir, 'f');
  writeFileSync(path, text);
  const fh = await open(path, 'r');
  try {
    return text.slice(await findTailLineStart(fh, Buffer.byteLength(text), n));
  } finally {
    await fh.close();
  }
}

test('findTailLineStart finds the last n lines as the kubelet counts them', async (t) => {
  const dir = tempDir(t);
  assert.equal(await tailOf('a\nb\nc\n', 1, dir), 'c\n');
  assert.equal(await tailOf('a\nb\nc\n', 2, dir), 'b\nc\n');
  assert.equal(await tailOf('a\nb\nc\n', 3, dir), 'a\nb\nc\n');
  assert.equal(await tailOf('a\nb\nc\n', 9, dir), 'a\nb\nc\n');
  assert.equal(await tailOf('a\nb\nc\n', 0, dir), '');
  assert.equal(await tailOf('a\nb\nc\n', -1, dir), 'a\nb\nc\n');
  // A last line without its newline does not count.
  assert.equal(await tailOf('a\nb\nc', 1, dir), 'b\nc');
  assert.equal(await tailOf('a\nb\nc', 0, dir), 'c');
  assert.equal(await tailOf('', 3, dir), '');
});

test('findTailLineStart counts lines across blocks', async (t) => {
  const line = `${'x'.repeat(999)}\n`;
  const text = line.repeat(300);
  assert.equal(await tailOf(text, 200, tempDir(t)), line.repeat(200));
});

test('findTailLineStart reads only the end of a 50 MB file for a few lines', async (t) => {
  const path = join(tempDir(t), 'big');
  const size = 50 * MiB;
  await sparseFile(path, size, '\none\ntwo\n');
  const fh = await open(path, 'r');
  t.after(() => fh.close());
  const before = bytesRead();
  const start = await findTailLineStart(fh, size, 2);
  const read = bytesRead() - before;
  assert.equal(start, size - 'one\ntwo\n'.length);
  assert.ok(read < MiB, `read ${read} bytes`);
});
