/**
 * Reads CRI log records forward from an offset, one chunk per call, so a
 * reader holds one chunk and the line in progress whatever the file's size.
 * Used for `kubectl logs` (also while following a growing file) and for
 * termination messages taken from the log.
 *
 * A line longer than `maxLineBytes` is skipped whole: containerd splits lines
 * at 16 KiB (`max_container_log_line_size`), so only a log file the runtime
 * did not write can hold one, and buffering it would be unbounded.
 */
import type { FileHandle } from 'node:fs/promises';
import { parseLogLine, type LogRecord } from './cri-log.ts';

const chunkBytes = 64 * 1024;
export const maxLineBytes = 1024 * 1024;

export class RecordReader {
  #fh: FileHandle;
  #offset: number;
  #chunk = Buffer.alloc(chunkBytes);
  /** The start of the line in progress (copied out of the chunk). */
  #pending: Buffer[] = [];
  #pendingBytes = 0;
  /** The line in progress outgrew `maxLineBytes`: drop it up to its newline. */
  #overlong = false;

  constructor(fh: FileHandle, offset: number) {
    this.#fh = fh;
    this.#offset = offset;
  }

  /** Where the next read starts. */
  get offset(): number {
    return this.#offset;
  }

  /**
   * Reads the next chunk before `end` and returns the records of the lines it
   * completed (possibly none), or undefined when there is nothing before `end`.
   * A line still without its newline waits for a later call.
   */
  async next(end: number): Promise<LogRecord[] | undefined> {
    if (this.#offset >= end) return undefined;
    const len = Math.min(chunkBytes, end - this.#offset);
    const { bytesRead } = await this.#fh.read(this.#chunk, 0, len, this.#offset);
    if (bytesRead === 0) return undefined;
    this.#offset += bytesRead;
    const buf = this.#chunk.subarray(0, bytesRead);
    const records: LogRecord[] = [];
    let start = 0;
    for (let nl = buf.indexOf(0x0a); nl >= 0; nl = buf.indexOf(0x0a, start)) {
      if (!this.#overlong) {
        const line = this.#pendingBytes ? Buffer.concat([...this.#pending, buf.subarray(start, nl)]) : buf.subarray(start, nl);
        const r = parseLogLine(line.toString('utf8'));
        if (r) records.push(r);
      }
      this.#pending = [];
      this.#pendingBytes = 0;
      this.#overlong = false;
      start = nl + 1;
    }
    const rest = buf.subarray(start);
    if (rest.length && !this.#overlong) {
      if (this.#pendingBytes + rest.length > maxLineBytes) {
        this.#pending = [];
        this.#pendingBytes = 0;
        this.#overlong = true;
      } else {
        this.#pending.push(Buffer.from(rest));
        this.#pendingBytes += rest.length;
      }
    }
    return records;
  }
}
