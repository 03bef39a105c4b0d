/**
 * A pod's QoS class (`qos.GetPodQOS` in kubernetes `pkg/apis/core/helper/qos`),
 * which the pod registry writes to `status.qosClass` on create. Only cpu and
 * memory count; init containers count like regular ones.
 */
import type { Container, Pod } from 'kubernetes-types/core/v1.js';
import { tryParseQuantity, type Quantity } from '../validation/quantity.ts';

export type QOSClass = 'Guaranteed' | 'Burstable' | 'BestEffort';

const COMPUTE = ['cpu', 'memory'] as const;
function positive(raw: unknown): Quantity | undefined {
  if (typeof raw !== 'string' && typeof raw !== 'number') return undefined;
  const q = tryParseQuantity(raw);
  return q && q.sign() > 0 ? q : undefined;
}

function accumulate(into: Map<string, Quantity>, name: string, q: Quantity): void {
  const prev = into.get(name);
  into.set(name, prev ? prev.add(q) : q);
}

export function podQosClass(pod: Pod): QOSClass {
  const requests = new Map<string, Quantity>();
  const limits = new Map<string, Quantity>();
  let guaranteed = true;
  const containers: Container[] = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])];
  for (const c of containers) {
    for (const name of COMPUTE) {
      const req = positive(c.resources?.requests?.[name]);
      if (req) accumulate(requests, name, req);
    }
    const found = new Set<string>();
    for (const name of COMPUTE) {
      const lim = positive(c.resources?.limits?.[name]);
      if (lim) {
        found.add(name);
        accumulate(limits, name, lim);
      }
    }
    if (!found.has('memory') || !found.has('cpu')) guaranteed = false;
  }
  if (requests.size === 0 && limits.size === 0) return 'BestEffort';
  if (guaranteed) {
    for (const [name, req] of requests) {
      const lim = limits.get(name);
      if (!lim || lim.cmp(req) !== 0) {
        guaranteed = false;
        break;
      }
    }
  }
  return guaranteed && requests.size === limits.size ? 'Guaranteed' : 'Burstable';
}
