/**
 * TokenReview (pkg/registry/authentication/tokenreview): authenticates
 * spec.token with the API server's token chain, for the audiences it names
 * (the API server's when none), and answers authenticated, the user, the
 * audiences the token is good for, or the chain's error — which never
 * contains the token.
 */
import { ApiError, errors } from '../errors.ts';
import type { ReviewContext } from '../kind.ts';
import { answered, reviewKind } from './review-kind.ts';
import { userInfoV1 } from './user-info.ts';

export async function tokenReview(obj: Record<string, any>, ctx: ReviewContext): Promise<Record<string, any>> {
  if (ctx.namespace) throw errors.badRequest(`namespace is not allowed on this type: ${ctx.namespace}`);
  const token: unknown = obj.spec?.token;
  if (typeof token !== 'string' || token === '') throw errors.badRequest('token is required for TokenReview in authentication');
  const requested: string[] = Array.isArray(obj.spec?.audiences) ? obj.spec.audiences : [];
  const auds = requested.length ? requested : [...ctx.apiAudiences];
  const r = await ctx.tokens.authenticateToken(token, auds);
  const status: Record<string, unknown> = {};
  if (r.ok) {
    if (!r.response.audiences.some((a) => auds.includes(a))) {
      throw new ApiError(500, 'InternalError', 'Internal error occurred: error validating audiences', { causes: [{ message: 'error validating audiences' }] });
    }
    status.authenticated = true;
    status.user = userInfoV1(r.response.user);
    if (r.response.audiences.length) status.audiences = [...r.response.audiences];
  } else {
    status.user = {};
    if (r.error) status.error = r.error;
  }
  return { ...answered(obj, 'authentication.k8s.io', 'v1', 'TokenReview'), status };
}

export const tokenReviewKind = reviewKind(
  { group: 'authentication.k8s.io', version: 'v1', resource: 'tokenreviews', kind: 'TokenReview', namespaced: false },
  tokenReview,
);
