/**
 * Waiting for the machine to be quiet before a section: a section that
 * starts while the previous one's pods are still being torn down (or the
 * previous bench run's) measures that work too. Quiet means the CPUs were
 * at least `idlePercent` idle over each of `windows` consecutive windows of
 * `windowMs` (from /proc/stat); gives up after `maxMs` and says so.
 */
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

function cpuTimes(): { idle: number; total: number } {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal: idle and iowait are idle time.
  return { idle: fields[3] + (fields[4] ?? 0), total: fields.slice(0, 8).reduce((a, b) => a + b, 0) };
}

export async function waitForQuiet(opts: { idlePercent?: number; windowMs?: number; windows?: number; maxMs?: number } = {}): Promise<{ waitedMs: number; quiet: boolean }> {
  const { idlePercent = 90, windowMs = 1000, windows = 2, maxMs = 90_000 } = opts;
  const t0 = performance.now();
  let calm = 0;
  let before = cpuTimes();
  while (performance.now() - t0 < maxMs) {
    await sleep(windowMs);
    const now = cpuTimes();
    const total = now.total - before.total;
    const idle = total > 0 ? (100 * (now.idle - before.idle)) / total : 100;
    before = now;
    calm = idle >= idlePercent ? calm + 1 : 0;
    if (calm >= windows) return { waitedMs: performance.now() - t0, quiet: true };
  }
  return { waitedMs: performance.now() - t0, quiet: false };
}
