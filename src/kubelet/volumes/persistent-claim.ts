/**
 * persistentVolumeClaim and generic ephemeral volumes: from the pod's volume
 * to the PersistentVolume behind it, as the kubelet's desired-state
 * populator does (`createVolumeSpec`, `getPVCExtractPV`, `getPVSpec`, v1.33),
 * with its error texts. A claim that is missing, being deleted, not bound, or
 * (for an ephemeral volume) not the pod's, stops the pod at volume set-up
 * until it is fixed.
 */
import type { PersistentVolume } from 'kubernetes-types/core/v1.js';
import type { Pod, Volume } from '../../api/api.ts';
import type { ConfigClient } from '../../client/client.ts';

/** The populator could not process the volume: the pod waits (FailedMount). */
export class ClaimProcessingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ClaimProcessingError';
  }
}

export interface ClaimVolume {
  claimName: string;
  volume: PersistentVolume;
  readOnly: boolean;
}

/** The claim a pod volume uses, or undefined for other volume types. */
export function claimNameOf(pod: Pod, v: Volume): string | undefined {
  if (v.persistentVolumeClaim) return v.persistentVolumeClaim.claimName;
  if (v.ephemeral) return `${pod.metadata?.name ?? ''}-${v.name}`;
  return undefined;
}

export function resolveClaimVolume(pod: Pod, v: Volume, config: ConfigClient): ClaimVolume | undefined {
  const claimName = claimNameOf(pod, v);
  if (claimName === undefined) return undefined;
  const ns = pod.metadata?.namespace ?? '';
  const fail = (message: string): never => {
    throw new ClaimProcessingError(`error processing PVC ${ns}/${claimName}: ${message}`);
  };
  const claim = config.getPersistentVolumeClaim?.(ns, claimName);
  if (!claim) return fail(`failed to fetch PVC from API server: persistentvolumeclaims "${claimName}" not found`);
  if (v.ephemeral && !(claim.metadata?.ownerReferences ?? []).some((r) => r.controller && r.uid === pod.metadata?.uid)) {
    return fail(`PVC ${ns}/${claimName} was not created for the pod`);
  }
  if (claim.metadata?.deletionTimestamp) return fail(`can't start pod because PVC ${ns}/${claimName} is being deleted`);
  const volumeName = claim.spec?.volumeName ?? '';
  if (claim.status?.phase !== 'Bound' || !volumeName) {
    return fail(`PVC ${ns}/${claimName} has non-bound phase (${JSON.stringify(claim.status?.phase ?? '')}) or empty pvc.Spec.VolumeName (${JSON.stringify(volumeName)})`);
  }
  const pv = config.getPersistentVolume?.(volumeName);
  if (!pv) return fail(`failed to fetch PV ${volumeName} from API server: persistentvolumes "${volumeName}" not found`);
  const ref = pv.spec?.claimRef;
  if (!ref || ref.uid !== claim.metadata?.uid) {
    return fail(`found PV object ${JSON.stringify(volumeName)} but it has invalid ClaimRef UID: ${JSON.stringify(ref?.uid ?? '')} != ${JSON.stringify(claim.metadata?.uid ?? '')}`);
  }
  return { claimName, volume: pv, readOnly: v.persistentVolumeClaim?.readOnly === true };
}
