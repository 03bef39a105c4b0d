/**
 * Elapsed-time strings exactly as apimachinery's `duration.HumanDuration` and
 * the printers' `translateTimestampSince` render them. kubectl prints these
 * cells verbatim (AGE, LAST SEEN, `RESTARTS 4 (20s ago)`), so every boundary
 * below matches the Go code.
 */

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/**
 * `duration.HumanDuration(d)` for `d` in milliseconds. Go truncates towards
 * zero at every step (`int(d.Seconds())`, `int(d / time.Minute)`), and so do we.
 */
export function humanDuration(ms: number): string {
  const seconds = Math.trunc(ms / SECOND);
  // Up to 2 s into the future (exclusive) is tolerated as clock skew.
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 60 * 2) return `${seconds}s`;
  const minutes = Math.trunc(ms / MINUTE);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 60 * 3) return `${minutes}m`;
  const hours = Math.trunc(ms / HOUR);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) {
    const h = hours % 24;
    const days = Math.trunc(hours / 24);
    return h === 0 ? `${days}d` : `${days}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${Math.trunc(hours / 24)}d`;
  const years = Math.trunc(hours / 24 / 365);
  if (hours < 24 * 365 * 8) {
    const dy = Math.trunc(hours / 24) % 365;
    return dy === 0 ? `${years}y` : `${years}y${dy}d`;
  }
  return `${years}y`;
}

/** Go's zero `time.Time` (`0001-01-01T00:00:00Z`), which some clients send instead of null. */
const GO_ZERO_TIME = Date.parse('0001-01-01T00:00:00Z');

/**
 * Milliseconds since the epoch for an RFC 3339 timestamp, or `undefined` for a
 * missing, unparsable or zero time (Go's `Time.IsZero()`).
 */
export function parseTimestamp(ts: unknown): number | undefined {
  if (typeof ts !== 'string' || ts === '') return undefined;
  const ms = Date.parse(ts);
  if (Number.isNaN(ms) || ms <= GO_ZERO_TIME) return undefined;
  return ms;
}

/** `translateTimestampSince`: `<unknown>` for a zero time, else the age at `now`. */
export function translateTimestampSince(ts: unknown, now: number): string {
  const ms = parseTimestamp(ts);
  if (ms === undefined) return '<unknown>';
  return humanDuration(now - ms);
}
