/**
 * `npm run bench`: berth against the raw CRI floor and as a user meets it
 * (run-bench.ts has the method). Prints every figure as min / median / max,
 * ratios per interleaved pair, each with its target from issue 13 and
 * docs/design.md; `--json` prints one JSON object with every figure instead.
 * It asserts nothing (`npm run bench:check` does, on ratios).
 * Usage: node bench/bench.ts [--only seed,parallel,play,kubectl,scale,podman]
 *   [--pairs 9] [--parallel-pods 100] [--parallel-pairs 3] [--play-runs 5]
 *   [--kubectl-runs 3] [--scale-pods 110] [--watchers 100] [--idle-seconds 90] [--json] [--json-file FILE]
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DEFAULT_SECTIONS, runBench, SECTIONS, type BenchResult, type Section } from './run-bench.ts';
import { fmtMs, fmtRatio, type Spread } from './stats.ts';

const { values } = parseArgs({
  options: {
    only: { type: 'string' },
    pairs: { type: 'string', default: '9' },
    'parallel-pods': { type: 'string', default: '100' },
    'parallel-pairs': { type: 'string', default: '3' },
    'play-runs': { type: 'string', default: '5' },
    'kubectl-runs': { type: 'string', default: '3' },
    'scale-pods': { type: 'string', default: '110' },
    watchers: { type: 'string', default: '100' },
    'idle-seconds': { type: 'string', default: '90' },
    json: { type: 'boolean' },
    'json-file': { type: 'string' },
  },
});
const sections = values.only ? (values.only.split(',').map((s) => s.trim()) as Section[]) : DEFAULT_SECTIONS;
for (const s of sections) if (!SECTIONS.includes(s)) throw new Error(`unknown section ${s}; known: ${SECTIONS.join(', ')}`);
const log = (s: string) => {
  if (!values.json) console.log(s);
};

log(`berth benchmarks (${sections.join(', ')}), ${new Date().toISOString()}`);
const r = await runBench({
  sections,
  pairs: Number(values.pairs),
  parallelPods: Number(values['parallel-pods']),
  parallelPairs: Number(values['parallel-pairs']),
  playRuns: Number(values['play-runs']),
  kubectlRuns: Number(values['kubectl-runs']),
  scalePods: Number(values['scale-pods']),
  watchers: Number(values.watchers),
  idleSeconds: Number(values['idle-seconds']),
  log,
});
if (values['json-file']) writeFileSync(values['json-file'], `${JSON.stringify(r, null, 2)}\n`);
if (values.json) console.log(JSON.stringify(r, null, 2));
else printReport(r);

function printReport(r: BenchResult): void {
  const rows: [string, string, string, string][] = [];
  const row = (metric: string, value: string, target = '', ok?: boolean) => rows.push([metric, value, target, ok === undefined ? '' : ok ? 'ok' : 'MISSED']);
  const med = (s: Spread | undefined) => s?.median ?? NaN;
  if (r.seed) {
    const s = r.seed;
    console.log(`\nwhere the seed pod's time goes (ms, min / median / max over ${s.berthMs.n} pairs; containerd's event times)`);
    const w = Math.max(...Object.keys(s.trace).map((k) => k.length));
    console.log(`  ${'phase'.padEnd(w)}  ${'CRI floor'.padEnd(24)}  ${'berth'.padEnd(24)}  berth − floor (per pair)`);
    for (const [k, v] of Object.entries(s.trace)) console.log(`  ${k.padEnd(w)}  ${fmtMs(v.floorMs).padEnd(24)}  ${fmtMs(v.berthMs).padEnd(24)}  ${fmtMs(v.berthMinusFloorMs)}`);
    for (const [k, v] of Object.entries(s.statusVisible)) console.log(`  ${k}: ${fmtMs(v)}`);
    console.log(`  API write → watch delivered (a ConfigMap patch): ${fmtMs(s.writeToWatchMs)}`);
    row('seed pod, CRI floor', fmtMs(s.floorMs));
    row('seed pod, berth: API create → Running seen by a watch', fmtMs(s.berthMs));
    row('seed pod, berth / floor per pair', fmtRatio(s.ratio), '≤ 1.15×', med(s.ratio) <= 1.15);
    row('init step (exit → next start): floor', fmtMs(s.initStep.floorMs));
    row('init step (exit → next start): berth', fmtMs(s.initStep.berthMs));
    row("berth's own time per init step (berth − floor, per pair)", fmtMs(s.initStep.berthOwnMs), '≤ 20 ms', med(s.initStep.berthOwnMs) <= 20);
  }
  if (r.parallel) {
    const p = r.parallel;
    row(`${p.pods} pods at once, raw CRI floor`, fmtMs(p.floorMs));
    row(`${p.pods} pods at once, berth: all Running`, fmtMs(p.berthMs), '≤ 20 s', med(p.berthMs) <= 20_000);
    row(`${p.pods} pods at once, berth / floor per pair`, fmtRatio(p.ratio), '≤ 1.3×', med(p.ratio) <= 1.3);
    row(`${p.pods} pods over raw CRI, at most ${p.boundedInFlight} in flight (berth's start slots)`, fmtMs(p.boundedFloorMs));
    row(`${p.pods} pods at once, berth / that bounded floor`, fmtRatio(p.berthOverBoundedRatio));
  }
  if (r.play) {
    for (const [label, p] of Object.entries(r.play)) {
      row(`berth play ${label}: start / apply / outcome / teardown (medians)`, `${[p.startMs, p.applyMs, p.outcomeMs, p.teardownMs].map((x) => x.median.toFixed(0)).join(' / ')} ms`);
      row(`berth play ${label}: command → exit`, fmtMs(p.totalMs), '< 3 s', med(p.totalMs) < 3000);
    }
  }
  if (r.kubectl) {
    if (r.kubectl.direct) row(`kubectl apply → Running, ${r.kubectl.direct.binary}`, fmtMs(r.kubectl.direct.ms));
    if (r.kubectl.dispatcher) row(`kubectl apply → Running, ${r.kubectl.dispatcher.binary} (dispatcher)`, fmtMs(r.kubectl.dispatcher.ms));
  }
  if (r.scale) {
    const s = r.scale;
    row(`${s.pods} running pods: berth's RSS`, `${s.rssMiB.toFixed(0)} MiB (${(s.rssMiB * 1.048576).toFixed(0)} MB)`, '≤ 200 MB', s.rssMiB * 1.048576 <= 200);
    row(`${s.pods} running pods: berth's CPU idle over ${s.idleSeconds} s (after a 20 s settle)`, `${s.idleCpuPercent.toFixed(2)} % of a core`, '< 1 %', s.idleCpuPercent < 1);
    row(`API list of ${s.pods} pods`, fmtMs(s.listMs), '≤ 50 ms', med(s.listMs) <= 50);
    row(`kubectl get pods over ${s.pods} pods (kubectl start-up included)`, fmtMs(s.kubectlGetMs));
    row(`one watch event → the last of ${s.watchers} watchers`, fmtMs(s.fanoutMs), '≤ 50 ms', med(s.fanoutMs) <= 50);
  }
  if (r.podman) {
    if (r.podman.skipped) row('podman kube play', `skipped: ${r.podman.skipped}`);
    else {
      row('podman kube play, seed pod', fmtMs(r.podman.totalMs!));
      row('podman kube play, same pod without init containers', fmtMs(r.podman.withoutInitMs!));
    }
  }
  for (const [section, why] of Object.entries(r.errors ?? {})) row(`section ${section} did not finish`, why.split('\n')[0].slice(0, 120));
  const la = (x: number[] | undefined) => (x ?? []).map((n) => n.toFixed(2)).join(' ');
  console.log(`\nsummary (min / median / max; a target is judged on the median; load average ${la(r.machine.loadAverageAtStart)} at start, ${la(r.machine.loadAverageAtEnd)} at end, ${r.machine.cpus} cores)`);
  const w = [0, 1, 2].map((i) => Math.max(...rows.map((x) => x[i].length)));
  for (const x of rows) console.log(`  ${x[0].padEnd(w[0])}  ${x[1].padEnd(w[1])}  ${x[2].padEnd(w[2])}  ${x[3]}`);
}
