/**
 * Builds a single-platform image as an OCI image-layout archive (oci-layout,
 * index.json, blobs/sha256/…) that `ctr images import` names from the index's
 * `io.containerd.image.name` annotation. A docker-style `manifest.json` with
 * RepoTags rides along so `docker load` / `podman load` accept the same file.
 *
 * Deterministic: the same layers and config give the same bytes and digests
 * (gzip carries no timestamp or file name; JSON is written with fixed key order;
 * tar mtimes are the caller's).
 */
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { writeTar, type TarEntry } from './tar.ts';

export const MediaType = {
  Index: 'application/vnd.oci.image.index.v1+json',
  Manifest: 'application/vnd.oci.image.manifest.v1+json',
  Config: 'application/vnd.oci.image.config.v1+json',
  LayerGzip: 'application/vnd.oci.image.layer.v1.tar+gzip',
} as const;

export const ANNOTATION_IMAGE_NAME = 'io.containerd.image.name';
export const ANNOTATION_REF_NAME = 'org.opencontainers.image.ref.name';

export interface ImageConfigInput {
  Env?: string[];
  Entrypoint?: string[];
  Cmd?: string[];
  WorkingDir?: string;
  User?: string;
}

export interface OciImageInput {
  /** Fully qualified reference, e.g. `docker.io/library/busybox:1.35`. */
  name: string;
  /** Uncompressed layer tarballs, lowest first. */
  layers: Buffer[];
  config: ImageConfigInput;
  architecture: string;
  os: string;
  /** RFC 3339; fixed so the config digest is stable. */
  created: string;
  /** Recorded in the config's history, one line per layer. */
  createdBy: string[];
  /** mtime (seconds) of the archive's own entries. */
  mtime: number;
}

export interface OciImageArchive {
  name: string;
  archive: Buffer;
  /** `sha256:…` of the manifest: the digest containerd records for the image. */
  manifestDigest: string;
  /** `sha256:…` of the config: the image id CRI reports. */
  configDigest: string;
  layerDigests: string[];
  diffIds: string[];
}

export function sha256(data: Buffer | string): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

export function buildOciArchive(input: OciImageInput): OciImageArchive {
  const diffIds = input.layers.map((l) => sha256(l));
  const gzLayers = input.layers.map((l) => gzipSync(l, { level: 9 }));
  const layerDigests = gzLayers.map((l) => sha256(l));

  const config = Buffer.from(
    JSON.stringify({
      created: input.created,
      architecture: input.architecture,
      os: input.os,
      config: input.config,
      rootfs: { type: 'layers', diff_ids: diffIds },
      history: input.createdBy.map((createdBy) => ({ created: input.created, created_by: createdBy })),
    }),
  );
  const configDigest = sha256(config);

  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: MediaType.Manifest,
      config: { mediaType: MediaType.Config, digest: configDigest, size: config.length },
      layers: gzLayers.map((l, i) => ({ mediaType: MediaType.LayerGzip, digest: layerDigests[i], size: l.length })),
    }),
  );
  const manifestDigest = sha256(manifest);

  const index = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: MediaType.Index,
      manifests: [
        {
          mediaType: MediaType.Manifest,
          digest: manifestDigest,
          size: manifest.length,
          annotations: { [ANNOTATION_IMAGE_NAME]: input.name, [ANNOTATION_REF_NAME]: refName(input.name) },
          platform: { architecture: input.architecture, os: input.os },
        },
      ],
    }),
  );
  const blobPath = (digest: string) => `blobs/sha256/${digest.slice('sha256:'.length)}`;
  const dockerManifest = Buffer.from(
    JSON.stringify([{ Config: blobPath(configDigest), RepoTags: [dockerRepoTag(input.name)], Layers: layerDigests.map(blobPath) }]),
  );

  const entries: TarEntry[] = [
    { type: 'file', path: 'oci-layout', data: Buffer.from(JSON.stringify({ imageLayoutVersion: '1.0.0' })) },
    { type: 'file', path: 'index.json', data: index },
    { type: 'file', path: 'manifest.json', data: dockerManifest },
    { type: 'dir', path: 'blobs' },
    { type: 'dir', path: 'blobs/sha256' },
    { type: 'file', path: blobPath(manifestDigest), data: manifest },
    { type: 'file', path: blobPath(configDigest), data: config },
    ...gzLayers.map((l, i): TarEntry => ({ type: 'file', path: blobPath(layerDigests[i]), data: l })),
  ];
  return {
    name: input.name,
    archive: writeTar(entries, { mtime: input.mtime }),
    manifestDigest,
    configDigest,
    layerDigests,
    diffIds,
  };
}

/** The tag part of a reference (`1.35` of `docker.io/library/busybox:1.35`). */
function refName(name: string): string {
  const slash = name.lastIndexOf('/');
  const colon = name.lastIndexOf(':');
  return colon > slash ? name.slice(colon + 1) : 'latest';
}

/** Docker's short form: `docker.io/library/busybox:1.35` → `busybox:1.35`. */
function dockerRepoTag(name: string): string {
  if (name.startsWith('docker.io/library/')) return name.slice('docker.io/library/'.length);
  if (name.startsWith('docker.io/')) return name.slice('docker.io/'.length);
  return name;
}
