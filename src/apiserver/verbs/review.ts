/**
 * CREATE of a kind that is never stored (Strategy.review): the body is
 * decoded and checked as any create's, its namespace made to agree with the
 * URL's (rest.EnsureObjectNamespaceMatchesRequestNamespace), and the answer
 * is the review's object with 201 Created; nothing is written.
 */
import { errors, goQuote } from '../../api/api.ts';
import type { ReviewContext } from '../../api/kind.ts';
import type { RequestContext } from '../context.ts';
import { checkInputMediaType, decodeBody, readBody } from '../negotiate.ts';
import { sendObject } from '../status.ts';

export async function createReview(ctx: RequestContext, review: (obj: any, rc: ReviewContext) => any, rc: ReviewContext): Promise<void> {
  checkInputMediaType(ctx.req.headers['content-type']);
  const body = decodeBody(await readBody(ctx.req), ctx.req.headers['content-type']);
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw errors.badRequest('the body of the request must be a JSON or YAML object');
  const { kind, group, version } = ctx.store.info;
  const served = `${group}/${version}`;
  if (typeof body.apiVersion === 'string' && body.apiVersion !== '' && body.apiVersion !== served) {
    const bodyKind = typeof body.kind === 'string' && body.kind ? body.kind : kind;
    throw errors.badRequest(
      `${bodyKind} in version ${goQuote(body.apiVersion.slice(body.apiVersion.lastIndexOf('/') + 1))} cannot be handled as a ${kind}: no kind ${goQuote(bodyKind)} is registered for version ${goQuote(body.apiVersion)} in scheme "k8s.io/kubernetes/pkg/api/legacyscheme/scheme.go:30"`,
    );
  }
  if (body.kind !== undefined && body.kind !== kind) {
    throw errors.badRequest(`${kind} in version ${goQuote(version)} cannot be handled as a ${kind}: the object provided is unrecognized (must be of type ${kind}): ${body.kind}`);
  }
  const meta = body.metadata && typeof body.metadata === 'object' ? body.metadata : {};
  const objNs = typeof meta.namespace === 'string' ? meta.namespace : '';
  const reqNs = ctx.store.info.namespaced ? ctx.info.namespace : '';
  if (objNs !== reqNs) {
    if (objNs !== '' && reqNs !== '') throw errors.badRequest('the namespace of the provided object does not match the namespace sent on the request');
    if (reqNs === '') delete meta.namespace;
    else meta.namespace = reqNs;
  }
  body.metadata = meta;
  sendObject(ctx.res, 201, await review(body, rc));
}
