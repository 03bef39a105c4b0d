/** Storage rules for core/v1 Pods (kube-apiserver `pkg/registry/core/pod`). */
import { admitPod, applyPodSchemeDefaults, podQosClass } from '../../defaults/defaults.ts';
import { validatePod, validatePodStatusUpdate, validatePodUpdate } from '../../validation/validation.ts';
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { Strategy } from '../../kind.ts';
import { keepAllButStatus } from '../../status-strategy.ts';
import { podWarningsOnCreate } from './pod-warnings.ts';

const terminal = new Set(['Succeeded', 'Failed']);

export const podStrategy: Strategy<Pod> = {
  returnDeletedObject: true,
  selectableFields: [
    'spec.nodeName',
    'spec.restartPolicy',
    'spec.schedulerName',
    'spec.serviceAccountName',
    'spec.hostNetwork',
    'status.phase',
    'status.podIP',
    'status.nominatedNodeName',
  ],
  fields(pod) {
    return {
      'spec.nodeName': pod.spec?.nodeName ?? '',
      'spec.restartPolicy': pod.spec?.restartPolicy ?? '',
      'spec.schedulerName': pod.spec?.schedulerName ?? '',
      'spec.serviceAccountName': pod.spec?.serviceAccountName ?? '',
      'spec.hostNetwork': String(pod.spec?.hostNetwork ?? false),
      'status.phase': pod.status?.phase ?? '',
      'status.podIP': pod.status?.podIP ?? '',
      'status.nominatedNodeName': pod.status?.nominatedNodeName ?? '',
    };
  },
  prepareForCreate(pod) {
    applyPodSchemeDefaults(pod);
    pod.status = { phase: 'Pending', qosClass: podQosClass(pod) };
  },
  admitOnCreate: (pod) => admitPod(pod),
  validate: (pod) => validatePod(pod),
  prepareForUpdate(pod, old) {
    applyPodSchemeDefaults(pod);
    pod.status = old.status;
  },
  validateUpdate: (pod, old) => validatePodUpdate(pod, old),
  // Pods warn on create only: kube-apiserver skips the cost on the (frequent) updates.
  warnings: (pod, old) => (old ? [] : podWarningsOnCreate(pod)),
  prepareForStatusUpdate: (pod, old) => keepAllButStatus(pod, old),
  validateStatusUpdate: (pod, old) => validatePodStatusUpdate(pod, old),
  /**
   * kube-apiserver's `CheckGracefulDelete`: unscheduled and finished pods go
   * at once; others get the requested grace, else the pod's
   * terminationGracePeriodSeconds (0 when unset). A negative period, requested
   * or the pod's own, becomes 1 s: stored as negative, a later delete (the
   * kubelet's final one, with 0) could never shorten it, and the pod would
   * never go.
   */
  deleteGrace(pod, requested) {
    if (!pod.spec?.nodeName || terminal.has(pod.status?.phase ?? '')) return 0;
    const period = requested ?? pod.spec?.terminationGracePeriodSeconds ?? 0;
    return period < 0 ? 1 : period;
  },
};
