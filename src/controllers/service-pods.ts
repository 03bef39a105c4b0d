/**
 * service-pods — what a selector Service's pods contribute to its endpoints,
 * shared by the Endpoints and EndpointSlice controllers (pkg/controller/util/
 * endpoint and endpointslice/util in kube-controller-manager v1.33): which
 * pods a Service selects, which of them belong in its endpoints, their
 * addresses and hostnames, the container port a service port targets, the
 * headless label, and the pod handler that enqueues the Services a pod
 * change concerns (readiness is pod-readiness.ts).
 *
 * State: none. Everything here is pure except enqueueServicesOfPods, which
 * only registers an informer handler.
 */
import type { Pod, Service, ServicePort } from 'kubernetes-types/core/v1.js';
import { objectKey } from './object-key.ts';
import type { SharedInformer } from './shared-informer.ts';

/** The label both controllers put on a headless Service's Endpoints and EndpointSlices. */
export const headlessLabel = 'service.kubernetes.io/headless';

/** A headless Service: clusterIP `None`. */
export function isHeadless(svc: Service): boolean {
  return svc.spec?.clusterIP === 'None';
}

/**
 * `ShouldPodBeInEndpoints`: a pod with an IP that is not terminal (Succeeded
 * or Failed); terminating pods only when `includeTerminating`.
 */
export function shouldPodBeInEndpoints(pod: Pod, includeTerminating: boolean): boolean {
  const phase = pod.status?.phase;
  if (phase === 'Failed' || phase === 'Succeeded') return false;
  if (!pod.status?.podIP && !(pod.status?.podIPs ?? []).length) return false;
  return includeTerminating || !pod.metadata?.deletionTimestamp;
}

/**
 * `podutil.FindPort`: a numeric targetPort as it is (the service port when
 * unset); a named one is the container port of that name and protocol, or
 * undefined when the pod has none.
 */
export function findPort(pod: Pod, sp: ServicePort): number | undefined {
  const target = sp.targetPort ?? sp.port;
  if (typeof target === 'number') return target;
  if (/^\d+$/.test(target)) return Number(target);
  const protocol = sp.protocol ?? 'TCP';
  for (const c of pod.spec?.containers ?? []) {
    for (const p of c.ports ?? []) {
      if (p.name === target && (p.protocol ?? 'TCP') === protocol) return p.containerPort;
    }
  }
  return undefined;
}

/** Whether `pod` is selected by `svc`'s selector (a Service without one selects nothing). */
export function selects(svc: Service, pod: Pod): boolean {
  const selector = svc.spec?.selector;
  if (!selector || Object.keys(selector).length === 0) return false;
  if (pod.metadata?.namespace !== svc.metadata?.namespace) return false;
  const labels = pod.metadata?.labels ?? {};
  return Object.entries(selector).every(([k, v]) => Object.hasOwn(labels, k) && labels[k] === v);
}

/** The pod's hostname in its Service's DNS records: spec.hostname when spec.subdomain names the Service. */
export function endpointHostname(svc: Service, pod: Pod): string | undefined {
  const h = pod.spec?.hostname;
  return h && pod.spec?.subdomain === svc.metadata?.name && pod.metadata?.namespace === svc.metadata?.namespace ? h : undefined;
}

/** The pod's primary IP (status.podIP, else the first of status.podIPs), or '' before it has one. */
export function podIP(pod: Pod): string {
  return pod.status?.podIP ?? pod.status?.podIPs?.[0]?.ip ?? '';
}

/** On every pod change, enqueues each Service of its namespace that selects the pod before or after the change. */
export function enqueueServicesOfPods(pods: SharedInformer<Pod>, services: SharedInformer<Service>, add: (key: string) => void): void {
  const byPod = (pod: Pod) => {
    const ns = pod.metadata?.namespace;
    if (!ns) return;
    for (const svc of services.lister.listInNamespace(ns)) if (selects(svc, pod)) add(objectKey(svc));
  };
  pods.addEventHandler({
    add: byPod,
    update: (old, pod) => {
      byPod(old);
      byPod(pod);
    },
    delete: byPod,
  });
}
