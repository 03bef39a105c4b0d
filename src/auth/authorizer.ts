/**
 * What an authorizer judges and what it answers (k8s.io/apiserver's
 * authorizer.Attributes and Decision), and the union of authorizers
 * kube-apiserver runs (the first Allow or Deny wins; NoOpinion passes on).
 */
import type { UserInfo } from './user-info.ts';

/** A request as authorization sees it; resource fields are '' for a non-resource request. */
export interface Attributes {
  user: UserInfo;
  /** get, list, watch, create, update, patch, delete, deletecollection; impersonate; for non-resource requests the HTTP verb in lower case. */
  verb: string;
  resourceRequest: boolean;
  /** For non-resource requests: the URL path. */
  path: string;
  namespace: string;
  apiGroup: string;
  apiVersion: string;
  resource: string;
  subresource: string;
  name: string;
}

export type Decision =
  | { decision: 'allow'; reason: string }
  | { decision: 'deny'; reason: string }
  | { decision: 'noOpinion'; reason: string };

/** A rule a user holds, as SelfSubjectRulesReview lists it (authorizationv1.ResourceRule). */
export interface ResourceRule {
  verbs: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
}

/** authorizationv1.NonResourceRule. */
export interface NonResourceRule {
  verbs: string[];
  nonResourceURLs?: string[];
}

/** What a rule-listing authorizer answers for SelfSubjectRulesReview; `evaluationError` when some rules could not be read. */
export interface RulesForResult {
  resourceRules: ResourceRule[];
  nonResourceRules: NonResourceRule[];
  incomplete: boolean;
  evaluationError?: string;
}

export interface Authorizer {
  authorize(a: Attributes): Decision;
  /** The rules `user` holds in `namespace` (authorizer.RuleResolver), for authorizers that can list them (RBAC). */
  rulesFor?(user: UserInfo, namespace: string): RulesForResult;
}

export const allowed = (reason = ''): Decision => ({ decision: 'allow', reason });
export const denied = (reason = ''): Decision => ({ decision: 'deny', reason });
export const noOpinion = (reason = ''): Decision => ({ decision: 'noOpinion', reason });

/** kube-apiserver's union: the first decision that is not NoOpinion; the reasons of those that had none joined. */
export function unionAuthorizer(...authorizers: Authorizer[]): Authorizer {
  return {
    authorize(a) {
      const reasons: string[] = [];
      for (const z of authorizers) {
        const d = z.authorize(a);
        if (d.decision !== 'noOpinion') return d;
        if (d.reason) reasons.push(d.reason);
      }
      return noOpinion(reasons.join('\n'));
    },
  };
}
