/**
 * The RBAC authorizer (plugin/pkg/auth/authorizer/rbac/rbac.go): walks the
 * rules the user holds and allows at the first that covers the request,
 * with the reason `RBAC: allowed by ClusterRoleBinding "cluster-admin" of
 * ClusterRole "cluster-admin" to Group "system:masters"`. Otherwise it has
 * no opinion; the reason then carries the resolution errors met
 * (`RBAC: clusterrole.rbac.authorization.k8s.io "x" not found`), as the
 * Forbidden message shows them.
 *
 * rulesFor lists what SelfSubjectRulesReview shows: resource rules and
 * non-resource rules, never incomplete; resolution errors as the
 * evaluation error.
 */
import type { Attributes, Authorizer, Decision, NonResourceRule, ResourceRule, RulesForResult } from '../authorizer.ts';
import { allowed, noOpinion } from '../authorizer.ts';
import type { UserInfo } from '../user-info.ts';
import { ruleAllows } from './rule-matching.ts';
import { aggregateErrors, rulesFor, visitRulesFor, type RbacSource } from './rule-resolver.ts';

export class RbacAuthorizer implements Authorizer {
  readonly source: RbacSource;

  constructor(source: RbacSource) {
    this.source = source;
  }

  authorize(a: Attributes): Decision {
    let reason: string | undefined;
    const errors: Error[] = [];
    visitRulesFor(this.source, a.user, a.namespace, (source, rule, err) => {
      if (rule && ruleAllows(a, rule)) {
        reason = `RBAC: allowed by ${source}`;
        return false;
      }
      if (err) errors.push(err);
      return true;
    });
    if (reason !== undefined) return allowed(reason);
    return noOpinion(errors.length ? `RBAC: ${aggregateErrors(errors)}` : '');
  }

  rulesFor(user: UserInfo, namespace: string): RulesForResult {
    const { rules, errors } = rulesFor(this.source, user, namespace);
    const resourceRules: ResourceRule[] = [];
    const nonResourceRules: NonResourceRule[] = [];
    for (const r of rules) {
      if (r.resources?.length) {
        resourceRules.push({ verbs: [...r.verbs], apiGroups: [...(r.apiGroups ?? [])], resources: [...r.resources], resourceNames: [...(r.resourceNames ?? [])] });
      }
      if (r.nonResourceURLs?.length) nonResourceRules.push({ verbs: [...r.verbs], nonResourceURLs: [...r.nonResourceURLs] });
    }
    return { resourceRules, nonResourceRules, incomplete: false, ...(errors.length ? { evaluationError: aggregateErrors(errors) } : {}) };
  }
}
