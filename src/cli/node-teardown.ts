/**
 * Taking a berth node down (`berth down`, and the end of `berth play`'s
 * ephemeral node), in this order:
 *   1. pods: when `berth serve` runs, every pod is deleted through the API
 *      (so the node agent stops it as on a cluster: preStop, grace period)
 *      and the call waits until they are gone, and then (briefly) until the
 *      node agent has removed their sandboxes from containerd (pods a
 *      controller creates in their place meanwhile stay in the store, as on a
 *      node that restarts; their sandboxes go with step 3);
 *   2. berth: SIGTERM to `berth serve`, which stops containerd on its way out;
 *   3. runtime sweep: if containerd or any shim of this node is still alive
 *      (berth was killed, a pod did not go away), or when purging a node
 *      whose containerd was not seen empty in step 1, a containerd is
 *      started on the node's state just long enough to stop and remove every
 *      pod sandbox (containers, network namespaces and IPs go with them),
 *      then stopped; shims that still survive are killed. (A sandbox created
 *      after step 1 has a live shim, so it is swept either way.)
 *   4. the localnet firewall (containerd/localnet-firewall.ts) is released:
 *      removed, with route_localnet on the bridge set back to 0, when no other
 *      berth node runs and no pod is left on the bridge; otherwise it stays
 *      for them (containerd/localnet-firewall-holders.ts);
 *   5. with `purge`: every mount under the data directory is unmounted and
 *      the directory removed, with containerd's socket if it lives elsewhere.
 * Without `purge` the state stays: the store (minus the deleted pods),
 * images and credentials are there for the next `berth serve`.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { DEFAULT_BRIDGE } from '../containerd/cni-config.ts';
import { LOCALNET_FIREWALL_CHAIN } from '../containerd/localnet-firewall.ts';
import { machineLocalnetFirewall, releaseLocalnetFirewall } from '../containerd/localnet-firewall-holders.ts';
import { createCriClient, type CriClient } from '../cri/cri.ts';
import { removeMachineServiceProxy } from '../network/proxy/proxy.ts';
import { terminateProcess } from '../containerd/process-table.ts';
import { KubeClient, loadKubeTarget } from './kube/kube.ts';
import type { LocalNode } from './local-node.ts';
import { withOwnContainerd } from './node-runtime.ts';

export interface TeardownOptions {
  purge: boolean;
  /** Overrides every pod's terminationGracePeriodSeconds (like `kubectl delete --grace-period`). */
  gracePeriodSeconds?: number;
  /** How long to wait for the pods to go. */
  podsTimeoutMs: number;
  /** Progress, one line per step. */
  log: (line: string) => void;
}

export interface TeardownReport {
  podsDeleted: number;
  /** Pods still there when the wait ended (their sandboxes were swept). */
  podsLeft: string[];
  serveStopped: boolean;
  sandboxesSwept: number;
  /** containerd held no pod sandbox once the deleted pods' sandboxes were removed (step 1). */
  runtimeSeenEmpty: boolean;
  shimsKilled: number;
  unmounted: number;
  purged: boolean;
}

async function deletePods(node: LocalNode, opts: TeardownOptions, report: TeardownReport): Promise<void> {
  const client = new KubeClient(loadKubeTarget([node.kubeconfigPath]));
  // Made now, while the pods terminate: parsing the CRI definitions costs ~25 ms of CPU that would otherwise come after.
  const cri = createCriClient(node.containerdSocket);
  try {
    const list = await client.get('/api/v1/pods');
    const pods: { ns: string; name: string; uid: string }[] = (list.items ?? []).map((p: any) => ({ ns: p.metadata.namespace, name: p.metadata.name, uid: p.metadata.uid }));
    if (pods.length === 0) {
      report.runtimeSeenEmpty = await awaitSandboxesRemoved(cri, new Set(), 0);
      return;
    }
    opts.log(`deleting ${pods.length} pod${pods.length === 1 ? '' : 's'}${opts.gracePeriodSeconds !== undefined ? ` (grace period ${opts.gracePeriodSeconds} s)` : ''}`);
    const body = opts.gracePeriodSeconds !== undefined ? { kind: 'DeleteOptions', apiVersion: 'v1', gracePeriodSeconds: opts.gracePeriodSeconds } : undefined;
    for (const p of pods) {
      try {
        await client.call('DELETE', `/api/v1/namespaces/${p.ns}/pods/${p.name}`, { body });
        report.podsDeleted++;
      } catch (err) {
        opts.log(`delete pod ${p.ns}/${p.name}: ${(err as Error).message}`);
      }
    }
    // Only the pods deleted here are waited for: controllers (a ReplicaSet, a
    // DaemonSet) replace them meanwhile, and the replacements' sandboxes go
    // with the runtime sweep once berth has stopped.
    const deleted = new Set(pods.map((p) => p.uid));
    const deadline = Date.now() + opts.podsTimeoutMs;
    for (;;) {
      const left = ((await client.get('/api/v1/pods')).items ?? [])
        .filter((p: any) => deleted.has(p.metadata.uid))
        .map((p: any) => `${p.metadata.namespace}/${p.metadata.name}`);
      if (left.length === 0) break;
      if (Date.now() > deadline) {
        report.podsLeft = left;
        opts.log(`pods still terminating after ${Math.round(opts.podsTimeoutMs / 1000)} s: ${left.join(', ')}; their sandboxes are removed directly`);
        return;
      }
      await sleep(25);
    }
    if (report.podsLeft.length === 0) report.runtimeSeenEmpty = await awaitSandboxesRemoved(cri, deleted, Math.min(opts.podsTimeoutMs, 5000));
  } finally {
    cri.close();
    client.close();
  }
}

/**
 * Once the API has let the pods go, the node agent removes their sandboxes
 * (it does so for every pod gone from the API): waits up to `timeoutMs` for
 * that, so `berth serve` is not stopped in the middle of it. True when
 * containerd then holds no pod sandbox at all.
 */
async function awaitSandboxesRemoved(cri: CriClient, uids: Set<string>, timeoutMs: number): Promise<boolean> {
  try {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const sandboxes = await cri.runtime.listPodSandbox();
      if (!sandboxes.some((sb) => uids.has(sb.metadata.uid))) return sandboxes.length === 0;
      if (Date.now() > deadline) return false;
      await sleep(20);
    }
  } catch {
    // containerd is not answering: the sweep finds out what is left.
    return false;
  }
}

async function sweepRuntime(node: LocalNode, opts: TeardownOptions, report: TeardownReport): Promise<void> {
  // A fresh containerd on the node's state re-attaches to surviving shims (and stops a leftover containerd first).
  try {
    await withOwnContainerd(node, async (cri) => {
      const sandboxes = await cri.runtime.listPodSandbox();
      for (const sb of sandboxes) {
        await cri.runtime.stopPodSandbox(sb.id);
        await cri.runtime.removePodSandbox(sb.id);
        report.sandboxesSwept++;
      }
      if (sandboxes.length) opts.log(`removed ${sandboxes.length} pod sandbox${sandboxes.length === 1 ? '' : 'es'} through containerd`);
    });
  } catch (err) {
    opts.log(`sweeping the runtime failed: ${(err as Error).message}`);
  }
  for (const pid of node.shimPids()) {
    try {
      process.kill(pid, 'SIGKILL');
      report.shimsKilled++;
    } catch {
      // Gone already.
    }
  }
}

/** The node's `berth serve` is gone (its lease stale): the firewall goes if nothing else needs it. */
function releaseFirewall(opts: TeardownOptions): void {
  const holders = machineLocalnetFirewall(DEFAULT_BRIDGE);
  if ('missing' in holders) return;
  try {
    if (releaseLocalnetFirewall(holders).removed) opts.log(`removed the localnet firewall (iptables chain ${LOCALNET_FIREWALL_CHAIN}): no berth node and no pod left on the machine`);
  } catch (err) {
    opts.log(`removing the localnet firewall failed: ${(err as Error).message}`);
  }
}

/** The Service dataplane's chains go with the last node that served them (a live holder of the lease keeps its own). */
async function removeServiceRules(opts: TeardownOptions): Promise<void> {
  try {
    const out = await removeMachineServiceProxy();
    if (out.removed) opts.log('removed the Service dataplane (iptables chains BERTH-SERVICES and the per-Service chains)');
  } catch (err) {
    opts.log(`removing the Service dataplane failed: ${(err as Error).message}`);
  }
}

export async function tearDownNode(node: LocalNode, opts: TeardownOptions): Promise<TeardownReport> {
  const report: TeardownReport = { podsDeleted: 0, podsLeft: [], serveStopped: false, sandboxesSwept: 0, runtimeSeenEmpty: false, shimsKilled: 0, unmounted: 0, purged: false };
  const servePid = node.servePid();
  if (servePid !== undefined) {
    if (existsSync(node.kubeconfigPath)) {
      try {
        await deletePods(node, opts, report);
      } catch (err) {
        opts.log(`deleting pods through the API failed (${(err as Error).message}); their sandboxes are removed directly`);
      }
    }
    opts.log(`stopping berth serve (pid ${servePid})`);
    if (!(await terminateProcess(servePid, 20_000))) throw new Error(`stop berth serve (pid ${servePid}): it does not exit`);
    report.serveStopped = true;
  }
  const runtimeAlive = node.containerdPid() !== undefined || node.shimPids().length > 0;
  const hasState = existsSync(join(node.dataDir, 'containerd', 'root'));
  if (runtimeAlive || (opts.purge && hasState && !report.runtimeSeenEmpty)) await sweepRuntime(node, opts, report);
  releaseFirewall(opts);
  await removeServiceRules(opts);

  if (opts.purge) {
    for (const m of node.mounts().reverse()) {
      try {
        execFileSync('umount', [m], { stdio: 'ignore' });
      } catch {
        try {
          execFileSync('umount', ['-l', m], { stdio: 'ignore' });
        } catch {
          // Reported below.
        }
      }
      report.unmounted++;
    }
    const left = node.mounts();
    if (left.length) throw new Error(`remove ${node.dataDir}: still mounted: ${left.join(', ')}`);
    rmSync(node.dataDir, { recursive: true, force: true });
    const socket = node.containerdSocket;
    if (!socket.startsWith(`${node.dataDir}/`)) {
      rmSync(socket, { force: true });
      rmSync(`${socket}.ttrpc`, { force: true });
    }
    report.purged = true;
  }
  return report;
}
