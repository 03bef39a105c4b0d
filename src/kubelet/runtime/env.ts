/**
 * A container's environment as the kubelet builds it (`makeEnvironmentVariables`):
 * envFrom first, then env in order, each value expanded with `$(VAR)` against
 * the variables defined before it. valueFrom sources: fieldRef,
 * resourceFieldRef, configMapKeyRef, secretKeyRef. A missing required source is
 * a CreateContainerConfigError with the kubelet's message.
 */
import type { Container, Pod } from '../../api/api.ts';
import type { ConfigClient } from '../../client/client.ts';
import { tryParseQuantity } from '../../api/validation/quantity.ts';

export class ContainerConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ContainerConfigError';
  }
}

/**
 * `expansion.Expand`: `$(NAME)` becomes the value when NAME is known, stays
 * as written otherwise; `$$` is an escaped `$`.
 */
export function expand(input: string, lookup: (name: string) => string | undefined): string {
  let out = '';
  for (let i = 0; i < input.length; i++) {
    const ch = input[i];
    if (ch !== '$' || i + 1 >= input.length) {
      out += ch;
      continue;
    }
    const next = input[i + 1];
    if (next === '$') {
      out += '$';
      i++;
    } else if (next === '(') {
      const close = input.indexOf(')', i + 2);
      if (close < 0) {
        out += input.slice(i);
        break;
      }
      const name = input.slice(i + 2, close);
      const v = lookup(name);
      out += v === undefined ? `$(${name})` : v;
      i = close;
    } else {
      out += '$' + next;
      i++;
    }
  }
  return out;
}

export interface EnvContext {
  pod: Pod;
  podIPs: string[];
  hostIPs: string[];
  config: ConfigClient;
  /** Node allocatable, used by resourceFieldRef when a limit is not set. */
  nodeAllocatable: { cpu: string; memory: string; 'ephemeral-storage': string };
}

function fieldRefValue(path: string, ctx: EnvContext): string {
  const meta = ctx.pod.metadata!;
  const m = /^metadata\.(labels|annotations)\['(.+)'\]$/.exec(path);
  if (m) return (m[1] === 'labels' ? meta.labels : meta.annotations)?.[m[2]] ?? '';
  switch (path) {
    case 'metadata.name':
      return meta.name ?? '';
    case 'metadata.namespace':
      return meta.namespace ?? '';
    case 'metadata.uid':
      return meta.uid ?? '';
    case 'metadata.labels':
      return Object.entries(meta.labels ?? {}).sort().map(([k, v]) => `${k}="${v}"`).join('\n');
    case 'metadata.annotations':
      return Object.entries(meta.annotations ?? {}).sort().map(([k, v]) => `${k}="${v}"`).join('\n');
    case 'spec.nodeName':
      return ctx.pod.spec?.nodeName ?? '';
    case 'spec.serviceAccountName':
      return ctx.pod.spec?.serviceAccountName ?? '';
    case 'status.hostIP':
      return ctx.hostIPs[0] ?? '';
    case 'status.hostIPs':
      return ctx.hostIPs.join(',');
    case 'status.podIP':
      return ctx.podIPs[0] ?? '';
    case 'status.podIPs':
      return ctx.podIPs.join(',');
    default:
      throw new ContainerConfigError(`unsupported fieldRef path "${path}"`);
  }
}

/** `resource.ExtractContainerResourceValue`: ceil(value / divisor). */
export function resourceFieldValue(
  container: Container,
  resource: string,
  divisor: string | number | undefined,
  allocatable: EnvContext['nodeAllocatable'],
): string {
  const [kind, name] = resource.split('.') as ['limits' | 'requests', keyof EnvContext['nodeAllocatable']];
  const res = container.resources ?? {};
  let raw: unknown = kind === 'limits' ? res.limits?.[name] : res.requests?.[name];
  if (raw === undefined && kind === 'limits') raw = allocatable[name];
  if (raw === undefined) raw = name === 'cpu' ? '0' : '0';
  const q = tryParseQuantity(raw);
  const d = tryParseQuantity(divisor ?? '1') ?? tryParseQuantity('1')!;
  if (!q) return '0';
  if (name === 'cpu') {
    const m = q.milliValue();
    const dm = d.milliValue() || 1n;
    const v = (m + dm - 1n) / dm;
    return String(v === 0n && kind === 'limits' ? 1n : v);
  }
  const bytes = q.value();
  const db = d.value() || 1n;
  return String((bytes + db - 1n) / db);
}

function decodeSecret(v: string): string {
  return Buffer.from(v, 'base64').toString('utf8');
}

export function makeEnvironment(container: Container, ctx: EnvContext): { key: string; value: string }[] {
  const ns = ctx.pod.metadata!.namespace!;
  const vars = new Map<string, string>();
  const order: string[] = [];
  const set = (k: string, v: string) => {
    if (!vars.has(k)) order.push(k);
    vars.set(k, v);
  };

  for (const src of container.envFrom ?? []) {
    const prefix = src.prefix ?? '';
    if (src.configMapRef) {
      const cm = ctx.config.getConfigMap(ns, src.configMapRef.name ?? '');
      if (!cm) {
        if (src.configMapRef.optional) continue;
        throw new ContainerConfigError(`configmap "${src.configMapRef.name}" not found`);
      }
      for (const [k, v] of Object.entries(cm.data ?? {})) set(prefix + k, v);
    } else if (src.secretRef) {
      const s = ctx.config.getSecret(ns, src.secretRef.name ?? '');
      if (!s) {
        if (src.secretRef.optional) continue;
        throw new ContainerConfigError(`secret "${src.secretRef.name}" not found`);
      }
      for (const [k, v] of Object.entries(s.data ?? {})) set(prefix + k, decodeSecret(v));
    }
  }

  const lookup = (name: string) => vars.get(name);
  for (const e of container.env ?? []) {
    let value: string | undefined;
    if (e.valueFrom) {
      const vf = e.valueFrom;
      if (vf.fieldRef) value = fieldRefValue(vf.fieldRef.fieldPath, ctx);
      else if (vf.resourceFieldRef) {
        const target = vf.resourceFieldRef.containerName
          ? [...(ctx.pod.spec!.initContainers ?? []), ...ctx.pod.spec!.containers].find((c) => c.name === vf.resourceFieldRef!.containerName) ?? container
          : container;
        value = resourceFieldValue(target, vf.resourceFieldRef.resource, vf.resourceFieldRef.divisor, ctx.nodeAllocatable);
      } else if (vf.configMapKeyRef) {
        const ref = vf.configMapKeyRef;
        const cm = ctx.config.getConfigMap(ns, ref.name ?? '');
        if (!cm) {
          if (ref.optional) continue;
          throw new ContainerConfigError(`configmap "${ref.name}" not found`);
        }
        value = cm.data?.[ref.key];
        if (value === undefined) {
          if (ref.optional) continue;
          throw new ContainerConfigError(`couldn't find key ${ref.key} in ConfigMap ${ns}/${ref.name}`);
        }
      } else if (vf.secretKeyRef) {
        const ref = vf.secretKeyRef;
        const s = ctx.config.getSecret(ns, ref.name ?? '');
        if (!s) {
          if (ref.optional) continue;
          throw new ContainerConfigError(`secret "${ref.name}" not found`);
        }
        const raw = s.data?.[ref.key];
        if (raw === undefined) {
          if (ref.optional) continue;
          throw new ContainerConfigError(`couldn't find key ${ref.key} in Secret ${ns}/${ref.name}`);
        }
        value = decodeSecret(raw);
      }
    } else {
      value = expand(e.value ?? '', lookup);
    }
    set(e.name, value ?? '');
  }
  return order.map((key) => ({ key, value: vars.get(key)! }));
}
