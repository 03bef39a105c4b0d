/**
 * rbac.authorization.k8s.io/v1 — Roles, ClusterRoles, RoleBindings and
 * ClusterRoleBindings, served under /apis/rbac.authorization.k8s.io/v1
 * (kube-apiserver's `pkg/apis/rbac` and `pkg/registry/rbac`).
 *
 * Owns: the group's kind table, their storage rules (rbac-strategy.ts) and
 * Table columns (rbac-printer.ts). What the objects mean — the authorizer,
 * the bootstrap policy, escalation checks — lives in src/auth/rbac; the
 * ClusterRole aggregation loop in src/controllers/clusterrole-aggregation.
 */
import type { ApiGroup, Kind, ResourceInfo } from '../kind.ts';
import { clusterRoleBindingPrinter, roleBindingPrinter, rolePrinter } from './rbac-printer.ts';
import { clusterRoleBindingStrategy, clusterRoleStrategy, roleBindingStrategy, roleStrategy } from './rbac-strategy.ts';

function info(resource: string, singular: string, kind: string, namespaced: boolean): ResourceInfo {
  return {
    group: 'rbac.authorization.k8s.io',
    version: 'v1',
    resource,
    singular,
    kind,
    listKind: `${kind}List`,
    namespaced,
    shortNames: [],
    categories: [],
    verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
    subresources: [],
  };
}

export const roleKind: Kind = { info: info('roles', 'role', 'Role', true), strategy: roleStrategy, printer: rolePrinter };
export const clusterRoleKind: Kind = { info: info('clusterroles', 'clusterrole', 'ClusterRole', false), strategy: clusterRoleStrategy, printer: rolePrinter };
export const roleBindingKind: Kind = { info: info('rolebindings', 'rolebinding', 'RoleBinding', true), strategy: roleBindingStrategy, printer: roleBindingPrinter };
export const clusterRoleBindingKind: Kind = {
  info: info('clusterrolebindings', 'clusterrolebinding', 'ClusterRoleBinding', false),
  strategy: clusterRoleBindingStrategy,
  printer: clusterRoleBindingPrinter,
};

export const rbacGroup: ApiGroup = {
  name: 'rbac.authorization.k8s.io',
  version: 'v1',
  kinds: [clusterRoleBindingKind, clusterRoleKind, roleBindingKind, roleKind],
};
