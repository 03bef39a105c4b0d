/**
 * Which snapshotter containerd should use for a data directory. overlayfs is
 * the fast default and works on ext4, xfs, btrfs and tmpfs (a /tmp data
 * directory included); it cannot put its upper directories on an overlayfs,
 * as when berth itself runs inside a container, so there it falls back to the
 * slower native (copying) snapshotter.
 */
import { existsSync, statfsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

export const OVERLAYFS_SUPER_MAGIC = 0x794c7630;

/** `dir` need not exist yet: its nearest existing ancestor decides. */
export function chooseSnapshotter(dir: string): 'overlayfs' | 'native' {
  let probe = resolve(dir);
  while (!existsSync(probe) && dirname(probe) !== probe) probe = dirname(probe);
  try {
    return statfsSync(probe).type === OVERLAYFS_SUPER_MAGIC ? 'native' : 'overlayfs';
  } catch {
    return 'overlayfs';
  }
}
