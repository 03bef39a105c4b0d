/**
 * The CRI container log format: one record per line,
 * `<RFC3339Nano timestamp> <stdout|stderr> <P|F> <content>`. `P` records are
 * parts of a longer line, `F` ends one. Pure parsing plus small file helpers.
 */
import { readFileSync } from 'node:fs';

export interface LogRecord {
  /** The record's RFC 3339 timestamp text, as written by the runtime. */
  time: string;
  /** Milliseconds since the epoch. */
  ms: number;
  stream: 'stdout' | 'stderr';
  /** True for `F`: the content ends a line. */
  full: boolean;
  content: string;
}

export function parseLogLine(line: string): LogRecord | undefined {
  const a = line.indexOf(' ');
  if (a < 0) return undefined;
  const b = line.indexOf(' ', a + 1);
  if (b < 0) return undefined;
  const stream = line.slice(a + 1, b);
  if (stream !== 'stdout' && stream !== 'stderr') return undefined;
  const c = line.indexOf(' ', b + 1);
  const tag = c < 0 ? line.slice(b + 1) : line.slice(b + 1, c);
  const time = line.slice(0, a);
  const ms = Date.parse(time);
  if (Number.isNaN(ms)) return undefined;
  return { time, ms, stream, full: !tag.startsWith('P'), content: c < 0 ? '' : line.slice(c + 1) };
}

/** Parses every complete line of a log text; a trailing partial line is left out. */
export function parseLog(text: string): LogRecord[] {
  const out: LogRecord[] = [];
  let start = 0;
  for (;;) {
    const nl = text.indexOf('\n', start);
    if (nl < 0) break;
    const r = parseLogLine(text.slice(start, nl));
    if (r) out.push(r);
    start = nl + 1;
  }
  return out;
}

/** The records that make up the last `n` lines (a line may span several `P` records). */
export function tailRecords(records: LogRecord[], n: number): LogRecord[] {
  if (n <= 0) return [];
  let lines = 0;
  let i = records.length - 1;
  for (; i >= 0; i--) {
    if (records[i].full) {
      lines++;
      if (lines > n) break;
    }
  }
  return records.slice(i + 1);
}

/** How `kubectl logs` shows a record. */
export function formatRecord(r: LogRecord, timestamps: boolean): string {
  return (timestamps ? `${r.time} ` : '') + r.content + (r.full ? '\n' : '');
}

/** The last lines of a log file's content, at most `maxBytes` (for termination messages). */
export function logTail(path: string, lines: number, maxBytes: number): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return '';
  }
  const out = tailRecords(parseLog(text), lines)
    .map((r) => formatRecord(r, false))
    .join('');
  const buf = Buffer.from(out);
  return buf.length > maxBytes ? buf.subarray(buf.length - maxBytes).toString('utf8') : out;
}
