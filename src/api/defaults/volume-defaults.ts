/**
 * Scheme defaults for pod volumes (`SetDefaults_Volume` and the per-source
 * defaults the generated `SetObjectDefaults_Pod` applies).
 */
import type { DownwardAPIVolumeFile, Volume } from 'kubernetes-types/core/v1.js';
import { defaultResourceList } from './container-defaults.ts';
import { defaultPullPolicy } from './image-reference.ts';

/** 0644: `SecretVolumeSourceDefaultMode` and its ConfigMap/DownwardAPI/Projected siblings. */
export const DEFAULT_VOLUME_MODE = 0o644;

/** The volume source fields of `VolumeSource`; a volume with none of them is an emptyDir. */
const SOURCES = [
  'hostPath', 'emptyDir', 'gcePersistentDisk', 'awsElasticBlockStore', 'gitRepo', 'secret', 'nfs', 'iscsi',
  'glusterfs', 'persistentVolumeClaim', 'rbd', 'flexVolume', 'cinder', 'cephfs', 'flocker', 'downwardAPI', 'fc',
  'azureFile', 'configMap', 'vsphereVolume', 'quobyte', 'azureDisk', 'photonPersistentDisk', 'projected',
  'portworxVolume', 'scaleIO', 'storageos', 'csi', 'ephemeral', 'image',
] as const;

function defaultDownwardItems(items: DownwardAPIVolumeFile[] | undefined): void {
  for (const item of items ?? []) {
    if (item.fieldRef) item.fieldRef.apiVersion ||= 'v1';
  }
}

export function defaultVolume(v: Volume): void {
  const source = v as unknown as Record<string, unknown>;
  if (!SOURCES.some((k) => source[k] != null)) v.emptyDir = {};
  if (v.hostPath) v.hostPath.type ??= '';
  if (v.secret) v.secret.defaultMode ??= DEFAULT_VOLUME_MODE;
  if (v.configMap) v.configMap.defaultMode ??= DEFAULT_VOLUME_MODE;
  if (v.downwardAPI) {
    v.downwardAPI.defaultMode ??= DEFAULT_VOLUME_MODE;
    defaultDownwardItems(v.downwardAPI.items);
  }
  if (v.projected) {
    v.projected.defaultMode ??= DEFAULT_VOLUME_MODE;
    for (const s of v.projected.sources ?? []) {
      defaultDownwardItems(s.downwardAPI?.items);
      // SetDefaults_ServiceAccountTokenProjection: one hour.
      if (s.serviceAccountToken) s.serviceAccountToken.expirationSeconds ??= 3600;
    }
  }
  if (v.iscsi) v.iscsi.iscsiInterface ||= 'default';
  if (v.rbd) {
    v.rbd.pool ||= 'rbd';
    v.rbd.user ||= 'admin';
    v.rbd.keyring ||= '/etc/ceph/keyring';
  }
  if (v.azureDisk) {
    v.azureDisk.cachingMode ??= 'ReadWrite';
    v.azureDisk.kind ??= 'Shared';
    v.azureDisk.fsType ??= 'ext4';
    v.azureDisk.readOnly ??= false;
  }
  if (v.scaleIO) {
    v.scaleIO.storageMode ||= 'ThinProvisioned';
    v.scaleIO.fsType ||= 'xfs';
  }
  // SetDefaults_ImageVolumeSource (kubernetes-types predates the `image` source).
  const image = source.image as { reference?: string; pullPolicy?: string } | undefined;
  if (image && typeof image === 'object') image.pullPolicy ||= defaultPullPolicy(image.reference);
  const claim = v.ephemeral?.volumeClaimTemplate?.spec;
  if (claim) {
    // SetDefaults_PersistentVolumeClaimSpec.
    claim.volumeMode ??= 'Filesystem';
    defaultResourceList(claim.resources?.limits as Record<string, unknown> | undefined);
    defaultResourceList(claim.resources?.requests as Record<string, unknown> | undefined);
  }
}
