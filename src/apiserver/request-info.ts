/**
 * Parses a request path into the resource request kube-apiserver's
 * RequestInfoResolver would produce. Non-resource paths (/version, /api, …)
 * yield `isResource: false`.
 */
import { boolParam } from './query-params.ts';
import type { RequestTarget } from './request-target.ts';

export interface RequestInfo {
  isResource: boolean;
  path: string;
  verb: string;
  /** 'api' for the core group, 'apis' otherwise. */
  prefix: string;
  group: string;
  version: string;
  namespace: string;
  resource: string;
  name: string;
  subresource: string;
}

export function parseRequestInfo(method: string, target: RequestTarget): RequestInfo {
  const { path, segments, query } = target;
  const info: RequestInfo = {
    isResource: false,
    path,
    verb: method.toLowerCase(),
    prefix: '',
    group: '',
    version: '',
    namespace: '',
    resource: '',
    name: '',
    subresource: '',
  };
  let parts: string[];
  if (segments[0] === 'api' && segments.length >= 3) {
    info.prefix = 'api';
    info.version = segments[1];
    parts = segments.slice(2);
  } else if (segments[0] === 'apis' && segments.length >= 4) {
    info.prefix = 'apis';
    info.group = segments[1];
    info.version = segments[2];
    parts = segments.slice(3);
  } else {
    return info;
  }
  info.isResource = true;
  // /namespaces/{ns}/{resource}/... is namespaced, except the namespace object
  // itself and its subresources (/namespaces/{name}/status|finalize).
  if (parts[0] === 'namespaces' && parts.length >= 3 && parts[2] !== 'status' && parts[2] !== 'finalize') {
    info.namespace = parts[1];
    parts = parts.slice(2);
  }
  info.resource = parts[0] ?? '';
  info.name = parts[1] ?? '';
  info.subresource = parts.slice(2).join('/');

  const isWatch = boolParam(query, 'watch');
  switch (method) {
    case 'GET':
    case 'HEAD':
      info.verb = info.name ? 'get' : isWatch ? 'watch' : 'list';
      break;
    case 'POST':
      info.verb = 'create';
      break;
    case 'PUT':
      info.verb = 'update';
      break;
    case 'PATCH':
      info.verb = 'patch';
      break;
    case 'DELETE':
      info.verb = info.name ? 'delete' : 'deletecollection';
      break;
    default:
      info.verb = method.toLowerCase();
  }
  return info;
}
