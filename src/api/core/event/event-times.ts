/**
 * An Event's times as kube-apiserver stores them: decoding into metav1.Time
 * and metav1.MicroTime and encoding again writes them in UTC — Time at
 * second precision (RFC 3339, the fraction dropped), MicroTime with exactly
 * six fraction digits (RFC3339Micro). A client that sends an offset or
 * another precision (the Python client sends `+00:00` and microseconds)
 * reads back the canonical form. Values that do not parse stay as they are
 * (decoding has refused those already).
 */
import type { Event } from 'kubernetes-types/core/v1.js';

const rfc3339 = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$/i;

/** Seconds part in UTC and the fraction digits, or undefined. */
function parse(v: unknown): { utc: string; fraction: string } | undefined {
  if (typeof v !== 'string') return undefined;
  const m = rfc3339.exec(v);
  if (!m) return undefined;
  const ms = Date.parse(`${m[1]}${m[3].toUpperCase()}`);
  if (Number.isNaN(ms)) return undefined;
  return { utc: new Date(ms).toISOString().slice(0, 19), fraction: m[2] ?? '' };
}

/** metav1.Time's JSON form of `v`. */
export function canonicalTime(v: unknown): unknown {
  const t = parse(v);
  return t ? `${t.utc}Z` : v;
}

/** metav1.MicroTime's JSON form of `v`. */
export function canonicalMicroTime(v: unknown): unknown {
  const t = parse(v);
  return t ? `${t.utc}.${t.fraction.slice(0, 6).padEnd(6, '0')}Z` : v;
}

/** Rewrites a core/v1 Event's times in place. */
export function canonicalizeEventTimes(event: Event): void {
  const e = event as unknown as Record<string, unknown>;
  for (const f of ['firstTimestamp', 'lastTimestamp']) if (e[f]) e[f] = canonicalTime(e[f]);
  if (e.eventTime) e.eventTime = canonicalMicroTime(e.eventTime);
  const series = e.series as Record<string, unknown> | undefined;
  if (series?.lastObservedTime) series.lastObservedTime = canonicalMicroTime(series.lastObservedTime);
}
