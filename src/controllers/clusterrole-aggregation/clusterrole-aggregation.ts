/**
 * clusterrole-aggregation — keeps the rules of every ClusterRole with an
 * aggregationRule equal to the union of the rules of the ClusterRoles its
 * selectors pick (kube-controller-manager's clusterrole-aggregation
 * controller): `admin`, `edit` and `view` grow when a ClusterRole labelled
 * rbac.authorization.k8s.io/aggregate-to-<role>=true appears.
 *
 * Any ClusterRole change enqueues every aggregated ClusterRole, as upstream
 * does (the set is small and the dependency graph unknown). Reconcile of a
 * key: gone or not aggregated → nothing; rules already equal → nothing;
 * else write them. Upstream writes by server-side apply (field manager
 * clusterrole-aggregation-controller); berth's client has no apply, so it
 * takes upstream's fallback, an update conditional on resourceVersion.
 *
 * State: none of its own; every start reconciles every aggregated role.
 */
import { ApiError } from '../../api/api.ts';
import type { ControllerDefinition } from '../controller.ts';
import { objectKey, splitKey } from '../object-key.ts';
import { QueueController } from '../queue-controller.ts';
import { RateLimitingQueue } from '../rate-limiting-queue.ts';
import { aggregatedRules, sameRules } from './aggregated-rules.ts';

export const clusterRoleAggregationController: ControllerDefinition = {
  name: 'clusterrole-aggregation',
  create({ client, informers, clock, log }) {
    const roles = informers.forResource('clusterroles');
    const queue = new RateLimitingQueue<string>(clock);
    const enqueueAggregated = () => {
      for (const r of roles.lister.list()) if (r.aggregationRule) queue.add(objectKey(r));
    };
    roles.addEventHandler({ add: enqueueAggregated, update: enqueueAggregated, delete: enqueueAggregated });

    const reconcile = (key: string): void => {
      const { name } = splitKey(key);
      const role = roles.lister.get(undefined, name);
      if (!role) return;
      const rules = aggregatedRules(role, roles.lister.list());
      if (rules === undefined || sameRules(rules, role.rules)) return;
      try {
        client.resource('clusterroles').update(undefined, { ...structuredClone(role), rules: structuredClone(rules) });
      } catch (err) {
        // Changed meanwhile: the informer brings the change and the key back.
        if (err instanceof ApiError && (err.code === 404 || err.code === 409)) return;
        throw err;
      }
    };
    return new QueueController({ name: 'clusterrole-aggregation', queue, reconcile, log });
  },
};
