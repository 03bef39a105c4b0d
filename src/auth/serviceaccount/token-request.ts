/**
 * TokenRequest create (kube-apiserver's
 * `pkg/registry/core/serviceaccount/storage/token.go`): a token for a
 * ServiceAccount, optionally bound to a Pod, Secret or Node of its namespace
 * (the uid checked when given), for the requested audiences (default the
 * API server's) and expiry (default 3600 s, at least 10 minutes). A pod
 * token asked for 3607 s — what the admission plugin injects — is extended
 * to a year with `warnafter` at the requested expiry, as kube-apiserver's
 * `--service-account-extend-token-expiration` (on by default) does; the
 * status still reports the requested expiry.
 *
 * Used by the API's `serviceaccounts/token` subresource and, in process,
 * by the kubelet for projected token volumes.
 */
import { randomUUID } from 'node:crypto';
import type { TokenRequest } from 'kubernetes-types/authentication/v1.js';
import type { Node, Pod, Secret } from 'kubernetes-types/core/v1.js';
import { ApiError, errors } from '../../api/errors.ts';
import { invalid } from '../../api/validation/field-errors.ts';
import { validateTokenRequest } from '../../api/validation/serviceaccount.ts';
import { rfc3339 } from '../../api/time.ts';
import type { BoundObjects } from './authenticator.ts';
import { expirationExtensionSeconds, tokenClaims, warnOnlyBoundTokenExpirationSeconds } from './claims.ts';
import { signToken } from './issuer.ts';
import type { SigningKey } from './signing-key.ts';

export const tokenRequestGroup = 'authentication.k8s.io';
/** `SetDefaults_TokenRequestSpec`. */
export const defaultTokenExpirationSeconds = 3600;

export interface TokenIssuerOptions {
  key: SigningKey;
  issuer: string;
  /** The API server's audiences: the default of a request that names none. */
  audiences: string[];
  objects: BoundObjects;
  now?: () => number;
  jti?: () => string;
}

export interface TokenIssuer {
  /** Creates the token for ServiceAccount `name` in `namespace`; throws ApiError as kube-apiserver answers. */
  createToken(namespace: string, name: string, body: TokenRequest): Promise<TokenRequest>;
}

function gvkOf(apiVersion: string | undefined, kind: string | undefined): { group: string; text: string } {
  const gv = apiVersion ?? '';
  const slash = gv.indexOf('/');
  const group = slash < 0 ? '' : gv.slice(0, slash);
  const version = slash < 0 ? gv : gv.slice(slash + 1);
  // schema.GroupVersionKind.String(): `group/version, Kind=kind`.
  return { group, text: `${group}/${version}, Kind=${kind ?? ''}` };
}

export function tokenIssuer(opts: TokenIssuerOptions): TokenIssuer {
  const now = opts.now ?? Date.now;
  const jti = opts.jti ?? randomUUID;
  return {
    async createToken(namespace, name, body) {
      const req: TokenRequest = { ...body, metadata: { ...(body.metadata ?? {}) }, spec: { ...(body.spec ?? { audiences: [] }) } };
      const meta = req.metadata as { name?: string; namespace?: string; creationTimestamp?: string };
      if (meta.name && meta.name !== name) {
        throw errors.invalid('TokenRequest', name, [invalid('metadata.name', meta.name, 'must match the service account name if specified')], tokenRequestGroup);
      }
      if (meta.namespace && meta.namespace !== namespace) {
        throw errors.invalid('TokenRequest', name, [invalid('metadata.namespace', meta.namespace, 'must match the service account namespace if specified')], tokenRequestGroup);
      }
      const sa = opts.objects.serviceAccount(namespace, name);
      if (!sa) throw errors.notFound('serviceaccounts', name);
      const spec = req.spec;
      if (!spec.audiences?.length) spec.audiences = [...opts.audiences];
      spec.expirationSeconds ??= defaultTokenExpirationSeconds;
      meta.name ||= name;
      meta.namespace ||= namespace;
      const issuedAt = now();
      meta.creationTimestamp = rfc3339(issuedAt);
      delete req.status;
      const errs = validateTokenRequest(spec.expirationSeconds);
      if (errs.length) throw errors.invalid('TokenRequest', '', errs, tokenRequestGroup);

      let pod: Pod | undefined;
      let secret: Secret | undefined;
      let node: Node | undefined;
      const ref = spec.boundObjectRef;
      if (ref) {
        const gvk = gvkOf(ref.apiVersion, ref.kind);
        const refName = ref.name ?? '';
        let uid: string | undefined;
        if (gvk.group === '' && ref.kind === 'Pod') {
          pod = opts.objects.pod(namespace, refName);
          if (!pod) throw errors.notFound('pods', refName);
          if (name !== pod.spec?.serviceAccountName) {
            throw errors.badRequest(`cannot bind token for serviceaccount "${name}" to pod running with serviceaccount "${pod.spec?.serviceAccountName ?? ''}"`);
          }
          uid = pod.metadata?.uid;
          if (pod.spec?.nodeName) node = opts.objects.node(pod.spec.nodeName);
        } else if (gvk.group === '' && ref.kind === 'Node') {
          node = opts.objects.node(refName);
          if (!node) throw errors.notFound('nodes', refName);
          uid = node.metadata?.uid;
        } else if (gvk.group === '' && ref.kind === 'Secret') {
          secret = opts.objects.secret(namespace, refName);
          if (!secret) throw errors.notFound('secrets', refName);
          uid = secret.metadata?.uid;
        } else {
          throw errors.badRequest(`cannot bind token to object of type ${gvk.text}`);
        }
        if (ref.uid && ref.uid !== uid) {
          throw errors.conflict(
            ref.kind,
            refName,
            `the UID in the bound object reference (${ref.uid}) does not match the UID in record. The object might have been deleted and then recreated`,
          );
        }
      }
      let exp = spec.expirationSeconds;
      let warnAfter = 0;
      const kubeAudiences = spec.audiences.every((a) => opts.audiences.includes(a));
      if (pod && exp === warnOnlyBoundTokenExpirationSeconds && kubeAudiences) {
        warnAfter = exp;
        exp = expirationExtensionSeconds;
      }
      const claims = tokenClaims({
        issuer: opts.issuer,
        serviceAccount: sa,
        pod,
        secret,
        node,
        audiences: spec.audiences,
        expirationSeconds: exp,
        warnAfterSeconds: warnAfter,
        now: issuedAt,
        jti: jti(),
      });
      let token: string;
      try {
        token = await signToken(opts.key, claims);
      } catch (err) {
        throw new ApiError(500, 'InternalError', `failed to generate token: ${err instanceof Error ? err.message : String(err)}`);
      }
      return {
        ...req,
        apiVersion: 'authentication.k8s.io/v1',
        kind: 'TokenRequest',
        status: { token, expirationTimestamp: rfc3339(issuedAt + spec.expirationSeconds * 1000) },
      };
    },
  };
}
