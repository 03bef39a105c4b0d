import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, copyFileSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import {
  BUSYBOX_ARCHIVE,
  BUSYBOX_IMAGE,
  buildPauseArchive,
  buildSeedImages,
  busyboxRootfs,
  PAUSE_ARCHIVE,
  PAUSE_IMAGE,
  SeedErrorCode,
  SeedImageError,
} from './seed-images.ts';
import { readTar } from './tar.ts';

function tempDir(t: { after: (fn: () => void) => void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'berth-seed-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function imageOf(archive: Buffer) {
  const m = new Map(readTar(archive).map((e) => [e.path, e.data]));
  const blob = (d: string) => m.get(`blobs/sha256/${d.slice(7)}`)!;
  const index = JSON.parse(m.get('index.json')!.toString());
  const manifest = JSON.parse(blob(index.manifests[0].digest).toString());
  const config = JSON.parse(blob(manifest.config.digest).toString());
  const layer = readTar(gunzipSync(blob(manifest.layers[0].digest)));
  return { index, config, layer };
}

test('busyboxRootfs links every applet to /bin/busybox and lays out the base directories', () => {
  const entries = busyboxRootfs(Buffer.from('ELF'), ['bin/sh', 'usr/bin/env', 'sbin/ip', 'linuxrc', 'bin/busybox', 'usr/bin/env']);
  const byPath = new Map(entries.map((e) => [e.path, e]));
  assert.deepEqual(byPath.get('bin/sh'), { type: 'hardlink', path: 'bin/sh', target: 'bin/busybox', mode: 0o755 });
  assert.equal(byPath.get('usr/bin/env')?.type, 'hardlink');
  assert.equal(byPath.get('sbin/ip')?.type, 'hardlink');
  assert.equal(byPath.has('linuxrc'), false, 'linuxrc is not part of the image');
  assert.equal(entries.filter((e) => e.path === 'usr/bin/env').length, 1, 'duplicates collapse');
  assert.equal(byPath.get('bin/busybox')?.type, 'file');
  assert.deepEqual(byPath.get('tmp'), { type: 'dir', path: 'tmp', mode: 0o1777 });
  for (const d of ['root', 'home', 'var', 'usr/bin', 'usr/sbin', 'etc', 'proc', 'sys', 'dev']) assert.equal(byPath.get(d)?.type, 'dir', d);
  const passwd = (byPath.get('etc/passwd') as { data: Buffer }).data.toString();
  assert.match(passwd, /^root:x:0:0:root:\/root:\/bin\/sh$/m);
  assert.match(passwd, /^nobody:x:65534:65534:nobody:\/home:\/bin\/false$/m);
  const group = (byPath.get('etc/group') as { data: Buffer }).data.toString();
  assert.match(group, /^root:x:0:$/m);
  assert.match(group, /^nobody:x:65534:$/m);
  // Parents come before children, so extraction never meets a missing directory.
  const order = entries.map((e) => e.path);
  assert.ok(order.indexOf('usr') < order.indexOf('usr/bin'));
  assert.ok(order.indexOf('usr/bin') < order.indexOf('usr/bin/env'));
});

test('buildPauseArchive runs catatonit -P as the entrypoint under the sandbox image name', () => {
  const { index, config, layer } = imageOf(buildPauseArchive(Buffer.from('catatonit-bytes')).archive);
  assert.equal(index.manifests[0].annotations['io.containerd.image.name'], PAUSE_IMAGE);
  assert.deepEqual(config.config.Entrypoint, ['/catatonit', '-P']);
  assert.equal(config.architecture, 'amd64');
  const bin = layer.find((e) => e.path === 'catatonit')!;
  assert.equal(bin.mode, 0o755);
  assert.equal(bin.data.toString(), 'catatonit-bytes');
});

test('buildSeedImages builds busybox and pause archives from the Debian binaries, then skips them when up to date', async (t) => {
  const dir = tempDir(t);
  const first = await buildSeedImages(dir);
  assert.deepEqual(first.map((r) => [r.image, r.built]), [[BUSYBOX_IMAGE, true], [PAUSE_IMAGE, true]]);

  const { index, config, layer } = imageOf(readFileSync(join(dir, BUSYBOX_ARCHIVE)));
  assert.equal(index.manifests[0].annotations['io.containerd.image.name'], BUSYBOX_IMAGE);
  assert.deepEqual(config.config.Cmd, ['sh']);
  assert.deepEqual(config.config.Env, ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin']);
  assert.equal(config.os, 'linux');
  const sh = layer.find((e) => e.path === 'bin/sh')!;
  assert.equal(sh.type, 'hardlink');
  assert.equal(sh.linkname, 'bin/busybox');
  assert.deepEqual(layer.find((e) => e.path === 'bin/busybox')!.data, readFileSync('/usr/bin/busybox'));

  const mtime = statSync(join(dir, PAUSE_ARCHIVE)).mtimeMs;
  const second = await buildSeedImages(dir);
  assert.deepEqual(second.map((r) => r.built), [false, false]);
  assert.equal(statSync(join(dir, PAUSE_ARCHIVE)).mtimeMs, mtime);
  assert.deepEqual(second.map((r) => r.manifestDigest), first.map((r) => r.manifestDigest));
});

test('buildSeedImages rebuilds an archive when its source binary changes, with the same digest for the same bytes', async (t) => {
  const dir = tempDir(t);
  const src = join(dir, 'catatonit');
  copyFileSync('/usr/bin/catatonit', src);
  const sources = { busybox: '/usr/bin/busybox', catatonit: src };
  const [, pause1] = await buildSeedImages(join(dir, 'out'), sources);
  writeFileSync(src, Buffer.concat([readFileSync(src), Buffer.from('changed')]));
  utimesSync(src, new Date(), new Date());
  const [busybox2, pause2] = await buildSeedImages(join(dir, 'out'), sources);
  assert.equal(busybox2.built, false);
  assert.equal(pause2.built, true);
  assert.notEqual(pause2.manifestDigest, pause1.manifestDigest);

  // A clean rebuild from the original bytes reproduces the original digest.
  const [, pause3] = await buildSeedImages(join(dir, 'fresh'), { busybox: '/usr/bin/busybox', catatonit: '/usr/bin/catatonit' });
  assert.equal(pause3.manifestDigest, pause1.manifestDigest);
});

test('buildSeedImages names the package to install when a source binary is missing', async (t) => {
  const dir = tempDir(t);
  await assert.rejects(
    buildSeedImages(dir, { busybox: join(dir, 'no-busybox'), catatonit: '/usr/bin/catatonit' }),
    (err: unknown) =>
      err instanceof SeedImageError && err.code === SeedErrorCode.BinaryMissing && /apt-get install busybox-static/.test(err.message),
  );
});
