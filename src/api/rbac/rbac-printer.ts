/**
 * `kubectl get` columns of the RBAC kinds, from `printRole`,
 * `printClusterRole`, `printRoleBinding` and `printClusterRoleBinding` in
 * kubernetes `pkg/printers/internalversion/printers.go` (v1.33): roles show
 * NAME and CREATED AT (RFC 3339, UTC); bindings NAME, ROLE (`Kind/name`) and
 * AGE, and with -o wide the users, groups and service accounts
 * (`namespace/name`) they bind, as rbac.SubjectsStrings lists them.
 */
import type { RoleBinding, Subject } from 'kubernetes-types/rbac/v1.js';
import { docs } from '../printers/column-docs.ts';
import { translateTimestampSince } from '../printers/human-duration.ts';
import { ageColumn, column, metaOf, nameColumn, type Printer } from '../printers/table.ts';

const roleRefDoc = {
  RoleBinding:
    'RoleRef can reference a Role in the current namespace or a ClusterRole in the global namespace. If the RoleRef cannot be resolved, the Authorizer must return an error.',
  ClusterRoleBinding: 'RoleRef can only reference a ClusterRole in the global namespace. If the RoleRef cannot be resolved, the Authorizer must return an error.',
};

/** printRole / printClusterRole. */
export const rolePrinter: Printer = {
  columns: [nameColumn, column('Created At', 'date', docs.creationTimestamp)],
  cells(obj) {
    const meta = metaOf(obj);
    const created = meta.creationTimestamp ? new Date(meta.creationTimestamp).toISOString().replace(/\.\d{3}Z$/, 'Z') : '0001-01-01T00:00:00Z';
    return [meta.name ?? '', created];
  },
};

/** rbac.SubjectsStrings: users, groups and service accounts (`namespace/name`), in order. */
export function subjectsStrings(subjects: readonly Subject[] | undefined): { users: string[]; groups: string[]; serviceAccounts: string[] } {
  const out = { users: [] as string[], groups: [] as string[], serviceAccounts: [] as string[] };
  for (const s of subjects ?? []) {
    if (s.kind === 'ServiceAccount') out.serviceAccounts.push(`${s.namespace ?? ''}/${s.name}`);
    else if (s.kind === 'User') out.users.push(s.name);
    else if (s.kind === 'Group') out.groups.push(s.name);
  }
  return out;
}

function bindingPrinter(kind: 'RoleBinding' | 'ClusterRoleBinding', noun: string): Printer {
  return {
    columns: [
      nameColumn,
      column('Role', 'string', roleRefDoc[kind]),
      ageColumn,
      column('Users', 'string', `Users in the ${noun}`, { priority: 1 }),
      column('Groups', 'string', `Groups in the ${noun}`, { priority: 1 }),
      column('ServiceAccounts', 'string', `ServiceAccounts in the ${noun}`, { priority: 1 }),
    ],
    cells(obj, now) {
      const b = obj as RoleBinding;
      const meta = metaOf(b);
      const s = subjectsStrings(b.subjects);
      return [
        meta.name ?? '',
        `${b.roleRef?.kind ?? ''}/${b.roleRef?.name ?? ''}`,
        translateTimestampSince(meta.creationTimestamp, now),
        s.users.join(', '),
        s.groups.join(', '),
        s.serviceAccounts.join(', '),
      ];
    },
  };
}

export const roleBindingPrinter = bindingPrinter('RoleBinding', 'roleBinding');
export const clusterRoleBindingPrinter = bindingPrinter('ClusterRoleBinding', 'clusterRoleBinding');
