/**
 * authorization.k8s.io/v1 — the access reviews, served under
 * /apis/authorization.k8s.io/v1 (kube-apiserver's
 * `pkg/registry/authorization`): SubjectAccessReview,
 * LocalSubjectAccessReview, SelfSubjectAccessReview (`kubectl auth can-i`)
 * and SelfSubjectRulesReview (`kubectl auth can-i --list`). All are
 * create-only and never stored (../authentication/review-kind.ts).
 *
 * Owns: the group's kind table, the reviews' validation (v1.33 texts) and
 * answers. Deciding is the API server's authorizer's (ReviewContext).
 */
import type { ApiGroup } from '../kind.ts';
import {
  localSubjectAccessReviewKind,
  selfSubjectAccessReviewKind,
  subjectAccessReviewKind,
} from './access-reviews.ts';
import { selfSubjectRulesReviewKind } from './selfsubjectrulesreview.ts';

export const authorizationGroup: ApiGroup = {
  name: 'authorization.k8s.io',
  version: 'v1',
  kinds: [localSubjectAccessReviewKind, selfSubjectAccessReviewKind, selfSubjectRulesReviewKind, subjectAccessReviewKind],
};
