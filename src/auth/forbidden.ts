/**
 * The 403 Forbidden of authorization, word for word as k8s.io/apiserver's
 * responsewriters.Forbidden sends it: forbiddenMessage's text (with `&`, `<`
 * and `>` escaped as HTML entities), `: <reason>` when the authorizer gave
 * one, inside apierrors.NewForbidden for the request's group and resource:
 *   pods is forbidden: User "system:serviceaccount:default:default" cannot list resource "pods" in API group "" in the namespace "default"
 *   pods "web" is forbidden: User "jane" cannot get resource "pods/log" in API group "" in the namespace "default"
 *   forbidden: User "jane" cannot get path "/metrics"
 * The Status carries reason Forbidden and details {name, group, kind: the resource}.
 */
import { ApiError } from '../api/errors.ts';
import { goQuote } from '../api/go-format.ts';
import type { Attributes } from './authorizer.ts';

const sanitize = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** forbiddenMessage: what the user cannot do, without the reason. */
export function forbiddenMessage(a: Attributes): string {
  const user = `User ${goQuote(a.user.username)}`;
  if (!a.resourceRequest) return `${user} cannot ${a.verb} path ${goQuote(a.path)}`;
  const resource = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  const scope = a.namespace ? `in the namespace ${goQuote(a.namespace)}` : 'at the cluster scope';
  return `${user} cannot ${a.verb} resource ${goQuote(resource)} in API group ${goQuote(a.apiGroup)} ${scope}`;
}

/** responsewriters.Forbidden's error: NewForbidden(group/resource, name, message[: reason]). */
export function forbiddenError(a: Attributes, reason: string): ApiError {
  const msg = sanitize(forbiddenMessage(a));
  const why = reason ? `${msg}: ${reason}` : msg;
  const qualified = a.resource === '' && a.apiGroup === '' ? '' : a.apiGroup ? `${a.resource}.${a.apiGroup}` : a.resource;
  let message: string;
  if (qualified === '') message = `forbidden: ${why}`;
  else if (a.name === '') message = `${qualified} is forbidden: ${why}`;
  else message = `${qualified} ${goQuote(a.name)} is forbidden: ${why}`;
  return new ApiError(403, 'Forbidden', message, {
    name: a.name || undefined,
    group: a.apiGroup || undefined,
    kind: a.resource || undefined,
  });
}
