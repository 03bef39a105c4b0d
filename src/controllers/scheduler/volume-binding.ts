/**
 * The VolumeBinding plugin's PreFilter (kube-scheduler
 * `pkg/scheduler/framework/plugins/volumebinding`, v1.33): a pod whose
 * claims are missing, being deleted, not its own (generic ephemeral
 * volumes), or unbound in an Immediate class is not scheduled; the reason is
 * the FitError's prefilter message. Claims of WaitForFirstConsumer classes
 * pass; the persistentvolume controller binds them once the pod is
 * scheduled (berth's stand-in for the plugin's PreBind).
 */
import type { PersistentVolumeClaim, Pod } from 'kubernetes-types/core/v1.js';
import type { StorageClass } from 'kubernetes-types/storage/v1.js';

export const volumeBindingPlugin = 'VolumeBinding';

/** Undefined when the pod's claims let it be scheduled, else the reason. */
export function volumeBindingPreFilter(
  pod: Pod,
  claim: (namespace: string, name: string) => PersistentVolumeClaim | undefined,
  storageClass: (name: string) => StorageClass | undefined,
): string | undefined {
  const ns = pod.metadata?.namespace ?? '';
  let unboundImmediate = false;
  for (const v of pod.spec?.volumes ?? []) {
    let name: string;
    if (v.persistentVolumeClaim) name = v.persistentVolumeClaim.claimName;
    else if (v.ephemeral) name = `${pod.metadata?.name ?? ''}-${v.name}`;
    else continue;
    const c = claim(ns, name);
    if (!c) return `persistentvolumeclaim "${name}" not found`;
    if (v.ephemeral && !(c.metadata?.ownerReferences ?? []).some((r) => r.controller && r.uid === pod.metadata?.uid)) {
      return `PVC ${ns}/${name} was not created for pod ${ns}/${pod.metadata?.name ?? ''} (pod is not owner)`;
    }
    if (c.metadata?.deletionTimestamp) return `persistentvolumeclaim "${name}" is being deleted`;
    if (c.spec?.volumeName) continue;
    const ann = c.metadata?.annotations ?? {};
    const className = ann['volume.beta.kubernetes.io/storage-class'] ?? c.spec?.storageClassName ?? '';
    const delayed = className !== '' && storageClass(className)?.volumeBindingMode === 'WaitForFirstConsumer';
    if (!delayed) unboundImmediate = true;
  }
  return unboundImmediate ? 'pod has unbound immediate PersistentVolumeClaims' : undefined;
}
