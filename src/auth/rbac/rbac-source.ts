/**
 * Where the RBAC authorizer reads Roles, ClusterRoles and bindings: the
 * listers of shared informers (as kube-apiserver's RBAC authorizer reads its
 * informer caches), or — for tests and tools — the client directly.
 *
 * `startRbacInformers` gives the API server its own informers over the
 * in-process client, started before it serves and stopped with `signal`;
 * the controller manager's InformerFactory serves as well
 * (`rbacSourceFromInformers(ctx.informers)`), sharing its caches.
 */
import type { ControllerClient } from '../../client/client.ts';
import type { Clock } from '../../clock/clock.ts';
import { InformerFactory } from '../../controllers/informer-factory.ts';
import type { RbacSource } from './rule-resolver.ts';

export function rbacSourceFromInformers(informers: InformerFactory): RbacSource {
  const roles = informers.forResource('roles');
  const clusterRoles = informers.forResource('clusterroles');
  const roleBindings = informers.forResource('rolebindings');
  const clusterRoleBindings = informers.forResource('clusterrolebindings');
  return {
    getRole: (ns, name) => roles.lister.get(ns, name),
    getClusterRole: (name) => clusterRoles.lister.get(undefined, name),
    listRoleBindings: (ns) => roleBindings.lister.listInNamespace(ns),
    listClusterRoleBindings: () => clusterRoleBindings.lister.list(),
  };
}

/** Reads through the client at every call: exact, and slower than the informers' caches. */
export function rbacSourceFromClient(client: Pick<ControllerClient, 'resource'>): RbacSource {
  return {
    getRole: (ns, name) => client.resource('roles').get(ns, name),
    getClusterRole: (name) => client.resource('clusterroles').get(undefined, name),
    listRoleBindings: (ns) => client.resource('rolebindings').list(ns).items,
    listClusterRoleBindings: () => client.resource('clusterrolebindings').list(undefined).items,
  };
}

/**
 * Informers of the four RBAC resources on their own factory, started and
 * synced: a source for an API server that starts before the controllers.
 */
export async function startRbacInformers(opts: { client: Pick<ControllerClient, 'resource'>; clock: Clock; signal: AbortSignal; log?: (msg: string) => void }): Promise<{ source: RbacSource; stop: () => void }> {
  const informers = new InformerFactory({ client: opts.client, clock: opts.clock, resyncPeriodMs: 0, log: opts.log });
  const source = rbacSourceFromInformers(informers);
  informers.start(opts.signal);
  await informers.waitForCacheSync(opts.signal);
  return { source, stop: () => informers.stop() };
}
