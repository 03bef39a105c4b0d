/**
 * scheduler — binds new pods to berth's one node, as kube-scheduler would:
 * pods with no spec.nodeName, not being deleted, and schedulerName
 * `default-scheduler` (the default) are bound (spec.nodeName +
 * PodScheduled, one write through pods/binding) and a `Scheduled` event is
 * recorded from `default-scheduler`. Pods naming another scheduler stay
 * Pending, as on a cluster without that scheduler.
 *
 * Reconcile of a pod key: unless the cached pod still needs scheduling,
 * nothing; else bind it. A failed bind is retried with backoff; one that
 * failed because the pod was bound or deleted meanwhile finds nothing to do
 * on the retry.
 *
 * State: none. On start every unbound pod is bound (its informer add).
 */
import type { Pod } from '../../api/api.ts';
import { ApiError } from '../../api/api.ts';
import { EventRecorder } from '../../client/client.ts';
import type { ControllerDefinition } from '../controller.ts';
import { objectKey, splitKey } from '../object-key.ts';
import { QueueController } from '../queue-controller.ts';
import { RateLimitingQueue } from '../rate-limiting-queue.ts';

export const defaultSchedulerName = 'default-scheduler';

export function needsScheduling(pod: Pod): boolean {
  return !pod.spec?.nodeName && !pod.metadata?.deletionTimestamp && (pod.spec?.schedulerName ?? defaultSchedulerName) === defaultSchedulerName;
}

export const schedulerController: ControllerDefinition = {
  name: 'scheduler',
  create({ client, informers, clock, nodeName, log }) {
    const pods = informers.forResource('pods');
    const queue = new RateLimitingQueue(clock);
    const recorder = new EventRecorder(client.events, { component: defaultSchedulerName }, () => clock.now(), log);
    const enqueue = (pod: Pod) => {
      if (needsScheduling(pod)) queue.add(objectKey(pod));
    };
    pods.addEventHandler({ add: enqueue, update: (_old, pod) => enqueue(pod) });

    const reconcile = (key: string): void => {
      const { namespace = '', name } = splitKey(key);
      const pod = pods.lister.get(namespace, name);
      if (!pod || !needsScheduling(pod)) return;
      try {
        client.pods.bind(namespace, name, nodeName);
      } catch (err) {
        if (err instanceof ApiError && err.code === 404) return;
        log(`binding pod ${namespace}/${name} failed: ${err instanceof Error ? err.message : String(err)}`);
        throw err;
      }
      recorder.record(
        { kind: 'Pod', namespace, name, uid: pod.metadata?.uid ?? '', apiVersion: 'v1' },
        'Normal',
        'Scheduled',
        `Successfully assigned ${namespace}/${name} to ${nodeName}`,
      );
    };
    return new QueueController({ name: 'scheduler', queue, reconcile, log });
  },
};
