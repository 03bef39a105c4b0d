/**
 * The scheduler's use of node affinity beyond matching (which is
 * src/api/node-affinity.ts, shared with the DaemonSet controller).
 */
import type { Pod } from '../../api/api.ts';

/**
 * NodeAffinity's PreFilter: the node names the required terms pin the pod
 * to (through `metadata.name In`), `undefined` when any node may do, or an
 * empty set when the terms conflict.
 */
export function affinityNodeNames(pod: Pod): Set<string> | undefined {
  const terms = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
  if (terms.length === 0) return undefined;
  let names: Set<string> | undefined;
  for (const t of terms) {
    let termNames: Set<string> | undefined;
    for (const r of t.matchFields ?? []) {
      if (r.key !== 'metadata.name' || r.operator !== 'In') continue;
      const s = new Set(r.values ?? []);
      termNames = termNames ? new Set([...termNames].filter((n) => s.has(n))) : s;
    }
    if (!termNames) return undefined;
    names = new Set([...(names ?? []), ...termNames]);
  }
  return names;
}
