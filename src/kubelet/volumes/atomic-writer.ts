/**
 * The kubelet's AtomicWriter: projects a set of files into a volume directory
 * so that readers never see a half-updated volume.
 *
 *   <dir>/..2024_05_01_10_00_00.123456789/   the real files of one version
 *   <dir>/..data -> ..2024_05_01_10_00_00.123456789
 *   <dir>/<name> -> ..data/<name>            one symlink per top-level entry
 *
 * An update writes a new timestamped directory, points `..data_tmp` at it and
 * renames that over `..data` (rename is atomic), then removes entries no
 * longer in the payload and the old version. Nothing is written when the
 * payload equals what is on disk. Paths starting with `..` are reserved.
 *
 * Not safe for concurrent writers to the same directory: the caller (one pod
 * worker per pod) serializes.
 *
 * The file operations are synchronous: a volume is a handful of small files
 * in berth's own directory (on tmpfs for secrets and projected volumes), and
 * two dozen round trips through libuv's thread pool cost more than the work
 * itself on the path from a pod's creation to its sandbox.
 */
import { randomInt } from 'node:crypto';
import { chmodSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, renameSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';

export interface FileProjection {
  data: Buffer;
  /** Permission bits (0644 by default). */
  mode: number;
}

export type Payload = Map<string, FileProjection>;

export const dataDirName = '..data';
const newDataDirName = '..data_tmp';
const maxFileNameLength = 255;
const maxPathLength = 4096;

/** The kubelet's `validatePath` texts. */
export function validatePayloadPath(p: string): string | undefined {
  if (p === '') return `invalid path: must not be empty: ""`;
  if (p.startsWith('/')) return `invalid path: must be relative path: ${p}`;
  if (p.length > maxPathLength) return `invalid path: must be less than or equal to ${maxPathLength} characters`;
  const items = p.split('/');
  for (const item of items) {
    if (item === '..') return `invalid path: must not contain '..': ${p}`;
    if (Buffer.byteLength(item) > maxFileNameLength) {
      return `invalid path: filenames must be less than or equal to ${maxFileNameLength} characters`;
    }
  }
  if (items[0].startsWith('..') && items[0].length > 2) return `invalid path: must not start with '..': ${p}`;
  return undefined;
}

function two(n: number): string {
  return String(n).padStart(2, '0');
}

/** `..2006_01_02_15_04_05.` in UTC, the prefix of a version directory. */
export function versionDirPrefix(now: Date): string {
  return `..${now.getUTCFullYear()}_${two(now.getUTCMonth() + 1)}_${two(now.getUTCDate())}_${two(now.getUTCHours())}_${two(
    now.getUTCMinutes(),
  )}_${two(now.getUTCSeconds())}.`;
}

function exists(p: string): boolean {
  try {
    return lstatSync(p, { throwIfNoEntry: false }) !== undefined;
  } catch {
    return false;
  }
}

/** Relative paths of every file and directory below `dir`. */
function walk(dir: string, prefix = ''): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    out.push(rel);
    if (e.isDirectory()) out.push(...walk(join(dir, e.name), rel));
  }
  return out;
}

function readOrUndefined(p: string): Buffer | undefined {
  try {
    return readFileSync(p);
  } catch {
    return undefined;
  }
}

function differs(oldVersion: string, payload: Payload): boolean {
  for (const [p, f] of payload) {
    const onDisk = readOrUndefined(join(oldVersion, p));
    if (!onDisk || !onDisk.equals(f.data)) return true;
  }
  return false;
}

export interface WriteOptions {
  now: Date;
  /** Applied to the new version before it becomes visible (fsGroup ownership). */
  setPerms?: (versionDir: string) => Promise<void>;
}

/**
 * Projects `payload` into `targetDir` (which must exist). Returns whether a
 * new version was written. Throws with the kubelet's text for invalid paths.
 */
export async function writeAtomically(targetDir: string, input: Payload, opts: WriteOptions): Promise<boolean> {
  const payload: Payload = new Map();
  for (const [p, f] of input) {
    const err = validatePayloadPath(p);
    if (err) throw new Error(err);
    payload.set(normalize(p).replace(/\/$/, ''), f);
  }

  const dataDir = join(targetDir, dataDirName);
  let oldVersionName = '';
  try {
    oldVersionName = readlinkSync(dataDir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const oldVersion = oldVersionName ? join(targetDir, oldVersionName) : '';

  let toRemove: string[] = [];
  if (oldVersion) {
    const wanted = new Set<string>();
    for (const p of payload.keys()) {
      for (let sub = p; sub && sub !== '.'; sub = dirname(sub)) wanted.add(sub);
    }
    let present: string[] = [];
    try {
      present = walk(oldVersion);
    } catch {
      // An unreadable old version is replaced whole.
    }
    toRemove = present.filter((p) => !wanted.has(p));
    if (toRemove.length === 0 && !differs(oldVersion, payload)) return false;
  }

  // A new version directory: `..<UTC timestamp>.<random digits>`, mode 0755.
  const prefix = versionDirPrefix(opts.now);
  let versionName = '';
  for (let i = 0; !versionName; i++) {
    const candidate = `${prefix}${randomInt(1, 2 ** 31)}`;
    try {
      mkdirSync(join(targetDir, candidate));
      versionName = candidate;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || i > 100) throw err;
    }
  }
  const version = join(targetDir, versionName);
  try {
    chmodSync(version, 0o755);
    for (const [p, f] of payload) {
      const full = join(version, p);
      mkdirSync(dirname(full), { recursive: true, mode: 0o755 });
      writeFileSync(full, f.data, { mode: f.mode });
      chmodSync(full, f.mode);
    }
    await opts.setPerms?.(version);
    const tmpLink = join(targetDir, newDataDirName);
    rmSync(tmpLink, { force: true });
    symlinkSync(versionName, tmpLink);
    renameSync(tmpLink, dataDir);
  } catch (err) {
    rmSync(version, { recursive: true, force: true });
    throw err;
  }

  // User-visible entries: one symlink per top-level name into ..data.
  for (const p of payload.keys()) {
    const top = p.split('/')[0];
    const visible = join(targetDir, top);
    if (!exists(visible)) symlinkSync(join(dataDirName, top), visible);
  }
  for (const p of toRemove) {
    if (p.includes('/')) continue;
    try {
      unlinkSync(join(targetDir, p));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }
  if (oldVersion) rmSync(oldVersion, { recursive: true, force: true });
  return true;
}

/** Whether `dir` holds a version written by `writeAtomically`. */
export async function hasVersion(dir: string): Promise<boolean> {
  return exists(join(dir, dataDirName));
}
