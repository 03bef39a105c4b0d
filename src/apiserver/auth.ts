/**
 * The API server's authentication, impersonation and authorization filters,
 * in kube-apiserver's order (WithAuthentication, WithImpersonation,
 * WithAuthorization), run on every request before routing — upgrades
 * (exec, attach, port-forward) before the upgrade:
 *
 *   1. A bearer token is authenticated by the token chain (the node's admin
 *      token; ServiceAccount tokens when an authenticator for them is
 *      given); a refused token is 401 Unauthorized. A request without one
 *      is system:anonymous, let through only to the public paths (/version
 *      and the health checks), 401 elsewhere.
 *   2. Impersonation headers switch the user, each checked with the
 *      authorizer.
 *   3. The request's attributes (request-info.ts, with kube-apiserver's
 *      verbs) are authorized; anything but Allow is 403 with the exact
 *      Forbidden text.
 *
 * The authorizer is union(system:masters, RBAC) — or, while no RBAC
 * authorizer is given, union(system:masters, the bootstrap policy's group
 * grants). A token never leaves this file: not in errors, not in logs.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { errors } from '../api/api.ts';
import { goQuote } from '../api/go-format.ts';
import {
  adminUser,
  anonymousUser,
  bearerToken,
  defaultPolicyAuthorizer,
  forbiddenError,
  impersonate,
  ImpersonationRequestError,
  staticTokenAuthenticator,
  systemMastersAuthorizer,
  tokenAuthenticatorChain,
  unionAuthorizer,
  type Attributes,
  type Authorizer,
  type TokenAuthenticator,
  type UserInfo,
} from '../auth/auth.ts';
import type { RequestInfo } from './request-info.ts';
import { writeResponse } from './streaming/raw-response.ts';

/**
 * The API server's audiences (kube-apiserver's --api-audiences, which
 * defaults to the ServiceAccount issuer; kind's and kubeadm's issuer).
 */
export const apiAudiences: readonly string[] = ['https://kubernetes.default.svc.cluster.local'];

const publicPaths = new Set(['/version', '/healthz', '/livez', '/readyz']);

/** A path anyone may read without credentials (the bootstrap system:public-info-viewer's, which authorization still checks). */
export function isPublicPath(path: string, method: string | undefined): boolean {
  return (method === 'GET' || method === 'HEAD') && publicPaths.has(path.replace(/\/+$/, ''));
}

export interface AuthOptions {
  /** The node's admin token: user kubernetes-admin in system:masters. */
  adminToken: string;
  /** More token authenticators, tried after the admin token's (the ServiceAccount-token authenticator's slot). */
  tokenAuthenticators?: readonly TokenAuthenticator[];
  /** The RBAC authorizer; without it the bootstrap policy's group grants stand in. */
  authorizer?: Authorizer;
}

export interface RequestAuth {
  /** The token chain, for TokenReview. */
  tokens: TokenAuthenticator;
  /** The authorizer every request and review asks. */
  authorizer: Authorizer;
  /**
   * Authentication and impersonation: the user the request acts as.
   * Throws 401, the impersonation Forbidden, or an ImpersonationRequestError.
   */
  userOf(req: IncomingMessage, path: string): Promise<UserInfo>;
  /** Throws the Forbidden ApiError unless the authorizer allows `a`. */
  authorize(a: Attributes): void;
}

export function requestAuth(opts: AuthOptions): RequestAuth {
  const tokens = tokenAuthenticatorChain(
    staticTokenAuthenticator(apiAudiences, [{ token: opts.adminToken, user: adminUser }]),
    ...(opts.tokenAuthenticators ?? []),
  );
  const authorizer = unionAuthorizer(systemMastersAuthorizer, opts.authorizer ?? defaultPolicyAuthorizer);
  return {
    tokens,
    authorizer,
    async userOf(req, path) {
      const token = bearerToken(req.headers.authorization);
      let user: UserInfo;
      if (token === undefined) {
        if (!isPublicPath(path, req.method)) throw errors.unauthorized();
        user = anonymousUser;
      } else {
        const r = await tokens.authenticateToken(token);
        if (!r.ok) throw errors.unauthorized();
        user = r.response.user;
      }
      return impersonate(user, req.headersDistinct, authorizer);
    },
    authorize(a) {
      const d = authorizer.authorize(a);
      if (d.decision !== 'allow') throw forbiddenError(a, d.reason);
    },
  };
}

/** The name a list or watch is narrowed to by `fieldSelector=metadata.name=<name>` (RequiresExactMatch), if a valid path segment. */
function selectedName(query: URLSearchParams): string {
  const selector = query.get('fieldSelector');
  if (!selector) return '';
  let name = '';
  for (const term of selector.split(',')) {
    const m = /^\s*metadata\.name\s*(==|=)\s*(.*?)\s*$/.exec(term);
    if (m) name = m[2];
  }
  if (name === '' || name === '.' || name === '..' || name.includes('/') || name.includes('%')) return '';
  return name;
}

/**
 * The attributes authorization judges (filters.GetAuthorizerAttributes over
 * RequestInfoFactory): resource requests with the routed verb; a list or
 * watch narrowed to one name by its field selector names it; a namespace
 * (and its status/finalize) is in its own namespace. Non-resource requests
 * are the path and the method in lower case.
 */
export function requestAttributes(user: UserInfo, info: RequestInfo, method: string, query: URLSearchParams): Attributes {
  if (!info.isResource) {
    return { user, verb: method.toLowerCase(), resourceRequest: false, path: info.path, namespace: '', apiGroup: '', apiVersion: '', resource: '', subresource: '', name: '' };
  }
  let name = info.name;
  if (name === '' && (info.verb === 'list' || info.verb === 'watch')) name = selectedName(query);
  const namespace = info.resource === 'namespaces' && info.namespace === '' ? info.name : info.namespace;
  return {
    user,
    verb: info.verb,
    resourceRequest: true,
    path: info.path,
    namespace,
    apiGroup: info.group,
    apiVersion: info.version,
    resource: info.resource,
    subresource: info.subresource,
    name,
  };
}

/** responsewriters.InternalError's plain-text answer to impersonation headers without a user. */
function impersonationFailureText(req: IncomingMessage, err: ImpersonationRequestError): string {
  return `Internal Server Error: ${goQuote(req.url ?? '')}: ${err.message}`.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;') + '\n';
}

/** Answers an ImpersonationRequestError as kube-apiserver does; false for any other error. */
export function sendImpersonationFailure(req: IncomingMessage, res: ServerResponse, err: unknown): boolean {
  if (!(err instanceof ImpersonationRequestError)) return false;
  const text = impersonationFailureText(req, err);
  res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
  return true;
}

/** The same on an upgrade's raw socket. */
export function writeImpersonationFailure(req: IncomingMessage, socket: Duplex, err: unknown): boolean {
  if (!(err instanceof ImpersonationRequestError)) return false;
  writeResponse(socket, 500, 'text/plain; charset=utf-8', impersonationFailureText(req, err));
  return true;
}
