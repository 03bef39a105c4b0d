/**
 * The file sets ("payloads") of configMap, secret, downwardAPI and projected
 * volumes, as the kubelet's `MakePayload` / `CollectData` build them, with
 * the kubelet's error texts. Pure: the objects come in, files go out; the
 * caller fetches the objects and writes the payload with the atomic writer.
 */
import type { ConfigMap, Pod, Secret } from '../../api/api.ts';
import type {
  ConfigMapProjection,
  DownwardAPIVolumeFile,
  KeyToPath,
  ProjectedVolumeSource,
  SecretProjection,
  ServiceAccountTokenProjection,
} from 'kubernetes-types/core/v1.js';
import { goAggregate } from '../../api/go-format.ts';
import type { FileProjection, Payload } from './atomic-writer.ts';
import { fieldPathValue, resourceValueOf, type NodeAllocatable } from '../container/downward-api.ts';

/** `SecretVolumeSourceDefaultMode` and its siblings. */
export const defaultFileMode = 0o644;

/** A volume source whose objects could not be read or projected; `message` is the kubelet's text. */
export class PayloadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PayloadError';
  }
}

/** `utilerrors.NewAggregate(errs).Error()`: one message as is, several as `[a, b]`. */

function entries(data: Record<string, string> | undefined, decode: (v: string) => Buffer): [string, Buffer][] {
  return Object.entries(data ?? {}).map(([k, v]) => [k, decode(v)]);
}

const utf8 = (v: string) => Buffer.from(v, 'utf8');
const base64 = (v: string) => Buffer.from(v, 'base64');

function keyedPayload(
  all: [string, Buffer][],
  items: KeyToPath[] | undefined,
  defaultMode: number,
  optional: boolean,
  missingKey: (key: string) => string,
): Payload {
  const payload: Payload = new Map();
  if (!items?.length) {
    for (const [k, data] of all) payload.set(k, { data, mode: defaultMode });
    return payload;
  }
  const byKey = new Map(all);
  for (const item of items) {
    const data = byKey.get(item.key);
    if (!data) {
      if (optional) continue;
      throw new PayloadError(missingKey(item.key));
    }
    payload.set(item.path, { data, mode: item.mode ?? defaultMode });
  }
  return payload;
}

/** `configmap.MakePayload`; `cm` undefined means absent and optional. */
export function configMapPayload(cm: ConfigMap | undefined, items: KeyToPath[] | undefined, defaultMode: number, optional: boolean): Payload {
  const all = [...entries(cm?.data, utf8), ...entries(cm?.binaryData, base64)];
  return keyedPayload(all, items, defaultMode, optional, (k) => `configmap references non-existent config key: ${k}`);
}

/** `secret.MakePayload`; `secret` undefined means absent and optional. */
export function secretPayload(secret: Secret | undefined, items: KeyToPath[] | undefined, defaultMode: number, optional: boolean): Payload {
  return keyedPayload(entries(secret?.data, base64), items, defaultMode, optional, (k) => `references non-existent secret key: ${k}`);
}

/** `downwardapi.CollectData`: every item is tried; failures are aggregated. */
export function downwardApiPayload(
  pod: Pod,
  items: DownwardAPIVolumeFile[] | undefined,
  defaultMode: number,
  allocatable: NodeAllocatable,
): Payload {
  const payload: Payload = new Map();
  const errors: string[] = [];
  for (const item of items ?? []) {
    const f: FileProjection = { data: Buffer.alloc(0), mode: item.mode ?? defaultMode };
    try {
      if (item.fieldRef) f.data = utf8(fieldPathValue(pod, item.fieldRef.fieldPath));
      else if (item.resourceFieldRef) {
        const r = item.resourceFieldRef;
        f.data = utf8(resourceValueOf(pod, r.containerName ?? '', r.resource, r.divisor, allocatable));
      }
    } catch (err) {
      errors.push((err as Error).message);
    }
    payload.set(item.path, f);
  }
  if (errors.length) throw new PayloadError(goAggregate(errors));
  return payload;
}

/** What a projected volume needs from the API, looked up by the caller. */
export interface ProjectionSources {
  configMap(name: string): ConfigMap | undefined;
  secret(name: string): Secret | undefined;
  /**
   * The pod-bound token fetched for this source (the caller requests tokens
   * before projecting); throws a PayloadError with the token manager's text
   * when none could be had. Absent on a node that requests no tokens.
   */
  serviceAccountToken?(source: ServiceAccountTokenProjection): string;
}

/**
 * `projected.collectData`: sources in order, later files replacing earlier
 * ones; a missing object or key of one source does not stop the others, and
 * all errors are reported together.
 */
export function projectedPayload(pod: Pod, source: ProjectedVolumeSource, objects: ProjectionSources, allocatable: NodeAllocatable): Payload {
  const ns = pod.metadata?.namespace ?? '';
  const defaultMode = source.defaultMode ?? defaultFileMode;
  const payload: Payload = new Map();
  const errors: string[] = [];
  const merge = (p: Payload) => {
    for (const [k, v] of p) payload.set(k, v);
  };
  for (const s of source.sources ?? []) {
    try {
      if (s.configMap) merge(projectConfigMap(s.configMap, objects, defaultMode));
      else if (s.secret) merge(projectSecret(s.secret, objects, defaultMode));
      else if (s.downwardAPI) merge(downwardApiPayload(pod, s.downwardAPI.items, defaultMode, allocatable));
      else if (s.serviceAccountToken) {
        const token = objects.serviceAccountToken?.(s.serviceAccountToken);
        if (token === undefined) {
          errors.push(`cannot project a service account token for "${ns}/${pod.spec?.serviceAccountName ?? 'default'}": this node requests no service account tokens`);
        } else {
          // With an fsGroup the kubelet writes 0600 and relies on the ownership change for 0640.
          const mode = pod.spec?.securityContext?.fsGroup !== undefined ? 0o600 : defaultMode;
          payload.set(s.serviceAccountToken.path, { data: utf8(token), mode });
        }
      } else if (s.clusterTrustBundle) {
        errors.push('cannot project a clusterTrustBundle: berth serves no ClusterTrustBundle objects');
      } else {
        errors.push(`projected volume source ${Object.keys(s).join(', ') || '{}'} is not supported by berth`);
      }
    } catch (err) {
      errors.push((err as Error).message);
    }
  }
  if (errors.length) throw new PayloadError(goAggregate(errors));
  return payload;
}

function projectConfigMap(s: ConfigMapProjection, objects: ProjectionSources, defaultMode: number): Payload {
  const optional = s.optional === true;
  const cm = objects.configMap(s.name ?? '');
  if (!cm && !optional) throw new PayloadError(`configmap "${s.name ?? ''}" not found`);
  return configMapPayload(cm, s.items, defaultMode, optional);
}

function projectSecret(s: SecretProjection, objects: ProjectionSources, defaultMode: number): Payload {
  const optional = s.optional === true;
  const secret = objects.secret(s.name ?? '');
  if (!secret && !optional) throw new PayloadError(`secret "${s.name ?? ''}" not found`);
  return secretPayload(secret, s.items, defaultMode, optional);
}
