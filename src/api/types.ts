// Kubernetes object types. kubernetes-types is types-only, so importing it
// costs nothing at run time.
export type { Pod, PodSpec, PodStatus, PodCondition, PodList } from 'kubernetes-types/core/v1.js';
export type {
  Container,
  ContainerPort,
  ContainerState,
  ContainerStatus,
  EnvVar,
  Volume,
  VolumeMount,
  Probe,
  Lifecycle,
  LifecycleHandler,
  Event,
  EventList,
  Namespace,
  ConfigMap,
  Secret,
  ObjectReference,
  ResourceRequirements,
  Service,
  ServiceSpec,
  ServicePort,
  ServiceStatus,
  Endpoints,
  EndpointSubset,
  EndpointAddress,
} from 'kubernetes-types/core/v1.js';
export type { EndpointSlice, Endpoint, EndpointPort as EndpointSlicePort, EndpointConditions } from 'kubernetes-types/discovery/v1.js';
export type { ObjectMeta, ListMeta, Status, StatusDetails, Time } from 'kubernetes-types/meta/v1.js';

/** kubernetes-types declares every field readonly; storage rules and controllers write objects they own. */
export type Mutable<T> = T extends (infer E)[]
  ? Mutable<E>[]
  : T extends readonly (infer E)[]
    ? Mutable<E>[]
    : T extends object
      ? { -readonly [K in keyof T]: Mutable<T[K]> }
      : T;

/** An object as storage holds it: writable, with metadata and a name. */
export type Stored<T> = Mutable<T> & {
  apiVersion?: string;
  kind?: string;
  metadata: Mutable<import('kubernetes-types/meta/v1.js').ObjectMeta> & { name: string };
};
