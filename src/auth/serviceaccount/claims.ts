/**
 * The claims of a ServiceAccount token, as kube-apiserver's
 * `pkg/serviceaccount/claims.go` builds them, and the user a validated
 * token stands for (`ServiceAccountInfo.UserInfo`). Pure.
 */
import type { Node, Pod, Secret, ServiceAccount } from 'kubernetes-types/core/v1.js';
import type { UserInfo } from '../user-info.ts';
import { serviceAccountUsername, systemAuthenticated } from '../user-info.ts';

/** kube-apiserver's `--service-account-issuer` as kubeadm sets it. */
export const defaultIssuer = 'https://kubernetes.default.svc.cluster.local';

/** The expiry the admission plugin asks for; such pod tokens are extended (`WarnOnlyBoundTokenExpirationSeconds`). */
export const warnOnlyBoundTokenExpirationSeconds = 60 * 60 + 7;
/** What a 3607 s pod token is extended to (`ExpirationExtensionSeconds`, one year). */
export const expirationExtensionSeconds = 24 * 365 * 60 * 60;

export const podNameKey = 'authentication.kubernetes.io/pod-name';
export const podUidKey = 'authentication.kubernetes.io/pod-uid';
export const nodeNameKey = 'authentication.kubernetes.io/node-name';
export const nodeUidKey = 'authentication.kubernetes.io/node-uid';
export const credentialIdKey = 'authentication.kubernetes.io/credential-id';

export interface Ref {
  name: string;
  uid: string;
}

/** The private `kubernetes.io` claim. */
export interface KubernetesClaim {
  namespace: string;
  serviceaccount: Ref;
  pod?: Ref;
  secret?: Ref;
  node?: Ref;
  warnafter?: number;
}

export interface TokenClaims {
  iss: string;
  sub: string;
  aud: string[];
  exp: number;
  iat: number;
  nbf: number;
  jti: string;
  'kubernetes.io': KubernetesClaim;
}

export interface ClaimsInput {
  issuer: string;
  serviceAccount: ServiceAccount;
  pod?: Pod;
  secret?: Secret;
  /** The node of a bound pod, when known; or the node the token is bound to. */
  node?: Node;
  audiences: string[];
  expirationSeconds: number;
  /** Non-zero: the `warnafter` claim, this many seconds after issue. */
  warnAfterSeconds?: number;
  /** Milliseconds since the epoch. */
  now: number;
  jti: string;
}

const refOf = (o: { metadata?: { name?: string; uid?: string } }): Ref => ({ name: o.metadata?.name ?? '', uid: o.metadata?.uid ?? '' });

export function tokenClaims(i: ClaimsInput): TokenClaims {
  const now = Math.floor(i.now / 1000);
  const ns = i.serviceAccount.metadata?.namespace ?? '';
  const k8s: KubernetesClaim = { namespace: ns, serviceaccount: refOf(i.serviceAccount) };
  if (i.pod) {
    k8s.pod = refOf(i.pod);
    if (i.node) k8s.node = refOf(i.node);
  } else if (i.secret) {
    k8s.secret = refOf(i.secret);
  } else if (i.node) {
    k8s.node = refOf(i.node);
  }
  if (i.warnAfterSeconds) k8s.warnafter = now + i.warnAfterSeconds;
  return {
    iss: i.issuer,
    sub: serviceAccountUsername(ns, i.serviceAccount.metadata?.name ?? ''),
    aud: [...i.audiences],
    exp: now + i.expirationSeconds,
    iat: now,
    nbf: now,
    jti: i.jti,
    'kubernetes.io': k8s,
  };
}

/** `system:serviceaccount:<ns>:<name>` with its groups and the extra the bound objects give. */
export function serviceAccountUser(k: KubernetesClaim, jti: string | undefined): UserInfo {
  const extra: Record<string, string[]> = {};
  if (k.pod?.name && k.pod.uid) {
    extra[podNameKey] = [k.pod.name];
    extra[podUidKey] = [k.pod.uid];
  }
  if (jti) extra[credentialIdKey] = [`JTI=${jti}`];
  if (k.node?.name) {
    extra[nodeNameKey] = [k.node.name];
    if (k.node.uid) extra[nodeUidKey] = [k.node.uid];
  }
  const user: UserInfo = {
    username: serviceAccountUsername(k.namespace, k.serviceaccount.name),
    uid: k.serviceaccount.uid,
    groups: ['system:serviceaccounts', `system:serviceaccounts:${k.namespace}`, systemAuthenticated],
  };
  if (Object.keys(extra).length) user.extra = extra;
  return user;
}
