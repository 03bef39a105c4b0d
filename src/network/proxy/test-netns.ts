/**
 * Test fixture: a small node-and-pods network in network namespaces the test
 * creates, so kernel tests never touch the host's namespace. Addresses come
 * only from berth's pod network (10.244.0.0/16); Service IPs from 10.96.0.0/12.
 *
 *   node namespace:  lo, bridge br0 10.244.0.1/16 (the node's address and the
 *                    pods' gateway), route 10.96.0.0/12 on a veth svc0 whose
 *                    peer sits in an "upstream" namespace with no address,
 *                    where anything that gets there dies (on a host the
 *                    default route plays that part; not br0,
 *                    whose ICMP redirects would use up the per-host ICMP rate
 *                    limit that REJECT's port-unreachable needs), ip_forward=1,
 *                    route_localnet=1 on br0 (what portmap sets on berth0),
 *                    bridge-nf-call-iptables=1;
 *   pod namespaces:  eth0 10.244.0.N/16, default via 10.244.0.1, its veth
 *                    peer on br0 in hairpin mode (CNI bridge hairpinMode).
 *
 * Programs run inside with `ip netns exec`: in each pod a server answering
 * TCP 8080 and UDP 5353 with "<pod> <client address>"; in any namespace a
 * probe agent that makes connections on request (JSON lines on stdin and
 * stdout), so a test measures from inside without spawning per probe.
 * Everything is undone by `cleanup()`: processes killed by pid, namespaces
 * deleted (which deletes their links, addresses and rules).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

const SERVER = `
const net = require('node:net');
const dgram = require('node:dgram');
const name = process.argv[1];
let up = 0;
const ready = () => { if (++up === 2) process.stdout.write('ready\\n'); };
net.createServer((s) => { s.on('error', () => {}); s.end(name + ' ' + s.remoteAddress + '\\n'); }).listen(8080, '0.0.0.0', ready);
const u = dgram.createSocket('udp4');
u.on('message', (m, r) => u.send(name + ' ' + r.address, r.port, r.address));
u.bind(5353, '0.0.0.0', ready);
`;

const AGENT = `
const net = require('node:net');
const dgram = require('node:dgram');
const rl = require('node:readline').createInterface({ input: process.stdin });
const reply = (o) => process.stdout.write(JSON.stringify(o) + '\\n');
rl.on('line', (line) => {
  const q = JSON.parse(line);
  const t0 = performance.now();
  const done = (o) => reply({ id: q.id, ms: performance.now() - t0, ...o });
  if (q.op === 'tcp') {
    let data = '';
    let finished = false;
    const finish = (o) => { if (!finished) { finished = true; s.destroy(); done(o); } };
    const s = net.connect({ host: q.host, port: q.port });
    s.setTimeout(q.timeoutMs);
    s.on('data', (b) => { data += b; });
    s.on('end', () => finish({ ok: true, reply: data.trim() }));
    s.on('timeout', () => finish({ ok: false, code: 'TIMEOUT' }));
    s.on('error', (e) => finish({ ok: false, code: e.code }));
  } else {
    const u = dgram.createSocket('udp4');
    const timer = setTimeout(() => { u.close(); done({ ok: false, code: 'TIMEOUT' }); }, q.timeoutMs);
    u.on('message', (m) => { clearTimeout(timer); u.close(); done({ ok: true, reply: String(m).trim() }); });
    u.on('error', (e) => { clearTimeout(timer); u.close(); done({ ok: false, code: e.code }); });
    u.send('?', q.port, q.host);
  }
});
`;

export interface ProbeResult {
  ok: boolean;
  /** The server's answer: "<pod> <client address as the server saw it>". */
  reply?: string;
  /** The error code: ECONNREFUSED, TIMEOUT, … */
  code?: string;
  ms: number;
}

export class ProbeAgent {
  readonly #child: ChildProcess;
  readonly #waiting = new Map<number, (r: ProbeResult) => void>();
  #seq = 0;

  constructor(child: ChildProcess) {
    this.#child = child;
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const r = JSON.parse(line) as ProbeResult & { id: number };
      this.#waiting.get(r.id)?.(r);
      this.#waiting.delete(r.id);
    });
  }

  probe(proto: 'tcp' | 'udp', host: string, port: number, timeoutMs = 2000): Promise<ProbeResult> {
    const id = ++this.#seq;
    return new Promise((resolve) => {
      this.#waiting.set(id, resolve);
      this.#child.stdin!.write(`${JSON.stringify({ id, op: proto, host, port, timeoutMs })}\n`);
    });
  }
}

export interface Pod {
  name: string;
  netns: string;
  ip: string;
}

export interface NetnsLab {
  node: string;
  nodeIP: string;
  pods: Pod[];
  /** Runs `argv` inside `netns` and returns its stdout. */
  exec(netns: string, argv: string[], input?: string): string;
  /** A probe agent inside `netns`. */
  agent(netns: string): Promise<ProbeAgent>;
  cleanup(): void;
}

/** Why network-namespace tests cannot run here, or undefined when they can. */
export function netnsUnavailable(): string | undefined {
  if (process.getuid?.() !== 0) return 'network namespace tests need root';
  const probe = `berth-probe-${process.pid}`;
  try {
    execFileSync('ip', ['netns', 'add', probe], { stdio: 'pipe' });
    execFileSync('ip', ['netns', 'del', probe], { stdio: 'pipe' });
    return undefined;
  } catch (err) {
    return `"ip netns add" failed: ${(err as Error).message.split('\n')[0]}`;
  }
}

function waitForLine(child: ChildProcess, want: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`start a program in a namespace: no "${want}" within 10 s`)), 10_000);
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (line === want) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => reject(new Error(`start a program in a namespace: it exited with code ${code}`)));
  });
}

/**
 * Creates the node namespace and `podCount` pod namespaces with their
 * servers. The caller registers `cleanup` (t.after) right away; on failure
 * midway, what was made is undone before the error is thrown.
 */
export async function createLab(podCount: number): Promise<NetnsLab> {
  const tag = `bt${process.pid}`;
  const namespaces: string[] = [];
  const children: ChildProcess[] = [];
  const ip = (...args: string[]) => execFileSync('ip', args, { stdio: 'pipe' });
  const exec = (netns: string, argv: string[], input?: string) =>
    execFileSync('ip', ['netns', 'exec', netns, ...argv], { input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
  const cleanup = () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null && c.pid) process.kill(c.pid, 'SIGKILL');
    for (const ns of namespaces.splice(0)) {
      try {
        ip('netns', 'del', ns);
      } catch {
        // already gone
      }
    }
  };
  const start = (netns: string, script: string, args: string[]) => {
    const child = spawn('ip', ['netns', 'exec', netns, process.execPath, '-e', script, ...args], { stdio: ['pipe', 'pipe', 'inherit'] });
    children.push(child);
    return child;
  };
  try {
    const node = `${tag}-node`;
    ip('netns', 'add', node);
    namespaces.push(node);
    ip('-n', node, 'link', 'set', 'lo', 'up');
    ip('-n', node, 'link', 'add', 'br0', 'type', 'bridge');
    ip('-n', node, 'addr', 'add', '10.244.0.1/16', 'dev', 'br0');
    ip('-n', node, 'link', 'set', 'br0', 'up');
    const upstream = `${tag}-up`;
    ip('netns', 'add', upstream);
    namespaces.push(upstream);
    ip('-n', node, 'link', 'add', 'svc0', 'type', 'veth', 'peer', 'name', 'eth0', 'netns', upstream);
    ip('-n', upstream, 'link', 'set', 'eth0', 'up');
    ip('-n', node, 'link', 'set', 'svc0', 'up');
    ip('-n', node, 'route', 'add', '10.96.0.0/12', 'dev', 'svc0');
    exec(node, ['sh', '-c', 'echo 1 > /proc/sys/net/ipv4/ip_forward && echo 1 > /proc/sys/net/ipv4/conf/br0/route_localnet && echo 1 > /proc/sys/net/bridge/bridge-nf-call-iptables']);
    const pods: Pod[] = [];
    for (let i = 1; i <= podCount; i++) {
      const pod: Pod = { name: `pod${i}`, netns: `${tag}-pod${i}`, ip: `10.244.0.${i + 1}` };
      ip('netns', 'add', pod.netns);
      namespaces.push(pod.netns);
      ip('-n', node, 'link', 'add', `veth${i}`, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', pod.netns);
      ip('-n', node, 'link', 'set', `veth${i}`, 'master', 'br0');
      ip('-n', node, 'link', 'set', `veth${i}`, 'type', 'bridge_slave', 'hairpin', 'on');
      ip('-n', node, 'link', 'set', `veth${i}`, 'up');
      ip('-n', pod.netns, 'link', 'set', 'lo', 'up');
      ip('-n', pod.netns, 'addr', 'add', `${pod.ip}/16`, 'dev', 'eth0');
      ip('-n', pod.netns, 'link', 'set', 'eth0', 'up');
      ip('-n', pod.netns, 'route', 'add', 'default', 'via', '10.244.0.1');
      await waitForLine(start(pod.netns, SERVER, [pod.name]), 'ready');
      pods.push(pod);
    }
    return {
      node,
      nodeIP: '10.244.0.1',
      pods,
      exec,
      agent: async (netns) => new ProbeAgent(start(netns, AGENT, [])),
      cleanup,
    };
  } catch (err) {
    cleanup();
    throw err;
  }
}
