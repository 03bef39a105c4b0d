/**
 * auth — who a request is and whether it may do what it asks, as
 * kube-apiserver's authentication and authorization chains decide.
 *
 * Owns: the user a request authenticates as (user-info.ts), the request
 * attributes an authorizer judges and its decision (authorizer.ts), and the
 * Forbidden texts clients match on (forbidden.ts). Authenticators
 * (bearer tokens, impersonation) and authorizers (system:masters, RBAC)
 * live in their own files or folders here; the API server runs them, in
 * that order, before any handler. The registry and the controllers never
 * ask: in-process writers are the cluster's own components.
 *
 * State: none here; what an authorizer reads (RBAC objects) comes from
 * the registry through informers.
 */
export type { UserInfo } from './user-info.ts';
export { anonymousUser, systemMasters, systemAuthenticated, systemUnauthenticated, serviceAccountUsername } from './user-info.ts';
export type { Attributes, Authorizer, Decision, NonResourceRule, ResourceRule, RulesForResult } from './authorizer.ts';
export { allowed, denied, noOpinion, unionAuthorizer } from './authorizer.ts';
export { forbiddenMessage } from './forbidden.ts';
