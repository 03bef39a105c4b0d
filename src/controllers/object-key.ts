/**
 * The key a controller's queue and cache use for an object:
 * `namespace/name`, or `name` for cluster-scoped objects (client-go's
 * MetaNamespaceKeyFunc). Names and namespaces never contain `/`, so the key
 * splits back unambiguously.
 */
import type { ApiObject } from '../client/client.ts';

export function objectKey(obj: ApiObject): string {
  const m = obj.metadata ?? {};
  return m.namespace ? `${m.namespace}/${m.name ?? ''}` : (m.name ?? '');
}

export function splitKey(key: string): { namespace: string | undefined; name: string } {
  const i = key.indexOf('/');
  return i < 0 ? { namespace: undefined, name: key } : { namespace: key.slice(0, i), name: key.slice(i + 1) };
}
