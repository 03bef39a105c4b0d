/**
 * `npm run bench:check`: a quick run (< 3 minutes) of the bench's ratios —
 * never absolute times, which follow the machine — against generous bounds,
 * so a 2× regression is caught while a noisy machine is not: the seed pod
 * ≤ 2.3× the CRI floor, 30 pods at once ≤ 2.6× the parallel floor (medians
 * of interleaved pairs). Exits 1 with the figures when a bound is exceeded.
 * Usage: node bench/check.ts [--pairs 5] [--parallel-pods 30] [--parallel-pairs 2]
 */
import { parseArgs } from 'node:util';
import { runBench } from './run-bench.ts';
import { fmtMs, fmtRatio } from './stats.ts';

export const BOUNDS = { seedRatio: 2.3, parallelRatio: 2.6 };

const { values } = parseArgs({
  options: { pairs: { type: 'string', default: '5' }, 'parallel-pods': { type: 'string', default: '30' }, 'parallel-pairs': { type: 'string', default: '2' } },
});
const t0 = performance.now();
const r = await runBench({
  sections: ['seed', 'parallel'],
  pairs: Number(values.pairs),
  parallelPods: Number(values['parallel-pods']),
  parallelPairs: Number(values['parallel-pairs']),
  playRuns: 0,
  kubectlRuns: 0,
  scalePods: 0,
  watchers: 0,
  idleSeconds: 0,
  log: (s) => console.log(s),
});
const failures: string[] = [];
const check = (what: string, ratio: number, bound: number, detail: string) => {
  const ok = ratio <= bound;
  console.log(`  ${ok ? 'ok  ' : 'FAIL'} ${what}: median ${ratio.toFixed(2)}× (bound ${bound}×; ${detail})`);
  if (!ok) failures.push(`${what} is ${ratio.toFixed(2)}× the floor, above the bound of ${bound}× (${detail})`);
};
console.log(`\nbench:check (${((performance.now() - t0) / 1000).toFixed(0)} s; load average ${r.machine.loadAverageAtStart.map((x) => x.toFixed(2)).join(' ')})`);
check('seed pod, berth / CRI floor', r.seed!.ratio.median, BOUNDS.seedRatio, `per pair ${fmtRatio(r.seed!.ratio)}; floor ${fmtMs(r.seed!.floorMs)}, berth ${fmtMs(r.seed!.berthMs)}`);
check(`${r.parallel!.pods} pods at once, berth / parallel CRI floor`, r.parallel!.ratio.median, BOUNDS.parallelRatio, `per pair ${fmtRatio(r.parallel!.ratio)}; floor ${fmtMs(r.parallel!.floorMs)}, berth ${fmtMs(r.parallel!.berthMs)}`);
if (failures.length) {
  console.error(`\nbench:check failed — a performance regression against the raw CRI floor:\n${failures.map((f) => `  - ${f}`).join('\n')}\nRun \`npm run bench -- --only seed,parallel\` for the phase trace of where the time goes.`);
  process.exit(1);
}
console.log('bench:check passed');
