/**
 * The message of a 403 Forbidden from authorization, word for word as
 * k8s.io/apiserver's responsewriters.forbiddenMessage writes it:
 *   pods is forbidden: User "system:serviceaccount:default:default" cannot list resource "pods" in API group "" in the namespace "default"
 *   pods "web" is forbidden: User "jane" cannot get resource "pods/log" in API group "" in the namespace "default"
 *   forbidden: User "jane" cannot get path "/metrics"
 * followed by `: <reason>` when the authorizer gave one.
 */
import type { Attributes } from './authorizer.ts';

export function forbiddenMessage(a: Attributes, reason: string): string {
  const user = `User ${JSON.stringify(a.user.username)}`;
  let msg: string;
  if (!a.resourceRequest) {
    msg = `${user} cannot ${a.verb} path ${JSON.stringify(a.path)}`;
  } else {
    const resource = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
    msg = `${user} cannot ${a.verb} resource ${JSON.stringify(resource)} in API group ${JSON.stringify(a.apiGroup)}`;
    msg += a.namespace ? ` in the namespace ${JSON.stringify(a.namespace)}` : ' at the cluster scope';
  }
  return reason ? `${msg}: ${reason}` : msg;
}
