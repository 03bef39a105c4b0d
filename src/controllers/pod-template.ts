/**
 * Pods a controller makes from its pod template, and deletes
 * (kube-controller-manager's GetPodFromTemplate and RealPodControl,
 * pkg/controller/controller_utils.go), for every controller that owns pods:
 * ReplicaSet, DaemonSet, and later Job and StatefulSet.
 *
 *   - `podFromTemplate`: the pod a template describes: the template's labels,
 *     annotations and finalizers (copies), its spec (a deep copy),
 *     generateName `<owner>-` (just `<owner>` when the dash would make the
 *     prefix too long a name), and the controller ownerReference.
 *   - `PodControl.createPod`: creates it and records `SuccessfulCreate`
 *     "Created pod: <name>", or `FailedCreate` "Error creating: <err>" and
 *     rethrows; no event when the namespace is being terminated (the error's
 *     NamespaceTerminating cause), as that refusal says nothing about the
 *     owner. A template without labels is refused before any request
 *     ("unable to create pods, no labels").
 *   - `PodControl.deletePod`: deletes with default grace and records
 *     `SuccessfulDelete` "Deleted pod: <name>", or `FailedDelete`
 *     "Error deleting: <err>" and throws "unable to delete pods: <err>".
 *     NotFound is rethrown as is, without an event.
 *
 * No state: events go through the caller's EventRecorder.
 */
import type { Pod, PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import type { OwnerReference } from 'kubernetes-types/meta/v1.js';
import { ApiError } from '../api/errors.ts';
import type { ApiObject, EventRecorder, ObjectRef, ResourceClient } from '../client/client.ts';
import type { OwnerKind } from './controller-ref.ts';

/** The longest name (a DNS subdomain) a pod may have: the prefix must leave room for nothing more. */
const maxNameLength = 253;

/** getPodsPrefix: `<owner>-`, or `<owner>` when `<owner>-` would not be a valid name prefix. */
export function podNamePrefix(ownerName: string): string {
  const prefix = `${ownerName}-`;
  return prefix.length > maxNameLength ? ownerName : prefix;
}

/** GetPodFromTemplate; `generateName` overrides the prefix (CreatePodsWithGenerateName). */
export function podFromTemplate(
  template: PodTemplateSpec | undefined,
  owner: ApiObject,
  controllerRef?: OwnerReference,
  generateName?: string,
): Pod {
  const t = template?.metadata ?? {};
  const pod: Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      // Empty ones are left out, as Go's omitempty leaves them out of the request.
      ...(t.labels && Object.keys(t.labels).length > 0 ? { labels: { ...t.labels } } : {}),
      ...(t.annotations && Object.keys(t.annotations).length > 0 ? { annotations: { ...t.annotations } } : {}),
      generateName: generateName || podNamePrefix(owner.metadata?.name ?? ''),
      ...(t.finalizers && t.finalizers.length > 0 ? { finalizers: [...t.finalizers] } : {}),
    },
    spec: structuredClone(template?.spec) as Pod['spec'],
  };
  if (controllerRef) pod.metadata!.ownerReferences = [{ ...controllerRef }];
  return pod;
}

/** The reference events about `owner` carry (client-go's GetReference). */
export function ownerEventRef(owner: ApiObject, kind: OwnerKind): ObjectRef {
  const m = owner.metadata ?? {};
  return {
    kind: kind.kind,
    apiVersion: kind.apiVersion,
    namespace: m.namespace ?? '',
    name: m.name ?? '',
    uid: m.uid ?? '',
    ...(m.resourceVersion ? { resourceVersion: m.resourceVersion } : {}),
  };
}

/** Whether `err` is the refusal to create in a terminating namespace (NamespaceTerminatingCause). */
export function isNamespaceTerminating(err: unknown): boolean {
  return err instanceof ApiError && (err.details?.causes ?? []).some((c) => c.reason === 'NamespaceTerminating');
}

export interface PodControlOptions {
  pods: Pick<ResourceClient<Pod>, 'create' | 'delete'>;
  recorder: Pick<EventRecorder, 'record'>;
}

/** RealPodControl: pod writes on behalf of an owner, with the owner's events. */
export class PodControl {
  readonly #o: PodControlOptions;

  constructor(opts: PodControlOptions) {
    this.#o = opts;
  }

  /** Creates a pod from `template` in `namespace` for `owner`; returns it as created. */
  createPod(opts: {
    namespace: string;
    template: PodTemplateSpec | undefined;
    owner: ApiObject;
    ownerKind: OwnerKind;
    controllerRef?: OwnerReference;
    generateName?: string;
  }): Pod {
    const pod = podFromTemplate(opts.template, opts.owner, opts.controllerRef, opts.generateName);
    if (Object.keys(pod.metadata?.labels ?? {}).length === 0) throw new Error('unable to create pods, no labels');
    let created: Pod;
    try {
      created = this.#o.pods.create(opts.namespace, pod);
    } catch (err) {
      if (!isNamespaceTerminating(err)) {
        this.#o.recorder.record(ownerEventRef(opts.owner, opts.ownerKind), 'Warning', 'FailedCreate', `Error creating: ${message(err)}`);
      }
      throw err;
    }
    this.#o.recorder.record(ownerEventRef(opts.owner, opts.ownerKind), 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata?.name ?? ''}`);
    return created;
  }

  /** Deletes `name` in `namespace` on behalf of `owner` (see the file comment for errors). */
  deletePod(namespace: string, name: string, owner: ApiObject, ownerKind: OwnerKind): void {
    try {
      this.#o.pods.delete(namespace, name);
    } catch (err) {
      if (err instanceof ApiError && err.code === 404) throw err;
      this.#o.recorder.record(ownerEventRef(owner, ownerKind), 'Warning', 'FailedDelete', `Error deleting: ${message(err)}`);
      throw new Error(`unable to delete pods: ${message(err)}`);
    }
    this.#o.recorder.record(ownerEventRef(owner, ownerKind), 'Normal', 'SuccessfulDelete', `Deleted pod: ${name}`);
  }
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
