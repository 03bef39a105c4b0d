/**
 * The v1 scheme defaults of a Service (kubernetes `pkg/apis/core/v1/defaults.go`
 * `SetDefaults_Service`, v1.33 with LoadBalancerIPMode on). What these do not
 * fill — clusterIP(s), ipFamilies, ipFamilyPolicy, node ports — the
 * allocator fills on create and update (registry/allocators).
 */
import type { Service } from 'kubernetes-types/core/v1.js';
import type { Stored } from '../../types.ts';

/** `v1.DefaultClientIPServiceAffinitySeconds`: three hours. */
export const DefaultClientIPServiceAffinitySeconds = 10800;

/** `apiservice.ExternallyAccessible`. */
function externallyAccessible(spec: NonNullable<Stored<Service>['spec']>): boolean {
  return spec.type === 'LoadBalancer' || spec.type === 'NodePort' || (spec.type === 'ClusterIP' && (spec.externalIPs?.length ?? 0) > 0);
}

/** Mutates `svc` in place. */
export function defaultService(svc: Stored<Service>): void {
  const spec = (svc.spec ??= {});
  if (!spec.sessionAffinity) spec.sessionAffinity = 'None';
  if (spec.sessionAffinity === 'None') delete spec.sessionAffinityConfig;
  if (spec.sessionAffinity === 'ClientIP' && typeof spec.sessionAffinityConfig?.clientIP?.timeoutSeconds !== 'number') {
    spec.sessionAffinityConfig = { clientIP: { timeoutSeconds: DefaultClientIPServiceAffinitySeconds } };
  }
  if (!spec.type) spec.type = 'ClusterIP';
  for (const port of spec.ports ?? []) {
    if (!port.protocol) port.protocol = 'TCP';
    // IntOrString's zero values, int 0 and "", both mean "the same as port".
    if (port.targetPort === undefined || port.targetPort === null || port.targetPort === 0 || port.targetPort === '') port.targetPort = port.port;
  }
  if (externallyAccessible(spec) && !spec.externalTrafficPolicy) spec.externalTrafficPolicy = 'Cluster';
  if (spec.internalTrafficPolicy === undefined || spec.internalTrafficPolicy === null) {
    if (spec.type === 'NodePort' || spec.type === 'LoadBalancer' || spec.type === 'ClusterIP') spec.internalTrafficPolicy = 'Cluster';
  }
  if (spec.type === 'LoadBalancer') {
    if (spec.allocateLoadBalancerNodePorts === undefined || spec.allocateLoadBalancerNodePorts === null) spec.allocateLoadBalancerNodePorts = true;
    defaultIngressIPMode(svc);
  }
}

/** A load balancer ingress with an IP gets ipMode VIP (LoadBalancerIPMode, GA in v1.32). */
export function defaultIngressIPMode(svc: Stored<Service>): void {
  for (const ing of svc.status?.loadBalancer?.ingress ?? []) {
    if (ing.ip && (ing.ipMode === undefined || ing.ipMode === null)) ing.ipMode = 'VIP';
  }
}
