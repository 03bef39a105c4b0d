/**
 * Storage rules of the four RBAC kinds (kube-apiserver `pkg/registry/rbac`
 * role, clusterrole, rolebinding, clusterrolebinding strategy.go): no
 * status, no generation; bindings get their roleRef's and subjects'
 * apiGroup defaulted (rbac/v1 defaults.go) before validation.
 */
import type { ClusterRole, ClusterRoleBinding, Role, RoleBinding } from 'kubernetes-types/rbac/v1.js';
import type { Strategy } from '../kind.ts';
import {
  defaultBinding,
  validateClusterRole,
  validateClusterRoleBinding,
  validateClusterRoleBindingUpdate,
  validateClusterRoleUpdate,
  validateRole,
  validateRoleBinding,
  validateRoleBindingUpdate,
  validateRoleUpdate,
} from '../validation/rbac.ts';

export const roleStrategy: Strategy<Role> = {
  selectableFields: [],
  fields: () => ({}),
  prepareForCreate: () => {},
  validate: (r) => validateRole(r),
  prepareForUpdate: () => {},
  validateUpdate: (r, old) => validateRoleUpdate(r, old),
};

export const clusterRoleStrategy: Strategy<ClusterRole> = {
  selectableFields: [],
  fields: () => ({}),
  prepareForCreate: () => {},
  validate: (r) => validateClusterRole(r),
  prepareForUpdate: () => {},
  validateUpdate: (r, old) => validateClusterRoleUpdate(r, old),
};

export const roleBindingStrategy: Strategy<RoleBinding> = {
  selectableFields: [],
  fields: () => ({}),
  prepareForCreate: (b) => defaultBinding(b),
  validate: (b) => validateRoleBinding(b),
  prepareForUpdate: (b) => defaultBinding(b),
  validateUpdate: (b, old) => validateRoleBindingUpdate(b, old),
};

export const clusterRoleBindingStrategy: Strategy<ClusterRoleBinding> = {
  selectableFields: [],
  fields: () => ({}),
  prepareForCreate: (b) => defaultBinding(b),
  validate: (b) => validateClusterRoleBinding(b),
  prepareForUpdate: (b) => defaultBinding(b),
  validateUpdate: (b, old) => validateClusterRoleBindingUpdate(b, old),
};
