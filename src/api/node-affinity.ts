/**
 * A pod's required node selector and affinity against a node
 * (component-helpers nodeaffinity.GetRequiredNodeAffinity(pod).Match):
 * spec.nodeSelector AND any of the required nodeSelectorTerms. A term
 * matches when all its expressions and fields do; an empty term matches
 * nothing, and so does a term with a requirement that does not parse
 * (labels.NewRequirement, nodeSelectorRequirementsAsFieldSelector).
 * Shared by the scheduler's NodeAffinity filter and the DaemonSet
 * controller's node predicates.
 */
import type { Node, NodeSelectorRequirement, NodeSelectorTerm, PodSpec } from 'kubernetes-types/core/v1.js';

/** strconv.ParseInt(s, 10, 64)'s accepted forms; BigInt keeps int64 precision. */
const parseInt64 = (s: string) => (/^[+-]?\d+$/.test(s) ? BigInt(s) : undefined);

/** A label requirement; false for one that does not parse, as its term then matches nothing. */
function labelRequirementMatches(r: NodeSelectorRequirement, labels: Readonly<Record<string, string>>): boolean {
  const has = Object.hasOwn(labels, r.key);
  const want = r.values ?? [];
  switch (r.operator) {
    case 'In':
      return want.length > 0 && has && want.includes(labels[r.key]);
    case 'NotIn':
      return want.length > 0 && (!has || !want.includes(labels[r.key]));
    case 'Exists':
      return want.length === 0 && has;
    case 'DoesNotExist':
      return want.length === 0 && !has;
    case 'Gt':
    case 'Lt': {
      const bound = want.length === 1 ? parseInt64(want[0]) : undefined;
      if (bound === undefined || !has) return false;
      const actual = parseInt64(labels[r.key]);
      if (actual === undefined) return false;
      return r.operator === 'Gt' ? actual > bound : actual < bound;
    }
    default:
      return false;
  }
}

/** matchFields: only metadata.name, with In or NotIn and exactly one value. */
function fieldRequirementMatches(r: NodeSelectorRequirement, node: Node): boolean {
  const want = r.values ?? [];
  if (r.key !== 'metadata.name' || want.length !== 1) return false;
  const name = node.metadata?.name ?? '';
  if (r.operator === 'In') return name === want[0];
  if (r.operator === 'NotIn') return name !== want[0];
  return false;
}

/** One required term against the node. */
export function nodeSelectorTermMatches(term: NodeSelectorTerm, node: Node): boolean {
  const exprs = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  if (exprs.length === 0 && fields.length === 0) return false;
  const labels = node.metadata?.labels ?? {};
  return exprs.every((r) => labelRequirementMatches(r, labels)) && fields.every((r) => fieldRequirementMatches(r, node));
}

/** Whether the node satisfies the pod spec's nodeSelector and required node affinity. */
export function matchesRequiredNodeAffinity(spec: PodSpec | undefined, node: Node): boolean {
  const labels = node.metadata?.labels ?? {};
  for (const [k, v] of Object.entries(spec?.nodeSelector ?? {})) if (labels[k] !== v) return false;
  const required = spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  if (!required) return true;
  return (required.nodeSelectorTerms ?? []).some((t) => nodeSelectorTermMatches(t, node));
}
