/**
 * SelfSubjectReview (pkg/registry/authentication/selfsubjectreview): who
 * the request acts as — after impersonation, so `kubectl auth whoami
 * --as=jane` answers jane — stamped with the time it was made.
 */
import { rfc3339 } from '../time.ts';
import type { ReviewContext } from '../kind.ts';
import { reviewKind } from './review-kind.ts';
import { userInfoV1 } from './user-info.ts';

export function selfSubjectReview(_obj: Record<string, any>, ctx: ReviewContext): Record<string, any> {
  return {
    kind: 'SelfSubjectReview',
    apiVersion: 'authentication.k8s.io/v1',
    metadata: { creationTimestamp: rfc3339(ctx.now) },
    status: { userInfo: userInfoV1(ctx.user) },
  };
}

export const selfSubjectReviewKind = reviewKind(
  { group: 'authentication.k8s.io', version: 'v1', resource: 'selfsubjectreviews', kind: 'SelfSubjectReview', namespaced: false },
  selfSubjectReview,
);
