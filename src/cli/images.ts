/**
 * `berth images`: the node's images, through its containerd's CRI image
 * service — the running one, or, when no node runs on the data directory, a
 * containerd started on its state for the length of the command.
 */
import { mkdtempSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { importImageArchives } from '../containerd/image-import.ts';
import { checkPrerequisites } from '../containerd/prerequisites.ts';
import { chooseSnapshotter } from '../containerd/snapshotter.ts';
import type { CriClient } from '../cri/cri.ts';
import type { AuthConfig, Image, ImageService } from '../cri/types.ts';
import { defaultDataDir } from '../paths.ts';
import { ExitCode, UsageError } from './cli-errors.ts';
import { parseFlags } from './flags.ts';
import { LocalNode } from './local-node.ts';
import { withCriClient, withOwnContainerd } from './node-runtime.ts';
import { seconds } from './play/live-view.ts';

export const imagesHelp = `Usage: berth images [list] [--data-dir DIR]
       berth images load ARCHIVE.tar [ARCHIVE.tar ...] [--data-dir DIR]
       berth images pull IMAGE [--creds USER:PASSWORD] [--data-dir DIR]
       berth images rm IMAGE [IMAGE ...] [--data-dir DIR]

The images of the berth node in DIR, as its containerd has them (the CRI
image service the node agent uses). Works with the node running or not;
when it is not, a containerd is started on DIR's state for the command.

Subcommands:
  list    (default) one line per image reference: IMAGE, TAG, IMAGE ID, SIZE
  load    import image archives (docker save or OCI layout tarballs), as the
          node does at start for the archives in DIR/images
  pull    pull from a registry, showing progress while it runs
  rm      remove images

Flags:
  --data-dir DIR         the node's data directory (default: $BERTH_DATA_DIR, else ${defaultDataDir()})
  --creds USER:PASSWORD  registry credentials for pull
`;

interface ImageAccess {
  images: ImageService;
  socketPath: string;
}

/** Runs `fn` against the node's containerd, starting one for the call when none runs. */
async function withContainerd<T>(node: LocalNode, fn: (a: ImageAccess) => Promise<T>): Promise<T> {
  if (node.containerdPid() === undefined && node.servePid() !== undefined) {
    throw new Error(`the containerd of the node on ${node.dataDir} is not running right now (berth restarts it); try again in a few seconds`);
  }
  const call = (cri: CriClient, socketPath: string) => fn({ images: cri.images, socketPath });
  if (node.containerdPid() !== undefined) return withCriClient(node.containerdSocket, call);
  const missing = checkPrerequisites();
  if (missing.length) throw new Error(`cannot start containerd:\n${missing.map((m) => `  - ${m.message}`).join('\n')}`);
  process.stderr.write(`berth: no node is running on ${node.dataDir}; starting its containerd for this command\n`);
  return withOwnContainerd(node, call);
}

/** Decimal units, as crictl and docker print sizes. */
export function humanSize(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let v = bytes;
  let i = 0;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${i === 0 ? v : v.toPrecision(v < 10 ? 3 : 4).replace(/\.?0+$/, '')}${units[i]}`;
}

/** crictl's `images` rows: one per tag, or one per digest for untagged images. */
export function imageRows(images: Image[]): string[][] {
  const rows: string[][] = [];
  for (const img of images) {
    const id = img.id.replace(/^sha256:/, '').slice(0, 13);
    const size = humanSize(img.size);
    const tags = img.repoTags.length ? img.repoTags : img.repoDigests.map((d) => `${d.split('@')[0]}:<none>`);
    for (const t of tags) {
      const colon = t.lastIndexOf(':');
      const slash = t.lastIndexOf('/');
      const [repo, tag] = colon > slash ? [t.slice(0, colon), t.slice(colon + 1)] : [t, '<none>'];
      rows.push([repo, tag, id, size]);
    }
  }
  return rows.sort((a, b) => a[0].localeCompare(b[0]) || a[1].localeCompare(b[1]));
}

function printTable(header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  for (const r of [header, ...rows]) process.stdout.write(`${r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join('   ')}\n`);
}

export async function images(argv: string[]): Promise<number> {
  const sub = argv[0] && !argv[0].startsWith('-') ? argv[0] : 'list';
  const rest = argv[0] === sub ? argv.slice(1) : argv;
  const { values, positionals } = parseFlags('images', rest, { 'data-dir': { type: 'string' }, creds: { type: 'string' } }, { positionals: true });
  if (values.creds !== undefined && sub !== 'pull') throw new UsageError('--creds goes with "berth images pull"', 'images');
  const node = new LocalNode(values['data-dir'] ?? defaultDataDir());
  if ((sub === 'list' || sub === 'ls' || sub === 'rm') && !node.exists) {
    process.stderr.write(`berth: no berth node in ${node.dataDir} (no state there yet); start one with "berth serve", or load images into it with "berth images load"\n`);
    return ExitCode.Failure;
  }
  switch (sub) {
    case 'list':
    case 'ls': {
      if (positionals.length) throw new UsageError(`"berth images list" takes no arguments, got "${positionals[0]}"`, 'images');
      const list = await withContainerd(node, (a) => a.images.listImages());
      printTable(['IMAGE', 'TAG', 'IMAGE ID', 'SIZE'], imageRows(list));
      return ExitCode.Ok;
    }
    case 'load': {
      if (!positionals.length) throw new UsageError('"berth images load" needs at least one image archive (.tar)', 'images');
      const archives = positionals.map((p) => resolve(p));
      for (const a of archives) {
        let ok = false;
        try {
          ok = statSync(a).isFile();
        } catch {
          ok = false;
        }
        if (!ok) throw new UsageError(`image archive "${a}" does not exist or is not a file`, 'images');
      }
      await withContainerd(node, async (access) => {
        for (const archive of archives) {
          // The importer reads a directory; give it one holding just this archive.
          const dir = mkdtempSync(join(tmpdir(), 'berth-load-'));
          try {
            const name = basename(archive).endsWith('.tar') ? basename(archive) : `${basename(archive)}.tar`;
            symlinkSync(archive, join(dir, name));
            process.stderr.write(`berth: importing ${archive}\n`);
            const [r] = await importImageArchives(access, dir, { markerFile: join(dir, 'imported.json'), snapshotter: chooseSnapshotter(node.dataDir) });
            process.stdout.write(`loaded ${r.images.join(', ')} from ${archive} in ${seconds(r.ms)}\n`);
          } finally {
            rmSync(dir, { recursive: true, force: true });
          }
        }
      });
      return ExitCode.Ok;
    }
    case 'pull': {
      if (positionals.length !== 1) throw new UsageError('"berth images pull" needs exactly one image reference', 'images');
      let auth: AuthConfig | undefined;
      if (values.creds !== undefined) {
        const i = values.creds.indexOf(':');
        if (i <= 0) throw new UsageError('--creds must be USER:PASSWORD', 'images');
        auth = { username: values.creds.slice(0, i), password: values.creds.slice(i + 1) };
      }
      const ref = positionals[0];
      await withContainerd(node, async (a) => {
        const started = performance.now();
        process.stderr.write(`berth: pulling ${ref}\n`);
        const timer = setInterval(() => process.stderr.write(`berth: still pulling ${ref} (${seconds(performance.now() - started)})\n`), 2000);
        try {
          const id = await a.images.pullImage(ref, auth);
          process.stdout.write(`pulled ${ref} (${id}) in ${seconds(performance.now() - started)}\n`);
        } catch (err) {
          throw new Error(`pull ${ref}: ${(err as Error).message}`);
        } finally {
          clearInterval(timer);
        }
      });
      return ExitCode.Ok;
    }
    case 'rm': {
      if (!positionals.length) throw new UsageError('"berth images rm" needs at least one image reference', 'images');
      await withContainerd(node, async (a) => {
        for (const ref of positionals) {
          if ((await a.images.imageStatus(ref)) === null) throw new Error(`remove image ${ref}: no such image`);
          await a.images.removeImage(ref);
          process.stdout.write(`deleted ${ref}\n`);
        }
      });
      return ExitCode.Ok;
    }
    default:
      throw new UsageError(`unknown subcommand "${sub}" for "berth images" (list, load, pull, rm)`, 'images');
  }
}
