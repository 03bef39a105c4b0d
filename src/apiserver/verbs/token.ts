/**
 * POST serviceaccounts/{name}/token: a TokenRequest (authentication.k8s.io/v1)
 * for the ServiceAccount, answered 201 with status.token and
 * status.expirationTimestamp (auth/serviceaccount/token-request.ts does the
 * work). The body is JSON, YAML or protobuf, as `kubectl create token`
 * sends it. The token is never logged.
 */
import type { TokenRequest } from 'kubernetes-types/authentication/v1.js';
import { errors, goQuote } from '../../api/api.ts';
import type { TokenIssuer } from '../../auth/serviceaccount/token-request.ts';
import type { RequestContext } from '../context.ts';
import { checkInputMediaType, decodeBody, readBody } from '../negotiate.ts';
import { sendObject } from '../status.ts';

const served = 'authentication.k8s.io/v1';

export async function createServiceAccountToken(ctx: RequestContext, issuer: TokenIssuer | undefined): Promise<void> {
  if (ctx.info.verb !== 'create') throw errors.methodNotSupported('serviceaccounts/token', ctx.info.verb);
  if (!issuer) throw errors.serviceUnavailable('the ServiceAccount token issuer is not configured');
  checkInputMediaType(ctx.req.headers['content-type']);
  const body = decodeBody(await readBody(ctx.req), ctx.req.headers['content-type']);
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw errors.badRequest('the body of the request must be a JSON or YAML object');
  if (typeof body.apiVersion === 'string' && body.apiVersion !== '' && body.apiVersion !== served) {
    const kind = typeof body.kind === 'string' && body.kind ? body.kind : 'TokenRequest';
    throw errors.badRequest(`no kind ${goQuote(kind)} is registered for version ${goQuote(body.apiVersion)}`);
  }
  if (body.kind !== undefined && body.kind !== 'TokenRequest') {
    throw errors.badRequest(`TokenRequest in version "v1" cannot be handled as a TokenRequest: the object provided is unrecognized (must be of type TokenRequest): ${body.kind}`);
  }
  const out = await issuer.createToken(ctx.info.namespace, ctx.info.name, body as TokenRequest);
  sendObject(ctx.res, 201, out);
}
