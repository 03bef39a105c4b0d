import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { buildOciArchive, MediaType, ANNOTATION_IMAGE_NAME, type OciImageInput } from './oci-archive.ts';
import { readTar, writeTar } from './tar.ts';

const hex = (b: Buffer) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

function input(): OciImageInput {
  return {
    name: 'example.test/team/app:2.1',
    layers: [
      writeTar([{ type: 'file', path: 'a.txt', data: Buffer.from('layer one') }], { mtime: 100 }),
      writeTar([{ type: 'file', path: 'b.txt', data: Buffer.from('layer two') }], { mtime: 100 }),
    ],
    config: { Cmd: ['run'], Env: ['A=1'] },
    architecture: 'amd64',
    os: 'linux',
    created: '2022-01-01T00:00:00Z',
    createdBy: ['one', 'two'],
    mtime: 100,
  };
}

function members(archive: Buffer): Map<string, Buffer> {
  return new Map(readTar(archive).map((e) => [e.path, e.data]));
}

test('buildOciArchive writes an OCI layout whose index, manifest, config and layers reference each other by digest', () => {
  const built = buildOciArchive(input());
  const m = members(built.archive);
  assert.deepEqual(JSON.parse(m.get('oci-layout')!.toString()), { imageLayoutVersion: '1.0.0' });

  const index = JSON.parse(m.get('index.json')!.toString());
  assert.equal(index.schemaVersion, 2);
  assert.equal(index.manifests.length, 1);
  const desc = index.manifests[0];
  assert.equal(desc.mediaType, MediaType.Manifest);
  assert.equal(desc.annotations[ANNOTATION_IMAGE_NAME], 'example.test/team/app:2.1');
  assert.equal(desc.annotations['org.opencontainers.image.ref.name'], '2.1');
  assert.equal(desc.digest, built.manifestDigest);

  const blob = (d: string) => m.get(`blobs/sha256/${d.slice(7)}`)!;
  const manifestBytes = blob(desc.digest);
  assert.equal(hex(manifestBytes), desc.digest);
  assert.equal(manifestBytes.length, desc.size);
  const manifest = JSON.parse(manifestBytes.toString());
  assert.equal(manifest.config.digest, built.configDigest);
  assert.equal(hex(blob(manifest.config.digest)), manifest.config.digest);

  const config = JSON.parse(blob(manifest.config.digest).toString());
  assert.deepEqual(config.config, { Cmd: ['run'], Env: ['A=1'] });
  assert.equal(config.architecture, 'amd64');
  assert.equal(config.os, 'linux');
  assert.equal(config.history.length, 2);
  assert.equal(manifest.layers.length, 2);
  manifest.layers.forEach((l: { digest: string; size: number; mediaType: string }, i: number) => {
    const gz = blob(l.digest);
    assert.equal(l.mediaType, MediaType.LayerGzip);
    assert.equal(hex(gz), l.digest);
    assert.equal(gz.length, l.size);
    // diff_ids are the digests of the uncompressed layers, in order.
    assert.equal(config.rootfs.diff_ids[i], hex(gunzipSync(gz)));
    assert.deepEqual(gunzipSync(gz), input().layers[i]);
  });
});

test('buildOciArchive adds a docker manifest.json naming the image and its blobs', () => {
  const built = buildOciArchive({ ...input(), name: 'docker.io/library/busybox:1.35' });
  const m = members(built.archive);
  const [docker] = JSON.parse(m.get('manifest.json')!.toString());
  assert.deepEqual(docker.RepoTags, ['busybox:1.35']);
  assert.equal(docker.Config, `blobs/sha256/${built.configDigest.slice(7)}`);
  for (const layer of docker.Layers) assert.ok(m.has(layer), layer);
});

test('buildOciArchive gives identical bytes and digests for identical input', () => {
  const a = buildOciArchive(input());
  const b = buildOciArchive(input());
  assert.equal(a.manifestDigest, b.manifestDigest);
  assert.deepEqual(a.archive, b.archive);
  const c = buildOciArchive({ ...input(), config: { Cmd: ['other'] } });
  assert.notEqual(c.manifestDigest, a.manifestDigest);
});
