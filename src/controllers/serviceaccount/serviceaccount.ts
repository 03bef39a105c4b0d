/**
 * serviceaccount — kube-controller-manager's serviceaccount controller
 * (kubernetes `pkg/controller/serviceaccount/serviceaccounts_controller.go`):
 * every active namespace has a ServiceAccount `default`; it is created when
 * the namespace appears and again when it is deleted.
 *
 * Reconcile of a namespace name: gone or not Active → nothing; each
 * ServiceAccount to ensure that the cache lacks is created (AlreadyExists
 * and a terminating namespace are not failures).
 *
 * State: none. One queue of namespace names, fed by namespace adds and
 * updates and by ServiceAccount deletions.
 */
import type { Namespace, ServiceAccount } from 'kubernetes-types/core/v1.js';
import { ApiError } from '../../api/api.ts';
import type { ControllerDefinition } from '../controller.ts';
import { QueueController } from '../queue-controller.ts';
import { RateLimitingQueue } from '../rate-limiting-queue.ts';

/** `--serviceaccount-controller`'s ServiceAccountsToEnsure. */
export const serviceAccountsToEnsure: readonly string[] = ['default'];

function namespaceTerminating(err: ApiError): boolean {
  return (err.details?.causes ?? []).some((c) => c.reason === 'NamespaceTerminating');
}

export const serviceAccountController: ControllerDefinition = {
  name: 'serviceaccount',
  create({ client, informers, clock, log }) {
    const namespaces = informers.forResource('namespaces');
    const accounts = informers.forResource('serviceaccounts');
    const queue = new RateLimitingQueue<string>(clock);
    namespaces.addEventHandler({
      add: (ns: Namespace) => queue.add(ns.metadata?.name ?? ''),
      update: (_old, ns: Namespace) => queue.add(ns.metadata?.name ?? ''),
    });
    accounts.addEventHandler({ delete: (sa: ServiceAccount) => queue.add(sa.metadata?.namespace ?? '') });
    const api = client.resource('serviceaccounts');

    const reconcile = (name: string): void => {
      const ns = namespaces.lister.get(undefined, name);
      if (!ns || ns.status?.phase !== 'Active') return;
      const failures: string[] = [];
      for (const saName of serviceAccountsToEnsure) {
        if (accounts.lister.get(name, saName)) continue;
        try {
          api.create(name, { metadata: { name: saName, namespace: name } });
        } catch (err) {
          if (err instanceof ApiError && (err.code === 409 || namespaceTerminating(err))) continue;
          failures.push(err instanceof Error ? err.message : String(err));
        }
      }
      if (failures.length) throw new Error(failures.join('; '));
    };
    return new QueueController({ name: 'serviceaccount', queue, reconcile, log });
  },
};
