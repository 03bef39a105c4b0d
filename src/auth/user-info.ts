/**
 * The user a request authenticated as (k8s.io/apiserver's user.Info), and
 * the well-known names and groups kube-apiserver gives users.
 */
export interface UserInfo {
  username: string;
  uid?: string;
  groups: string[];
  /** Extra attributes (authentication.kubernetes.io/pod-name, …), as lists of values. */
  extra?: Record<string, string[]>;
}

export const systemMasters = 'system:masters';
export const systemAuthenticated = 'system:authenticated';
export const systemUnauthenticated = 'system:unauthenticated';
export const systemServiceAccounts = 'system:serviceaccounts';
export const anonymousUsername = 'system:anonymous';

/** The user of a request without credentials, where the API lets one through. */
export const anonymousUser: UserInfo = { username: anonymousUsername, groups: [systemUnauthenticated] };

/**
 * Who the node's admin token is: the user kind and kubeadm write into the
 * cluster-admin kubeconfig, in the group the system:masters authorizer
 * (and RBAC's cluster-admin binding) lets do anything.
 */
export const adminUser: UserInfo = { username: 'kubernetes-admin', groups: [systemMasters] };

const serviceAccountPrefix = 'system:serviceaccount:';

/** `system:serviceaccount:<namespace>:<name>`. */
export function serviceAccountUsername(namespace: string, name: string): string {
  return `${serviceAccountPrefix}${namespace}:${name}`;
}

/** serviceaccount.MakeGroupNames: the groups every ServiceAccount of `namespace` is in. */
export function serviceAccountGroups(namespace: string): string[] {
  return [systemServiceAccounts, `${systemServiceAccounts}:${namespace}`];
}

const dnsLabel = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const dnsSubdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/**
 * serviceaccount.SplitUsername: the namespace and name of a ServiceAccount's
 * username, or undefined when `username` names none (exactly two parts, a
 * valid namespace and a valid ServiceAccount name).
 */
export function splitServiceAccountUsername(username: string): { namespace: string; name: string } | undefined {
  if (!username.startsWith(serviceAccountPrefix)) return undefined;
  const parts = username.slice(serviceAccountPrefix.length).split(':');
  if (parts.length !== 2) return undefined;
  const [namespace, name] = parts;
  if (namespace.length > 63 || !dnsLabel.test(namespace)) return undefined;
  if (name.length > 253 || !dnsSubdomain.test(name)) return undefined;
  return { namespace, name };
}

/**
 * group.AuthenticatedGroupAdder: every authenticated user is in
 * system:authenticated, unless it already names it or system:unauthenticated.
 */
export function withAuthenticatedGroup(user: UserInfo): UserInfo {
  if (user.groups.includes(systemAuthenticated) || user.groups.includes(systemUnauthenticated)) return user;
  return { ...user, groups: [...user.groups, systemAuthenticated] };
}
