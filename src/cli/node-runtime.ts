/**
 * Reaching a node's runtime from a command: a CRI client on a containerd
 * socket for the length of one call, or, when no containerd runs on the
 * node's state, a containerd started there for the call (no restarts while
 * it runs) and stopped afterwards. Used by `berth images` and by the runtime
 * sweep of `berth down`.
 */
import { Containerd } from '../containerd/containerd.ts';
import { createCriClient, type CriClient } from '../cri/cri.ts';
import type { LocalNode } from './local-node.ts';

export type RuntimeCall<T> = (cri: CriClient, socketPath: string) => Promise<T>;

/** Runs `fn` with a CRI client on `socketPath`, closed afterwards. */
export async function withCriClient<T>(socketPath: string, fn: RuntimeCall<T>): Promise<T> {
  const cri = createCriClient(socketPath);
  try {
    return await fn(cri, socketPath);
  } finally {
    cri.close();
  }
}

/** Runs `fn` against a containerd started on `node`'s state for this call (it must not be running). */
export async function withOwnContainerd<T>(node: LocalNode, fn: RuntimeCall<T>): Promise<T> {
  const containerd = new Containerd({ dataDir: node.dataDir, restartBackoff: { initialMs: 60_000, maxMs: 60_000 } });
  try {
    await containerd.start(AbortSignal.timeout(30_000));
    return await withCriClient(containerd.socketPath, fn);
  } finally {
    await containerd.stop();
  }
}
