/**
 * End-to-end harness: runs the real `berth serve` as a child process on a
 * temporary data directory and a free port, and drives it with the real
 * kubectl. Every node started here is torn down by the test's `after` hook:
 * pods deleted, berth stopped, no containerd or shim left, data dir removed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { request } from 'node:https';
import { parse as parseYaml } from 'yaml';
import { containerdSocketPath } from '../../src/containerd/socket-path.ts';
import { createCriClient } from '../../src/cri/cri.ts';
import { LocalNode } from '../../src/cli/local-node.ts';
import { tearDownNode } from '../../src/cli/node-teardown.ts';

export const repoRoot = resolve(import.meta.dirname, '..', '..');
export const nodeBin = process.execPath;
export const kubectlBin = process.env.BERTH_KUBECTL ?? '/usr/bin/kubectl';

// Cluster DNS of every node (and berth play) the tests start forwards other
// names to a closed port on 127.0.0.1, never to the host's resolvers: tests
// send no traffic off this machine, and a forward fails at once.
process.env.BERTH_DNS_UPSTREAMS ??= '127.0.0.1:9';

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

interface TestContext {
  after(fn: () => Promise<void> | void): void;
}

export function run(cmd: string, args: string[], opts: { env?: NodeJS.ProcessEnv; input?: string; timeoutMs?: number } = {}): Promise<RunResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(cmd, args, { env: { ...process.env, ...opts.env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolvePromise({ code: code ?? (signal ? 128 : 1), stdout, stderr });
    });
    // A command may exit without reading its input: that is not a test failure.
    child.stdin.on('error', () => {});
    child.stdin.end(opts.input ?? '');
  });
}

/** A line-collecting child (e.g. `kubectl get pods -w`). */
export class Watcher {
  readonly lines: string[] = [];
  #child: ChildProcess;
  #closed: Promise<void>;

  constructor(cmd: string, args: string[], env: NodeJS.ProcessEnv) {
    this.#child = spawn(cmd, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    createInterface({ input: this.#child.stdout! }).on('line', (l) => this.lines.push(l));
    createInterface({ input: this.#child.stderr! }).on('line', (l) => this.lines.push(`stderr: ${l}`));
    this.#closed = new Promise((r) => this.#child.on('close', () => r()));
  }

  /** Waits until a line matches, or fails after `timeoutMs`. */
  async waitFor(re: RegExp, timeoutMs = 30_000): Promise<string> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const hit = this.lines.find((l) => re.test(l));
      if (hit) return hit;
      if (Date.now() > end) throw new Error(`no line matched ${re} within ${timeoutMs} ms; got:\n${this.lines.join('\n')}`);
      await sleep(50);
    }
  }

  async stop(): Promise<void> {
    if (this.#child.exitCode === null && this.#child.signalCode === null) this.#child.kill('SIGTERM');
    await this.#closed;
  }
}

export class BerthNode {
  readonly dataDir: string;
  #child: ChildProcess | undefined;
  #exited: Promise<number> | undefined;
  readonly output: string[] = [];
  #watchers: Watcher[] = [];

  readonly #env: NodeJS.ProcessEnv;

  private constructor(dataDir: string, env: NodeJS.ProcessEnv = {}) {
    this.dataDir = dataDir;
    this.#env = env;
  }

  /**
   * Starts a node; teardown is registered on `t`. With `serviceNetwork` the
   * node waits for the machine's service-network lease (another test's node
   * may hold it), so its Services are routed and its pods get cluster DNS.
   */
  static async start(t: TestContext, opts: { dataDir?: string; serviceNetwork?: boolean } = {}): Promise<BerthNode> {
    const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'berth-e2e-'));
    const node = new BerthNode(dataDir, opts.serviceNetwork ? { BERTH_SERVICE_NETWORK_WAIT_MS: '240000' } : {});
    if (!opts.dataDir) t.after(() => node.destroy());
    await node.serve();
    return node;
  }

  get kubeconfig(): string {
    return join(this.dataDir, 'kubeconfig');
  }

  get env(): NodeJS.ProcessEnv {
    return { KUBECONFIG: this.kubeconfig };
  }

  /** Runs `berth serve` and waits for its ready line. */
  async serve(): Promise<void> {
    const child = spawn(nodeBin, [join(repoRoot, 'src/cli/berth.js'), 'serve', '--data-dir', this.dataDir, '--port', '0'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...this.#env },
    });
    this.#child = child;
    this.#exited = new Promise((r) => child.on('close', (code, sig) => r(code ?? (sig ? 128 : 1))));
    createInterface({ input: child.stderr! }).on('line', (l) => this.output.push(l));
    const ready = new Promise<void>((resolvePromise, reject) => {
      createInterface({ input: child.stdout! }).on('line', (l) => {
        this.output.push(l);
        if (l.startsWith('berth is ready')) resolvePromise();
      });
      child.on('close', (code) => reject(new Error(`berth serve exited with ${code} before it was ready:\n${this.output.join('\n')}`)));
    });
    const ac = new AbortController();
    const readyWithinMs = this.#env.BERTH_SERVICE_NETWORK_WAIT_MS ? 300_000 : 30_000;
    const timeout = sleep(readyWithinMs, undefined, { signal: ac.signal }).then(() => {
      throw new Error(`berth serve was not ready within ${readyWithinMs / 1000} s:\n${this.output.join('\n')}`);
    });
    try {
      await Promise.race([ready, timeout]);
    } finally {
      ac.abort();
      timeout.catch(() => {});
    }
  }

  get pid(): number | undefined {
    return this.#child?.pid;
  }

  kubectl(args: string[], opts: { input?: string; timeoutMs?: number; bin?: string } = {}): Promise<RunResult> {
    return run(opts.bin ?? kubectlBin, ['--cache-dir', join(this.dataDir, 'kubectl-cache'), ...args], {
      env: this.env,
      input: opts.input,
      timeoutMs: opts.timeoutMs,
    });
  }

  /** kubectl that must succeed; returns stdout. */
  async k(...args: string[]): Promise<string> {
    const r = await this.kubectl(args);
    if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed (${r.code}): ${r.stderr}${r.stdout}`);
    return r.stdout;
  }

  watch(args: string[]): Watcher {
    const w = new Watcher(kubectlBin, ['--cache-dir', join(this.dataDir, 'kubectl-cache'), ...args], this.env);
    this.#watchers.push(w);
    return w;
  }

  /** Polls `kubectl get` with a jsonpath until `predicate` holds. */
  async waitForJsonpath(resource: string, jsonpath: string, predicate: (v: string) => boolean, timeoutMs = 30_000): Promise<string> {
    const end = Date.now() + timeoutMs;
    let last = '';
    for (;;) {
      const r = await this.kubectl(['get', resource, '-o', `jsonpath=${jsonpath}`]);
      last = r.stdout + r.stderr;
      if (r.code === 0 && predicate(r.stdout)) return r.stdout;
      if (Date.now() > end) throw new Error(`${resource} ${jsonpath} never satisfied the condition; last: ${last}`);
      await sleep(100);
    }
  }

  /** An HTTPS request to the API server; `token: null` sends none. */
  rawRequest(path: string, opts: { token?: string | null; method?: string } = {}): Promise<{ status: number; body: string }> {
    const kc = parseYaml(readFileSync(this.kubeconfig, 'utf8'));
    const server = new URL(kc.clusters[0].cluster.server);
    const ca = Buffer.from(kc.clusters[0].cluster['certificate-authority-data'], 'base64');
    const token = opts.token === undefined ? kc.users[0].user.token : opts.token;
    return new Promise((resolvePromise, reject) => {
      const req = request(
        { host: server.hostname, port: server.port, path, method: opts.method ?? 'GET', ca, headers: token ? { Authorization: `Bearer ${token}` } : {} },
        (res) => {
          let body = '';
          res.on('data', (d) => (body += d));
          res.on('end', () => resolvePromise({ status: res.statusCode ?? 0, body }));
        },
      );
      req.on('error', reject);
      req.end();
    });
  }

  /** SIGTERM and wait: a clean stop (pods keep running). */
  async stop(): Promise<number> {
    if (!this.#child || this.#child.exitCode !== null) return this.#child?.exitCode ?? 0;
    this.#child.kill('SIGTERM');
    return this.#exited!;
  }

  /** SIGKILL berth itself (containerd, as its own session, survives). */
  async kill9(): Promise<void> {
    this.#child?.kill('SIGKILL');
    await this.#exited;
  }

  /**
   * Deletes every pod, stops berth, removes whatever the runtime still holds
   * (with `berth down`'s teardown: sandboxes, the localnet firewall and the
   * Service dataplane unless another live node needs them), stops
   * containerd, checks nothing is left, and removes the data directory.
   */
  async destroy(): Promise<void> {
    for (const w of this.#watchers) await w.stop();
    if (this.#child && this.#child.exitCode === null && this.#child.signalCode === null) {
      await this.kubectl(['delete', 'pods', '--all', '--all-namespaces', '--grace-period=1', '--timeout=60s']);
      // A pod in a terminal phase leaves the API at once while the node may
      // still be stopping it: give its sandbox a moment to go. Pods a
      // controller created in the deleted ones' place keep theirs: the
      // runtime sweep below removes them, as `berth down` does.
      await waitForNoSandboxes(this.dataDir, 5_000);
      await this.stop();
    }
    // As `berth down --purge`: pods a controller created in the deleted ones'
    // place keep their sandboxes and their volumes' tmpfs (every pod has the
    // kube-api-access projected volume); swept, unmounted, and the directory removed.
    await tearDownNode(new LocalNode(this.dataDir), { purge: true, podsTimeoutMs: 0, log: () => {} });
    await cleanupRuntime(this.dataDir);
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}

/** Waits until berth's containerd holds no pod sandbox (or `timeoutMs` passes). */
async function waitForNoSandboxes(dataDir: string, timeoutMs: number): Promise<void> {
  const socket = containerdSocketPath(dataDir);
  if (!existsSync(socket)) return;
  const cri = createCriClient(socket);
  try {
    const end = Date.now() + timeoutMs;
    while (Date.now() < end) {
      const left = await cri.runtime.listPodSandbox().catch(() => []);
      if (left.length === 0) return;
      await sleep(100);
    }
  } finally {
    cri.close();
  }
}

/** Processes whose command line mentions `dir` (containerd and its shims). */
export function processesUsing(dir: string): number[] {
  const pids: number[] = [];
  for (const p of readdirSync('/proc')) {
    if (!/^\d+$/.test(p) || Number(p) === process.pid) continue;
    try {
      const cmd = readFileSync(`/proc/${p}/cmdline`, 'utf8');
      if (cmd.includes(dir)) pids.push(Number(p));
    } catch {
      // Gone.
    }
  }
  return pids;
}

/**
 * Safety net: if containers are left (a test failed half-way), start the
 * data dir's containerd socket client, stop and remove every sandbox, then
 * stop containerd by its pid file.
 */
export async function cleanupRuntime(dataDir: string): Promise<void> {
  const pidFile = join(dataDir, 'containerd', 'containerd.pid');
  const socket = containerdSocketPath(dataDir);
  if (existsSync(socket) && processesUsing(dataDir).length > 0) {
    const cri = createCriClient(socket);
    try {
      for (const sb of await cri.runtime.listPodSandbox()) {
        await cri.runtime.stopPodSandbox(sb.id).catch(() => {});
        await cri.runtime.removePodSandbox(sb.id).catch(() => {});
      }
    } catch {
      // containerd is not answering: fall through to stopping it.
    } finally {
      cri.close();
    }
  }
  if (existsSync(pidFile)) {
    const pid = Number(readFileSync(pidFile, 'utf8').trim());
    if (pid && processesUsing(dataDir).includes(pid)) {
      process.kill(pid, 'SIGTERM');
      for (let i = 0; i < 100 && processesUsing(dataDir).includes(pid); i++) await sleep(50);
    }
  }
  const left = processesUsing(dataDir);
  if (left.length) throw new Error(`processes still use ${dataDir} after cleanup: ${left.join(', ')}`);
}
