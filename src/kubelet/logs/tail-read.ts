/**
 * Bounded reads from the end of files a pod controls (termination message
 * files, container logs), ports of the kubelet's `pkg/util/tail`. Nothing here
 * reads a whole file: memory is one block, whatever the file's size.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';

/** Bytes read per step when scanning backwards (the kubelet reads 1 KiB steps). */
const blockBytes = 64 * 1024;

/**
 * `tail.ReadAtMost`: the last `max` bytes of the file at `path`, and whether
 * the file was longer. Throws the open/stat/read error, which always names
 * the path (as Go's `*PathError` does). Synchronous: it serves small bounds
 * (a termination message's 4 KiB) on files berth created, where three round
 * trips through libuv's pool (open, stat, close) cost more than the reads,
 * on a pod's path from one init container to the next.
 */
export function readAtMostSync(path: string, max: number): { data: Buffer; truncated: boolean } {
  const fd = openSync(path, 'r');
  try {
    const { size } = fstatSync(fd);
    const n = Math.min(size, max);
    const data = Buffer.alloc(n);
    let got = 0;
    while (got < n) {
      const bytesRead = readSync(fd, data, got, n - got, size - n + got);
      if (bytesRead === 0) break;
      got += bytesRead;
    }
    return { data: data.subarray(0, got), truncated: size > n };
  } catch (err) {
    (err as NodeJS.ErrnoException).path ??= path;
    throw err;
  } finally {
    closeSync(fd);
  }
}

/**
 * `tail.FindTailLineStartIndex`: the offset where the last `n` lines of the
 * first `size` bytes begin (0 when there are fewer, or `n` < 0). A last line
 * without its newline is not counted, so it comes on top of the `n`. Reads
 * backwards one block at a time and stops as soon as it has `n` + 1
 * newlines, so the cost follows the lines asked for, not the file.
 */
export async function findTailLineStart(fh: FileHandle, size: number, n: number): Promise<number> {
  if (n < 0) return 0;
  const buf = Buffer.alloc(Math.min(blockBytes, size));
  let seen = 0;
  for (let right = size; right > 0; ) {
    const left = Math.max(0, right - buf.length);
    const len = right - left;
    let got = 0;
    while (got < len) {
      const { bytesRead } = await fh.read(buf, got, len - got, left + got);
      if (bytesRead === 0) return 0;
      got += bytesRead;
    }
    for (let i = len - 1; i >= 0; i--) {
      if (buf[i] !== 0x0a) continue;
      seen++;
      // The (n+1)-th newline from the end closes the line before the n lines wanted.
      if (seen > n) return left + i + 1;
    }
    right = left;
  }
  return 0;
}
