/**
 * pvc-protection — the `kubernetes.io/pvc-protection` finalizer
 * (kubernetes `pkg/controller/volume/pvcprotection`, v1.33): every live
 * claim carries it; a claim being deleted keeps it while a scheduled pod that
 * has not finished uses the claim (a `persistentVolumeClaim` volume, or the
 * generic ephemeral volume the claim was made for), and loses it — so the
 * deletion completes — once no such pod is left.
 *
 * State: none. One queue of claim keys; pod changes enqueue the claims the
 * pod uses.
 */
import type { PersistentVolumeClaim, Pod } from 'kubernetes-types/core/v1.js';
import { ApiError } from '../../api/api.ts';
import type { ControllerDefinition } from '../controller.ts';
import { objectKey, splitKey } from '../object-key.ts';
import { QueueController } from '../queue-controller.ts';
import { RateLimitingQueue } from '../rate-limiting-queue.ts';
import { protectionFinalizers } from '../protection-finalizer.ts';
import { ephemeralClaimName, podIsTerminal } from '../volume-claims.ts';

export const PVCProtectionFinalizer = 'kubernetes.io/pvc-protection';

/** `podUsesPVC`: only scheduled pods count (the kubelet refuses to start a pod on a claim being deleted). */
export function podUsesClaim(pod: Pod, claim: PersistentVolumeClaim): boolean {
  if (!pod.spec?.nodeName || pod.metadata?.namespace !== claim.metadata?.namespace) return false;
  const name = claim.metadata?.name;
  return (pod.spec.volumes ?? []).some(
    (v) =>
      v.persistentVolumeClaim?.claimName === name ||
      (!podIsTerminal(pod) && !!v.ephemeral && ephemeralClaimName(pod, v.name) === name && (claim.metadata?.ownerReferences ?? []).some((r) => r.uid === pod.metadata?.uid)),
  );
}

/** Whether the claim is still in use: a pod that uses it and has not finished. */
export function claimInUse(claim: PersistentVolumeClaim, pods: readonly Pod[]): boolean {
  return pods.some((p) => !podIsTerminal(p) && podUsesClaim(p, claim));
}

export const pvcProtectionController: ControllerDefinition = {
  name: 'pvc-protection',
  create({ client, informers, clock, log }) {
    const pvcs = informers.forResource('persistentvolumeclaims');
    const pods = informers.forResource('pods');
    const queue = new RateLimitingQueue<string>(clock);
    pvcs.addEventHandler({ add: (c) => queue.add(objectKey(c)), update: (_o, c) => queue.add(objectKey(c)) });
    const onPod = (p: Pod) => {
      const ns = p.metadata?.namespace ?? '';
      for (const v of p.spec?.volumes ?? []) {
        if (v.persistentVolumeClaim?.claimName) queue.add(`${ns}/${v.persistentVolumeClaim.claimName}`);
        else if (v.ephemeral) queue.add(`${ns}/${ephemeralClaimName(p, v.name)}`);
      }
    };
    pods.addEventHandler({ add: onPod, update: (_o, p) => onPod(p), delete: onPod });
    const claims = client.resource('persistentvolumeclaims');

    const reconcile = (key: string): void => {
      const { namespace, name } = splitKey(key);
      const claim = pvcs.lister.get(namespace, name);
      if (!claim) return;
      const finalizers = protectionFinalizers(claim.metadata, PVCProtectionFinalizer, () => claimInUse(claim, pods.lister.listInNamespace(namespace ?? '')));
      if (!finalizers) return;
      try {
        claims.update(namespace, { ...claim, metadata: { ...claim.metadata, finalizers } });
      } catch (err) {
        if (err instanceof ApiError && (err.code === 404 || err.code === 409)) return;
        throw err;
      }
    };
    return new QueueController({ name: 'pvc-protection', queue, reconcile, log });
  },
};
