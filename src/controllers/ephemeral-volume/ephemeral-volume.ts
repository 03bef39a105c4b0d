/**
 * ephemeral-volume — generic ephemeral volumes (kubernetes
 * `pkg/controller/volume/ephemeral`, v1.33): for each `ephemeral` volume of
 * a pod, the claim `<pod>-<volume>` from the volume's claim template, owned
 * by the pod (controller, blockOwnerDeletion), so the garbage collector
 * removes it with the pod. A claim of that name that the pod does not own is
 * left alone; the kubelet then refuses to use it.
 *
 * State: none. One queue of pod keys.
 */
import type { PersistentVolumeClaim, Pod } from 'kubernetes-types/core/v1.js';
import { ApiError } from '../../api/api.ts';
import { EventRecorder } from '../../client/client.ts';
import type { ControllerDefinition } from '../controller.ts';
import { objectKey, splitKey } from '../object-key.ts';
import { QueueController } from '../queue-controller.ts';
import { RateLimitingQueue } from '../rate-limiting-queue.ts';
import { ephemeralClaimName } from '../volume-claims.ts';

/** The claim for ephemeral volume `volumeName` of `pod`, from its template. */
export function ephemeralClaim(pod: Pod, volumeName: string): PersistentVolumeClaim | undefined {
  const v = (pod.spec?.volumes ?? []).find((x) => x.name === volumeName);
  const tmpl = v?.ephemeral?.volumeClaimTemplate;
  if (!tmpl) return undefined;
  const m = pod.metadata ?? {};
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: {
      name: ephemeralClaimName(pod, volumeName),
      namespace: m.namespace,
      labels: tmpl.metadata?.labels,
      annotations: tmpl.metadata?.annotations,
      ownerReferences: [{ apiVersion: 'v1', kind: 'Pod', name: m.name ?? '', uid: m.uid ?? '', controller: true, blockOwnerDeletion: true }],
    },
    spec: structuredClone(tmpl.spec),
  };
}

export const ephemeralVolumeController: ControllerDefinition = {
  name: 'ephemeral-volume',
  create({ client, informers, clock, log }) {
    const pods = informers.forResource('pods');
    const pvcs = informers.forResource('persistentvolumeclaims');
    const queue = new RateLimitingQueue<string>(clock);
    const recorder = new EventRecorder(client.events, { component: 'ephemeral_volume' }, () => clock.now(), log);
    const onPod = (p: Pod) => {
      if ((p.spec?.volumes ?? []).some((v) => v.ephemeral)) queue.add(objectKey(p));
    };
    pods.addEventHandler({ add: onPod, update: (_o, p) => onPod(p) });
    // A claim deleted under a live pod is made again.
    pvcs.addEventHandler({
      delete: (c) => {
        for (const r of c.metadata?.ownerReferences ?? []) if (r.kind === 'Pod') queue.add(`${c.metadata?.namespace ?? ''}/${r.name}`);
      },
    });
    const claims = client.resource('persistentvolumeclaims');

    const reconcile = (key: string): void => {
      const { namespace, name } = splitKey(key);
      const pod = pods.lister.get(namespace, name);
      if (!pod || pod.metadata?.deletionTimestamp) return;
      for (const v of pod.spec?.volumes ?? []) {
        if (!v.ephemeral) continue;
        const claimName = ephemeralClaimName(pod, v.name);
        if (pvcs.lister.get(namespace, claimName)) continue;
        const claim = ephemeralClaim(pod, v.name);
        if (!claim) continue;
        try {
          claims.create(namespace, claim);
        } catch (err) {
          if (err instanceof ApiError && err.code === 409) continue;
          const m = pod.metadata ?? {};
          recorder.record(
            { kind: 'Pod', apiVersion: 'v1', namespace: m.namespace ?? '', name: m.name ?? '', uid: m.uid ?? '' },
            'Warning',
            'FailedBinding',
            `PVC creation error: ${err instanceof Error ? err.message : String(err)}`,
          );
          throw err;
        }
      }
    };
    return new QueueController({ name: 'ephemeral-volume', queue, reconcile, log });
  },
};
