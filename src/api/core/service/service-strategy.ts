/**
 * Storage rules for core/v1 Services (kube-apiserver `pkg/registry/core/service`
 * strategy.go). Cluster IPs and node ports are not assigned here: the
 * registry's service allocator (registry/allocators) fills them after these
 * defaults and before validation, as kube-apiserver's BeginCreate and
 * BeginUpdate hooks do.
 */
import type { Service } from 'kubernetes-types/core/v1.js';
import type { Strategy } from '../../kind.ts';
import type { Stored } from '../../types.ts';
import { needsHealthCheck, validateService, validateServiceStatusUpdate, validateServiceUpdate } from '../../validation/validation.ts';
import { defaultIngressIPMode, defaultService } from './service-defaults.ts';

type ServiceSpec = NonNullable<Stored<Service>['spec']>;

const needsClusterIP = (spec: ServiceSpec): boolean => spec.type !== 'ExternalName';
const needsNodePort = (spec: ServiceSpec): boolean => spec.type === 'NodePort' || spec.type === 'LoadBalancer';
const sameList = (a: readonly unknown[] | undefined, b: readonly unknown[] | undefined): boolean =>
  (a ?? []).length === (b ?? []).length && (a ?? []).every((v, i) => v === (b ?? [])[i]);
const nodePorts = (spec: ServiceSpec): Set<number> => new Set((spec.ports ?? []).map((p) => p.nodePort ?? 0).filter((n) => n !== 0));

/**
 * `dropTypeDependentFields`: on a type change, clear what the old type needed
 * and the new one does not — only where the user left the value as it was
 * (a changed value is theirs, and validation judges it). Cleared IPs and
 * ports are free again as soon as the update is stored.
 */
export function dropTypeDependentFields(svc: Stored<Service>, old: Stored<Service>): void {
  const spec = (svc.spec ??= {});
  const oldSpec = old.spec ?? {};
  if (needsClusterIP(oldSpec) && !needsClusterIP(spec)) {
    if ((oldSpec.clusterIP ?? '') === (spec.clusterIP ?? '') && sameList(oldSpec.clusterIPs, spec.clusterIPs)) {
      delete spec.clusterIP;
      delete spec.clusterIPs;
    }
    if (sameList(oldSpec.ipFamilies, spec.ipFamilies) && (oldSpec.ipFamilies === undefined) === (spec.ipFamilies === undefined)) delete spec.ipFamilies;
    if ((oldSpec.ipFamilyPolicy ?? '') === (spec.ipFamilyPolicy ?? '')) delete spec.ipFamilyPolicy;
  }
  // Users may add, remove or change ports, as long as they add no new node port.
  if (needsNodePort(oldSpec) && !needsNodePort(spec) && [...nodePorts(spec)].every((n) => nodePorts(oldSpec).has(n))) {
    for (const p of spec.ports ?? []) delete p.nodePort;
  }
  if (needsHealthCheck(oldSpec) && !needsHealthCheck(spec) && (oldSpec.healthCheckNodePort ?? 0) === (spec.healthCheckNodePort ?? 0)) {
    delete spec.healthCheckNodePort;
  }
  if (oldSpec.type === 'LoadBalancer' && spec.type !== 'LoadBalancer') {
    if (typeof spec.allocateLoadBalancerNodePorts === 'boolean' && spec.allocateLoadBalancerNodePorts === oldSpec.allocateLoadBalancerNodePorts) {
      delete spec.allocateLoadBalancerNodePorts;
    }
    if ((spec.loadBalancerClass ?? null) === (oldSpec.loadBalancerClass ?? null)) delete spec.loadBalancerClass;
  }
  if (needsNodePort(oldSpec) && !needsNodePort(spec) && (spec.externalTrafficPolicy ?? '') === (oldSpec.externalTrafficPolicy ?? '')) {
    delete spec.externalTrafficPolicy;
  }
  // The load balancer is gone as far as the user can tell.
  if (spec.type !== 'LoadBalancer' && svc.status) svc.status.loadBalancer = {};
}

/**
 * `defaultOnReadInternalTrafficPolicy`: kube-apiserver stores an ExternalName
 * Service's internalTrafficPolicy but drops it from every read. berth serves
 * reads from storage as is, so it drops a valid one before storing; an
 * invalid one stays for validation to refuse.
 */
function dropExternalNameTrafficPolicy(svc: Stored<Service>): void {
  const spec = svc.spec;
  if (spec?.type === 'ExternalName' && (spec.internalTrafficPolicy === 'Cluster' || spec.internalTrafficPolicy === 'Local')) delete spec.internalTrafficPolicy;
}

export const serviceStrategy: Strategy<Service> = {
  // DELETE answers with the Service (kube-apiserver sets ReturnDeletedObject for services).
  returnDeletedObject: true,
  selectableFields: ['spec.clusterIP', 'spec.type'],
  fields: (svc) => ({ 'spec.clusterIP': svc.spec?.clusterIP ?? '', 'spec.type': svc.spec?.type ?? '' }),
  prepareForCreate(svc) {
    defaultService(svc);
    dropExternalNameTrafficPolicy(svc);
    // A Go ServiceStatus{} encodes its loadBalancer struct even when empty.
    svc.status = { loadBalancer: {} };
  },
  validate: (svc) => validateService(svc),
  prepareForUpdate(svc, old) {
    defaultService(svc);
    svc.status = structuredClone(old.status ?? { loadBalancer: {} });
    dropTypeDependentFields(svc, old);
    dropExternalNameTrafficPolicy(svc);
  },
  validateUpdate: (svc, old) => validateServiceUpdate(svc, old),
  prepareForStatusUpdate(svc, old) {
    svc.spec = old.spec;
    svc.status ??= {};
    svc.status.loadBalancer ??= {};
    if (svc.spec?.type === 'LoadBalancer') defaultIngressIPMode(svc);
  },
  validateStatusUpdate: (svc, old) => validateServiceStatusUpdate(svc, old),
};
