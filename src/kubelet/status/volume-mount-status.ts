/**
 * `containerStatuses[].volumeMounts` (RecursiveReadOnlyMounts, GA in v1.33):
 * what convertToAPIContainerStatuses (pkg/kubelet/kubelet_pods.go) reports
 * for each of the container's volumeMounts — name, mountPath, readOnly (left
 * out when false) and, for a read-only mount, recursiveReadOnly.
 *
 * recursiveReadOnly is `Enabled` only where the runtime handler reports
 * recursive read-only support (CRI RuntimeStatus handler features).
 * containerd 1.6 reports none, so berth resolves every mode as the kubelet
 * does without that support: `Disabled` (IfPossible falls back; Enabled is an
 * error the kubelet logs, and reports Disabled).
 */
import type { Container } from '../../api/api.ts';
import type { VolumeMountStatus } from 'kubernetes-types/core/v1.js';

export function volumeMountStatuses(c: Container): VolumeMountStatus[] | undefined {
  if (!c.volumeMounts?.length) return undefined;
  return c.volumeMounts.map((m) => {
    const s: VolumeMountStatus = { name: m.name, mountPath: m.mountPath };
    if (m.readOnly) {
      s.readOnly = true;
      s.recursiveReadOnly = 'Disabled';
    }
    return s;
  });
}
