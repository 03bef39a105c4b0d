/**
 * Time as the Kubernetes API writes it, from milliseconds since the epoch,
 * always in UTC. Pure.
 */

/** metav1.Time: RFC 3339 at second precision (the fraction is dropped, not rounded), `Z`. */
export function rfc3339(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** Go's RFC3339Nano at the millisecond precision JavaScript has: the fraction with trailing zeros trimmed, none when zero. */
export function rfc3339Nano(ms: number): string {
  return new Date(ms).toISOString().replace(/\.?0+Z$/, 'Z');
}

/** RFC 3339 with milliseconds (three digits), omitted when they are zero. */
export function rfc3339Millis(ms: number): string {
  return new Date(ms).toISOString().replace(/\.000Z$/, 'Z');
}
