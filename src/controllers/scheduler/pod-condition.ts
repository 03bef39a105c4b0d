/**
 * The PodScheduled condition of a pod the scheduler could not place, as
 * podutil.UpdatePodCondition writes it: status False, reason Unschedulable,
 * the FitError message; the transition time kept while the status stays
 * False. Undefined when the pod already carries exactly that condition.
 */
import type { PodStatus } from 'kubernetes-types/core/v1.js';
import { rfc3339 } from '../../api/api.ts';

export function unschedulableStatus(status: PodStatus | undefined, message: string, now: number): PodStatus | undefined {
  const conditions = status?.conditions ?? [];
  const cur = conditions.find((c) => c.type === 'PodScheduled');
  if (cur && cur.status === 'False' && cur.reason === 'Unschedulable' && cur.message === message) return undefined;
  const condition = {
    type: 'PodScheduled',
    status: 'False',
    lastProbeTime: null as unknown as undefined,
    lastTransitionTime: cur && cur.status === 'False' && cur.lastTransitionTime ? cur.lastTransitionTime : rfc3339(now),
    reason: 'Unschedulable',
    message,
  };
  return {
    ...status,
    phase: status?.phase ?? 'Pending',
    conditions: cur ? conditions.map((c) => (c === cur ? condition : c)) : [...conditions, condition],
  };
}
