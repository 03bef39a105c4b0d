/**
 * persistentvolume — the PV binder (kube-controller-manager's
 * persistentvolume-binder, `pkg/controller/volume/persistentvolume`, v1.33):
 * binds claims to volumes (static volumes by capacity, access modes, class,
 * selector, claimRef pre-binding and volumeName; dynamically provisioned ones
 * through their provisioner's pre-bound claimRef), keeps the volume phases
 * Available/Bound/Released/Failed, asks external provisioners for volumes
 * (ExternalProvisioning) and reclaims released volumes (Retain keeps them;
 * Delete of a provisioned volume is its provisioner's; Recycle and Delete of
 * a static volume fail as without a plugin).
 *
 * WaitForFirstConsumer: a claim waits (event WaitForFirstConsumer) until a
 * pod that uses it is scheduled. Upstream the scheduler's VolumeBinding
 * plugin then binds a fitting static volume or marks the claim with
 * `volume.kubernetes.io/selected-node` before it binds the pod. berth's
 * scheduler runs only the plugin's PreFilter (scheduler/volume-binding.ts:
 * missing or unbound Immediate claims keep the pod Pending) and binds; this
 * controller does the PreBind part when it sees the scheduled pod, and the
 * kubelet waits for the claim meanwhile (no event unless it waits 2m3s).
 *
 * Unbound claims are synced again every 15 s, as the binder's periodic
 * resync does, so a volume created after its claim is found.
 *
 * Decisions are plan.ts's (pure); this file carries them out. State: none
 * of its own; one queue of `claim:<ns>/<name>` and `volume:<name>` keys.
 */
import type { PersistentVolume, PersistentVolumeClaim, Pod } from 'kubernetes-types/core/v1.js';
import { ApiError, rfc3339 } from '../../api/api.ts';
import { EventRecorder, type ObjectRef } from '../../client/client.ts';
import type { ControllerDefinition } from '../controller.ts';
import { objectKey, splitKey } from '../object-key.ts';
import { QueueController, type ReconcileResult } from '../queue-controller.ts';
import { RateLimitingQueue } from '../rate-limiting-queue.ts';
import { AnnBindCompleted, AnnBoundByController, claimNamesOf, podIsTerminal } from '../volume-claims.ts';
import { isVolumeBoundToClaim } from './matching.ts';
import { planClaim, planVolume, type BinderView } from './plan.ts';

export const persistentVolumeControllerComponent = 'persistentvolume-controller';

/** kube-controller-manager's `--pvclaimbinder-sync-period`: an unbound claim is looked at again this often (a volume made later is found). */
export const claimResyncMs = 15_000;

function claimRef(claim: PersistentVolumeClaim): ObjectRef {
  const m = claim.metadata ?? {};
  return { kind: 'PersistentVolumeClaim', apiVersion: 'v1', namespace: m.namespace ?? '', name: m.name ?? '', uid: m.uid ?? '', resourceVersion: m.resourceVersion };
}

function volumeRef(pv: PersistentVolume): ObjectRef {
  const m = pv.metadata ?? {};
  return { kind: 'PersistentVolume', apiVersion: 'v1', namespace: '', name: m.name ?? '', uid: m.uid ?? '', resourceVersion: m.resourceVersion };
}

export const persistentVolumeController: ControllerDefinition = {
  name: 'persistentvolume-binder',
  create({ client, informers, clock, log }) {
    const pvs = informers.forResource('persistentvolumes');
    const pvcs = informers.forResource('persistentvolumeclaims');
    const classes = informers.forResource('storageclasses');
    const pods = informers.forResource('pods');
    const nodes = informers.forResource('nodes');
    const queue = new RateLimitingQueue<string>(clock);
    const recorder = new EventRecorder(client.events, { component: persistentVolumeControllerComponent }, () => clock.now(), log);
    const addClaim = (c: PersistentVolumeClaim) => queue.add(`claim:${objectKey(c)}`);
    const addVolume = (v: PersistentVolume) => queue.add(`volume:${v.metadata?.name ?? ''}`);
    pvcs.addEventHandler({ add: addClaim, update: (_o, c) => addClaim(c), delete: (c) => {
      // The volume it was bound to may be released now.
      if (c.spec?.volumeName) queue.add(`volume:${c.spec.volumeName}`);
      for (const v of pvs.lister.list()) if (v.spec?.claimRef?.name === c.metadata?.name && v.spec?.claimRef?.namespace === c.metadata?.namespace) addVolume(v);
    } });
    pvs.addEventHandler({ add: addVolume, update: (_o, v) => addVolume(v), delete: (v) => {
      const ref = v.spec?.claimRef;
      if (ref) queue.add(`claim:${ref.namespace}/${ref.name}`);
    } });
    // A new class may let waiting claims provision.
    classes.addEventHandler({ add: () => { for (const c of pvcs.lister.list()) if (!c.spec?.volumeName) addClaim(c); } });
    const onPod = (p: Pod) => {
      if (!p.spec?.nodeName) return;
      for (const name of claimNamesOf(p)) queue.add(`claim:${p.metadata?.namespace ?? ''}/${name}`);
    };
    pods.addEventHandler({ add: onPod, update: (_o, p) => onPod(p) });

    const view: BinderView = {
      get volumes() {
        return pvs.lister.list();
      },
      volume: (name) => pvs.lister.get(undefined, name),
      claim: (ns, name) => pvcs.lister.get(ns, name),
      storageClass: (name) => classes.lister.get(undefined, name),
      scheduledUsers: (claim) =>
        pods.lister
          .listInNamespace(claim.metadata?.namespace ?? '')
          .filter((p) => !!p.spec?.nodeName && !podIsTerminal(p) && claimNamesOf(p).includes(claim.metadata?.name ?? '')),
      node: (name) => nodes.lister.get(undefined, name),
    };

    const pvClient = client.resource('persistentvolumes');
    const pvcClient = client.resource('persistentvolumeclaims');

    const setVolumePhase = (pv: PersistentVolume, phase: string, message?: string): PersistentVolume => {
      const status = { ...(pv.status ?? {}), phase, lastPhaseTransitionTime: rfc3339(clock.now()) };
      if (message) status.message = message;
      else delete status.message;
      return pvClient.updateStatus(undefined, { ...pv, status });
    };

    /** `bind`: the volume's claimRef, then its phase, then the claim's volumeName and annotations, then its status. */
    const bind = (volume: PersistentVolume, claim: PersistentVolumeClaim): void => {
      let pv = volume;
      if (!isVolumeBoundToClaim(pv, claim)) {
        const m = claim.metadata ?? {};
        pv = pvClient.update(undefined, {
          ...pv,
          metadata: { ...pv.metadata, annotations: { ...(pv.metadata?.annotations ?? {}), [AnnBoundByController]: 'yes' } },
          spec: {
            ...pv.spec,
            claimRef: { kind: 'PersistentVolumeClaim', namespace: m.namespace, name: m.name, uid: m.uid, apiVersion: 'v1', resourceVersion: m.resourceVersion },
          },
        });
      }
      if (pv.status?.phase !== 'Bound') pv = setVolumePhase(pv, 'Bound');
      let c = claim;
      const ann = c.metadata?.annotations ?? {};
      if (c.spec?.volumeName !== pv.metadata?.name || ann[AnnBindCompleted] === undefined) {
        const annotations: Record<string, string> = { ...ann, [AnnBindCompleted]: 'yes' };
        if (!c.spec?.volumeName) annotations[AnnBoundByController] = 'yes';
        c = pvcClient.update(c.metadata?.namespace, { ...c, metadata: { ...c.metadata, annotations }, spec: { ...c.spec, volumeName: pv.metadata?.name } });
      }
      const st = c.status ?? {};
      if (st.phase !== 'Bound' || !st.capacity) {
        pvcClient.updateStatus(c.metadata?.namespace, {
          ...c,
          status: { ...st, phase: 'Bound', accessModes: pv.spec?.accessModes, capacity: pv.spec?.capacity },
        });
      }
    };

    /** Returns whether the claim is left unbound (the periodic resync looks at it again). */
    const syncClaim = (ns: string, name: string): boolean => {
      const claim = pvcs.lister.get(ns, name);
      if (!claim) return false;
      for (const a of planClaim(claim, view)) {
        const cur = pvcs.lister.get(ns, name) ?? claim;
        switch (a.type) {
          case 'event':
            recorder.record(claimRef(cur), a.eventType, a.reason, a.message);
            break;
          case 'bind':
            bind(a.volume, cur);
            break;
          case 'annotate':
            pvcClient.update(ns, { ...cur, metadata: { ...cur.metadata, annotations: { ...(cur.metadata?.annotations ?? {}), ...a.annotations } } });
            break;
          case 'phase':
            if (cur.status?.phase !== a.phase) pvcClient.updateStatus(ns, { ...cur, status: { ...(cur.status ?? {}), phase: a.phase } });
            break;
        }
      }
      const after = pvcs.lister.get(ns, name);
      return !!after && !after.spec?.volumeName && !after.metadata?.deletionTimestamp;
    };

    const syncVolume = (name: string): void => {
      const volume = pvs.lister.get(undefined, name);
      if (!volume) return;
      for (const a of planVolume(volume, view)) {
        const cur = pvs.lister.get(undefined, name) ?? volume;
        switch (a.type) {
          case 'phase':
            setVolumePhase(cur, a.phase, a.message);
            break;
          case 'unbind': {
            const annotations = { ...(cur.metadata?.annotations ?? {}) };
            delete annotations[AnnBoundByController];
            const spec = { ...cur.spec };
            delete spec.claimRef;
            const updated = pvClient.update(undefined, { ...cur, metadata: { ...cur.metadata, annotations }, spec });
            setVolumePhase(updated, 'Available');
            break;
          }
          case 'event':
            recorder.record(volumeRef(cur), a.eventType, a.reason, a.message);
            break;
          case 'syncClaim':
            queue.add(`claim:${a.namespace}/${a.name}`);
            break;
        }
      }
    };

    const reconcile = (key: string): ReconcileResult | void => {
      try {
        if (key.startsWith('claim:')) {
          const { namespace, name } = splitKey(key.slice('claim:'.length));
          if (syncClaim(namespace ?? '', name)) return { requeueAfterMs: claimResyncMs };
        } else {
          syncVolume(key.slice('volume:'.length));
        }
      } catch (err) {
        // A stale cache or a concurrent write: the informer brings the change and the key back.
        if (err instanceof ApiError && (err.code === 409 || err.code === 404)) {
          queue.addRateLimited(key);
          return;
        }
        throw err;
      }
    };
    return new QueueController({ name: 'persistentvolume-binder', queue, reconcile, log });
  },
};
