/**
 * Running the `berth` command in end-to-end tests: as a child process with
 * a clean environment (no KUBECONFIG, BERTH_DATA_DIR and BERTH_PORT pointing at
 * a private temp directory and a free port), its output collected line by
 * line, and checks that a node it started left nothing behind: no process,
 * no mount, no data directory. A test that fails half-way still gets its
 * nodes removed (`berth down --purge`, then the harness's runtime sweep).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { cleanupRuntime, nodeBin, processesUsing, repoRoot, run, type RunResult } from './harness.ts';

export const berthEntry = join(repoRoot, 'src/cli/berth.js');

interface TestContext {
  after(fn: () => Promise<void> | void): void;
}

/** A private home for one test: its default data dir (not created) and scratch space; removed after the test. */
export function cliSandbox(t: TestContext): { dir: string; env: NodeJS.ProcessEnv } {
  const dir = mkdtempSync(join(tmpdir(), 'berth-cli-'));
  const env: NodeJS.ProcessEnv = { ...process.env, BERTH_DATA_DIR: join(dir, 'default-node'), BERTH_PORT: '0' };
  delete env.KUBECONFIG;
  t.after(async () => {
    await removeNode(join(dir, 'default-node'));
    rmSync(dir, { recursive: true, force: true });
  });
  return { dir, env };
}

/** `berth …` to completion. */
export function berth(args: string[], env: NodeJS.ProcessEnv, opts: { input?: string; timeoutMs?: number; cwd?: string } = {}): Promise<RunResult> {
  return run(nodeBin, [berthEntry, ...args], { env: { ...env, ...(env.KUBECONFIG ? {} : { KUBECONFIG: '' }) }, input: opts.input, timeoutMs: opts.timeoutMs ?? 180_000 });
}

/** A running `berth …` whose output lines are watched as they come. */
export class BerthRun {
  readonly out: string[] = [];
  readonly err: string[] = [];
  /** stdout and stderr interleaved as they arrived, stderr lines prefixed "! ". */
  readonly all: string[] = [];
  readonly exited: Promise<number>;
  readonly child: ChildProcess;

  constructor(args: string[], env: NodeJS.ProcessEnv, opts: { input?: string } = {}) {
    const childEnv = { ...env };
    if (!env.KUBECONFIG) delete childEnv.KUBECONFIG;
    this.child = spawn(nodeBin, [berthEntry, ...args], { env: childEnv, stdio: ['pipe', 'pipe', 'pipe'], cwd: repoRoot });
    createInterface({ input: this.child.stdout! }).on('line', (l) => {
      this.out.push(l);
      this.all.push(l);
    });
    createInterface({ input: this.child.stderr! }).on('line', (l) => {
      this.err.push(l);
      this.all.push(`! ${l}`);
    });
    this.exited = new Promise((r) => this.child.on('close', (code, sig) => r(code ?? (sig ? 128 : 1))));
    this.child.stdin!.end(opts.input ?? '');
  }

  async waitFor(re: RegExp, timeoutMs = 60_000): Promise<string> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const hit = this.all.find((l) => re.test(l));
      if (hit) return hit;
      if (Date.now() > end) throw new Error(`no line matched ${re} within ${timeoutMs} ms; got:\n${this.all.join('\n')}`);
      if (this.child.exitCode !== null) throw new Error(`berth exited (${this.child.exitCode}) before a line matched ${re}; got:\n${this.all.join('\n')}`);
      await sleep(50);
    }
  }

  /** Waits for the exit, failing the test after `timeoutMs` (the child is then killed). */
  async exit(timeoutMs = 180_000): Promise<number> {
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
    try {
      return await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }

  get text(): string {
    return this.all.join('\n');
  }

  /** The data directory of the ephemeral node `berth play` started, from its first note. */
  get ephemeralDir(): string | undefined {
    for (const l of this.err) {
      const m = /starting an ephemeral node in (\S+)/.exec(l);
      if (m) return m[1];
    }
    return undefined;
  }
}

/** Starts `berth play …` and registers the removal of whatever node it leaves. */
export function startPlay(t: TestContext, args: string[], env: NodeJS.ProcessEnv, opts: { input?: string } = {}): BerthRun {
  const r = new BerthRun(['play', ...args], env, opts);
  t.after(async () => {
    if (r.child.exitCode === null) {
      r.child.kill('SIGKILL');
      await r.exited;
    }
    const dir = r.ephemeralDir;
    if (dir) await removeNode(dir);
  });
  return r;
}

/** Safety net for a test that failed half-way: `berth down --purge`, then the harness's sweep. */
export async function removeNode(dataDir: string): Promise<void> {
  if (!existsSync(dataDir)) return;
  await berth(['down', '--data-dir', dataDir, '--purge', '--grace-period', '0', '--timeout', '20s'], process.env).catch(() => undefined);
  if (existsSync(dataDir)) {
    await cleanupRuntime(dataDir).catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Mount points at or below `dir`. */
export function mountsUnder(dir: string): string[] {
  return readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((l) => l.split(' ')[4])
    .filter((m): m is string => m !== undefined && (m === dir || m.startsWith(`${dir}/`)));
}

/** Nothing of the node in `dataDir` is left: no process mentions it, nothing is mounted under it, it is gone. */
export function leftovers(dataDir: string): string[] {
  const left: string[] = [];
  const procs = processesUsing(dataDir);
  if (procs.length) left.push(`processes ${procs.join(', ')}`);
  const mounts = mountsUnder(dataDir);
  if (mounts.length) left.push(`mounts ${mounts.join(', ')}`);
  if (existsSync(dataDir)) left.push(`directory ${dataDir}`);
  return left;
}
