/**
 * `podman kube play` on the same seed pod, for comparison (podman from Debian,
 * runc). Two facts of this machine are worked around, not hidden: podman's
 * default rlimits exceed the process's hard limits (a containers.conf lowers
 * them), and podman 4.3 waits ~20 s after each init container
 * (containers/podman#16343), which dominates its time; the same pod without
 * init containers is timed too so the comparison can be read both ways.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { benchPod } from './seed-bench-pod.ts';

export interface PodmanResult {
  skipped?: string;
  totalMs: number[];
  withoutInitMs: number[];
}

function has(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
}

export async function measurePodman(runs: number): Promise<PodmanResult> {
  if (!has('podman')) return { skipped: 'podman is not installed (apt-get install podman)', totalMs: [], withoutInitMs: [] };
  const dir = mkdtempSync(join(tmpdir(), 'berth-bench-podman-'));
  const conf = join(dir, 'containers.conf');
  writeFileSync(conf, '[containers]\ndefault_ulimits = ["nofile=4096:4096", "nproc=4096:4096"]\n');
  const env = { ...process.env, CONTAINERS_CONF: conf };
  const podman = (args: string[]) => execFileSync('podman', ['--runtime', 'runc', ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const result: PodmanResult = { totalMs: [], withoutInitMs: [] };
  try {
    podman(['load', '-i', join(import.meta.dirname, '..', 'images', 'busybox-1.35.tar')]);
    const play = (pod: any, name: string) => {
      const file = join(dir, `${name}.yaml`);
      pod.metadata.name = name;
      // podman's default "once" init containers make 4.3's kube play fail
      // trying to remove them while they are still running.
      pod.metadata.annotations = { 'io.podman.annotations.init.container.type': 'always' };
      for (const c of [...(pod.spec.initContainers ?? []), ...pod.spec.containers]) c.image = 'docker.io/library/busybox:1.35';
      writeFileSync(file, stringify(pod));
      const t0 = performance.now();
      podman(['kube', 'play', file]);
      const ms = performance.now() - t0;
      podman(['pod', 'rm', '-f', '-t', '0', name]);
      return ms;
    };
    for (let i = 0; i < runs; i++) result.totalMs.push(play(benchPod(), `podman-bench-${i}`));
    for (let i = 0; i < runs; i++) result.withoutInitMs.push(play(benchPod('x', 0, 2), `podman-noinit-${i}`));
  } catch (err) {
    result.skipped = `podman failed: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return result;
}
