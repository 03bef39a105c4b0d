/**
 * SelfSubjectRulesReview (pkg/registry/authorization/selfsubjectrulesreview):
 * the rules the requester holds in spec.namespace, from the authorizer's
 * rule resolver (`kubectl auth can-i --list`). An authorizer that cannot
 * list rules contributes none.
 */
import type { NonResourceRule, ResourceRule } from '../../auth/auth.ts';
import { errors } from '../errors.ts';
import type { ReviewContext } from '../kind.ts';
import { answered, reviewKind } from '../authentication/review-kind.ts';

type Obj = Record<string, any>;

/** authorizationv1.ResourceRule as Go encodes it: verbs always, the rest when not empty. */
function resourceRuleV1(r: ResourceRule): Obj {
  const out: Obj = { verbs: [...r.verbs] };
  if (r.apiGroups?.length) out.apiGroups = [...r.apiGroups];
  if (r.resources?.length) out.resources = [...r.resources];
  if (r.resourceNames?.length) out.resourceNames = [...r.resourceNames];
  return out;
}

function nonResourceRuleV1(r: NonResourceRule): Obj {
  const out: Obj = { verbs: [...r.verbs] };
  if (r.nonResourceURLs?.length) out.nonResourceURLs = [...r.nonResourceURLs];
  return out;
}

export function selfSubjectRulesReview(obj: Obj, ctx: ReviewContext): Obj {
  const namespace = obj.spec?.namespace ?? '';
  if (namespace === '') throw errors.badRequest('no namespace on request');
  const rules = ctx.authorizer.rulesFor?.(ctx.user, namespace) ?? { resourceRules: [], nonResourceRules: [], incomplete: false };
  const status: Obj = {
    resourceRules: rules.resourceRules.map(resourceRuleV1),
    nonResourceRules: rules.nonResourceRules.map(nonResourceRuleV1),
    incomplete: rules.incomplete,
  };
  if (rules.evaluationError) status.evaluationError = rules.evaluationError;
  const out = answered(obj, 'authorization.k8s.io', 'v1', 'SelfSubjectRulesReview');
  return { ...out, spec: {}, status };
}

export const selfSubjectRulesReviewKind = reviewKind(
  { group: 'authorization.k8s.io', version: 'v1', resource: 'selfsubjectrulesreviews', kind: 'SelfSubjectRulesReview', namespaced: false },
  selfSubjectRulesReview,
);
