/**
 * Client-side apply, as `kubectl apply` does it over the API: the manifest
 * is recorded in the `kubectl.kubernetes.io/last-applied-configuration`
 * annotation (serialized as kubectl serializes it, so kubectl and berth play
 * can take turns on the same object); an absent object is created, a
 * present one is patched with the three-way merge patch, and an empty patch
 * means "unchanged".
 */
import { KubeApiError, type KubeClient, type ResourceMap } from '../kube/kube.ts';
import { resourcePath, type ResourceInfo } from '../kube/resource-map.ts';
import type { Manifest } from './manifests.ts';
import { threeWayJsonMergePatch, threeWayMergePatch } from './three-way-patch.ts';

export const LAST_APPLIED_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';

export type ApplyAction = 'created' | 'configured' | 'unchanged';

export interface Applied {
  /** `pod/kubia-init`, as kubectl names it. */
  ref: string;
  action: ApplyAction;
  info: ResourceInfo;
  /** The object as the server returned it. */
  object: Record<string, any>;
}

/** kubectl's resource-mapping failure, text included. */
export class ApplyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ApplyError';
  }
}

/**
 * JSON as Go's encoding/json writes a map (kubectl's serializer): keys
 * sorted, `<`, `>`, `&`, U+2028 and U+2029 escaped, a trailing newline.
 */
export function goJson(value: unknown): string {
  const enc = (v: unknown): string => {
    if (Array.isArray(v)) return `[${v.map(enc).join(',')}]`;
    if (v !== null && typeof v === 'object') {
      const keys = Object.keys(v).filter((k) => (v as any)[k] !== undefined).sort();
      return `{${keys.map((k) => `${enc(k)}:${enc((v as any)[k])}`).join(',')}}`;
    }
    if (typeof v === 'string') {
      return JSON.stringify(v).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
    }
    return JSON.stringify(v ?? null);
  };
  return `${enc(value)}\n`;
}

/** The manifest with its namespace set and the last-applied annotation recorded (kubectl's "modified" configuration). */
export function withLastApplied(object: Record<string, any>): Record<string, any> {
  const copy = structuredClone(object);
  copy.metadata ??= {};
  const annotations = { ...(copy.metadata.annotations ?? {}) };
  delete annotations[LAST_APPLIED_ANNOTATION];
  copy.metadata.annotations = annotations;
  const recorded = goJson(copy);
  copy.metadata.annotations = { ...annotations, [LAST_APPLIED_ANNOTATION]: recorded };
  return copy;
}

/**
 * Kubernetes' own groups (the core group, `apps`, `batch`, `*.k8s.io`): kubectl
 * knows their Go types and patches them with a strategic merge patch; other
 * groups (custom resources) get a JSON merge patch.
 */
export function isBuiltinGroup(group: string): boolean {
  return !group.includes('.') || group.endsWith('.k8s.io');
}

function kindRef(info: ResourceInfo, name: string): string {
  const kind = info.kind.toLowerCase();
  return info.group ? `${kind}.${info.group}/${name}` : `${kind}/${name}`;
}

/**
 * Applies one manifest. API errors are rethrown as kubectl words them
 * ("error when creating …"); `signal` cancels the requests.
 */
export async function applyManifest(client: KubeClient, map: ResourceMap, manifest: Manifest, defaultNamespace: string, signal?: AbortSignal): Promise<Applied> {
  const obj = manifest.object;
  const info = await map.lookup(obj.apiVersion, obj.kind, signal);
  if (!info) {
    throw new ApplyError(
      `resource mapping not found for name: "${obj.metadata.name}" namespace: "${obj.metadata.namespace ?? ''}" from "${manifest.source}": no matches for kind "${obj.kind}" in version "${obj.apiVersion}"\nensure CRDs are installed first`,
    );
  }
  const desired = structuredClone(obj);
  if (info.namespaced) desired.metadata.namespace ??= defaultNamespace;
  const ns: string | undefined = info.namespaced ? desired.metadata.namespace : undefined;
  const name: string = desired.metadata.name;
  const ref = kindRef(info, name);
  const modified = withLastApplied(desired);
  const wrap = (verb: string, err: unknown): never => {
    if (err instanceof KubeApiError) {
      throw new ApplyError(`${err.kubectlText.replace(/^(Error from server \([^)]*\): )/, `$1error when ${verb} "${manifest.source}": `)}`);
    }
    throw err;
  };

  let current: Record<string, any> | undefined;
  try {
    current = await client.get(resourcePath(info, ns, name), { signal });
  } catch (err) {
    if (!(err instanceof KubeApiError && err.status === 404)) wrap('retrieving current configuration of', err);
  }
  if (!current) {
    try {
      const object = await client.call('POST', resourcePath(info, ns), { body: modified, signal });
      return { ref, action: 'created', info, object };
    } catch (err) {
      return wrap('creating', err);
    }
  }

  let original: Record<string, any> | undefined;
  const recorded = current.metadata?.annotations?.[LAST_APPLIED_ANNOTATION];
  if (typeof recorded === 'string') {
    try {
      original = JSON.parse(recorded);
    } catch {
      original = undefined;
    }
  }
  const strategic = isBuiltinGroup(info.group);
  const patch = strategic ? threeWayMergePatch(original, modified, current, info.kind) : threeWayJsonMergePatch(original, modified, current);
  if (Object.keys(patch).length === 0) return { ref, action: 'unchanged', info, object: current };
  try {
    const object = await client.call('PATCH', resourcePath(info, ns, name), {
      body: patch,
      contentType: strategic ? 'application/strategic-merge-patch+json' : 'application/merge-patch+json',
      signal,
    });
    return { ref, action: 'configured', info, object };
  } catch (err) {
    return wrap('patching', err);
  }
}
