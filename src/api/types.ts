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
} from 'kubernetes-types/core/v1.js';
export type { ObjectMeta, ListMeta, Status, StatusDetails, Time } from 'kubernetes-types/meta/v1.js';
