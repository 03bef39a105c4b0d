/**
 * rbac.authorization.k8s.io/v1: `pkg/apis/rbac/validation` (v1.33) —
 * ValidateRole, ValidateClusterRole (with the aggregationRule), the binding
 * validations with their roleRef and subject rules, and the updates, where
 * a binding's roleRef is immutable (`cannot change roleRef`).
 */
import type { FieldError } from '../field-error.ts';
import { goQuote } from '../go-format.ts';
import { child, index, invalid, invalidGoSyntax, list, notSupported, obj, required, str, type Obj } from './field-errors.ts';
import { validateObjectMeta, validateObjectMetaUpdate } from './object-meta.ts';
import { validateLabelSelector } from './pod-spec.ts';
import { nameIsDNSSubdomain } from './string-formats.ts';

export const rbacGroupName = 'rbac.authorization.k8s.io';

/** apimachinery's path.IsValidPathSegmentName: RBAC's minimal name rule (ValidateRBACName). */
export function validateRBACName(name: string): string[] {
  for (const bad of ['.', '..']) if (name === bad) return [`may not be '${bad}'`];
  const errs: string[] = [];
  for (const bad of ['/', '%']) if (name.includes(bad)) errs.push(`may not contain '${bad}'`);
  return errs;
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.map((x) => String(x)) : [];
}

/** ValidatePolicyRule. */
export function validatePolicyRule(rule: Obj, isNamespaced: boolean, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (strings(rule.verbs).length === 0) errs.push(required(child(path, 'verbs'), 'verbs must contain at least one value'));
  const urls = strings(rule.nonResourceURLs);
  if (urls.length > 0) {
    if (isNamespaced) errs.push(invalid(child(path, 'nonResourceURLs'), urls, 'namespaced rules cannot apply to non-resource URLs'));
    if (strings(rule.apiGroups).length > 0 || strings(rule.resources).length > 0 || strings(rule.resourceNames).length > 0) {
      errs.push(invalid(child(path, 'nonResourceURLs'), urls, 'rules cannot apply to both regular resources and non-resource URLs'));
    }
    return errs;
  }
  if (strings(rule.apiGroups).length === 0) errs.push(required(child(path, 'apiGroups'), 'resource rules must supply at least one api group'));
  if (strings(rule.resources).length === 0) errs.push(required(child(path, 'resources'), 'resource rules must supply at least one resource'));
  if (strings(rule.resourceNames).length > 0 && strings(rule.resources).length > 1) {
    errs.push(required(child(path, 'resourceNames'), 'resource names cannot apply to multiple resources'));
  }
  return errs;
}

function rbacNameValidator(name: string): string[] {
  return validateRBACName(name);
}

export function validateRole(roleIn: unknown): FieldError[] {
  const role = obj(roleIn);
  const errs = validateObjectMeta(role.metadata, true, rbacNameValidator, 'metadata');
  list(role.rules).forEach((r, i) => errs.push(...validatePolicyRule(r, true, index('rules', i))));
  return errs;
}

export function validateRoleUpdate(roleIn: unknown, oldIn: unknown): FieldError[] {
  return [...validateRole(roleIn), ...validateObjectMetaUpdate(obj(roleIn).metadata, obj(oldIn).metadata, 'metadata')];
}

export function validateClusterRole(roleIn: unknown): FieldError[] {
  const role = obj(roleIn);
  const errs = validateObjectMeta(role.metadata, false, rbacNameValidator, 'metadata');
  list(role.rules).forEach((r, i) => errs.push(...validatePolicyRule(r, false, index('rules', i))));
  if (role.aggregationRule !== undefined && role.aggregationRule !== null) {
    const selectors = list(obj(role.aggregationRule).clusterRoleSelectors);
    const path = child('aggregationRule', 'clusterRoleSelectors');
    if (selectors.length === 0) errs.push(required(path, 'at least one clusterRoleSelector required if aggregationRule is non-nil'));
    selectors.forEach((s, i) => errs.push(...validateLabelSelector(s, index(path, i))));
  }
  return errs;
}

export function validateClusterRoleUpdate(roleIn: unknown, oldIn: unknown): FieldError[] {
  return [...validateClusterRole(roleIn), ...validateObjectMetaUpdate(obj(roleIn).metadata, obj(oldIn).metadata, 'metadata')];
}

function validateSubject(s: Obj, isNamespaced: boolean, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const name = str(s.name);
  const apiGroup = str(s.apiGroup);
  if (!name) errs.push(required(child(path, 'name')));
  switch (str(s.kind)) {
    case 'ServiceAccount':
      if (name) for (const msg of nameIsDNSSubdomain(name, false)) errs.push(invalid(child(path, 'name'), name, msg));
      if (apiGroup) errs.push(notSupported(child(path, 'apiGroup'), apiGroup, ['']));
      if (!isNamespaced && !str(s.namespace)) errs.push(required(child(path, 'namespace')));
      break;
    case 'User':
      if (!name) errs.push(invalid(child(path, 'name'), name, 'user name cannot be empty'));
      if (apiGroup !== rbacGroupName) errs.push(notSupported(child(path, 'apiGroup'), apiGroup, [rbacGroupName]));
      break;
    case 'Group':
      if (!name) errs.push(invalid(child(path, 'name'), name, 'group name cannot be empty'));
      if (apiGroup !== rbacGroupName) errs.push(notSupported(child(path, 'apiGroup'), apiGroup, [rbacGroupName]));
      break;
    default:
      errs.push(notSupported(child(path, 'kind'), str(s.kind), ['ServiceAccount', 'User', 'Group']));
  }
  return errs;
}

function validateBinding(bIn: unknown, isNamespaced: boolean): FieldError[] {
  const b = obj(bIn);
  const errs = validateObjectMeta(b.metadata, isNamespaced, rbacNameValidator, 'metadata');
  const ref = obj(b.roleRef);
  if (str(ref.apiGroup) !== rbacGroupName) errs.push(notSupported('roleRef.apiGroup', str(ref.apiGroup), [rbacGroupName]));
  const kinds = isNamespaced ? ['Role', 'ClusterRole'] : ['ClusterRole'];
  if (!kinds.includes(str(ref.kind))) errs.push(notSupported('roleRef.kind', str(ref.kind), kinds));
  const name = str(ref.name);
  if (!name) errs.push(required('roleRef.name'));
  else for (const msg of validateRBACName(name)) errs.push(invalid('roleRef.name', name, msg));
  list(b.subjects).forEach((s, i) => errs.push(...validateSubject(s, isNamespaced, index('subjects', i))));
  return errs;
}

/** The roleRef as Go's %#v prints the internal rbac.RoleRef. */
function goRoleRef(ref: Obj): string {
  return `rbac.RoleRef{APIGroup:${goQuote(str(ref.apiGroup))}, Kind:${goQuote(str(ref.kind))}, Name:${goQuote(str(ref.name))}}`;
}

function roleRefUnchanged(n: Obj, o: Obj): FieldError[] {
  const a = obj(n.roleRef);
  const b = obj(o.roleRef);
  if (str(a.apiGroup) === str(b.apiGroup) && str(a.kind) === str(b.kind) && str(a.name) === str(b.name)) return [];
  return [invalidGoSyntax('roleRef', goRoleRef(a), 'cannot change roleRef')];
}

export const validateRoleBinding = (b: unknown): FieldError[] => validateBinding(b, true);
export const validateClusterRoleBinding = (b: unknown): FieldError[] => validateBinding(b, false);

export function validateRoleBindingUpdate(bIn: unknown, oldIn: unknown): FieldError[] {
  const n = obj(bIn);
  const o = obj(oldIn);
  return [...validateRoleBinding(n), ...validateObjectMetaUpdate(n.metadata, o.metadata, 'metadata'), ...roleRefUnchanged(n, o)];
}

export function validateClusterRoleBindingUpdate(bIn: unknown, oldIn: unknown): FieldError[] {
  const n = obj(bIn);
  const o = obj(oldIn);
  return [...validateClusterRoleBinding(n), ...validateObjectMetaUpdate(n.metadata, o.metadata, 'metadata'), ...roleRefUnchanged(n, o)];
}

/** rbac/v1 SetDefaults_RoleBinding/ClusterRoleBinding and SetDefaults_Subject: the roleRef's and subjects' apiGroup. */
export function defaultBinding(b: Obj): void {
  if (b.roleRef && typeof b.roleRef === 'object' && !b.roleRef.apiGroup) b.roleRef.apiGroup = rbacGroupName;
  for (const s of list(b.subjects)) {
    if (!s.apiGroup && (s.kind === 'User' || s.kind === 'Group')) s.apiGroup = rbacGroupName;
  }
}
