/**
 * A container's environment as the kubelet builds it
 * (`makeEnvironmentVariables`, kubelet_pods.go):
 *
 *   1. envFrom in order: every key of the configMap / secret, prefixed;
 *      later sources replace earlier keys.
 *   2. env in order, replacing envFrom keys: a non-empty `value` is expanded
 *      (`$(VAR)` against the variables defined so far, `$$` escapes), else
 *      `valueFrom` is resolved (fieldRef, resourceFieldRef, configMapKeyRef,
 *      secretKeyRef).
 *
 * A missing object or key that is not optional fails the container start
 * with CreateContainerConfigError and the kubelet's message
 * (`configmap "x" not found`, `couldn't find key k in Secret ns/x`). Values
 * never appear in errors.
 *
 *   3. Service variables (service-env.ts) follow, except names the container
 *      already defines; `$(VAR)` in env values also resolves them.
 */
import type { Container, Pod } from '../../api/api.ts';
import type { ConfigClient } from '../../client/client.ts';
import { own } from '../../api/json-object.ts';
import { DownwardApiError, fieldPathValue, resourceValue, resourceValueOf, type NodeAllocatable } from '../container/downward-api.ts';
import { expand } from '../container/expansion.ts';
import { ContainerConfigError } from '../container/start-failure.ts';

export interface EnvContext {
  /** The pod as the kubelet sees it (with its config annotations). */
  pod: Pod;
  podIPs: string[];
  hostIPs: string[];
  config: ConfigClient;
  /** Node allocatable, used by resourceFieldRef when a limit is not set. */
  nodeAllocatable: NodeAllocatable;
  /** The pod's service variables (service-env.ts); empty when none apply. */
  serviceEnv?: ReadonlyMap<string, string>;
}

/** `podFieldSelectorRuntimeValue`. */
function fieldRefValue(path: string, ctx: EnvContext): string {
  // Host-network pods have the node's addresses.
  const podIPs = ctx.podIPs.length || !ctx.pod.spec?.hostNetwork ? ctx.podIPs : ctx.hostIPs;
  switch (path) {
    case 'spec.nodeName':
      return ctx.pod.spec?.nodeName ?? '';
    case 'spec.serviceAccountName':
      return ctx.pod.spec?.serviceAccountName ?? '';
    case 'status.hostIP':
      return ctx.hostIPs[0] ?? '';
    case 'status.hostIPs':
      return ctx.hostIPs.join(',');
    case 'status.podIP':
      return podIPs[0] ?? '';
    case 'status.podIPs':
      return podIPs.join(',');
  }
  return fieldPathValue(ctx.pod, path);
}

function decodeSecret(v: string): string {
  return Buffer.from(v, 'base64').toString('utf8');
}

export function makeEnvironment(container: Container, ctx: EnvContext): { key: string; value: string }[] {
  const ns = ctx.pod.metadata!.namespace!;
  const vars = new Map<string, string>();
  const configMaps = new Map<string, ReturnType<ConfigClient['getConfigMap']>>();
  const secrets = new Map<string, ReturnType<ConfigClient['getSecret']>>();
  const configMap = (name: string) => {
    if (!configMaps.has(name)) configMaps.set(name, ctx.config.getConfigMap(ns, name));
    return configMaps.get(name);
  };
  const secret = (name: string) => {
    if (!secrets.has(name)) secrets.set(name, ctx.config.getSecret(ns, name));
    return secrets.get(name);
  };

  for (const src of container.envFrom ?? []) {
    const prefix = src.prefix ?? '';
    if (src.configMapRef) {
      const name = src.configMapRef.name ?? '';
      const cm = configMap(name);
      if (!cm) {
        if (src.configMapRef.optional) continue;
        throw new ContainerConfigError(`configmap "${name}" not found`);
      }
      for (const [k, v] of Object.entries(cm.data ?? {})) vars.set(prefix + k, v);
    } else if (src.secretRef) {
      const name = src.secretRef.name ?? '';
      const s = secret(name);
      if (!s) {
        if (src.secretRef.optional) continue;
        throw new ContainerConfigError(`secret "${name}" not found`);
      }
      for (const [k, v] of Object.entries(s.data ?? {})) vars.set(prefix + k, decodeSecret(v));
    }
  }

  for (const e of container.env ?? []) {
    let value = e.value ?? '';
    if (value !== '') {
      value = expand(value, (name) => vars.get(name) ?? ctx.serviceEnv?.get(name));
    } else if (e.valueFrom) {
      const vf = e.valueFrom;
      try {
        if (vf.fieldRef) value = fieldRefValue(vf.fieldRef.fieldPath, ctx);
        else if (vf.resourceFieldRef) {
          const r = vf.resourceFieldRef;
          value = r.containerName
            ? resourceValueOf(ctx.pod, r.containerName, r.resource, r.divisor, ctx.nodeAllocatable)
            : resourceValue(container, r.resource, r.divisor, ctx.nodeAllocatable);
        } else if (vf.configMapKeyRef) {
          const ref = vf.configMapKeyRef;
          const cm = configMap(ref.name ?? '');
          if (!cm) {
            if (ref.optional) continue;
            throw new ContainerConfigError(`configmap "${ref.name ?? ''}" not found`);
          }
          const v = own(cm.data, ref.key);
          if (v === undefined) {
            if (ref.optional) continue;
            throw new ContainerConfigError(`couldn't find key ${ref.key} in ConfigMap ${ns}/${ref.name ?? ''}`);
          }
          value = v;
        } else if (vf.secretKeyRef) {
          const ref = vf.secretKeyRef;
          const s = secret(ref.name ?? '');
          if (!s) {
            if (ref.optional) continue;
            throw new ContainerConfigError(`secret "${ref.name ?? ''}" not found`);
          }
          const raw = own(s.data, ref.key);
          if (raw === undefined) {
            if (ref.optional) continue;
            throw new ContainerConfigError(`couldn't find key ${ref.key} in Secret ${ns}/${ref.name ?? ''}`);
          }
          value = decodeSecret(raw);
        }
      } catch (err) {
        if (err instanceof DownwardApiError) throw new ContainerConfigError(err.message);
        throw err;
      }
    }
    vars.set(e.name, value);
  }
  for (const [k, v] of ctx.serviceEnv ?? []) if (!vars.has(k)) vars.set(k, v);
  return [...vars].map(([key, value]) => ({ key, value }));
}
