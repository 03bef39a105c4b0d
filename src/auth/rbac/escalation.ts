/**
 * Escalation prevention on writes of the four RBAC kinds, as
 * kube-apiserver's policy-based storages do it (pkg/registry/rbac
 * role|clusterrole|rolebinding|clusterrolebinding/policybased,
 * escalation_check.go, validation.ConfirmNoEscalation):
 *
 *   - members of system:masters may write anything;
 *   - a Role or ClusterRole is written only when the user already holds
 *     every rule in it (in the role's namespace), or may `escalate` it;
 *     writing a ClusterRole that has (or had) an aggregationRule needs `*`
 *     on everything (`must have cluster-admin privileges to use the aggregationRule`);
 *   - a binding is written only when the user may `bind` the role it
 *     refers to, or holds every rule of that role;
 *   - an update that only touches ownerReferences, finalizers or
 *     managedFields (the garbage collector's work) passes.
 *
 * The registry does not know who asks: the API server calls
 * `checkEscalation` before it creates or updates one of these kinds, with
 * the authorizer it runs (for `escalate` and `bind`) and the RBAC rules'
 * source (for what the user holds). It throws the ApiError to answer.
 */
import type { ClusterRole, ClusterRoleBinding, PolicyRule, Role, RoleBinding, RoleRef } from 'kubernetes-types/rbac/v1.js';
import { errors } from '../../api/errors.ts';
import type { Authorizer } from '../authorizer.ts';
import type { UserInfo } from '../user-info.ts';
import { systemMasters } from '../user-info.ts';
import { compactRules, compactString, covers, goQuotedList } from './policy-comparator.ts';
import { aggregateErrors, rulesFor, type RbacSource } from './rule-resolver.ts';
import { goQuote } from '../../api/go-format.ts';

export type RbacKind = 'Role' | 'ClusterRole' | 'RoleBinding' | 'ClusterRoleBinding';

const group = 'rbac.authorization.k8s.io';
const resourceOf: Record<RbacKind, string> = { Role: 'roles', ClusterRole: 'clusterroles', RoleBinding: 'rolebindings', ClusterRoleBinding: 'clusterrolebindings' };

/** The kind of an RBAC resource by plural name, or undefined for any other resource. */
export function rbacKindOf(apiGroup: string, resource: string): RbacKind | undefined {
  if (apiGroup !== group) return undefined;
  return (Object.keys(resourceOf) as RbacKind[]).find((k) => resourceOf[k] === resource);
}

/** `*` on every resource and every URL: what the aggregationRule needs. */
const fullAuthority: PolicyRule[] = [
  { verbs: ['*'], apiGroups: ['*'], resources: ['*'] },
  { verbs: ['*'], nonResourceURLs: ['*'] },
];

/** rbacregistry.EscalationAllowed: the privileged group (the API server's own loopback identity). */
export function escalationAllowed(user: UserInfo): boolean {
  return user.groups.includes(systemMasters);
}

/**
 * ConfirmNoEscalation: undefined when the user's rules in `namespace` cover
 * `rules`, else the message naming the rules it lacks (compacted, sorted).
 */
export function confirmNoEscalation(source: RbacSource, user: UserInfo, namespace: string, rules: readonly PolicyRule[]): string | undefined {
  const owned = rulesFor(source, user, namespace);
  const { covered, uncovered } = covers(owned.rules, rules);
  if (covered) return undefined;
  const missing = [...new Set(compactRules(uncovered).map(compactString))].sort();
  let msg = `user ${goQuote(user.username)} (groups=${goQuotedList(user.groups)}) is attempting to grant RBAC permissions not currently held:\n${missing.join('\n')}`;
  // `%v` of the one aggregated error RulesFor returned, in a slice.
  if (owned.errors.length) msg += `; resolution errors: [${aggregateErrors(owned.errors)}]`;
  return msg;
}

function authorized(authorizer: Authorizer, user: UserInfo, verb: string, resource: string, namespace: string, name: string, apiGroup = group): boolean {
  const d = authorizer.authorize({ user, verb, resourceRequest: true, path: '', namespace, apiGroup, apiVersion: '*', resource, subresource: '', name });
  return d.decision === 'allow';
}

/** IsOnlyMutatingGCFields: the update changes nothing but ownerReferences, finalizers and managedFields. */
function onlyGCFields(obj: Record<string, any>, old: Record<string, any> | undefined): boolean {
  if (!old) return false;
  const strip = (o: Record<string, any>) => {
    const { ownerReferences: _o, finalizers: _f, managedFields: _m, resourceVersion: _r, ...meta } = o.metadata ?? {};
    const { metadata: _meta, ...rest } = o;
    return canonical({ ...rest, metadata: meta });
  };
  return strip(obj) === strip(old);
}

function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, x) => (x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : x));
}

/** The rules of the role a binding refers to, or 404 as the registry answers for a missing one. */
function referencedRules(source: RbacSource, ref: RoleRef, namespace: string): PolicyRule[] {
  if (ref.kind === 'Role') {
    const role = source.getRole(namespace, ref.name);
    if (!role) throw errors.notFound('roles', ref.name, group);
    return role.rules ?? [];
  }
  if (ref.kind === 'ClusterRole') {
    const role = source.getClusterRole(ref.name);
    if (!role) throw errors.notFound('clusterroles', ref.name, group);
    return role.rules ?? [];
  }
  throw errors.badRequest(`unsupported role reference kind: ${JSON.stringify(ref.kind)}`);
}

export interface EscalationCheckOptions {
  /** Where the user's rules and referenced roles are read (the RBAC authorizer's source). */
  source: RbacSource;
  /** The stored object, for an update. */
  old?: unknown;
  /** The request's namespace ('' for the cluster-scoped kinds); defaults to the object's. */
  namespace?: string;
}

/**
 * Throws 403 Forbidden (or the 404 of a binding's missing role) when `user`
 * may not create or update `obj` of `kind`; returns when it may.
 */
export function checkEscalation(user: UserInfo, kind: RbacKind, obj: unknown, authorizer: Authorizer, opts: EscalationCheckOptions): void {
  if (escalationAllowed(user)) return;
  const o = obj as Record<string, any>;
  const old = opts.old as Record<string, any> | undefined;
  const name: string = o.metadata?.name ?? '';
  const namespaced = kind === 'Role' || kind === 'RoleBinding';
  const namespace = namespaced ? (opts.namespace ?? o.metadata?.namespace ?? '') : '';
  const resource = resourceOf[kind];
  if (old && onlyGCFields(o, old)) return;

  if (kind === 'Role' || kind === 'ClusterRole') {
    // RoleEscalationAuthorized: the request's name ('' for a create, as the collection URL has none).
    if (authorized(authorizer, user, 'escalate', resource, namespace, old ? name : '')) return;
    const role = o as Role | ClusterRole;
    const refusal = confirmNoEscalation(opts.source, user, namespace, role.rules ?? []);
    if (refusal) throw errors.forbidden(resource, name, refusal, group);
    if (kind === 'ClusterRole') {
      const cr = role as ClusterRole;
      const oldCr = old as ClusterRole | undefined;
      // Any write of an aggregated role, or one that makes or unmakes one, as upstream (it can gather anything).
      const touchesAggregation = !!cr.aggregationRule || !!oldCr?.aggregationRule;
      if (touchesAggregation && confirmNoEscalation(opts.source, user, '', fullAuthority)) {
        throw errors.forbidden(resource, name, 'must have cluster-admin privileges to use the aggregationRule', group);
      }
    }
    return;
  }

  const binding = o as RoleBinding | ClusterRoleBinding;
  const ref = binding.roleRef;
  // BindingAuthorized: `bind` on the referenced role, checked in the binding's namespace.
  const refResource = ref?.kind === 'Role' ? 'roles' : ref?.kind === 'ClusterRole' ? 'clusterroles' : '';
  if (refResource && authorized(authorizer, user, 'bind', refResource, namespace, ref.name, ref.apiGroup || group)) return;
  const rules = referencedRules(opts.source, ref, namespace);
  const refusal = confirmNoEscalation(opts.source, user, namespace, rules);
  if (refusal) throw errors.forbidden(resource, name, refusal, group);
}


/** Checks a write of any resource: RBAC kinds go through checkEscalation, everything else passes. */
export type RbacWriteGuard = (user: UserInfo, apiGroup: string, resource: string, namespace: string, obj: unknown, old?: unknown) => void;

/**
 * The guard the API server runs before it creates, updates, patches or
 * applies an object (with `old` the stored object for all but a create):
 * `authorizer` is the one requests are authorized with (escalate and bind
 * are asked of it), `source` the RBAC authorizer's.
 */
export function rbacWriteGuard(authorizer: Authorizer, source: RbacSource): RbacWriteGuard {
  return (user, apiGroup, resource, namespace, obj, old) => {
    const kind = rbacKindOf(apiGroup, resource);
    if (kind) checkEscalation(user, kind, obj, authorizer, { source, old, namespace });
  };
}
