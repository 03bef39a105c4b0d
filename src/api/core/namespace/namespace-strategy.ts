/**
 * Storage rules for core/v1 Namespaces. Deleting a namespace marks it
 * Terminating; the namespace controller (controllers/namespace) empties
 * it and removes the `kubernetes` spec finalizer, after which it is deleted.
 */
import { defaultNamespace } from '../../defaults/defaults.ts';
import { validateNamespace, validateNamespaceUpdate } from '../../validation/validation.ts';
import { errors } from '../../api.ts';
import type { Namespace } from 'kubernetes-types/core/v1.js';
import type { Strategy } from '../../kind.ts';

/** NamespaceLifecycle's immortal namespaces: kube-apiserver refuses to delete them. */
const immortalNamespaces = new Set(['default', 'kube-system', 'kube-public']);

export const namespaceStrategy: Strategy<Namespace> & {
  blocksDeletion(ns: any): boolean;
  onTerminate(ns: any): void;
} = {
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
