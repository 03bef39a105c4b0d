/**
 * authentication.k8s.io/v1 — TokenReview and SelfSubjectReview, served
 * under /apis/authentication.k8s.io/v1 (kube-apiserver's
 * `pkg/registry/authentication`). Both are create-only and never stored
 * (review-kind.ts): a TokenReview asks the API server's token chain about a
 * token, a SelfSubjectReview (`kubectl auth whoami`) who the requester is.
 *
 * Owns: the group's kind table and each review's answer. Authenticating
 * tokens is src/auth's; the API server supplies it (ReviewContext).
 */
import type { ApiGroup } from '../kind.ts';
import { selfSubjectReviewKind } from './selfsubjectreview.ts';
import { tokenReviewKind } from './tokenreview.ts';

export const authenticationGroup: ApiGroup = {
  name: 'authentication.k8s.io',
  version: 'v1',
  kinds: [selfSubjectReviewKind, tokenReviewKind],
};
