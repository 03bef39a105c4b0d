/**
 * Service environment variables, as the kubelet injects them
 * (kubelet_pods.go getServiceEnvVarMap, pkg/kubelet/envvars FromServices):
 * for every Service with a cluster IP in the pod's namespace (only when
 * enableServiceLinks is not false), and always for the `kubernetes` Service
 * of the default namespace:
 *
 *   WEB_SERVICE_HOST=10.96.0.20, WEB_SERVICE_PORT=80 (the first port),
 *   WEB_SERVICE_PORT_HTTP=80 (each named port), and Docker's link variables
 *   WEB_PORT=tcp://10.96.0.20:80, WEB_PORT_80_TCP=tcp://10.96.0.20:80,
 *   WEB_PORT_80_TCP_PROTO=tcp, WEB_PORT_80_TCP_PORT=80, WEB_PORT_80_TCP_ADDR=10.96.0.20.
 *
 * Only Services that exist when the container starts are seen, as on a node.
 * Pure.
 */
import type { Pod, Service } from 'kubernetes-types/core/v1.js';

/** Services the kubelet always exposes from the default namespace. */
const masterServices = new Set(['kubernetes']);

/** `makeEnvVariableName`: upper case, `-` → `_`. */
function envName(s: string): string {
  return s.replaceAll('-', '_').toUpperCase();
}

/** `IsServiceIPSet`: a cluster IP that is neither empty nor None. */
function hasClusterIP(svc: Service): boolean {
  const ip = svc.spec?.clusterIP ?? '';
  return ip !== '' && ip !== 'None';
}

function hostPort(ip: string, port: number): string {
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}

/** `FromServices` for one Service, in the kubelet's order. */
function serviceVariables(svc: Service): [string, string][] {
  const prefix = envName(svc.metadata?.name ?? '');
  const ip = svc.spec!.clusterIP!;
  const ports = svc.spec?.ports ?? [];
  if (ports.length === 0) return [];
  const out: [string, string][] = [
    [`${prefix}_SERVICE_HOST`, ip],
    [`${prefix}_SERVICE_PORT`, String(ports[0].port)],
  ];
  for (const p of ports) if (p.name) out.push([`${prefix}_SERVICE_PORT_${envName(p.name)}`, String(p.port)]);
  ports.forEach((p, i) => {
    const protocol = p.protocol || 'TCP';
    const url = `${protocol.toLowerCase()}://${hostPort(ip, p.port)}`;
    if (i === 0) out.push([`${prefix}_PORT`, url]);
    const portPrefix = `${prefix}_PORT_${p.port}_${protocol.toUpperCase()}`;
    out.push([portPrefix, url], [`${portPrefix}_PROTO`, protocol.toLowerCase()], [`${portPrefix}_PORT`, String(p.port)], [`${portPrefix}_ADDR`, ip]);
  });
  return out;
}

/** The service variables for a container of `pod`, given every Service on the cluster. */
export function serviceEnvironment(pod: Pod, services: readonly Service[]): Map<string, string> {
  const ns = pod.metadata?.namespace ?? 'default';
  const links = pod.spec?.enableServiceLinks !== false;
  const chosen = new Map<string, Service>();
  for (const svc of services) {
    if (!hasClusterIP(svc)) continue;
    const name = svc.metadata?.name ?? '';
    if (svc.metadata?.namespace === 'default' && masterServices.has(name)) {
      if (!chosen.has(name)) chosen.set(name, svc);
    } else if (svc.metadata?.namespace === ns && links) {
      chosen.set(name, svc);
    }
  }
  const out = new Map<string, string>();
  for (const svc of chosen.values()) for (const [k, v] of serviceVariables(svc)) out.set(k, v);
  return out;
}
