/**
 * Test support for tests on the real containerd (root required): a temp data
 * directory with the seed archives, Containerd instances and CRI clients that
 * are all torn down after the test — every sandbox stopped and removed (so CNI
 * releases its IP), containerd stopped, no shim left, no mount left under the
 * temp directory, the directory removed.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCriClient, type CriClient } from '../cri/cri.ts';
import { Containerd, type ContainerdOptions } from './containerd.ts';
import { processArgv } from './process-table.ts';
import { buildSeedImages } from './seed-images.ts';

export interface ContainerdFixture {
  dir: string;
  dataDir: string;
  imagesDir: string;
  /** A Containerd on the fixture's data directory, stopped at cleanup. */
  containerd(opts?: Partial<ContainerdOptions>): Containerd;
  /** A CRI client, closed at cleanup. */
  cri(socketPath: string): CriClient;
}

interface TestContextLike {
  after(fn: () => Promise<void> | void): void;
  diagnostic(message: string): void;
}

export async function containerdFixture(t: TestContextLike): Promise<ContainerdFixture> {
  const dir = mkdtempSync(join(tmpdir(), 'berth-cd-'));
  const dataDir = join(dir, 'data');
  const imagesDir = join(dir, 'images');
  const instances: Containerd[] = [];
  const clients: CriClient[] = [];
  t.after(() => teardown(t, dir, dataDir, instances, clients));
  await buildSeedImages(imagesDir);
  return {
    dir,
    dataDir,
    imagesDir,
    containerd(opts = {}) {
      const c = new Containerd({ dataDir, ...opts });
      instances.push(c);
      return c;
    },
    cri(socketPath) {
      const c = createCriClient(socketPath);
      clients.push(c);
      return c;
    },
  };
}

async function teardown(t: TestContextLike, dir: string, dataDir: string, instances: Containerd[], clients: CriClient[]) {
  for (const c of clients) c.close();
  for (const c of instances) await c.stop();
  let socketPath: string | undefined;
  try {
    // A fresh containerd on the same state removes whatever sandboxes the test left behind.
    const sweeper = new Containerd({ dataDir, restartBackoff: { initialMs: 60_000, maxMs: 60_000 } });
    socketPath = sweeper.socketPath;
    await sweeper.start(AbortSignal.timeout(30_000));
    const cri = createCriClient(sweeper.socketPath);
    try {
      for (const sb of await cri.runtime.listPodSandbox()) {
        await cri.runtime.stopPodSandbox(sb.id);
        await cri.runtime.removePodSandbox(sb.id);
      }
    } finally {
      cri.close();
      await sweeper.stop();
    }
  } catch (err) {
    t.diagnostic(`fixture teardown: sweeping sandboxes failed: ${(err as Error).message}`);
  }
  // Shims are started by our containerd, so they are ours to end if any survived the sweep.
  const shims = socketPath ? shimsOf(socketPath) : [];
  for (const pid of shims) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Gone already.
    }
  }
  for (const m of mountsUnder(dir).reverse()) {
    try {
      execFileSync('umount', ['-l', m]);
    } catch {
      // Reported below.
    }
  }
  const leftMounts = mountsUnder(dir);
  rmSync(dir, { recursive: true, force: true });
  if (socketPath && !socketPath.startsWith(dir)) rmSync(socketPath, { force: true });
  if (shims.length > 0) throw new Error(`fixture teardown: ${shims.length} shim(s) were still running`);
  if (leftMounts.length > 0) throw new Error(`fixture teardown: mounts left under ${dir}: ${leftMounts.join(', ')}`);
}

/** Pids of containerd-shim-runc-v2 processes serving the containerd at `socketPath`. */
export function shimsOf(socketPath: string): number[] {
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const argv = processArgv(Number(name));
    if (!argv || !argv[0].endsWith('containerd-shim-runc-v2')) continue;
    const i = argv.indexOf('-address');
    if (i !== -1 && argv[i + 1] === socketPath) pids.push(Number(name));
  }
  return pids;
}

/** Mount points at or below `dir`, in mount order. */
export function mountsUnder(dir: string): string[] {
  return readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((l) => l.split(' ')[4])
    .filter((m): m is string => m !== undefined && (m === dir || m.startsWith(`${dir}/`)));
}
