/**
 * Cluster DNS latency (target from docs/design.md: p50 ≤ 1 ms, p99 ≤ 5 ms at
 * 1,000 queries/s). The server runs in a child process (as it runs inside
 * `berth serve`, apart from its clients) on 127.0.0.1 with a view of ~100
 * services (80 ClusterIP services with two ports, 20 headless ones with
 * three endpoints each, in 5 namespaces) and no upstreams: every question
 * is a cluster name. The client sends A and SRV questions for interleaved
 * names over UDP at a steady rate and prints p50/p99/max latency and loss
 * per run, then min/median/max over the runs.
 *
 * Prints numbers and exits 0; it asserts nothing.
 * Usage: node bench/dns-bench.ts [--rate 1000] [--seconds 5] [--runs 3]
 */
import { spawn } from 'node:child_process';
import dgram from 'node:dgram';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import dnsPacket from 'dns-packet';
import { ClusterIndex, createClusterDns, dnsEndpointSlice, dnsService, serviceNameLabel } from '../src/network/dns/dns.ts';

const { values } = parseArgs({
  options: {
    rate: { type: 'string', default: '1000' },
    seconds: { type: 'string', default: '5' },
    runs: { type: 'string', default: '3' },
    serve: { type: 'boolean' },
  },
});

const namespaces = ['default', 'web', 'data', 'ops', 'batch'];

/** The benchmark's cluster: 80 ClusterIP services and 20 headless ones, spread over 5 namespaces. */
function benchView(): ClusterIndex {
  const view = new ClusterIndex();
  for (const ns of namespaces) view.setNamespace(ns);
  for (let i = 0; i < 100; i++) {
    const namespace = namespaces[i % namespaces.length]!;
    const name = `svc-${i}`;
    const headless = i % 5 === 4;
    const ports = [
      { name: 'http', port: 80, protocol: 'TCP' as const },
      { name: 'metrics', port: 9090, protocol: 'TCP' as const },
    ];
    view.setService(dnsService({ metadata: { namespace, name }, spec: { clusterIP: headless ? 'None' : `10.96.${1 + (i >> 8)}.${i & 0xff}`, ports } }));
    view.setEndpointSlice(
      dnsEndpointSlice({
        metadata: { namespace, name: `${name}-abc`, labels: { [serviceNameLabel]: name } },
        addressType: 'IPv4',
        ports: ports.map((p) => ({ ...p, port: p.port + 8000 })),
        endpoints: [0, 1, 2].map((e) => ({ addresses: [`10.244.${i}.${e + 10}`], hostname: `${name}-${e}`, conditions: { ready: true } })),
      }),
    );
  }
  view.markSynced();
  return view;
}

/** The child: serve the benchmark's view, print the port, run until stdin closes. */
async function serve(): Promise<void> {
  const dns = createClusterDns({ view: benchView(), address: '127.0.0.1', port: 0, upstreams: [] });
  const { port } = await dns.start();
  process.stdout.write(`${port}\n`);
  process.stdin.resume();
  process.stdin.on('end', () => void dns.stop().then(() => process.exit(0)));
}

/** Questions cycling through the services, A and SRV interleaved. */
function questions(): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < 100; i++) {
    const ns = namespaces[i % namespaces.length]!;
    out.push(dnsPacket.encode({ type: 'query', id: 0, flags: dnsPacket.RECURSION_DESIRED, questions: [{ name: `svc-${i}.${ns}.svc.cluster.local`, type: 'A' }] }));
    out.push(dnsPacket.encode({ type: 'query', id: 0, flags: dnsPacket.RECURSION_DESIRED, questions: [{ name: `_http._tcp.svc-${(i * 37) % 100}.${namespaces[((i * 37) % 100) % namespaces.length]}.svc.cluster.local`, type: 'SRV' }] }));
  }
  return out;
}

interface RunResult {
  sent: number;
  lost: number;
  p50: number;
  p99: number;
  max: number;
}

/** Sends `rate` questions a second for `seconds`, each as soon as its slot comes, and times every reply. */
async function run(port: number, rate: number, seconds: number, warmup: boolean): Promise<RunResult> {
  const socket = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => socket.connect(port, '127.0.0.1', resolve));
  const pool = questions();
  const sentAt = new Map<number, number>();
  const latencies: number[] = [];
  socket.on('message', (msg) => {
    const at = sentAt.get(msg.readUInt16BE(0));
    if (at === undefined) return;
    latencies.push(performance.now() - at);
    sentAt.delete(msg.readUInt16BE(0));
  });

  const total = Math.round(rate * seconds);
  const interval = 1000 / rate;
  const start = performance.now();
  let sent = 0;
  while (sent < total) {
    const due = Math.min(total, Math.floor((performance.now() - start) / interval) + 1);
    for (; sent < due; sent++) {
      const id = sent % 65536;
      const query = Buffer.from(pool[sent % pool.length]!);
      query.writeUInt16BE(id, 0);
      sentAt.set(id, performance.now());
      socket.send(query);
    }
    await sleep(Math.max(0, start + sent * interval - performance.now()));
  }
  await sleep(1000); // Replies still on their way count; later ones are lost.
  socket.close();
  const sorted = latencies.sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
  if (warmup) return { sent, lost: 0, p50: 0, p99: 0, max: 0 };
  return { sent, lost: sent - latencies.length, p50: at(0.5), p99: at(0.99), max: sorted.at(-1) ?? NaN };
}

async function main(): Promise<void> {
  const rate = Number(values.rate);
  const seconds = Number(values.seconds);
  const runs = Number(values.runs);
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), '--serve'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout.once('data', (chunk: Buffer) => resolve(Number(chunk.toString().trim())));
    child.once('exit', (code) => reject(new Error(`the DNS server exited with ${code}`)));
  });
  try {
    await run(port, rate, 1, true);
    const results: RunResult[] = [];
    const ms = (x: number) => `${x.toFixed(3)} ms`;
    for (let i = 0; i < runs; i++) {
      const r = await run(port, rate, seconds, false);
      results.push(r);
      console.log(`run ${i + 1}: ${r.sent} queries at ${rate}/s over ${seconds} s — p50 ${ms(r.p50)}, p99 ${ms(r.p99)}, max ${ms(r.max)}, lost ${r.lost}`);
    }
    const summary = (pick: (r: RunResult) => number) => {
      const xs = results.map(pick).sort((a, b) => a - b);
      return `min ${ms(xs[0]!)} / median ${ms(xs[Math.floor((xs.length - 1) / 2)]!)} / max ${ms(xs.at(-1)!)}`;
    };
    console.log(`p50: ${summary((r) => r.p50)}   (target ≤ 1 ms)`);
    console.log(`p99: ${summary((r) => r.p99)}   (target ≤ 5 ms)`);
    console.log(`max: ${summary((r) => r.max)}`);
    console.log(`lost: ${results.map((r) => r.lost).join(', ')} of ${results.map((r) => r.sent).join(', ')}`);
  } finally {
    child.stdin.end();
    await new Promise((resolve) => child.once('exit', resolve));
  }
}

if (values.serve) await serve();
else await main();
