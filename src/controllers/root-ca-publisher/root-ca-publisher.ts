/**
 * root-ca-publisher — kube-controller-manager's root-ca-cert-publisher
 * (kubernetes `pkg/controller/certificates/rootcacertpublisher`): every
 * namespace has the ConfigMap `kube-root-ca.crt` whose `ca.crt` is the CA
 * that signed the API server's serving certificate (berth's
 * `<data-dir>/pki/ca.crt`), with its description annotation. It is created
 * again when deleted and put back when its data changes; other annotations
 * and labels a user adds stay.
 *
 * State: none; the CA is read once when the controller is made. One queue
 * of namespace names, fed by namespace adds and updates (while Active) and
 * by updates and deletions of the ConfigMap.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ConfigMap, Namespace } from 'kubernetes-types/core/v1.js';
import { ApiError } from '../../api/api.ts';
import type { ControllerContext, ControllerDefinition } from '../controller.ts';
import { QueueController } from '../queue-controller.ts';
import { RateLimitingQueue } from '../rate-limiting-queue.ts';

export const rootCACertConfigMapName = 'kube-root-ca.crt';
export const descriptionAnnotation = 'kubernetes.io/description';
export const rootCADescription =
  'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.';

/** What the ConfigMap of `ns` must become, or undefined when it is as it should be. */
export function plannedRootCAConfigMap(current: ConfigMap | undefined, caPem: string): ConfigMap | undefined {
  const data = { 'ca.crt': caPem };
  if (!current) return { metadata: { name: rootCACertConfigMapName, annotations: { [descriptionAnnotation]: rootCADescription } }, data };
  const cur = current.data ?? {};
  const same = Object.keys(cur).length === 1 && cur['ca.crt'] === caPem && current.binaryData === undefined;
  if (same && current.metadata?.annotations?.[descriptionAnnotation]) return undefined;
  const annotations = { ...(current.metadata?.annotations ?? {}) };
  if (!Object.hasOwn(annotations, descriptionAnnotation)) annotations[descriptionAnnotation] = rootCADescription;
  return { ...current, metadata: { ...current.metadata, annotations }, data };
}

/** The publisher of the CA `loadCA` gives (nothing is published without one). */
export function rootCAPublisher(loadCA: (ctx: ControllerContext) => string | undefined): ControllerDefinition {
  return {
    name: 'root-ca-cert-publisher',
    create(ctx) {
      const { client, informers, clock, log } = ctx;
      const caPem = loadCA(ctx);
      const namespaces = informers.forResource('namespaces');
      const configMaps = informers.forResource('configmaps');
      const queue = new RateLimitingQueue<string>(clock);
      namespaces.addEventHandler({
        add: (ns: Namespace) => queue.add(ns.metadata?.name ?? ''),
        update: (_old, ns: Namespace) => {
          if (ns.status?.phase === 'Active') queue.add(ns.metadata?.name ?? '');
        },
      });
      const onConfigMap = (cm: ConfigMap) => {
        if (cm.metadata?.name === rootCACertConfigMapName) queue.add(cm.metadata.namespace ?? '');
      };
      configMaps.addEventHandler({ update: (_old, cm) => onConfigMap(cm), delete: onConfigMap });
      const api = client.resource('configmaps');

      const reconcile = (ns: string): void => {
        if (caPem === undefined) return;
        const current = configMaps.lister.get(ns, rootCACertConfigMapName);
        const planned = plannedRootCAConfigMap(current, caPem);
        if (!planned) return;
        try {
          if (current) api.update(ns, planned);
          else api.create(ns, planned);
        } catch (err) {
          // Not again into a namespace that is gone or terminating.
          if (!current && err instanceof ApiError && (err.code === 404 || (err.details?.causes ?? []).some((c) => c.reason === 'NamespaceTerminating'))) return;
          throw err;
        }
      };
      return new QueueController({ name: 'root-ca-cert-publisher', queue, reconcile, log });
    },
  };
}

/** berth's CA, as node-credentials.ts keeps it. */
export function dataDirCA(ctx: ControllerContext): string | undefined {
  if (!ctx.dataDir) return undefined;
  const file = join(ctx.dataDir, 'pki', 'ca.crt');
  return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
}

export const rootCAPublisherController: ControllerDefinition = rootCAPublisher(dataDirCA);
