/**
 * The bootstrap policy's grants to groups, for an API server that runs
 * without RBAC (no RBAC authorizer given): what the bootstrap
 * ClusterRoleBindings give every cluster before anyone adds a binding —
 *
 *   cluster-admin            → system:masters
 *   system:basic-user        → system:authenticated (create the self-reviews)
 *   system:discovery         → system:authenticated (discovery, OpenAPI, version, health)
 *   system:public-info-viewer → system:authenticated, system:unauthenticated (version, health)
 *
 * with the rules of plugin/pkg/auth/authorizer/rbac/bootstrappolicy. Once
 * RBAC serves those very objects this stand-in is dropped. Like RBAC it
 * never denies: what it does not allow is NoOpinion, without a reason.
 */
import { allowed, noOpinion, type Attributes, type Authorizer, type NonResourceRule, type ResourceRule, type RulesForResult } from './authorizer.ts';
import { systemAuthenticated, systemMasters, systemUnauthenticated, type UserInfo } from './user-info.ts';

interface Grant {
  groups: string[];
  resourceRules: ResourceRule[];
  nonResourceRules: NonResourceRule[];
}

const publicInfoUrls = ['/healthz', '/version', '/version/', '/livez', '/readyz'];
const discoveryUrls = ['/livez', '/readyz', '/healthz', '/version', '/version/', '/openapi', '/openapi/*', '/api', '/api/*', '/apis', '/apis/*'];

const grants: readonly Grant[] = [
  {
    groups: [systemMasters],
    resourceRules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'], resourceNames: [] }],
    nonResourceRules: [{ verbs: ['*'], nonResourceURLs: ['*'] }],
  },
  {
    groups: [systemAuthenticated],
    resourceRules: [
      { verbs: ['create'], apiGroups: ['authorization.k8s.io'], resources: ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'], resourceNames: [] },
      { verbs: ['create'], apiGroups: ['authentication.k8s.io'], resources: ['selfsubjectreviews'], resourceNames: [] },
    ],
    nonResourceRules: [],
  },
  { groups: [systemAuthenticated], resourceRules: [], nonResourceRules: [{ verbs: ['get'], nonResourceURLs: discoveryUrls }] },
  { groups: [systemAuthenticated, systemUnauthenticated], resourceRules: [], nonResourceRules: [{ verbs: ['get'], nonResourceURLs: publicInfoUrls }] },
];

const has = (list: readonly string[], v: string) => list.includes('*') || list.includes(v);

/** rbacv1helpers' ResourceMatches: `*`, the resource (with its subresource), or `*` slash the subresource. */
function resourceMatches(rule: ResourceRule, a: Attributes): boolean {
  const combined = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  return (rule.resources ?? []).some((r) => r === '*' || r === combined || (a.subresource !== '' && r === `*/${a.subresource}`));
}

function resourceAllows(rule: ResourceRule, a: Attributes): boolean {
  return (
    has(rule.verbs, a.verb) &&
    has(rule.apiGroups ?? [], a.apiGroup) &&
    resourceMatches(rule, a) &&
    ((rule.resourceNames ?? []).length === 0 || (rule.resourceNames ?? []).includes(a.name))
  );
}

/** NonResourceURLMatches: exact, `*`, or a prefix ending in `*`. */
function nonResourceAllows(rule: NonResourceRule, a: Attributes): boolean {
  if (!has(rule.verbs, a.verb)) return false;
  return (rule.nonResourceURLs ?? []).some((u) => u === '*' || u === a.path || (u.endsWith('*') && a.path.startsWith(u.slice(0, -1))));
}

const grantsOf = (user: UserInfo) => grants.filter((g) => g.groups.some((x) => user.groups.includes(x)));

export const defaultPolicyAuthorizer: Authorizer = {
  authorize(a) {
    for (const g of grantsOf(a.user)) {
      const ok = a.resourceRequest ? g.resourceRules.some((r) => resourceAllows(r, a)) : g.nonResourceRules.some((r) => nonResourceAllows(r, a));
      if (ok) return allowed();
    }
    return noOpinion();
  },
  rulesFor(user): RulesForResult {
    const mine = grantsOf(user);
    return {
      resourceRules: mine.flatMap((g) => g.resourceRules.map((r) => structuredClone(r))),
      nonResourceRules: mine.flatMap((g) => g.nonResourceRules.map((r) => structuredClone(r))),
      incomplete: false,
    };
  },
};
