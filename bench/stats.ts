/**
 * Figures for benchmarks: min / median / max of a sample, per-pair ratios of
 * interleaved runs, and their one-line rendering. A figure is never a single
 * run: every printed number comes with its spread.
 */
export interface Spread {
  min: number;
  median: number;
  max: number;
  n: number;
}

export function spread(xs: number[]): Spread {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (s.length === 0) return { min: NaN, median: NaN, max: NaN, n: 0 };
  // The middle value, or the mean of the two middle ones for an even count.
  const mid = s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  return { min: s[0], median: mid, max: s[s.length - 1], n: s.length };
}

/** A against B, pair by pair (a[i] / b[i]); pairs missing either side are skipped. */
export function ratios(a: number[], b: number[]): number[] {
  const out: number[] = [];
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (b[i] > 0 && Number.isFinite(a[i])) out.push(a[i] / b[i]);
  return out;
}

export function fmtMs(s: Spread, digits = 1): string {
  if (s.n === 0) return 'n/a';
  // One unit for the three: seconds once the median reaches 10 s.
  if (s.median >= 10_000) return `${(s.min / 1000).toFixed(2)} / ${(s.median / 1000).toFixed(2)} / ${(s.max / 1000).toFixed(2)} s`;
  return `${s.min.toFixed(digits)} / ${s.median.toFixed(digits)} / ${s.max.toFixed(digits)} ms`;
}

export function fmtRatio(s: Spread): string {
  return s.n === 0 ? 'n/a' : `${s.min.toFixed(2)} / ${s.median.toFixed(2)} / ${s.max.toFixed(2)}×`;
}
