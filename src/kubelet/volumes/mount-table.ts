/**
 * The host's mount table, as the volume manager needs it: which mount points
 * lie under a directory (read from /proc/self/mountinfo, so it survives a
 * SIGKILLed berth), and tmpfs / bind mounts and unmounts through util-linux
 * `mount` and `umount` (Node has no mount system call), batched so that many
 * pods starting or stopping together do not fork berth once each
 * (command-batch.ts).
 *
 * `Mounter` is the narrow interface the volume code takes, so unit tests can
 * record mounts instead of making them.
 */
import { readFile } from 'node:fs/promises';
import { CommandBatcher } from './command-batch.ts';

const commands = new CommandBatcher();
const run = (cmd: string, args: string[]) => commands.run([cmd, ...args]);

export interface Mounter {
  /** Mounts a fresh tmpfs on `dir`, limited to `sizeBytes` when given. */
  mountTmpfs(dir: string, sizeBytes?: bigint): Promise<void>;
  /** Bind-mounts `source` (taken literally, e.g. `/proc/<pid>/fd/<n>`) on `target`. */
  bind(source: string, target: string): Promise<void>;
  unmount(target: string): Promise<void>;
  /** Mount points at or below `dir`, deepest first. */
  mountPointsUnder(dir: string): Promise<string[]>;
}

/** mountinfo escapes space, tab, newline and backslash as `\ooo`. */
function unescapeMountPath(s: string): string {
  return s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
}

/** The mount points (field 5) of a /proc/<pid>/mountinfo text. */
export function parseMountInfo(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    const fields = line.split(' ');
    if (fields.length > 4) out.push(unescapeMountPath(fields[4]));
  }
  return out;
}

/** Mount points equal to or below `dir`, deepest (longest) first. */
export function mountPointsBelow(mountPoints: readonly string[], dir: string): string[] {
  const base = dir.replace(/\/+$/, '');
  const hits = mountPoints.filter((m) => m === base || m.startsWith(`${base}/`));
  return [...new Set(hits)].sort((a, b) => b.length - a.length);
}

function commandError(what: string, err: unknown): Error {
  const e = err as { stderr?: string; message?: string };
  const detail = (e.stderr ?? '').trim() || e.message || String(err);
  return new Error(`${what} failed: ${detail}`);
}

export const hostMounter: Mounter = {
  async mountTmpfs(dir, sizeBytes) {
    const args = ['-t', 'tmpfs'];
    if (sizeBytes !== undefined && sizeBytes > 0n) args.push('-o', `size=${sizeBytes}`);
    try {
      await run('mount', [...args, 'tmpfs', dir]);
    } catch (err) {
      throw commandError(`mount tmpfs on ${dir}`, err);
    }
  },
  async bind(source, target) {
    try {
      await run('mount', ['--no-canonicalize', '--bind', source, target]);
    } catch (err) {
      throw commandError(`bind mount of ${source} on ${target}`, err);
    }
  },
  async unmount(target) {
    try {
      await run('umount', [target]);
    } catch (err) {
      const first = commandError(`unmount ${target}`, err);
      // A mount still busy (a shim exiting) is detached now and freed when released.
      try {
        await run('umount', ['--lazy', target]);
      } catch {
        throw first;
      }
    }
  },
  async mountPointsUnder(dir) {
    return mountPointsBelow(parseMountInfo(await readFile('/proc/self/mountinfo', 'utf8')), dir);
  },
};
