/**
 * What an authorizer judges and what it answers (k8s.io/apiserver's
 * authorizer.Attributes, Decision and RuleResolver), and the union of
 * authorizers kube-apiserver runs (the first Allow or Deny wins; NoOpinion
 * passes on).
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
  /** '*' when a SubjectAccessReview names no version (any version matches). */
  apiVersion: string;
  resource: string;
  subresource: string;
  name: string;
}

export type Decision =
  | { decision: 'allow'; reason: string }
  | { decision: 'deny'; reason: string }
  | { decision: 'noOpinion'; reason: string };

/** A rule a user holds, as SelfSubjectRulesReview lists it (authorizationv1.ResourceRule; `*` matches all). */
export interface ResourceRule {
  verbs: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
}

/** authorizationv1.NonResourceRule (a trailing `*` in a URL is a prefix). */
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
  /**
   * authorizer.RuleResolver: the rules `user` has in `namespace` (SelfSubjectRulesReview,
   * `kubectl auth can-i --list`). Authorizers that cannot enumerate what they allow omit it.
   */
  rulesFor?(user: UserInfo, namespace: string): RulesForResult;
}

export const allowed = (reason = ''): Decision => ({ decision: 'allow', reason });
export const denied = (reason = ''): Decision => ({ decision: 'deny', reason });
export const noOpinion = (reason = ''): Decision => ({ decision: 'noOpinion', reason });

/**
 * kube-apiserver's union: the first decision that is not NoOpinion; the
 * reasons of those that had none joined with `\n`. Its rules are the
 * concatenation of the members' (unionAuthzRulesHandler), incomplete if any
 * member's are, with their evaluation errors aggregated.
 */
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
    rulesFor(user, namespace) {
      const out: RulesForResult = { resourceRules: [], nonResourceRules: [], incomplete: false };
      const errs: string[] = [];
      for (const z of authorizers) {
        if (!z.rulesFor) continue;
        const r = z.rulesFor(user, namespace);
        out.resourceRules.push(...r.resourceRules);
        out.nonResourceRules.push(...r.nonResourceRules);
        out.incomplete ||= r.incomplete;
        if (r.evaluationError) errs.push(r.evaluationError);
      }
      if (errs.length) out.evaluationError = errs.length === 1 ? errs[0] : `[${errs.join(', ')}]`;
      return out;
    },
  };
}
