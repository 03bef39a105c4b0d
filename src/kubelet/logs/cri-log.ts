/**
 * The CRI container log format: one record per line,
 * `<RFC3339Nano timestamp> <stdout|stderr> <P|F> <content>`. `P` records are
 * parts of a longer line, `F` ends one. Pure parsing; reading files is
 * record-reader.ts's.
 */

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

/** How `kubectl logs` shows a record. */
export function formatRecord(r: LogRecord, timestamps: boolean): string {
  return (timestamps ? `${r.time} ` : '') + r.content + (r.full ? '\n' : '');
}
