/**
 * The two offline seed images, built from static binaries of Debian packages:
 *
 *   docker.io/library/busybox:1.35  from busybox-static (/usr/bin/busybox, upstream 1.35)
 *   berth.local/pause:catatonit      from catatonit (/usr/bin/catatonit), run as `catatonit -P`
 *
 * The busybox rootfs mirrors the official image's layout: the binary at
 * /bin/busybox, every applet as a hard link at the path `busybox --list-full`
 * gives, /etc/passwd and /etc/group with root and nobody, /tmp (1777), /root,
 * /home, /var, /usr/bin… Archives are deterministic (fixed mtimes), so an
 * archive's digest only changes when the input binary or this builder does.
 *
 * `buildSeedImages(outDir)` skips an archive whose stamp (input binary digest +
 * BUILDER_VERSION) matches, so re-running setup costs a file hash.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { buildOciArchive, type OciImageArchive } from './oci-archive.ts';
import { writeTar, type TarEntry } from './tar.ts';

const execFileAsync = promisify(execFile);

export const BUSYBOX_IMAGE = 'docker.io/library/busybox:1.35';
/** The sandbox ("pause") image; containerd's `sandbox_image`. */
export const PAUSE_IMAGE = 'berth.local/pause:catatonit';
export const BUSYBOX_ARCHIVE = 'busybox-1.35.tar';
export const PAUSE_ARCHIVE = 'pause.tar';

/** Bump when the archive layout changes, so stamped archives are rebuilt. */
export const BUILDER_VERSION = 1;

/** 2022-01-01T00:00:00Z: every tar entry's mtime and the config's `created`. */
const SEED_EPOCH = 1640995200;
const SEED_CREATED = '2022-01-01T00:00:00Z';
const DEFAULT_PATH = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export const SeedErrorCode = {
  BinaryMissing: 'SEED_BINARY_MISSING',
  WrongVersion: 'SEED_WRONG_VERSION',
} as const;
export type SeedErrorCode = (typeof SeedErrorCode)[keyof typeof SeedErrorCode];

export class SeedImageError extends Error {
  readonly code: SeedErrorCode;
  constructor(code: SeedErrorCode, message: string) {
    super(message);
    this.name = 'SeedImageError';
    this.code = code;
  }
}

const PASSWD = [
  'root:x:0:0:root:/root:/bin/sh',
  'daemon:x:1:1:daemon:/usr/sbin:/bin/false',
  'bin:x:2:2:bin:/bin:/bin/false',
  'sys:x:3:3:sys:/dev:/bin/false',
  'sync:x:4:100:sync:/bin:/bin/sync',
  'mail:x:8:8:mail:/var/spool/mail:/bin/false',
  'www-data:x:33:33:www-data:/var/www:/bin/false',
  'operator:x:37:37:Operator:/var:/bin/false',
  'nobody:x:65534:65534:nobody:/home:/bin/false',
];
const GROUP = [
  'root:x:0:', 'daemon:x:1:', 'bin:x:2:', 'sys:x:3:', 'adm:x:4:', 'tty:x:5:', 'disk:x:6:', 'lp:x:7:', 'mail:x:8:',
  'kmem:x:9:', 'wheel:x:10:root', 'cdrom:x:11:', 'dialout:x:18:', 'floppy:x:19:', 'video:x:28:', 'audio:x:29:',
  'tape:x:32:', 'www-data:x:33:', 'operator:x:37:', 'utmp:x:43:', 'plugdev:x:46:', 'staff:x:50:', 'lock:x:54:',
  'netdev:x:82:', 'users:x:100:', 'nobody:x:65534:',
];

/**
 * The busybox rootfs as tar entries. `applets` are `--list-full` paths
 * (`bin/sh`, `usr/bin/env`, …); each becomes a hard link to `bin/busybox`.
 */
export function busyboxRootfs(binary: Buffer, applets: readonly string[]): TarEntry[] {
  const dirs = new Set(['bin', 'dev', 'etc', 'home', 'proc', 'root', 'sys', 'tmp', 'usr', 'usr/bin', 'usr/sbin', 'sbin', 'var', 'var/spool', 'var/spool/mail', 'var/www']);
  const links = [...new Set(applets.map((a) => a.replace(/^\/+/, '')))]
    // `linuxrc` is an initramfs hook, not part of the busybox image.
    .filter((a) => a.includes('/') && a !== 'bin/busybox')
    .sort();
  for (const l of links) {
    const parts = l.split('/');
    for (let i = 1; i < parts.length; i++) dirs.add(parts.slice(0, i).join('/'));
  }
  const entries: TarEntry[] = [...dirs].sort().map((d): TarEntry => {
    if (d === 'tmp') return { type: 'dir', path: d, mode: 0o1777 };
    if (d === 'root') return { type: 'dir', path: d, mode: 0o700 };
    if (d === 'home') return { type: 'dir', path: d, mode: 0o755, uid: 65534, gid: 65534 };
    return { type: 'dir', path: d, mode: 0o755 };
  });
  entries.push(
    { type: 'file', path: 'bin/busybox', data: binary, mode: 0o755 },
    { type: 'file', path: 'etc/passwd', data: Buffer.from(`${PASSWD.join('\n')}\n`), mode: 0o644 },
    { type: 'file', path: 'etc/group', data: Buffer.from(`${GROUP.join('\n')}\n`), mode: 0o644 },
  );
  for (const l of links) entries.push({ type: 'hardlink', path: l, target: 'bin/busybox', mode: 0o755 });
  return entries;
}

export function pauseRootfs(catatonit: Buffer): TarEntry[] {
  return [
    { type: 'dir', path: 'dev' },
    { type: 'dir', path: 'etc' },
    { type: 'dir', path: 'proc' },
    { type: 'dir', path: 'sys' },
    { type: 'file', path: 'catatonit', data: catatonit, mode: 0o755 },
  ];
}

export function buildBusyboxArchive(binary: Buffer, applets: readonly string[]): OciImageArchive {
  return buildOciArchive({
    name: BUSYBOX_IMAGE,
    layers: [writeTar(busyboxRootfs(binary, applets), { mtime: SEED_EPOCH })],
    config: { Env: [DEFAULT_PATH], Cmd: ['sh'] },
    architecture: 'amd64',
    os: 'linux',
    created: SEED_CREATED,
    createdBy: ['berth: busybox-static 1.35 from Debian, applets as hard links to /bin/busybox'],
    mtime: SEED_EPOCH,
  });
}

export function buildPauseArchive(catatonit: Buffer): OciImageArchive {
  return buildOciArchive({
    name: PAUSE_IMAGE,
    layers: [writeTar(pauseRootfs(catatonit), { mtime: SEED_EPOCH })],
    config: { Env: [DEFAULT_PATH], Entrypoint: ['/catatonit', '-P'], WorkingDir: '/' },
    architecture: 'amd64',
    os: 'linux',
    created: SEED_CREATED,
    createdBy: ['berth: catatonit from Debian as the pod sandbox process (catatonit -P)'],
    mtime: SEED_EPOCH,
  });
}

export interface SeedSources {
  busybox: string;
  catatonit: string;
}

export const DEFAULT_SEED_SOURCES: SeedSources = { busybox: '/usr/bin/busybox', catatonit: '/usr/bin/catatonit' };

export interface SeedBuildResult {
  image: string;
  archive: string;
  /** false when the archive was already up to date. */
  built: boolean;
  manifestDigest: string;
}

interface Stamp {
  builderVersion: number;
  source: string;
  sourceDigest: string;
  manifestDigest: string;
}

/** Builds `busybox-1.35.tar` and `pause.tar` in `outDir`, skipping up-to-date ones. */
export async function buildSeedImages(outDir: string, sources: SeedSources = DEFAULT_SEED_SOURCES): Promise<SeedBuildResult[]> {
  mkdirSync(outDir, { recursive: true });
  const busybox = readSource(sources.busybox, 'busybox-static');
  const catatonit = readSource(sources.catatonit, 'catatonit');
  return [
    await buildOne(outDir, BUSYBOX_IMAGE, BUSYBOX_ARCHIVE, sources.busybox, busybox, async () => {
      await checkBusyboxVersion(sources.busybox);
      return buildBusyboxArchive(busybox, await listBusyboxApplets(sources.busybox));
    }),
    await buildOne(outDir, PAUSE_IMAGE, PAUSE_ARCHIVE, sources.catatonit, catatonit, async () => buildPauseArchive(catatonit)),
  ];
}

async function buildOne(
  outDir: string,
  image: string,
  file: string,
  source: string,
  sourceBytes: Buffer,
  build: () => Promise<OciImageArchive>,
): Promise<SeedBuildResult> {
  const archive = join(outDir, file);
  const stampPath = `${archive}.stamp`;
  const sourceDigest = createHash('sha256').update(sourceBytes).digest('hex');
  const old = readStamp(stampPath);
  if (old && existsSync(archive) && old.builderVersion === BUILDER_VERSION && old.sourceDigest === sourceDigest) {
    return { image, archive, built: false, manifestDigest: old.manifestDigest };
  }
  const built = await build();
  // Write-then-rename: an importer never sees a half-written archive.
  writeFileSync(`${archive}.partial`, built.archive);
  renameSync(`${archive}.partial`, archive);
  const stamp: Stamp = { builderVersion: BUILDER_VERSION, source, sourceDigest, manifestDigest: built.manifestDigest };
  writeFileSync(stampPath, `${JSON.stringify(stamp, null, 2)}\n`);
  return { image, archive, built: true, manifestDigest: built.manifestDigest };
}

function readStamp(path: string): Stamp | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Stamp;
  } catch {
    return undefined;
  }
}

function readSource(path: string, pkg: string): Buffer {
  try {
    return readFileSync(path);
  } catch {
    throw new SeedImageError(SeedErrorCode.BinaryMissing, `build seed images: "${path}" not found: install it with "apt-get install ${pkg}"`);
  }
}

/** `busybox --list-full`: applet paths relative to /, e.g. `bin/sh`. */
export async function listBusyboxApplets(busybox: string): Promise<string[]> {
  const { stdout } = await execFileAsync(busybox, ['--list-full']);
  return stdout.split('\n').map((l) => l.trim()).filter(Boolean);
}

/** The image is tagged 1.35: refuse to label another release as that. */
async function checkBusyboxVersion(busybox: string): Promise<void> {
  // `busybox` with no arguments prints its banner and exits 0 (or 1 on some builds).
  const out = await execFileAsync(busybox, []).then(
    (r) => r.stdout,
    (e: { stdout?: string }) => e.stdout ?? '',
  );
  const m = /BusyBox v(\d+)\.(\d+)\./.exec(out);
  if (!m || m[1] !== '1' || m[2] !== '35') {
    throw new SeedImageError(
      SeedErrorCode.WrongVersion,
      `build seed images: "${busybox}" is ${m ? `BusyBox v${m[1]}.${m[2]}` : 'not BusyBox'}, but the image is tagged busybox:1.35`,
    );
  }
}
