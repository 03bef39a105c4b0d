/**
 * Kind → REST resource, from the server's discovery documents (what kubectl's
 * RESTMapper does): `/api/v1` for the core group, `/apis/<group>/<version>`
 * otherwise. One discovery request per group version, cached.
 */
import { KubeApiError, type KubeClient } from './kube-client.ts';

export interface ResourceInfo {
  /** '' for the core group. */
  group: string;
  version: string;
  /** Plural resource name (`pods`). */
  resource: string;
  kind: string;
  namespaced: boolean;
}

export class ResourceMap {
  #client: KubeClient;
  #cache = new Map<string, Promise<ResourceInfo[] | undefined>>();

  constructor(client: KubeClient) {
    this.#client = client;
  }

  /** The resource serving `kind` in `apiVersion`, or undefined when the server has none. A failed discovery is not cached. */
  async lookup(apiVersion: string, kind: string, signal?: AbortSignal): Promise<ResourceInfo | undefined> {
    let list = this.#cache.get(apiVersion);
    if (!list) {
      list = this.#discover(apiVersion, signal);
      this.#cache.set(apiVersion, list);
      list.catch(() => this.#cache.delete(apiVersion));
    }
    return (await list)?.find((r) => r.kind === kind);
  }

  async #discover(apiVersion: string, signal: AbortSignal | undefined): Promise<ResourceInfo[] | undefined> {
    const [group, version] = apiVersion.includes('/') ? apiVersion.split('/', 2) : ['', apiVersion];
    const path = group ? `/apis/${group}/${version}` : `/api/${version}`;
    let doc: any;
    try {
      doc = await this.#client.get(path, { signal });
    } catch (err) {
      if (err instanceof KubeApiError && err.status === 404) return undefined;
      throw err;
    }
    return (doc?.resources ?? [])
      .filter((r: any) => typeof r.name === 'string' && !r.name.includes('/'))
      .map((r: any) => ({ group, version, resource: r.name, kind: r.kind, namespaced: r.namespaced === true }));
  }
}

/** The REST path of a collection (no name) or of one object. */
export function resourcePath(info: ResourceInfo, namespace: string | undefined, name?: string): string {
  const base = info.group ? `/apis/${info.group}/${info.version}` : `/api/${info.version}`;
  const ns = info.namespaced && namespace ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  return `${base}${ns}/${info.resource}${name === undefined ? '' : `/${encodeURIComponent(name)}`}`;
}
