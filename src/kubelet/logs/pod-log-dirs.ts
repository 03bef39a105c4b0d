/**
 * Pod log directories, `<logRoot>/<namespace>_<name>_<uid>` (the layout the
 * kubelet gives the CRI as the sandbox's log directory). A pod's directory
 * goes when the pod is finally removed from the node, as the kubelet's
 * container GC removes the log directories of pods whose content may be
 * removed (`evictPodLogsDirectories`); one left by a pod removed while berth
 * was down is found by its UID and removed the same way.
 */
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * `parsePodUIDFromLogsDirectory`: the part after the last `_`
 * (namespaces and pod names never contain one).
 */
export function podUidOfLogDir(name: string): string {
  return name.slice(name.lastIndexOf('_') + 1);
}

async function entries(logRoot: string): Promise<string[]> {
  const all = await readdir(logRoot, { withFileTypes: true }).catch(() => []);
  return all.filter((e) => e.isDirectory() && e.name.includes('_')).map((e) => e.name);
}

/** UIDs of the pods that have a log directory under `logRoot`. */
export async function podLogUids(logRoot: string): Promise<string[]> {
  return [...new Set((await entries(logRoot)).map(podUidOfLogDir))];
}

/** Removes the log directories of the pod `uid`; nothing of any other pod. */
export async function removePodLogs(logRoot: string, uid: string): Promise<void> {
  for (const name of await entries(logRoot)) {
    if (uid && podUidOfLogDir(name) === uid) await rm(join(logRoot, name), { recursive: true, force: true });
  }
}
