/**
 * The end of a container's log as text, for termination messages with
 * `FallbackToLogsOnError` (the kubelet's `readLastStringFromContainerLogs`:
 * `ReadLogs` with `tailLines` into a circular buffer). Reads only the last
 * `lines` lines of the file, a chunk at a time, and keeps only the last
 * `maxBytes` of their text.
 */
import { open } from 'node:fs/promises';
import { goQuote } from '../../api/api.ts';
import { goPathError } from '../volumes/go-path-error.ts';
import { formatRecord } from './cri-log.ts';
import { RecordReader } from './record-reader.ts';
import { findTailLineStart } from './tail-read.ts';

/** Rejects with the kubelet's `ReadLogs` error text when the log cannot be read. */
export async function lastLogText(path: string, lines: number, maxBytes: number): Promise<string> {
  const fh = await open(path, 'r').catch((err: NodeJS.ErrnoException) => {
    // ReadLogs resolves symlinks first, so a missing file fails there.
    if (err.code === 'ENOENT') throw new Error(`failed to try resolving symlinks in path ${goQuote(path)}: lstat ${path}: no such file or directory`);
    throw new Error(`failed to open log file ${goQuote(path)}: ${goPathError(err)}`);
  });
  try {
    const { size } = await fh.stat();
    const reader = new RecordReader(fh, await findTailLineStart(fh, size, lines));
    let kept = Buffer.alloc(0);
    for (let records = await reader.next(size); records; records = await reader.next(size)) {
      for (const r of records) {
        kept = Buffer.concat([kept, Buffer.from(formatRecord(r, false))]);
        if (kept.length > maxBytes) kept = kept.subarray(kept.length - maxBytes);
      }
    }
    return kept.toString('utf8');
  } finally {
    await fh.close();
  }
}
