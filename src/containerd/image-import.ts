/**
 * Imports image archives (OCI layout or docker-save tarballs) from a directory
 * into containerd's CRI namespace, like k3s's airgap images.
 *
 * The import itself is `ctr images import` (containerd's own importer, which
 * also unpacks into the CRI snapshotter). For a single-repository archive,
 * `--base-name <repo> --digests` adds the `<repo>@sha256:<manifest>` reference,
 * so CRI reports repoDigests and the kubelet shows an imageID as on a real node.
 *
 * Archives are imported one at a time (see importImageArchives). Warm starts
 * cost milliseconds: a marker file records, per archive, its size, mtime,
 * sha256 and image names. An archive is skipped when the marker matches
 * (size+mtime, or else the sha256) and CRI already reports every one of its
 * images. After an import, the call waits until CRI reports the images, since
 * the CRI plugin learns about them asynchronously from containerd's events.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ImageService } from '../cri/types.ts';
import { findExecutable } from './find-executable.ts';
import { ANNOTATION_IMAGE_NAME } from './oci-archive.ts';
import { defaultSearchPath } from './prerequisites.ts';
import { readTarMembers } from './tar.ts';

export interface ImportTarget {
  /** containerd's gRPC socket, for `ctr`. */
  socketPath: string;
  /** CRI view used to check presence and visibility. */
  images: ImageService;
}

export interface ImportOptions {
  /** JSON file remembering what was imported (lives with containerd's state). */
  markerFile: string;
  snapshotter?: string;
  ctrPath?: string;
  /** How long to wait for CRI to report freshly imported images. */
  visibleTimeoutMs?: number;
  signal?: AbortSignal;
}

export interface ImportResult {
  archive: string;
  images: string[];
  /** false: skipped, already imported. */
  imported: boolean;
  ms: number;
}

export const ImportErrorCode = {
  CtrMissing: 'IMPORT_CTR_MISSING',
  CtrFailed: 'IMPORT_CTR_FAILED',
  NoImageNames: 'IMPORT_NO_IMAGE_NAMES',
  NotVisible: 'IMPORT_NOT_VISIBLE',
} as const;
export type ImportErrorCode = (typeof ImportErrorCode)[keyof typeof ImportErrorCode];

export class ImageImportError extends Error {
  readonly code: ImportErrorCode;
  readonly archive: string;
  constructor(code: ImportErrorCode, archive: string, message: string) {
    super(message);
    this.name = 'ImageImportError';
    this.code = code;
    this.archive = archive;
  }
}

interface MarkerEntry {
  size: number;
  mtimeMs: number;
  sha256: string;
  images: string[];
}
type Marker = Record<string, MarkerEntry>;

export async function importImageArchives(target: ImportTarget, dir: string, opts: ImportOptions): Promise<ImportResult[]> {
  if (!existsSync(dir)) return [];
  const archives = readdirSync(dir)
    .filter((f) => f.endsWith('.tar'))
    .sort()
    .map((f) => join(dir, f));
  const marker = readMarker(opts.markerFile);
  // One archive at a time: containerd's importer ingests each tar member under
  // the ref "tar-<path>", so two OCI layouts imported at once contend for
  // "tar-index.json"'s lock and the loser backs off. Measured on fresh
  // containerds (pause + busybox, 10 interleaved runs): side by side 100–143 ms
  // but 304–671 ms in 3 runs of 10; one after the other 126–171 ms.
  // What succeeded is recorded even when another archive failed; the first
  // failure is then thrown.
  const results: ImportResult[] = [];
  let failure: unknown;
  for (const archive of archives) {
    try {
      results.push(await importOne(target, archive, marker, opts));
    } catch (err) {
      failure ??= err;
      if (opts.signal?.aborted) break;
    }
  }
  writeMarker(opts.markerFile, marker);
  if (failure !== undefined) throw failure;
  return results;
}

/** Imports one archive unless the marker and CRI say it is there already; records it in `marker`. */
async function importOne(target: ImportTarget, archive: string, marker: Marker, opts: ImportOptions): Promise<ImportResult> {
  opts.signal?.throwIfAborted();
  const started = performance.now();
  const st = statSync(archive);
  const old: MarkerEntry | undefined = marker[archive];
  // The archive's digest, once known: the marker's while size and mtime match, else read (once) for the check.
  let sha: string | undefined;
  if (old) {
    sha = old.size === st.size && old.mtimeMs === st.mtimeMs ? old.sha256 : await fileSha256(archive);
    if (old.sha256 === sha && (await allPresent(target.images, old.images))) {
      marker[archive] = { ...old, size: st.size, mtimeMs: st.mtimeMs };
      return { archive, images: old.images, imported: false, ms: performance.now() - started };
    }
  }
  const images = imageNamesOf(archive);
  if (images.length === 0) {
    throw new ImageImportError(ImportErrorCode.NoImageNames, archive, `import image archive "${archive}": it names no image (no io.containerd.image.name annotation or RepoTags)`);
  }
  // The digest is only for the marker (the next start's check): unless known, it is taken while ctr imports.
  const [sha256] = await Promise.all([sha ?? fileSha256(archive), runCtrImport(target.socketPath, archive, images, opts)]);
  await waitVisible(target.images, images, archive, opts.visibleTimeoutMs ?? 10_000, opts.signal);
  marker[archive] = { size: st.size, mtimeMs: st.mtimeMs, sha256, images };
  return { archive, images, imported: true, ms: performance.now() - started };
}

/** Image references an archive declares: OCI index annotations, else docker RepoTags. */
export function imageNamesOf(archive: string): string[] {
  const members = readTarMembers(archive, new Set(['index.json', 'manifest.json']));
  const names = new Set<string>();
  const index = members.get('index.json');
  if (index) {
    const idx = JSON.parse(index.toString('utf8')) as { manifests?: { annotations?: Record<string, string> }[] };
    for (const m of idx.manifests ?? []) {
      const n = m.annotations?.[ANNOTATION_IMAGE_NAME];
      if (n) names.add(n);
    }
  }
  const manifest = members.get('manifest.json');
  if (names.size === 0 && manifest) {
    const list = JSON.parse(manifest.toString('utf8')) as { RepoTags?: string[] | null }[];
    for (const m of list) for (const t of m.RepoTags ?? []) names.add(normalizeReference(t));
  }
  return [...names];
}

/** Docker's short names, fully qualified: `busybox:1.35` → `docker.io/library/busybox:1.35`. */
export function normalizeReference(ref: string): string {
  let name = ref;
  const slash = name.indexOf('/');
  const first = slash === -1 ? '' : name.slice(0, slash);
  if (slash === -1) name = `docker.io/library/${name}`;
  else if (!first.includes('.') && !first.includes(':') && first !== 'localhost') name = `docker.io/${name}`;
  const lastSlash = name.lastIndexOf('/');
  if (!name.includes('@') && name.indexOf(':', lastSlash) === -1) name = `${name}:latest`;
  return name;
}

/** `docker.io/library/busybox:1.35` → `docker.io/library/busybox`. */
export function repositoryOf(ref: string): string {
  const at = ref.indexOf('@');
  const name = at === -1 ? ref : ref.slice(0, at);
  const colon = name.lastIndexOf(':');
  return colon > name.lastIndexOf('/') ? name.slice(0, colon) : name;
}

async function allPresent(images: ImageService, names: string[]): Promise<boolean> {
  const found = await Promise.all(names.map((n) => images.imageStatus(n)));
  return found.every((i) => i !== null);
}

async function waitVisible(images: ImageService, names: string[], archive: string, timeoutMs: number, signal?: AbortSignal) {
  const deadline = performance.now() + timeoutMs;
  for (let delay = 5; ; delay = Math.min(delay * 2, 100)) {
    if (await allPresent(images, names)) return;
    if (performance.now() > deadline) {
      throw new ImageImportError(
        ImportErrorCode.NotVisible,
        archive,
        `import image archive "${archive}": CRI does not report ${names.map((n) => `"${n}"`).join(', ')} ${timeoutMs} ms after the import`,
      );
    }
    await sleep(delay, undefined, { signal });
  }
}

function runCtrImport(socketPath: string, archive: string, images: string[], opts: ImportOptions): Promise<void> {
  const ctr = opts.ctrPath ?? findExecutable('ctr', defaultSearchPath());
  if (!ctr) throw new ImageImportError(ImportErrorCode.CtrMissing, archive, 'ctr not found: install it with "apt-get install containerd"');
  const args = ['--address', socketPath, '--namespace', 'k8s.io', 'images', 'import'];
  // ctr names digest references `<base-name>@sha256:…`; without a base name it
  // would invent `import-<date>`, so only ask for them when one repository is imported.
  const repos = [...new Set(images.map(repositoryOf))];
  if (repos.length === 1) args.push('--base-name', repos[0], '--digests');
  if (opts.snapshotter) args.push('--snapshotter', opts.snapshotter);
  args.push(archive);
  return new Promise((resolve, reject) => {
    execFile(ctr, args, { timeout: 5 * 60_000, signal: opts.signal }, (err, _stdout, stderr) => {
      if (err) {
        reject(new ImageImportError(ImportErrorCode.CtrFailed, archive, `import image archive "${archive}": ctr failed: ${String(stderr).trim() || err.message}`));
      } else resolve();
    });
  });
}

function fileSha256(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const h = createHash('sha256');
    createReadStream(file)
      .on('data', (c) => h.update(c))
      .on('error', reject)
      .on('end', () => resolve(h.digest('hex')));
  });
}

function readMarker(file: string): Marker {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Marker;
  } catch {
    return {};
  }
}

function writeMarker(file: string, marker: Marker): void {
  writeFileSync(`${file}.tmp`, `${JSON.stringify(marker, null, 2)}\n`);
  renameSync(`${file}.tmp`, file);
}
