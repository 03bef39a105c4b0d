import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { imageNamesOf, importImageArchives, normalizeReference, repositoryOf } from './image-import.ts';
import { buildPauseArchive } from './seed-images.ts';
import { writeTar } from './tar.ts';
import type { Image, ImageService } from '../cri/types.ts';

function tempDir(t: { after: (fn: () => void) => void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'berth-import-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test('normalizeReference qualifies docker short names like docker does', () => {
  assert.equal(normalizeReference('busybox'), 'docker.io/library/busybox:latest');
  assert.equal(normalizeReference('busybox:1.35'), 'docker.io/library/busybox:1.35');
  assert.equal(normalizeReference('team/app:1'), 'docker.io/team/app:1');
  assert.equal(normalizeReference('registry.local:5000/app'), 'registry.local:5000/app:latest');
  assert.equal(normalizeReference('localhost/app:2'), 'localhost/app:2');
});

test('repositoryOf strips the tag or digest but not a registry port', () => {
  assert.equal(repositoryOf('docker.io/library/busybox:1.35'), 'docker.io/library/busybox');
  assert.equal(repositoryOf('registry.local:5000/app'), 'registry.local:5000/app');
  assert.equal(repositoryOf('registry.local:5000/app@sha256:abc'), 'registry.local:5000/app');
});

test('imageNamesOf reads names from an OCI index, or from docker RepoTags when there is none', (t) => {
  const dir = tempDir(t);
  const oci = join(dir, 'oci.tar');
  writeFileSync(oci, buildPauseArchive(Buffer.from('x')).archive);
  assert.deepEqual(imageNamesOf(oci), ['berth.local/pause:catatonit']);

  const docker = join(dir, 'docker.tar');
  const manifest = [{ Config: 'c.json', RepoTags: ['busybox:1.36', 'example.test/a:b'], Layers: [] }];
  writeFileSync(docker, writeTar([{ type: 'file', path: 'manifest.json', data: Buffer.from(JSON.stringify(manifest)) }], { mtime: 0 }));
  assert.deepEqual(imageNamesOf(docker), ['docker.io/library/busybox:1.36', 'example.test/a:b']);
});

test('importImageArchives imports new archives, then skips them while CRI still has their images', async (t) => {
  const dir = tempDir(t);
  const images = join(dir, 'images');
  mkdirSync(images);
  writeFileSync(join(images, 'pause.tar'), buildPauseArchive(Buffer.from('x')).archive);
  writeFileSync(join(images, 'notes.txt'), 'not an archive');

  // CRI as the importer sees it: which names ImageStatus reports.
  const present = new Set<string>();
  const fake: ImageService = {
    listImages: async () => [],
    imageStatus: async (name: string): Promise<Image | null> =>
      present.has(name) ? { id: 'sha256:x', repoTags: [name], repoDigests: [], size: 1 } : null,
    pullImage: async () => '',
    removeImage: async () => {},
  };
  // A ctr that records its arguments (the real import is covered by containerd.test.ts).
  const ctrLog = join(dir, 'ctr.log');
  const ctr = join(dir, 'ctr');
  writeFileSync(ctr, `#!/bin/sh\necho "$@" >> ${ctrLog}\n`, { mode: 0o755 });
  const ctrRuns = () => (existsSync(ctrLog) ? readFileSync(ctrLog, 'utf8').trim().split('\n') : []);
  const target = { socketPath: '/run/fake.sock', images: fake };
  const opts = { markerFile: join(dir, 'marker.json'), ctrPath: ctr, snapshotter: 'overlayfs', visibleTimeoutMs: 100 };

  // The import ran, but CRI never reported the image: that is an error, and nothing is recorded.
  await assert.rejects(importImageArchives(target, images, opts), /CRI does not report "berth\.local\/pause:catatonit"/);
  assert.deepEqual(ctrRuns(), [
    `--address /run/fake.sock --namespace k8s.io images import --base-name berth.local/pause --digests --snapshotter overlayfs ${join(images, 'pause.tar')}`,
  ]);

  present.add('berth.local/pause:catatonit');
  const first = await importImageArchives(target, images, opts);
  assert.deepEqual(first.map((r) => [r.images, r.imported]), [[['berth.local/pause:catatonit'], true]]);
  assert.equal(ctrRuns().length, 2);

  const second = await importImageArchives(target, images, opts);
  assert.deepEqual(second.map((r) => r.imported), [false]);
  assert.equal(ctrRuns().length, 2, 'no ctr run for a skipped archive');

  // An image removed from CRI behind berth's back is imported again.
  present.clear();
  await assert.rejects(importImageArchives(target, images, opts), /CRI does not report/);
  assert.equal(ctrRuns().length, 3);
});

test('importImageArchives imports archives one at a time and records those that succeeded when one fails', async (t) => {
  const dir = tempDir(t);
  const images = join(dir, 'images');
  mkdirSync(images);
  writeFileSync(join(images, 'a.tar'), buildPauseArchive(Buffer.from('a')).archive);
  writeFileSync(join(images, 'b.tar'), buildPauseArchive(Buffer.from('b')).archive);
  const manifest = [{ Config: 'c.json', RepoTags: ['example.test/other:1'], Layers: [] }];
  writeFileSync(join(images, 'c.tar'), writeTar([{ type: 'file', path: 'manifest.json', data: Buffer.from(JSON.stringify(manifest)) }], { mtime: 0 }));
  const present = new Set(['berth.local/pause:catatonit', 'example.test/other:1']);
  const fake: ImageService = {
    listImages: async () => [],
    imageStatus: async (name: string): Promise<Image | null> => (present.has(name) ? { id: 'sha256:x', repoTags: [name], repoDigests: [], size: 1 } : null),
    pullImage: async () => '',
    removeImage: async () => {},
  };
  // Each ctr logs its start, waits, logs its end; the one for b.tar fails.
  const ctrLog = join(dir, 'ctr.log');
  const ctr = join(dir, 'ctr');
  writeFileSync(ctr, `#!/bin/sh\nfor a; do f=$a; done\necho "start $f" >> ${ctrLog}\nsleep 0.05\necho "end $f" >> ${ctrLog}\ncase $f in *b.tar) echo "ctr: broken layer" >&2; exit 1;; esac\n`, { mode: 0o755 });
  const markerFile = join(dir, 'marker.json');
  await assert.rejects(
    importImageArchives({ socketPath: '/run/fake.sock', images: fake }, images, { markerFile, ctrPath: ctr, visibleTimeoutMs: 100 }),
    /import image archive ".*b\.tar": ctr failed: ctr: broken layer/,
  );
  const log = readFileSync(ctrLog, 'utf8').trim().split('\n');
  const runs = ['a', 'b', 'c'].flatMap((n) => [`start ${join(images, `${n}.tar`)}`, `end ${join(images, `${n}.tar`)}`]);
  assert.deepEqual(log, runs, 'ctr runs one after the other, and on past a failure');
  assert.deepEqual(Object.keys(JSON.parse(readFileSync(markerFile, 'utf8'))).sort(), [join(images, 'a.tar'), join(images, 'c.tar')]);
});
