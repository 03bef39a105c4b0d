/**
 * Which rules a user holds (pkg/registry/rbac/validation rule.go's
 * DefaultRuleResolver): every ClusterRoleBinding whose subjects name the
 * user, then — for a namespace — every RoleBinding there, each resolved to
 * the rules of the Role or ClusterRole it refers to.
 *
 * A subject applies when it is the User of that name, a Group the user is
 * in, or a ServiceAccount whose `system:serviceaccount:<ns>:<name>` is the
 * user (a RoleBinding's ServiceAccount without a namespace means the
 * binding's). A missing role is an error the visitor sees
 * (`clusterrole.rbac.authorization.k8s.io "x" not found`), as the informer
 * listers' NotFound reads.
 */
import type { ClusterRole, ClusterRoleBinding, PolicyRule, Role, RoleBinding, RoleRef, Subject } from 'kubernetes-types/rbac/v1.js';
import type { UserInfo } from '../user-info.ts';
import { serviceAccountUsername } from '../user-info.ts';

/** What the resolver reads: listers over Roles, ClusterRoles and their bindings. */
export interface RbacSource {
  getRole(namespace: string, name: string): Role | undefined;
  getClusterRole(name: string): ClusterRole | undefined;
  listRoleBindings(namespace: string): RoleBinding[];
  listClusterRoleBindings(): ClusterRoleBinding[];
}

/** Returns false to stop the walk. `source` describes where the rule came from (for the allow reason). */
export type RuleVisitor = (source: string | undefined, rule: PolicyRule | undefined, err: Error | undefined) => boolean;

/** GetRoleReferenceRules: the rules of the role a binding refers to, or the lister's NotFound. */
export function roleReferenceRules(src: RbacSource, ref: RoleRef, bindingNamespace: string): PolicyRule[] {
  switch (ref.kind) {
    case 'Role': {
      const role = src.getRole(bindingNamespace, ref.name);
      if (!role) throw new Error(`role.rbac.authorization.k8s.io ${JSON.stringify(ref.name)} not found`);
      return role.rules ?? [];
    }
    case 'ClusterRole': {
      const role = src.getClusterRole(ref.name);
      if (!role) throw new Error(`clusterrole.rbac.authorization.k8s.io ${JSON.stringify(ref.name)} not found`);
      return role.rules ?? [];
    }
    default:
      throw new Error(`unsupported role reference kind: ${JSON.stringify(ref.kind)}`);
  }
}

export function appliesToUser(user: UserInfo, s: Subject, namespace: string): boolean {
  switch (s.kind) {
    case 'User':
      return user.username === s.name;
    case 'Group':
      return user.groups.includes(s.name);
    case 'ServiceAccount': {
      const ns = s.namespace || namespace;
      if (!ns) return false;
      return user.username === serviceAccountUsername(ns, s.name);
    }
    default:
      return false;
  }
}

/** The index of the first subject that applies, or -1. */
export function appliesTo(user: UserInfo, subjects: readonly Subject[] | undefined, namespace: string): number {
  return (subjects ?? []).findIndex((s) => appliesToUser(user, s, namespace));
}

function describeSubject(s: Subject, bindingNamespace: string): string {
  if (s.kind === 'ServiceAccount') return `${s.kind} ${JSON.stringify(`${s.name}/${s.namespace || bindingNamespace}`)}`;
  return `${s.kind} ${JSON.stringify(s.name)}`;
}

function describeClusterRoleBinding(b: ClusterRoleBinding, s: Subject): string {
  return `ClusterRoleBinding ${JSON.stringify(b.metadata?.name ?? '')} of ${b.roleRef.kind} ${JSON.stringify(b.roleRef.name)} to ${describeSubject(s, '')}`;
}

function describeRoleBinding(b: RoleBinding, s: Subject): string {
  const ns = b.metadata?.namespace ?? '';
  return `RoleBinding ${JSON.stringify(`${b.metadata?.name ?? ''}/${ns}`)} of ${b.roleRef.kind} ${JSON.stringify(b.roleRef.name)} to ${describeSubject(s, ns)}`;
}

function errorOf(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}

/** VisitRulesFor: cluster-wide bindings first, then the namespace's, stopping when the visitor says so. */
export function visitRulesFor(src: RbacSource, user: UserInfo, namespace: string, visit: RuleVisitor): void {
  let crbs: ClusterRoleBinding[];
  try {
    crbs = src.listClusterRoleBindings();
  } catch (err) {
    if (!visit(undefined, undefined, errorOf(err))) return;
    crbs = [];
  }
  for (const b of crbs) {
    const i = appliesTo(user, b.subjects, '');
    if (i < 0) continue;
    let rules: PolicyRule[];
    try {
      rules = roleReferenceRules(src, b.roleRef, '');
    } catch (err) {
      if (!visit(undefined, undefined, errorOf(err))) return;
      continue;
    }
    const source = describeClusterRoleBinding(b, b.subjects![i]);
    for (const r of rules) if (!visit(source, r, undefined)) return;
  }
  if (!namespace) return;
  let rbs: RoleBinding[];
  try {
    rbs = src.listRoleBindings(namespace);
  } catch (err) {
    if (!visit(undefined, undefined, errorOf(err))) return;
    rbs = [];
  }
  for (const b of rbs) {
    const i = appliesTo(user, b.subjects, namespace);
    if (i < 0) continue;
    let rules: PolicyRule[];
    try {
      rules = roleReferenceRules(src, b.roleRef, namespace);
    } catch (err) {
      if (!visit(undefined, undefined, errorOf(err))) return;
      continue;
    }
    const source = describeRoleBinding(b, b.subjects![i]);
    for (const r of rules) if (!visit(source, r, undefined)) return;
  }
}

/** utilerrors.NewAggregate(errs).Error(): one message alone, several as `[a, b]`. */
export function aggregateErrors(errs: readonly Error[]): string {
  if (errs.length === 1) return errs[0].message;
  return `[${errs.map((e) => e.message).join(', ')}]`;
}

/** RulesFor: every rule the user holds in `namespace` (cluster-wide ones included), with the resolution errors met. */
export function rulesFor(src: RbacSource, user: UserInfo, namespace: string): { rules: PolicyRule[]; errors: Error[] } {
  const rules: PolicyRule[] = [];
  const errors: Error[] = [];
  visitRulesFor(src, user, namespace, (_source, rule, err) => {
    if (rule) rules.push(rule);
    if (err) errors.push(err);
    return true;
  });
  return { rules, errors };
}
