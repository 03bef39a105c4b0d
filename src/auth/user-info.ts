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

/** The user of a request without credentials, where the API lets one through. */
export const anonymousUser: UserInfo = { username: 'system:anonymous', groups: [systemUnauthenticated] };

/** `system:serviceaccount:<namespace>:<name>`. */
export function serviceAccountUsername(namespace: string, name: string): string {
  return `system:serviceaccount:${namespace}:${name}`;
}
