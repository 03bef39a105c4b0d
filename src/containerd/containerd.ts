/**
 * containerd — berth's own containerd, run as a supervised child.
 *
 * Owns: the containerd process (spawn, readiness, restart with backoff, stop),
 * its configuration (containerd-config.ts) and the CNI network config
 * (cni-config.ts), the pid file, the log file, leftover-process cleanup, and the
 * import of seed image archives into containerd (image-import.ts). Builds the
 * seed archives themselves in seed-images.ts (used by scripts/). Keeps, for
 * main and `berth down`, the localnet firewall that makes portmap's
 * route_localnet safe (localnet-firewall.ts) and its machine-wide holders
 * (localnet-firewall-holders.ts).
 *
 * Does not own: pods, sandboxes and containers (the kubelet, over cri/); the
 * CRI client (cri/; used here only to probe readiness and check images).
 *
 * State (under `<dataDir>/containerd/`): config.toml, containerd.pid,
 * containerd.log, imported-archives.json, root/ and state/ (containerd's own);
 * `<dataDir>/cni/net.d/10-berth.conflist`. The socket is
 * `<dataDir>/containerd/containerd.sock`, or /run/berth/containerd-<hash>.sock
 * when that path is too long. In memory: the child, readiness, backoff.
 *
 * Lifecycle:
 *
 *   start(signal) ─▶ launching ──Version answers──▶ ready ──child exits──▶ not ready
 *                        ▲                                                    │
 *                        └──────── restart timer (1 s doubling to 30 s) ◀─────┘
 *   stop() from any state: cancel the timer, SIGTERM, SIGKILL after
 *   `stopTimeoutMs`. Shims (and so containers) survive: containerd re-attaches
 *   to them at its next start.
 *
 * The child runs in its own session with stdout/stderr on a file (not a pipe),
 * so a SIGKILLed berth leaves it running instead of killing it with SIGPIPE; the
 * next start finds it through the pid file, checks /proc/<pid>/cmdline is our
 * containerd with our config, and stops it before starting a fresh one.
 *
 * Timers: the restart timer while not ready; readiness polling (10 ms) during a
 * launch. Nothing runs while containerd is healthy.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createCriClient, type CriClient } from '../cri/cri.ts';
import { CriCode, CriError } from '../cri/errors.ts';
import type { ImageService } from '../cri/types.ts';
import { systemClock, type Clock } from './clock.ts';
import { CNI_CONFLIST_FILE, detectIptables, renderCniConfig } from './cni-config.ts';
import { renderContainerdConfig } from './containerd-config.ts';
import { findExecutable } from './find-executable.ts';
import { importImageArchives, type ImportResult } from './image-import.ts';
import { DEFAULT_CNI_BIN_DIR, defaultSearchPath } from './prerequisites.ts';
import { listeningTcpAddress, orphanShims, processAlive, processArgv, terminateProcess } from './process-table.ts';
import { DEFAULT_RESTART_BACKOFF, RestartBackoff, type BackoffPolicy } from './restart-backoff.ts';
import { PAUSE_IMAGE } from './seed-images.ts';
import { containerdSocketPath } from './socket-path.ts';
import { chooseSnapshotter } from './snapshotter.ts';

export { checkPrerequisites, type MissingPrerequisite } from './prerequisites.ts';
export { renderContainerdConfig } from './containerd-config.ts';
export { renderCniConfig, detectIptables } from './cni-config.ts';
export { importImageArchives } from './image-import.ts';
export { PAUSE_IMAGE, BUSYBOX_IMAGE, buildSeedImages } from './seed-images.ts';

export interface ContainerdOptions {
  dataDir: string;
  containerdPath?: string;
  runcPath?: string;
  cniBinDir?: string;
  podCidr?: string;
  bridgeName?: string;
  /** Include CNI portmap (hostPort). Default: when iptables is installed. */
  portmap?: boolean;
  sandboxImage?: string;
  /** Default: overlayfs, or native when the data directory is itself on overlayfs. */
  snapshotter?: 'overlayfs' | 'native';
  logLevel?: 'debug' | 'info' | 'warn' | 'error';
  /** Give up on a launch that has not answered Version by then. */
  readyTimeoutMs?: number;
  /** SIGTERM → SIGKILL grace. */
  stopTimeoutMs?: number;
  restartBackoff?: BackoffPolicy;
  clock?: Clock;
  /** Diagnostics (restarts, failures). Default: none. */
  log?: (message: string) => void;
}

export const ContainerdErrorCode = {
  BinaryMissing: 'CONTAINERD_BINARY_MISSING',
  ExitedEarly: 'CONTAINERD_EXITED_EARLY',
  NotReady: 'CONTAINERD_NOT_READY',
  CriMissing: 'CONTAINERD_CRI_MISSING',
  StaleProcess: 'CONTAINERD_STALE_PROCESS',
  Stopped: 'CONTAINERD_STOPPED',
} as const;
export type ContainerdErrorCode = (typeof ContainerdErrorCode)[keyof typeof ContainerdErrorCode];

export class ContainerdError extends Error {
  readonly code: ContainerdErrorCode;
  constructor(code: ContainerdErrorCode, message: string) {
    super(message);
    this.name = 'ContainerdError';
    this.code = code;
  }
}

const LOG_ROTATE_BYTES = 20 * 1024 * 1024;

export class Containerd {
  readonly dataDir: string;
  readonly socketPath: string;
  readonly configPath: string;
  readonly logPath: string;
  readonly pidPath: string;
  readonly cniConfDir: string;
  readonly snapshotter: 'overlayfs' | 'native';

  #opts: ContainerdOptions;
  #clock: Clock;
  #backoff: RestartBackoff;
  #log: (m: string) => void;
  #containerdPath: string | undefined;
  #child: ChildProcess | undefined;
  #probe: CriClient | undefined;
  #ready = false;
  #started = false;
  #stopping = false;
  #stopPromise: Promise<void> | undefined;
  #restartTimer: unknown;
  #launchAbort: AbortController | undefined;
  #streamAddress: string | undefined;
  #readyListeners = new Set<() => void>();
  #notReadyListeners = new Set<(reason: string) => void>();

  constructor(opts: ContainerdOptions) {
    this.#opts = opts;
    this.dataDir = resolve(opts.dataDir);
    const dir = join(this.dataDir, 'containerd');
    this.socketPath = containerdSocketPath(this.dataDir);
    this.configPath = join(dir, 'config.toml');
    this.logPath = join(dir, 'containerd.log');
    this.pidPath = join(dir, 'containerd.pid');
    this.cniConfDir = join(this.dataDir, 'cni', 'net.d');
    this.snapshotter = opts.snapshotter ?? chooseSnapshotter(this.dataDir);
    this.#clock = opts.clock ?? systemClock;
    this.#backoff = new RestartBackoff(opts.restartBackoff ?? DEFAULT_RESTART_BACKOFF);
    this.#log = opts.log ?? (() => {});
  }

  get ready(): boolean {
    return this.#ready;
  }

  get pid(): number | undefined {
    return this.#child?.pid;
  }

  /** `127.0.0.1:<port>` of CRI's streaming server (exec/attach/port-forward), once it listens. */
  get streamAddress(): string | undefined {
    if (this.#streamAddress === undefined && this.#ready && this.#child?.pid) {
      this.#streamAddress = listeningTcpAddress(this.#child.pid);
    }
    return this.#streamAddress;
  }

  /** Called on every transition to ready (first start and each restart). Returns an unsubscribe function. */
  onReady(fn: () => void): () => void {
    this.#readyListeners.add(fn);
    return () => this.#readyListeners.delete(fn);
  }

  /** Called on every transition from ready to not ready, with the reason. */
  onNotReady(fn: (reason: string) => void): () => void {
    this.#notReadyListeners.add(fn);
    return () => this.#notReadyListeners.delete(fn);
  }

  /**
   * Writes the configuration, stops a containerd left over from an earlier
   * berth, starts containerd and resolves once CRI answers Version. Aborting
   * `signal` afterwards stops containerd.
   */
  async start(signal: AbortSignal): Promise<void> {
    if (this.#started) throw new Error('start containerd: already started');
    this.#started = true;
    signal.throwIfAborted();
    this.#containerdPath = this.#opts.containerdPath ?? findExecutable('containerd', defaultSearchPath());
    if (!this.#containerdPath) {
      throw new ContainerdError(ContainerdErrorCode.BinaryMissing, 'containerd not found: install it with "apt-get install containerd"');
    }
    this.#prepare();
    await this.#stopLeftover();
    const onAbort = () => void this.stop();
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      await this.#launch(signal);
    } catch (err) {
      signal.removeEventListener('abort', onAbort);
      await this.stop();
      throw err;
    }
    await this.#reapOrphanShims();
  }

  /** Ends shims of this containerd whose task is gone (see `orphanShims`). */
  async #reapOrphanShims(): Promise<void> {
    for (const pid of orphanShims(this.socketPath)) {
      this.#log(`ending orphaned containerd shim ${pid} (its task is gone)`);
      await terminateProcess(pid, 1000);
    }
  }

  /** Stops containerd (not its containers). Idempotent; safe before, during and after start. */
  stop(): Promise<void> {
    this.#stopPromise ??= this.#stop();
    return this.#stopPromise;
  }

  /**
   * Imports every `*.tar` image archive in `dir` into containerd's CRI
   * namespace, skipping archives already imported. Requires ready.
   */
  async importImages(dir: string, signal?: AbortSignal): Promise<ImportResult[]> {
    return importImageArchives({ socketPath: this.socketPath, images: this.#images() }, dir, {
      markerFile: join(this.dataDir, 'containerd', 'imported-archives.json'),
      snapshotter: this.snapshotter,
      signal,
    });
  }

  #images(): ImageService {
    if (!this.#probe) throw new ContainerdError(ContainerdErrorCode.NotReady, 'use containerd: it is not running');
    return this.#probe.images;
  }

  #prepare(): void {
    const dir = join(this.dataDir, 'containerd');
    mkdirSync(this.dataDir, { recursive: true, mode: 0o700 });
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    mkdirSync(this.cniConfDir, { recursive: true, mode: 0o755 });
    mkdirSync(dirname(this.socketPath), { recursive: true, mode: 0o700 });
    const runcPath = this.#opts.runcPath ?? findExecutable('runc', defaultSearchPath()) ?? '/usr/sbin/runc';
    writeFileAtomic(
      this.configPath,
      renderContainerdConfig({
        root: join(dir, 'root'),
        state: join(dir, 'state'),
        socketPath: this.socketPath,
        sandboxImage: this.#opts.sandboxImage ?? PAUSE_IMAGE,
        cniBinDir: this.#opts.cniBinDir ?? DEFAULT_CNI_BIN_DIR,
        cniConfDir: this.cniConfDir,
        runcPath,
        snapshotter: this.snapshotter,
        logLevel: this.#opts.logLevel,
      }),
    );
    writeFileAtomic(
      join(this.cniConfDir, CNI_CONFLIST_FILE),
      renderCniConfig({
        podCidr: this.#opts.podCidr,
        bridgeName: this.#opts.bridgeName,
        portmap: this.#opts.portmap ?? detectIptables(defaultSearchPath()),
      }),
    );
    try {
      if (statSync(this.logPath).size > LOG_ROTATE_BYTES) renameSync(this.logPath, `${this.logPath}.1`);
    } catch {
      // No log yet.
    }
  }

  /** A containerd of ours still running from a berth that died without stopping it. */
  async #stopLeftover(): Promise<void> {
    let pid: number;
    try {
      pid = Number.parseInt(readFileSync(this.pidPath, 'utf8').trim(), 10);
    } catch {
      return;
    }
    if (Number.isInteger(pid) && pid > 0 && this.#isOurContainerd(pid)) {
      this.#log(`stopping containerd (pid ${pid}) left over from an earlier run`);
      if (!(await terminateProcess(pid, this.#opts.stopTimeoutMs ?? 10_000))) {
        throw new ContainerdError(ContainerdErrorCode.StaleProcess, `stop leftover containerd (pid ${pid}): it does not exit`);
      }
    }
    rmSync(this.pidPath, { force: true });
  }

  #isOurContainerd(pid: number): boolean {
    const argv = processArgv(pid);
    if (!argv || basename(argv[0]) !== 'containerd') return false;
    const i = argv.indexOf('--config');
    return i !== -1 && resolve(argv[i + 1] ?? '') === this.configPath;
  }

  async #launch(outer?: AbortSignal): Promise<void> {
    const abort = new AbortController();
    this.#launchAbort = abort;
    const signal = outer ? AbortSignal.any([outer, abort.signal]) : abort.signal;
    // A stale socket file would make the probe connect (and back off) before containerd listens.
    rmSync(this.socketPath, { force: true });
    const logFd = openSync(this.logPath, 'a', 0o600);
    let child: ChildProcess;
    try {
      child = spawn(this.#containerdPath!, ['--config', this.configPath], {
        detached: true,
        stdio: ['ignore', logFd, logFd],
        env: { ...process.env, PATH: defaultSearchPath() },
      });
    } finally {
      closeSync(logFd);
    }
    this.#child = child;
    let exit: string | undefined;
    const spawnError = new Promise<never>((_, reject) => child.once('error', reject));
    spawnError.catch(() => {});
    child.once('exit', (code, sig) => {
      exit = sig ? `signal ${sig}` : `code ${code}`;
      this.#onExit(child, exit);
    });
    if (child.pid) writeFileSync(this.pidPath, `${child.pid}\n`);

    const started = performance.now();
    const timeoutMs = this.#opts.readyTimeoutMs ?? 30_000;
    try {
      while (!existsSync(this.socketPath)) {
        if (exit) throw this.#exitedEarly(exit);
        if (performance.now() - started > timeoutMs) throw this.#readyTimeout(timeoutMs);
        await Promise.race([sleep(5, undefined, { signal }), spawnError]);
      }
      this.#probe?.close();
      this.#probe = createCriClient(this.socketPath, { timeouts: { defaultMs: 2000 } });
      for (;;) {
        try {
          await this.#probe.runtime.version();
          break;
        } catch (err) {
          if (err instanceof CriError && err.code === CriCode.Unimplemented) {
            throw new ContainerdError(ContainerdErrorCode.CriMissing, `start containerd: the CRI plugin is not loaded; see "${this.logPath}"`);
          }
        }
        if (exit) throw this.#exitedEarly(exit);
        if (performance.now() - started > timeoutMs) throw this.#readyTimeout(timeoutMs);
        await sleep(10, undefined, { signal });
      }
    } catch (err) {
      if (this.#child === child && !exit) {
        child.kill('SIGKILL');
      }
      throw err;
    } finally {
      if (this.#launchAbort === abort) this.#launchAbort = undefined;
    }
    if (this.#stopping) throw new ContainerdError(ContainerdErrorCode.Stopped, 'start containerd: stopped while starting');
    this.#ready = true;
    this.#streamAddress = undefined;
    this.#backoff.ready(this.#clock.now());
    this.#log(`containerd ready (pid ${child.pid}) in ${Math.round(performance.now() - started)} ms`);
    for (const fn of this.#readyListeners) fn();
  }

  #exitedEarly(exit: string): ContainerdError {
    return new ContainerdError(ContainerdErrorCode.ExitedEarly, `start containerd: it exited (${exit}) before it was ready; see "${this.logPath}"`);
  }

  #readyTimeout(ms: number): ContainerdError {
    return new ContainerdError(ContainerdErrorCode.NotReady, `start containerd: CRI did not answer within ${ms} ms; see "${this.logPath}"`);
  }

  #onExit(child: ChildProcess, how: string): void {
    if (this.#child !== child) return;
    this.#child = undefined;
    this.#removePidFile(child.pid);
    if (this.#stopping) return;
    // During a launch, the launch loop reports the exit itself.
    if (this.#launchAbort) return;
    this.#markNotReady(`containerd exited (${how})`);
    this.#scheduleRestart();
  }

  /** Only while it names our child: another instance on this data directory may have replaced it. */
  #removePidFile(pid: number | undefined): void {
    if (pid === undefined) return;
    try {
      if (Number.parseInt(readFileSync(this.pidPath, 'utf8'), 10) === pid) rmSync(this.pidPath, { force: true });
    } catch {
      // Already gone.
    }
  }

  #markNotReady(reason: string): void {
    if (!this.#ready) return;
    this.#ready = false;
    this.#log(`containerd not ready: ${reason}`);
    for (const fn of this.#notReadyListeners) fn(reason);
  }

  #scheduleRestart(): void {
    if (this.#stopping) return;
    const delay = this.#backoff.next(this.#clock.now());
    this.#log(`restarting containerd in ${delay} ms`);
    this.#restartTimer = this.#clock.setTimeout(() => {
      this.#restartTimer = undefined;
      if (this.#stopping) return;
      this.#launch().catch((err: Error) => {
        if (this.#stopping) return;
        this.#log(`restart containerd failed: ${err.message}`);
        this.#scheduleRestart();
      });
    }, delay);
  }

  async #stop(): Promise<void> {
    this.#stopping = true;
    if (this.#restartTimer !== undefined) this.#clock.clearTimeout(this.#restartTimer);
    this.#restartTimer = undefined;
    this.#launchAbort?.abort();
    const child = this.#child;
    if (child && child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      if (!(await waitExit(child, this.#opts.stopTimeoutMs ?? 10_000))) {
        this.#log(`containerd (pid ${child.pid}) ignored SIGTERM; sending SIGKILL`);
        child.kill('SIGKILL');
        await waitExit(child, Infinity);
      }
    } else if (child?.pid && processAlive(child.pid)) {
      await terminateProcess(child.pid, this.#opts.stopTimeoutMs ?? 10_000);
    }
    this.#child = undefined;
    this.#removePidFile(child?.pid);
    this.#probe?.close();
    this.#probe = undefined;
    this.#markNotReady('containerd stopped');
    // Shims of running containers stay (their pods keep running); a shim
    // whose task vanished while containerd stopped would stay forever.
    if (this.#started) await this.#reapOrphanShims();
  }
}

/** Resolves true once `child` has exited, false after `ms` (no timer left behind either way). */
function waitExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = Number.isFinite(ms) ? setTimeout(() => done(false), ms) : undefined;
    const onExit = () => done(true);
    const done = (exited: boolean) => {
      clearTimeout(timer);
      child.off('exit', onExit);
      resolve(exited);
    };
    child.once('exit', onExit);
  });
}

function writeFileAtomic(file: string, content: string): void {
  writeFileSync(`${file}.tmp`, content, { mode: 0o600 });
  renameSync(`${file}.tmp`, file);
}
