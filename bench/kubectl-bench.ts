/**
 * `kubectl apply` → Running as a user sees it, kubectl's own start-up
 * included: the kubectl binary run directly, and `/usr/bin/kubectl`, the
 * Cloud SDK's dispatcher that picks a version and runs it.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ApiClient } from './api-client.ts';
import { runningReady } from './berth-pods.ts';
import { benchPod } from './seed-bench-pod.ts';

export const KUBECTL_DISPATCHER = '/usr/bin/kubectl';

/** The kubectl binary the dispatcher runs for berth (v1.33), or the newest one found. */
export function directKubectl(): string | undefined {
  for (const v of ['1.33', '1.32']) {
    const p = `/usr/lib/google-cloud-sdk/bin/kubectl.${v}`;
    if (existsSync(p)) return p;
  }
  return undefined;
}

function run(bin: string, args: string[], input: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const c = spawn(bin, args, { stdio: ['pipe', 'ignore', 'pipe'] });
    let err = '';
    c.stderr!.on('data', (d) => (err += d));
    c.on('error', reject);
    c.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${bin} ${args.join(' ')}: ${err}`))));
    c.stdin!.end(input);
  });
}

/** From `kubectl apply` spawned to the pod seen Running and ready on a watch. */
export async function applyToRunning(api: ApiClient, bin: string, kubeconfig: string, cacheDir: string, name: string): Promise<number> {
  const path = '/api/v1/namespaces/default/pods';
  const list = await api.request('GET', `${path}?fieldSelector=metadata.name%3D${name}`);
  let done!: () => void;
  const running = new Promise<void>((r) => (done = r));
  const stop = await api.watch(`${path}?watch=1&fieldSelector=metadata.name%3D${name}&resourceVersion=${list.body.metadata.resourceVersion}`, (e) => {
    if (runningReady(e.object)) done();
  });
  const t0 = performance.now();
  await run(bin, ['--kubeconfig', kubeconfig, '--cache-dir', cacheDir, 'apply', '-f', '-'], JSON.stringify(benchPod(name)));
  await running;
  const ms = performance.now() - t0;
  stop();
  return ms;
}

/** Warms kubectl's discovery cache, as a user's second command would find it. */
export async function warmKubectl(bin: string, kubeconfig: string, cacheDir: string): Promise<void> {
  execFileSync(bin, ['--kubeconfig', kubeconfig, '--cache-dir', cacheDir, 'get', 'ns'], { stdio: 'ignore' });
  await sleep(0);
}
