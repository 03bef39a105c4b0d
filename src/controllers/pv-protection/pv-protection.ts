/**
 * pv-protection — the `kubernetes.io/pv-protection` finalizer (kubernetes
 * `pkg/controller/volume/pvprotection`, v1.33): every live volume carries
 * it; a volume being deleted keeps it while it is Bound to a claim and loses
 * it once it is not, so the deletion completes.
 *
 * State: none. One queue of volume names.
 */
import type { PersistentVolume } from 'kubernetes-types/core/v1.js';
import { ApiError } from '../../api/api.ts';
import type { ControllerDefinition } from '../controller.ts';
import { QueueController } from '../queue-controller.ts';
import { RateLimitingQueue } from '../rate-limiting-queue.ts';
import { protectionFinalizers } from '../protection-finalizer.ts';

export const PVProtectionFinalizer = 'kubernetes.io/pv-protection';

export const pvProtectionController: ControllerDefinition = {
  name: 'pv-protection',
  create({ client, informers, clock, log }) {
    const pvs = informers.forResource('persistentvolumes');
    const queue = new RateLimitingQueue<string>(clock);
    const add = (v: PersistentVolume) => queue.add(v.metadata?.name ?? '');
    pvs.addEventHandler({ add, update: (_o, v) => add(v) });
    const volumes = client.resource('persistentvolumes');

    const reconcile = (name: string): void => {
      const pv = pvs.lister.get(undefined, name);
      if (!pv) return;
      // `isVolumeUsed`: a Bound volume is in use.
      const finalizers = protectionFinalizers(pv.metadata, PVProtectionFinalizer, () => pv.status?.phase === 'Bound');
      if (!finalizers) return;
      try {
        volumes.update(undefined, { ...pv, metadata: { ...pv.metadata, finalizers } });
      } catch (err) {
        if (err instanceof ApiError && (err.code === 404 || err.code === 409)) return;
        throw err;
      }
    };
    return new QueueController({ name: 'pv-protection', queue, reconcile, log });
  },
};
