/**
 * auth — who a request is and whether it may do what it asks, as
 * kube-apiserver's authentication and authorization chains decide.
 *
 * Owns: the user a request authenticates as (user-info.ts), bearer-token
 * authenticators and their chain (authenticator.ts: the static admin token
 * now; a ServiceAccount-token authenticator joins the chain later),
 * impersonation (impersonation.ts), the request attributes an authorizer
 * judges, its decision and rules (authorizer.ts), the system:masters
 * authorizer (masters.ts), the bootstrap policy's group grants for a server
 * without RBAC (default-policy.ts), and the Forbidden texts clients match
 * on (forbidden.ts). RBAC lives in rbac/. The API server runs
 * authentication, impersonation and authorization, in that order, before
 * any handler (apiserver/auth.ts). The registry and the controllers never
 * ask: in-process writers are the cluster's own components.
 *
 * Secrets: a token is compared and dropped; no result, error, log line or
 * Status carries it.
 *
 * State: none here; what an authorizer reads (RBAC objects) comes from
 * the registry through informers.
 */
export type { UserInfo } from './user-info.ts';
export {
  adminUser,
  anonymousUser,
  anonymousUsername,
  serviceAccountGroups,
  serviceAccountUsername,
  splitServiceAccountUsername,
  systemAuthenticated,
  systemMasters,
  systemServiceAccounts,
  systemUnauthenticated,
  withAuthenticatedGroup,
} from './user-info.ts';
export type { TokenAuthenticator, TokenResponse, TokenResult } from './authenticator.ts';
export { audienceAgnostic, bearerToken, staticTokenAuthenticator, tokenAuthenticatorChain } from './authenticator.ts';
export type { Attributes, Authorizer, Decision, NonResourceRule, ResourceRule, RulesForResult } from './authorizer.ts';
export { allowed, denied, noOpinion, unionAuthorizer } from './authorizer.ts';
export { systemMastersAuthorizer } from './masters.ts';
export { defaultPolicyAuthorizer } from './default-policy.ts';
export { forbiddenError, forbiddenMessage } from './forbidden.ts';
export type { HeaderValues } from './impersonation.ts';
export { ImpersonationRequestError, impersonate, impersonationRequests, isImpersonationHeader } from './impersonation.ts';
