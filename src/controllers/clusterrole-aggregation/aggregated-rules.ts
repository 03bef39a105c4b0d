/**
 * The rules an aggregated ClusterRole must hold (kube-controller-manager's
 * clusterroleaggregation syncClusterRole): for each selector of its
 * aggregationRule in order, the ClusterRoles it selects sorted by name (the
 * role itself skipped), each rule of theirs once, in first-seen order.
 */
import type { ClusterRole, PolicyRule } from 'kubernetes-types/rbac/v1.js';
import { selectorFromLabelSelector } from '../label-selector.ts';

/** equality.Semantic.DeepEqual of two rules: a missing list equals an empty one. */
export function sameRule(a: PolicyRule, b: PolicyRule): boolean {
  const lists = ['verbs', 'apiGroups', 'resources', 'resourceNames', 'nonResourceURLs'] as const;
  return lists.every((k) => JSON.stringify(a[k] ?? []) === JSON.stringify(b[k] ?? []));
}

export function sameRules(a: readonly PolicyRule[] | undefined, b: readonly PolicyRule[] | undefined): boolean {
  const x = a ?? [];
  const y = b ?? [];
  return x.length === y.length && x.every((r, i) => sameRule(r, y[i]));
}

/** The aggregated rules of `role` over `all` ClusterRoles; undefined when it has no aggregationRule. */
export function aggregatedRules(role: ClusterRole, all: readonly ClusterRole[]): PolicyRule[] | undefined {
  if (!role.aggregationRule) return undefined;
  const rules: PolicyRule[] = [];
  for (const ls of role.aggregationRule.clusterRoleSelectors ?? []) {
    const selector = selectorFromLabelSelector(ls);
    const selected = all
      .filter((r) => selector.matches(r.metadata?.labels))
      .sort((a, b) => ((a.metadata?.name ?? '') < (b.metadata?.name ?? '') ? -1 : (a.metadata?.name ?? '') > (b.metadata?.name ?? '') ? 1 : 0));
    for (const r of selected) {
      if (r.metadata?.name === role.metadata?.name) continue;
      for (const rule of r.rules ?? []) if (!rules.some((x) => sameRule(x, rule))) rules.push(rule);
    }
  }
  return rules;
}
