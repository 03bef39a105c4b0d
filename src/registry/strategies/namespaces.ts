/**
 * Storage rules for core/v1 Namespaces. Deleting a namespace marks it
 * Terminating; the namespace finalizer (registry/namespace-finalizer.ts) empties
 * it and removes the `kubernetes` spec finalizer, after which it is deleted.
 */
import { defaultNamespace } from '../../api/defaults/defaults.ts';
import { validateNamespace, validateNamespaceUpdate } from '../../api/validation/validation.ts';
import { errors } from '../../api/api.ts';
import type { Strategy } from '../strategy.ts';

/** NamespaceLifecycle's immortal namespaces: kube-apiserver refuses to delete them. */
const immortalNamespaces = new Set(['default', 'kube-system', 'kube-public']);

export const namespaceStrategy: Strategy & {
  blocksDeletion(ns: any): boolean;
  onTerminate(ns: any): void;
} = {
  info: {
    group: '',
    version: 'v1',
    resource: 'namespaces',
    singular: 'namespace',
    kind: 'Namespace',
    listKind: 'NamespaceList',
    namespaced: false,
    shortNames: ['ns'],
    categories: [],
    verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
    subresources: ['status', 'finalize'],
  },
  selectableFields: ['status.phase'],
  fields: (ns) => ({ 'status.phase': ns.status?.phase ?? '' }),
  prepareForCreate(ns) {
    delete ns.status;
    defaultNamespace(ns);
  },
  validate: (ns) => validateNamespace(ns),
  prepareForUpdate(ns, old) {
    ns.spec = old.spec;
    ns.status = old.status;
    defaultNamespace(ns);
  },
  validateUpdate: (ns, old) => validateNamespaceUpdate(ns, old),
  prepareForStatusUpdate(ns, old) {
    ns.spec = old.spec;
  },
  admitDelete(ns) {
    if (immortalNamespaces.has(ns.metadata.name)) {
      throw errors.forbidden('namespaces', ns.metadata.name, 'this namespace may not be deleted');
    }
  },
  blocksDeletion: (ns) => (ns.spec?.finalizers ?? []).length > 0,
  onTerminate(ns) {
    ns.status = { ...(ns.status ?? {}), phase: 'Terminating' };
  },
};
