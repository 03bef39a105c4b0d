/**
 * Impersonation (k8s.io/apiserver's filters.WithImpersonation): a request
 * with `Impersonate-User`, `Impersonate-Group`, `Impersonate-Uid` or
 * `Impersonate-Extra-<key>` headers acts as the user they name — `kubectl
 * --as/--as-group/--as-uid` — once the authorizer lets the requestor
 * `impersonate` each thing named:
 *
 *   users (group "")                       Impersonate-User
 *   serviceaccounts (group "", namespaced) Impersonate-User: system:serviceaccount:<ns>:<name>
 *   groups (group "")                      each Impersonate-Group
 *   userextras/<key> (authentication.k8s.io) each value of Impersonate-Extra-<key>
 *   uids (authentication.k8s.io)           Impersonate-Uid
 *
 * The first refusal is the answer (the exact Forbidden text). A
 * ServiceAccount without named groups gets its fixed groups; a user other
 * than system:anonymous is put in system:authenticated unless the groups
 * name it or system:unauthenticated; system:anonymous in
 * system:unauthenticated.
 */
import { forbiddenError } from './forbidden.ts';
import type { Attributes, Authorizer } from './authorizer.ts';
import {
  anonymousUsername,
  serviceAccountGroups,
  serviceAccountUsername,
  splitServiceAccountUsername,
  systemAuthenticated,
  systemUnauthenticated,
  type UserInfo,
} from './user-info.ts';

export const impersonateUserHeader = 'impersonate-user';
export const impersonateGroupHeader = 'impersonate-group';
export const impersonateUidHeader = 'impersonate-uid';
export const impersonateExtraPrefix = 'impersonate-extra-';

/** Request headers by lower-case name, every value of a repeated header kept apart (IncomingMessage.headersDistinct). */
export type HeaderValues = Record<string, string[] | undefined>;

/** One thing to impersonate (the v1.ObjectReference upstream builds per header value). */
interface ImpersonationRequest {
  kind: 'User' | 'ServiceAccount' | 'Group' | 'UserExtra' | 'UID';
  namespace: string;
  name: string;
  apiVersion: string;
  /** The extra's key, for UserExtra. */
  fieldPath: string;
}

/**
 * Headers that ask for groups, extras or a uid without a user: kube-apiserver
 * answers 500 with `Internal Server Error: "<uri>": <this message>` in plain text.
 */
export class ImpersonationRequestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImpersonationRequestError';
  }
}

/** url.PathUnescape of an extra's key, or the key as sent when it does not unescape. */
function unescapeExtraKey(key: string): string {
  try {
    return decodeURIComponent(key);
  } catch {
    return key;
  }
}

/** How Go's %v prints a []v1.ObjectReference (Kind Namespace Name UID APIVersion ResourceVersion FieldPath). */
function goReferences(reqs: readonly ImpersonationRequest[]): string {
  return `[${reqs.map((r) => `{${[r.kind, r.namespace, r.name, '', r.apiVersion, '', r.fieldPath].join(' ')}}`).join(' ')}]`;
}

/** buildImpersonationRequests: what the headers ask for, in upstream's order (user, groups, extras, uid). */
export function impersonationRequests(headers: HeaderValues): ImpersonationRequest[] {
  const reqs: ImpersonationRequest[] = [];
  const requestedUser = headers[impersonateUserHeader]?.[0] ?? '';
  const hasUser = requestedUser !== '';
  if (hasUser) {
    const sa = splitServiceAccountUsername(requestedUser);
    if (sa) reqs.push({ kind: 'ServiceAccount', namespace: sa.namespace, name: sa.name, apiVersion: '', fieldPath: '' });
    else reqs.push({ kind: 'User', namespace: '', name: requestedUser, apiVersion: '', fieldPath: '' });
  }
  const groups = headers[impersonateGroupHeader] ?? [];
  for (const g of groups) reqs.push({ kind: 'Group', namespace: '', name: g, apiVersion: '', fieldPath: '' });
  let hasExtra = false;
  for (const name of Object.keys(headers).sort()) {
    if (!name.startsWith(impersonateExtraPrefix)) continue;
    hasExtra = true;
    const key = unescapeExtraKey(name.slice(impersonateExtraPrefix.length).toLowerCase());
    for (const value of headers[name] ?? []) {
      reqs.push({ kind: 'UserExtra', namespace: '', name: value, apiVersion: 'authentication.k8s.io/v1', fieldPath: key });
    }
  }
  const uid = headers[impersonateUidHeader]?.[0] ?? '';
  if (uid !== '') reqs.push({ kind: 'UID', namespace: '', name: uid, apiVersion: 'authentication.k8s.io/v1', fieldPath: '' });
  if ((groups.length > 0 || hasExtra || uid !== '') && !hasUser) {
    throw new ImpersonationRequestError(`requested ${goReferences(reqs)} without impersonating a user`);
  }
  return reqs;
}

/**
 * The user a request acts as: `requestor` when it asks to impersonate no
 * one, else the impersonated user after every check passed. Throws the
 * Forbidden ApiError of the first refused check, or an
 * ImpersonationRequestError for headers that name no user.
 */
export function impersonate(requestor: UserInfo, headers: HeaderValues, authorizer: Authorizer): UserInfo {
  const reqs = impersonationRequests(headers);
  if (reqs.length === 0) return requestor;
  const groupsSpecified = (headers[impersonateGroupHeader] ?? []).length > 0;
  let username = '';
  let uid = '';
  let groups: string[] = [];
  const extra: Record<string, string[]> = {};
  for (const r of reqs) {
    const [group, version] = r.apiVersion.includes('/') ? r.apiVersion.split('/') : ['', r.apiVersion];
    const a: Attributes = {
      user: requestor,
      verb: 'impersonate',
      resourceRequest: true,
      path: '',
      namespace: r.namespace,
      apiGroup: group,
      apiVersion: version,
      resource: '',
      subresource: '',
      name: r.name,
    };
    switch (r.kind) {
      case 'ServiceAccount':
        a.resource = 'serviceaccounts';
        username = serviceAccountUsername(r.namespace, r.name);
        if (!groupsSpecified) groups = serviceAccountGroups(r.namespace);
        break;
      case 'User':
        a.resource = 'users';
        username = r.name;
        break;
      case 'Group':
        a.resource = 'groups';
        groups.push(r.name);
        break;
      case 'UserExtra':
        a.resource = 'userextras';
        a.subresource = r.fieldPath;
        (extra[r.fieldPath] ??= []).push(r.name);
        break;
      case 'UID':
        a.resource = 'uids';
        uid = r.name;
        break;
    }
    const d = authorizer.authorize(a);
    if (d.decision !== 'allow') throw forbiddenError(a, d.reason);
  }
  if (username !== anonymousUsername) {
    if (!groups.includes(systemAuthenticated) && !groups.includes(systemUnauthenticated)) groups.push(systemAuthenticated);
  } else if (!groups.includes(systemUnauthenticated)) {
    groups.push(systemUnauthenticated);
  }
  const user: UserInfo = { username, groups };
  if (uid) user.uid = uid;
  if (Object.keys(extra).length) user.extra = extra;
  return user;
}

/** True when a header name is one impersonation reads (they are removed before the request goes on). */
export function isImpersonationHeader(name: string): boolean {
  const n = name.toLowerCase();
  return n === impersonateUserHeader || n === impersonateGroupHeader || n === impersonateUidHeader || n.startsWith(impersonateExtraPrefix);
}
