/**
 * local-path — the dynamic provisioner kind and k3s ship (rancher's
 * local-path-provisioner on sig-storage-lib-external-provisioner), for the
 * provisioner name `rancher.io/local-path`: a directory per volume under
 * `<data dir>/storage/<pv-name>_<namespace>_<pvc-name>`, created for a claim
 * the PV controller handed to it (the `volume.kubernetes.io/storage-provisioner`
 * annotation; for WaitForFirstConsumer classes once the claim has a
 * `volume.kubernetes.io/selected-node`), published as a hostPath
 * (DirectoryOrCreate) PersistentVolume `pvc-<claim uid>` pinned to the node,
 * with the claim's capacity and access modes and the class's reclaim policy,
 * pre-bound to the claim. A Released volume of its own with reclaim policy
 * Delete loses its directory, then its PersistentVolume.
 *
 * As local-path, it refuses (ProvisioningFailed, no retry until the claim
 * changes) a claim with a selector, with no selected node (an Immediate
 * class), with access modes other than ReadWriteOnce/ReadWriteOncePod, or
 * with volumeMode Block.
 *
 * Berth's node is this process's machine, so the provisioner creates and
 * removes directories itself instead of through a helper pod.
 *
 * State: the directories on disk; none in memory. One queue of
 * `claim:<ns>/<name>` and `volume:<name>` keys.
 */
import { mkdir, rm, chmod } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import type { PersistentVolume, PersistentVolumeClaim } from 'kubernetes-types/core/v1.js';
import { ApiError } from '../../api/api.ts';
import { EventRecorder, type ObjectRef } from '../../client/client.ts';
import type { ControllerDefinition } from '../controller.ts';
import { objectKey, splitKey } from '../object-key.ts';
import { QueueController } from '../queue-controller.ts';
import { RateLimitingQueue } from '../rate-limiting-queue.ts';
import { AnnBetaStorageProvisioner, AnnDynamicallyProvisioned, AnnSelectedNode, AnnStorageProvisioner, claimClass } from '../volume-claims.ts';

export const localPathProvisionerName = 'rancher.io/local-path';
export const AnnLocalPathSelectedNode = 'local.path.provisioner/selected-node';

/** The volume's directory: `<root>/<pv>_<namespace>_<claim>`, as local-path names it. */
export function volumeDirectory(root: string, pvName: string, claim: PersistentVolumeClaim): string {
  return join(root, `${pvName}_${claim.metadata?.namespace ?? ''}_${claim.metadata?.name ?? ''}`);
}

/** The PersistentVolume local-path publishes for a claim on `node`. */
export function provisionedVolume(claim: PersistentVolumeClaim, opts: { name: string; path: string; node: string; reclaimPolicy: string; className: string }): PersistentVolume {
  const m = claim.metadata ?? {};
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: {
      name: opts.name,
      annotations: { [AnnDynamicallyProvisioned]: localPathProvisionerName, [AnnLocalPathSelectedNode]: opts.node },
    },
    spec: {
      accessModes: claim.spec?.accessModes,
      capacity: { storage: claim.spec?.resources?.requests?.storage ?? '0' },
      claimRef: { kind: 'PersistentVolumeClaim', apiVersion: 'v1', namespace: m.namespace, name: m.name, uid: m.uid, resourceVersion: m.resourceVersion },
      hostPath: { path: opts.path, type: 'DirectoryOrCreate' },
      nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: [opts.node] }] }] } },
      persistentVolumeReclaimPolicy: opts.reclaimPolicy,
      storageClassName: opts.className,
      volumeMode: claim.spec?.volumeMode ?? 'Filesystem',
    },
  };
}

function claimObjectRef(claim: PersistentVolumeClaim): ObjectRef {
  const m = claim.metadata ?? {};
  return { kind: 'PersistentVolumeClaim', apiVersion: 'v1', namespace: m.namespace ?? '', name: m.name ?? '', uid: m.uid ?? '', resourceVersion: m.resourceVersion };
}

/** `storageRoot` overrides `<ctx.dataDir>/storage` (tests). */
export function localPathProvisioner(opts: { storageRoot?: string } = {}): ControllerDefinition {
  return {
    name: 'local-path-provisioner',
    create({ client, informers, clock, log, nodeName, dataDir }) {
      const root = opts.storageRoot ?? (dataDir ? join(dataDir, 'storage') : undefined);
      const pvs = informers.forResource('persistentvolumes');
      const pvcs = informers.forResource('persistentvolumeclaims');
      const classes = informers.forResource('storageclasses');
      const queue = new RateLimitingQueue<string>(clock);
      const recorder = new EventRecorder(client.events, { component: `${localPathProvisionerName}_${nodeName}` }, () => clock.now(), log);
      const addClaim = (c: PersistentVolumeClaim) => queue.add(`claim:${objectKey(c)}`);
      const addVolume = (v: PersistentVolume) => queue.add(`volume:${v.metadata?.name ?? ''}`);
      pvcs.addEventHandler({ add: addClaim, update: (_o, c) => addClaim(c) });
      pvs.addEventHandler({ add: addVolume, update: (_o, v) => addVolume(v) });
      const pvClient = client.resource('persistentvolumes');

      /** sig-storage-lib's `shouldProvision`, for local-path's classes. */
      const claimToProvision = (claim: PersistentVolumeClaim) => {
        if (claim.spec?.volumeName || claim.metadata?.deletionTimestamp) return undefined;
        const ann = claim.metadata?.annotations ?? {};
        if ((ann[AnnStorageProvisioner] ?? ann[AnnBetaStorageProvisioner]) !== localPathProvisionerName) return undefined;
        const sc = classes.lister.get(undefined, claimClass(claim));
        if (!sc || sc.provisioner !== localPathProvisionerName) return undefined;
        const selected = ann[AnnSelectedNode];
        if (sc.volumeBindingMode === 'WaitForFirstConsumer' && !selected) return undefined;
        return { sc, node: selected };
      };

      /** local-path's own refusals (permanent: no retry until the claim changes). */
      const refusal = (claim: PersistentVolumeClaim, node: string | undefined): string | undefined => {
        if (claim.spec?.selector) return 'claim.Spec.Selector is not supported';
        if (!node) return 'configuration error, no node was specified';
        if ((claim.spec?.accessModes ?? []).some((m) => m !== 'ReadWriteOnce' && m !== 'ReadWriteOncePod')) {
          return 'NodePath only supports ReadWriteOnce and ReadWriteOncePod (1.22+) access modes';
        }
        return undefined;
      };

      const provision = async (claim: PersistentVolumeClaim): Promise<void> => {
        const want = claimToProvision(claim);
        if (!want || !root) return;
        const name = `pvc-${claim.metadata?.uid ?? ''}`;
        if (pvs.lister.get(undefined, name)) return;
        const ref = claimObjectRef(claim);
        recorder.record(ref, 'Normal', 'Provisioning', `External provisioner is provisioning volume for claim "${claim.metadata?.namespace}/${claim.metadata?.name}"`);
        if (claim.spec?.volumeMode === 'Block') {
          // sig-storage-lib's own refusal, before the provisioner is asked.
          recorder.record(ref, 'Warning', 'ProvisioningFailed', `${localPathProvisionerName} does not support block volume provisioning`);
          return;
        }
        const refused = refusal(claim, want.node);
        if (refused || !want.node) {
          recorder.record(ref, 'Warning', 'ProvisioningFailed', `failed to provision volume with StorageClass "${want.sc.metadata?.name}": ${refused}`);
          return;
        }
        const path = volumeDirectory(root, name, claim);
        try {
          await mkdir(path, { recursive: true, mode: 0o777 });
          await chmod(path, 0o777);
        } catch (err) {
          recorder.record(ref, 'Warning', 'ProvisioningFailed', `failed to provision volume with StorageClass "${want.sc.metadata?.name}": ${err instanceof Error ? err.message : String(err)}`);
          throw err;
        }
        pvClient.create(undefined, provisionedVolume(claim, { name, path, node: want.node, reclaimPolicy: want.sc.reclaimPolicy ?? 'Delete', className: want.sc.metadata?.name ?? '' }));
        recorder.record(ref, 'Normal', 'ProvisioningSucceeded', `Successfully provisioned volume ${name}`);
      };

      /** sig-storage-lib's `shouldDelete` and local-path's teardown. */
      const deleteVolume = async (pv: PersistentVolume): Promise<void> => {
        if (!root) return;
        if (pv.metadata?.annotations?.[AnnDynamicallyProvisioned] !== localPathProvisionerName) return;
        if (pv.status?.phase !== 'Released' || pv.spec?.persistentVolumeReclaimPolicy !== 'Delete') return;
        const path = pv.spec?.hostPath?.path ?? pv.spec?.local?.path;
        // Only ever a directory of our own, directly under the root.
        if (path && resolve(path).startsWith(resolve(root) + sep)) await rm(path, { recursive: true, force: true });
        if (!pv.metadata?.deletionTimestamp) pvClient.delete(undefined, pv.metadata?.name ?? '', { preconditions: { uid: pv.metadata?.uid } });
      };

      const reconcile = async (key: string): Promise<void> => {
        try {
          if (key.startsWith('claim:')) {
            const { namespace, name } = splitKey(key.slice('claim:'.length));
            const claim = pvcs.lister.get(namespace, name);
            if (claim) await provision(claim);
          } else {
            const pv = pvs.lister.get(undefined, key.slice('volume:'.length));
            if (pv) await deleteVolume(pv);
          }
        } catch (err) {
          if (err instanceof ApiError && (err.code === 404 || err.code === 409)) return;
          throw err;
        }
      };
      if (!root) log('local-path-provisioner: no data directory, provisioning is off');
      return new QueueController({ name: 'local-path-provisioner', queue, reconcile, log });
    },
  };
}

export const localPathController: ControllerDefinition = localPathProvisioner();
