/**
 * Durations as Go prints them, the form the kubelet's messages carry
 * (`back-off 5m0s restarting failed container`, `Successfully pulled image
 * … in 1.2s`).
 */

/** Go's `time.Duration.String()` for whole-second and millisecond durations. */
export function goDuration(ms: number): string {
  if (ms === 0) return '0s';
  if (ms < 1000) return `${ms}ms`;
  const totalSeconds = ms / 1000;
  const h = Math.floor(totalSeconds / 3600);
  const m = Math.floor((totalSeconds % 3600) / 60);
  const s = totalSeconds - h * 3600 - m * 60;
  const sText = Number.isInteger(s) ? `${s}s` : `${Number(s.toFixed(9))}s`;
  if (h > 0) return `${h}h${m}m${sText}`;
  if (m > 0) return `${m}m${sText}`;
  return sText;
}
