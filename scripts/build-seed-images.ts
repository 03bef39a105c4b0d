/**
 * Builds berth's offline seed image archives (busybox-1.35.tar, pause.tar) from
 * the Debian packages busybox-static and catatonit.
 *
 *   node scripts/build-seed-images.ts [outDir]     (default: <repo>/images/)
 *
 * Archives already built from the same binaries are left alone. Exit code 1 and
 * a message naming the package to install when an input is missing.
 */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSeedImages, SeedImageError } from '../src/containerd/seed-images.ts';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = resolve(process.argv[2] ?? join(repo, 'images'));

try {
  const started = performance.now();
  const results = await buildSeedImages(outDir);
  for (const r of results) {
    console.log(`${r.built ? 'built' : 'up to date'}: ${r.image} -> ${r.archive} (${r.manifestDigest})`);
  }
  console.log(`seed images ready in ${Math.round(performance.now() - started)} ms`);
} catch (err) {
  if (err instanceof SeedImageError) {
    console.error(err.message);
    process.exit(1);
  }
  throw err;
}
