/**
 * auth/rbac — Kubernetes RBAC as kube-apiserver v1.33 runs it: the
 * authorizer, the rules a user holds, the bootstrap policy reconciled at
 * start, and the escalation check on writes of the four RBAC kinds.
 *
 * Owns:
 *   rule-matching.ts      RuleAllows (verbs, groups, resources and subresources, names, URL prefixes)
 *   rule-resolver.ts      VisitRulesFor / RulesFor over an RbacSource; subject matching
 *   rbac-authorizer.ts    the Authorizer (allow reason, not-found reasons) and rulesFor
 *   rbac-source.ts        RbacSource over shared informers or the client
 *   policy-comparator.ts  Covers, CompactRules, CompactString
 *   bootstrap-policy.ts   the default ClusterRoles and ClusterRoleBindings
 *   reconcile.ts          union-mode reconcile, and reconcileBootstrapPolicy (run by main.ts at start)
 *   escalation.ts         checkEscalation: what the API server asks before writing an RBAC object
 *
 * State: none. The authorizer reads informer caches (an RbacSource); the
 * ClusterRole aggregation loop is a controller (controllers/clusterrole-aggregation).
 */
export { RbacAuthorizer } from './rbac-authorizer.ts';
export type { RbacSource } from './rule-resolver.ts';
export { rulesFor, visitRulesFor } from './rule-resolver.ts';
export { ruleAllows } from './rule-matching.ts';
export { rbacSourceFromClient, rbacSourceFromInformers, startRbacInformers } from './rbac-source.ts';
export { reconcileBootstrapPolicy } from './reconcile.ts';
export { bootstrapClusterRoleBindings, bootstrapClusterRoles } from './bootstrap-policy.ts';
export { checkEscalation, rbacKindOf, rbacWriteGuard, type EscalationCheckOptions, type RbacKind, type RbacWriteGuard } from './escalation.ts';
