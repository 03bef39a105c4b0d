/**
 * Empties a terminating namespace, as kube-controller-manager's
 * NamespacedResourcesDeleter does (pkg/controller/namespace/deletion): for
 * every namespaced resource that can be deleted, delete each object in the
 * namespace (pods gracefully, as a plain delete does; the rest at once),
 * then list again to see what is left.
 *
 * The answer is an estimate, in seconds, of how long what is left needs:
 *
 *   - pods: the longest terminationGracePeriodSeconds of the namespace's
 *     pods that are not Succeeded or Failed, while less than that has
 *     passed since the namespace's deletion (0 after);
 *   - objects held by finalizers: 15 s, for their owners to finish;
 *   - objects left for no such reason: an error (retried with backoff).
 *
 * 0 means the namespace is empty and may be finalized.
 *
 * It reads through the client, not a cache: the last look before a
 * namespace is finalized must see every object the store has.
 */
import type { Pod } from '../../api/api.ts';
import { ApiError } from '../../api/api.ts';
import type { ApiObject, ControllerClient, ResourceClient } from '../../client/client.ts';

/** finalizerEstimateSeconds: the wait for objects that finalizers hold. */
export const finalizerEstimateSeconds = 15;

/** Deletes what `namespace` holds; returns the estimate (seconds) for what is left. */
export function deleteNamespaceContent(client: Pick<ControllerClient, 'resources'>, namespace: string, deletedAt: number, now: number): number {
  let estimate = 0;
  for (const resource of client.resources()) {
    const d = resource.description;
    if (!d.namespaced || !d.verbs.includes('delete') || !d.verbs.includes('list')) continue;
    estimate = Math.max(estimate, deleteAllOf(resource, namespace, deletedAt, now));
  }
  return estimate;
}

function deleteAllOf(resource: ResourceClient<ApiObject>, namespace: string, deletedAt: number, now: number): number {
  const d = resource.description;
  const items = resource.list(namespace).items;
  let estimate = d.group === '' && d.resource === 'pods' ? podsEstimate(items as Pod[]) : 0;
  if (now - deletedAt >= estimate * 1000) estimate = 0;
  for (const item of items) {
    if (item.metadata?.deletionTimestamp) continue;
    try {
      resource.delete(namespace, item.metadata?.name ?? '');
    } catch (err) {
      if (!(err instanceof ApiError && err.code === 404)) throw err;
    }
  }
  const left = resource.list(namespace).items;
  if (left.length === 0 || estimate > 0) return estimate;
  if (left.some((o) => (o.metadata?.finalizers ?? []).length > 0)) return finalizerEstimateSeconds;
  const gvr = `${d.group ? `${d.group}/` : ''}${d.version}, Resource=${d.resource}`;
  throw new Error(`unexpected items still remain in namespace: ${namespace} for gvr: ${gvr}`);
}

function podsEstimate(pods: Pod[]): number {
  let estimate = 0;
  for (const p of pods) {
    const phase = p.status?.phase;
    if (phase === 'Succeeded' || phase === 'Failed') continue;
    estimate = Math.max(estimate, p.spec?.terminationGracePeriodSeconds ?? 0);
  }
  return estimate;
}
