/**
 * garbage-collector — kube-controller-manager's garbage collector
 * (pkg/controller/garbagecollector): deletes objects whose owners are gone,
 * and carries out the Orphan and Foreground deletions the API server starts
 * with the `orphan` and `foregroundDeletion` finalizers.
 *
 * Owns: this folder.
 *   graph.ts          nodes, identities, owner-reference comparisons, absent-owner cache
 *   graph-builder.ts  informer events → graph changes and work for the queues
 *   plan.ts           what to do with a dependent once its owners are classified (pure)
 *   operations.ts     live reads and conditional writes through the client
 *   collector.ts      the three loops: graph changes, attemptToDelete, attemptToOrphan
 *
 * Watches every resource served with list, watch and delete except events
 * (upstream's ignored resources), through the shared informers. Owners are
 * matched by uid: an owner with the same name and another uid is absent.
 * An owner the graph has not seen is a virtual node, verified by a live get.
 *
 * State: the graph, rebuilt from the informers at every start; dependents
 * whose owners were deleted while berth was down are collected then.
 * Loops: see collector.ts; retries back off on the injected clock.
 */
import { EventRecorder } from '../../client/client.ts';
import type { ControllerDefinition } from '../controller.ts';
import { GarbageCollector } from './collector.ts';
import { apiVersionOf, Operations } from './operations.ts';

/** The resources the collector never watches (DefaultIgnoredResources). */
const ignoredResources = new Set(['/events', 'events.k8s.io/events']);

export const garbageCollectorComponent = 'garbage-collector-controller';

export const garbageCollectorController: ControllerDefinition = {
  name: 'garbagecollector',
  create({ client, informers, clock, log }) {
    const served = client.resources();
    const recorder = new EventRecorder(client.events, { component: garbageCollectorComponent }, () => clock.now(), log);
    const gc = new GarbageCollector({ ops: new Operations(served), clock, recorder, log });
    for (const rc of served) {
      const d = rc.description;
      if (!d.kind || ignoredResources.has(`${d.group}/${d.resource}`)) continue;
      if (!['list', 'watch', 'delete'].every((v) => d.verbs.includes(v))) continue;
      const apiVersion = apiVersionOf(d);
      const kind = d.kind;
      informers.informerFor(rc).addEventHandler({
        add: (obj) => gc.enqueueGraphChange({ type: 'add', obj, apiVersion, kind }),
        update: (oldObj, obj) => gc.enqueueGraphChange({ type: 'update', obj, oldObj, apiVersion, kind }),
        delete: (obj) => gc.enqueueGraphChange({ type: 'delete', obj, apiVersion, kind }),
      });
    }
    return gc;
  },
};
