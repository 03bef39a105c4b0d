/**
 * The pod's required node selector and affinity (component-helpers
 * nodeaffinity.GetRequiredNodeAffinity): spec.nodeSelector AND any of the
 * required nodeSelectorTerms. A term matches when all its expressions and
 * fields do; an empty term matches nothing; a term that does not parse
 * matches nothing (errors are ignored, as the filter does).
 */
import type { Pod } from '../../api/api.ts';
import type { Node } from 'kubernetes-types/core/v1.js';
import type { NodeSelectorRequirement, NodeSelectorTerm } from 'kubernetes-types/core/v1.js';

function requirementMatches(r: NodeSelectorRequirement, values: Readonly<Record<string, string>>): boolean {
  const has = Object.hasOwn(values, r.key);
  const want = r.values ?? [];
  // Requirements that do not parse (labels.NewRequirement) match nothing.
  if ((r.operator === 'In' || r.operator === 'NotIn') && want.length === 0) return false;
  if ((r.operator === 'Exists' || r.operator === 'DoesNotExist') && want.length > 0) return false;
  switch (r.operator) {
    case 'In':
      return has && want.includes(values[r.key]);
    case 'NotIn':
      return !has || !want.includes(values[r.key]);
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
    case 'Gt':
    case 'Lt': {
      if (want.length !== 1 || !has) return false;
      const bound = parseInt64(want[0]);
      const actual = parseInt64(values[r.key]);
      if (bound === undefined || actual === undefined) return false;
      return r.operator === 'Gt' ? actual > bound : actual < bound;
    }
    default:
      return false;
  }
}

const parseInt64 = (s: string) => (/^[+-]?\d+$/.test(s) ? BigInt(s) : undefined);

function termMatches(term: NodeSelectorTerm, node: Node): boolean {
  const exprs = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  if (exprs.length === 0 && fields.length === 0) return false;
  const labels = node.metadata?.labels ?? {};
  if (!exprs.every((r) => requirementMatches(r, labels))) return false;
  // Only metadata.name is a supported field, with In and NotIn.
  return fields.every((r) => r.key === 'metadata.name' && (r.operator === 'In' || r.operator === 'NotIn') && requirementMatches(r, { 'metadata.name': node.metadata?.name ?? '' }));
}

/** Whether the node satisfies the pod's nodeSelector and required node affinity. */
export function matchesRequiredNodeAffinity(pod: Pod, node: Node): boolean {
  const labels = node.metadata?.labels ?? {};
  for (const [k, v] of Object.entries(pod.spec?.nodeSelector ?? {})) if (labels[k] !== v) return false;
  const required = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  if (!required) return true;
  return (required.nodeSelectorTerms ?? []).some((t) => termMatches(t, node));
}

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
