/**
 * `subPath` mounts, made safe the way the kubelet makes them
 * (`subpath_linux.go`): a volume's content is under the pod's control, so a
 * symlink inside it must never let a container mount a host path outside the
 * volume.
 *
 *   1. A missing subPath is created one directory at a time, below the
 *      deepest existing ancestor, which must resolve inside the volume.
 *   2. The subPath is resolved, checked to lie inside the volume, and opened
 *      (O_PATH | O_NOFOLLOW); the opened file's real path is checked again.
 *   3. That file descriptor is bind-mounted (`/proc/<berth>/fd/<n>`) onto
 *      `<podDir>/volume-subpaths/<volume>/<container>/<index>`, and the
 *      container mounts that: swapping a path component for a symlink after
 *      the check changes nothing.
 *
 * The bind mounts stay until the pod's volumes are torn down.
 */
import { closeSync, constants, fstatSync, openSync, readlinkSync } from 'node:fs';
import { chmod, lstat, mkdir, realpath, rmdir, stat, unlink, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import type { Mounter } from './mount-table.ts';

/** Linux's O_PATH and O_CLOEXEC (not in Node's constants). */
const O_PATH = 0o10000000;
const O_CLOEXEC = 0o2000000;

export class SubPathError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SubPathError';
  }
}

/** `mount.PathWithinBase`. */
export function pathWithinBase(path: string, base: string): boolean {
  const rel = relative(base, path);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !rel.startsWith(sep));
}

/** The kubelet's checks on a subPath (after subPathExpr expansion). */
export function checkSubPath(subPath: string): string | undefined {
  if (subPath.startsWith('/')) return `error SubPath \`${subPath}\` must not be an absolute path`;
  if (subPath.split('/').includes('..')) return `unable to provision SubPath \`${subPath}\`: must not contain '..'`;
  return undefined;
}

/** Creates `subPath` below `volumePath` without following a symlink out of the volume. */
export async function safeMakeDir(volumePath: string, subPath: string, mode: number): Promise<void> {
  const base = await realpath(volumePath);
  const parts = subPath.split('/').filter((p) => p && p !== '.');
  let i = parts.length;
  while (i > 0 && !(await lstat(join(volumePath, ...parts.slice(0, i))).catch(() => undefined))) i--;
  let current = await realpath(join(volumePath, ...parts.slice(0, i)));
  if (!pathWithinBase(current, base)) throw new SubPathError(`path ${current} is outside of allowed base ${base}`);
  if (!(await stat(current)).isDirectory()) throw new SubPathError(`${current} is not a directory`);
  for (const part of parts.slice(i)) {
    const next = join(current, part);
    await mkdir(next, { mode });
    const st = await lstat(next);
    if (!st.isDirectory() || st.isSymbolicLink()) throw new SubPathError(`${next} is not a directory`);
    await chmod(next, mode);
    current = next;
  }
}

export interface SubPathMount {
  volumePath: string;
  subPath: string;
  podDir: string;
  volumeName: string;
  containerName: string;
  /** Index of the volumeMount in the container's list. */
  index: number;
}

/** The stable host path a container mounts for one subPath mount. */
export function subPathTarget(m: SubPathMount): string {
  return join(m.podDir, 'volume-subpaths', m.volumeName, m.containerName, String(m.index));
}

/**
 * Prepares one subPath mount and returns the host path to give the runtime.
 * Creates the subPath as a directory (mode of the volume root) when missing.
 */
export async function prepareSubPath(m: SubPathMount, mounter: Mounter): Promise<string> {
  const full = join(m.volumePath, m.subPath);
  if (!(await lstat(full).catch(() => undefined))) {
    const mode = (await stat(m.volumePath)).mode & 0o7777;
    await safeMakeDir(m.volumePath, m.subPath, mode);
  }
  const base = await realpath(m.volumePath);
  const resolved = await realpath(full);
  if (!pathWithinBase(resolved, base)) throw new SubPathError(`subpath "${resolved}" not within volume path "${base}"`);

  const fd = openSync(resolved, O_PATH | constants.O_NOFOLLOW | O_CLOEXEC);
  try {
    const opened = readlinkSync(`/proc/self/fd/${fd}`);
    if (!pathWithinBase(opened, base)) throw new SubPathError(`subpath "${opened}" not within volume path "${base}"`);
    const isDir = fstatSync(fd).isDirectory();
    const target = subPathTarget(m);
    for (const mp of await mounter.mountPointsUnder(target)) await mounter.unmount(mp);
    // Never recursive: a target that is still a mount point must not be emptied.
    const old = await lstat(target).catch(() => undefined);
    if (old?.isDirectory()) await rmdir(target);
    else if (old) await unlink(target);
    await mkdir(dirname(target), { recursive: true, mode: 0o750 });
    if (isDir) await mkdir(target, { mode: 0o750 });
    else await writeFile(target, '', { mode: 0o640 });
    await mounter.bind(`/proc/${process.pid}/fd/${fd}`, target);
    return target;
  } finally {
    closeSync(fd);
  }
}
