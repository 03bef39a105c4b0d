/**
 * SubjectAccessReview, LocalSubjectAccessReview and SelfSubjectAccessReview
 * (pkg/registry/authorization/*subjectaccessreview): validate, turn the spec
 * into authorizer attributes (authorizationutil.ResourceAttributesFrom /
 * NonResourceAttributesFrom: an empty version matches all, `*`), ask the
 * API server's authorizer, and answer allowed/denied/reason.
 */
import type { Attributes, Decision, UserInfo } from '../../auth/auth.ts';
import { errors } from '../errors.ts';
import type { ReviewContext } from '../kind.ts';
import { answered, reviewKind } from '../authentication/review-kind.ts';
import { validateLocalSubjectAccessReview, validateSelfSubjectAccessReview, validateSubjectAccessReview } from './validation.ts';

type Obj = Record<string, any>;
const group = 'authorization.k8s.io';

/** The attributes a review's spec asks about, for `user`. */
export function reviewAttributes(user: UserInfo, spec: Obj): Attributes {
  const ra = spec.resourceAttributes;
  if (ra) {
    return {
      user,
      verb: ra.verb ?? '',
      resourceRequest: true,
      path: '',
      namespace: ra.namespace ?? '',
      apiGroup: ra.group ?? '',
      apiVersion: ra.version || '*',
      resource: ra.resource ?? '',
      subresource: ra.subresource ?? '',
      name: ra.name ?? '',
    };
  }
  const nra = spec.nonResourceAttributes ?? {};
  return { user, verb: nra.verb ?? '', resourceRequest: false, path: nra.path ?? '', namespace: '', apiGroup: '', apiVersion: '', resource: '', subresource: '', name: '' };
}

/** SubjectAccessReviewStatus: allowed always, denied/reason/evaluationError when set. */
export function accessStatus(d: Decision): Obj {
  const status: Obj = { allowed: d.decision === 'allow' };
  if (d.decision === 'deny') status.denied = true;
  if (d.reason) status.reason = d.reason;
  return status;
}

/** The user a SubjectAccessReview's spec names (no groups added: the spec is the whole user). */
function specUser(spec: Obj): UserInfo {
  const user: UserInfo = { username: spec.user ?? '', groups: Array.isArray(spec.groups) ? [...spec.groups] : [] };
  if (spec.uid) user.uid = spec.uid;
  if (spec.extra && Object.keys(spec.extra).length) user.extra = structuredClone(spec.extra);
  return user;
}

export function subjectAccessReview(obj: Obj, ctx: ReviewContext): Obj {
  const errs = validateSubjectAccessReview(obj);
  if (errs.length) throw errors.invalid('SubjectAccessReview', '', errs, group);
  const spec = obj.spec ?? {};
  return { ...answered(obj, group, 'v1', 'SubjectAccessReview'), status: accessStatus(ctx.authorizer.authorize(reviewAttributes(specUser(spec), spec))) };
}

export function localSubjectAccessReview(obj: Obj, ctx: ReviewContext): Obj {
  const errs = validateLocalSubjectAccessReview(obj);
  if (errs.length) throw errors.invalid('LocalSubjectAccessReview', '', errs, group);
  if (ctx.namespace === '') throw errors.badRequest(`namespace is required on this type: ${ctx.namespace}`);
  if (ctx.namespace !== (obj.metadata?.namespace ?? '')) throw errors.badRequest(`spec.resourceAttributes.namespace must match namespace: ${ctx.namespace}`);
  const spec = obj.spec ?? {};
  return { ...answered(obj, group, 'v1', 'LocalSubjectAccessReview'), status: accessStatus(ctx.authorizer.authorize(reviewAttributes(specUser(spec), spec))) };
}

export function selfSubjectAccessReview(obj: Obj, ctx: ReviewContext): Obj {
  const errs = validateSelfSubjectAccessReview(obj);
  if (errs.length) throw errors.invalid('SelfSubjectAccessReview', '', errs, group);
  const spec = obj.spec ?? {};
  return { ...answered(obj, group, 'v1', 'SelfSubjectAccessReview'), status: accessStatus(ctx.authorizer.authorize(reviewAttributes(ctx.user, spec))) };
}

export const subjectAccessReviewKind = reviewKind({ group, version: 'v1', resource: 'subjectaccessreviews', kind: 'SubjectAccessReview', namespaced: false }, subjectAccessReview);
export const localSubjectAccessReviewKind = reviewKind(
  { group, version: 'v1', resource: 'localsubjectaccessreviews', kind: 'LocalSubjectAccessReview', namespaced: true },
  localSubjectAccessReview,
);
export const selfSubjectAccessReviewKind = reviewKind(
  { group, version: 'v1', resource: 'selfsubjectaccessreviews', kind: 'SelfSubjectAccessReview', namespaced: false },
  selfSubjectAccessReview,
);
