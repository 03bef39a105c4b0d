/**
 * Reconciliation of ClusterRoles and ClusterRoleBindings against expected
 * ones (pkg/registry/rbac/reconciliation computeReconciledRole and
 * computeReconciledRoleBinding), in the union mode kube-apiserver's
 * bootstrap hook uses: missing rules, aggregation selectors and subjects are
 * added, expected labels and annotations merged in, nothing removed. An
 * object annotated rbac.authorization.kubernetes.io/autoupdate=false is
 * protected: it is left as it is. A binding whose roleRef differs is
 * recreated (roleRef is immutable).
 *
 * `reconcileBootstrapPolicy` runs that over the bootstrap policy through
 * the client: what is missing is created, what drifted is updated. It is
 * idempotent and runs at every start.
 */
import type { AggregationRule, ClusterRole, ClusterRoleBinding, Subject } from 'kubernetes-types/rbac/v1.js';
import type { LabelSelector } from 'kubernetes-types/meta/v1.js';
import type { ControllerClient } from '../../client/client.ts';
import { autoUpdateAnnotation, bootstrapClusterRoleBindings, bootstrapClusterRoles } from './bootstrap-policy.ts';
import { covers } from './policy-comparator.ts';

export type ReconcileOperation = 'none' | 'create' | 'update' | 'recreate';

export interface ReconcileResult<T> {
  operation: ReconcileOperation;
  /** autoupdate=false: the result is computed but must not be written. */
  protected: boolean;
  object: T;
}

function merge(expected: Record<string, string> | undefined, existing: Record<string, string> | undefined): Record<string, string> | undefined {
  if (!expected && !existing) return undefined;
  return { ...expected, ...existing };
}

const sameMap = (a: Record<string, string> | undefined, b: Record<string, string> | undefined) => JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b));
function sortKeys(m: Record<string, string> | undefined): [string, string][] | undefined {
  return m ? Object.entries(m).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)) : undefined;
}

const selectorKey = (s: LabelSelector) => JSON.stringify([sortKeys(s.matchLabels), s.matchExpressions ?? []]);

/** aggregationRuleCovers: the selectors of `servant` that `owner` lacks. */
function missingSelectors(owner: AggregationRule | undefined, servant: AggregationRule | undefined): LabelSelector[] {
  const have = new Set((owner?.clusterRoleSelectors ?? []).map(selectorKey));
  return (servant?.clusterRoleSelectors ?? []).filter((s) => !have.has(selectorKey(s)));
}

const isProtected = (annotations: Record<string, string> | undefined) => annotations?.[autoUpdateAnnotation] === 'false';

/** computeReconciledRole for ClusterRoles, union mode (removeExtraPermissions false). */
export function reconcileClusterRole(existing: ClusterRole | undefined, expected: ClusterRole): ReconcileResult<ClusterRole> {
  if (!existing) return { operation: 'create', protected: false, object: structuredClone(expected) };
  let operation: ReconcileOperation = 'none';
  const role: ClusterRole = structuredClone(existing);
  role.metadata = { ...role.metadata };
  const annotations = merge(expected.metadata?.annotations, existing.metadata?.annotations);
  if (!sameMap(annotations, existing.metadata?.annotations)) operation = 'update';
  if (annotations) role.metadata.annotations = annotations;
  const labels = merge(expected.metadata?.labels, existing.metadata?.labels);
  if (!sameMap(labels, existing.metadata?.labels)) operation = 'update';
  if (labels) role.metadata.labels = labels;

  const missingRules = covers(existing.rules ?? [], expected.rules ?? []).uncovered;
  if (missingRules.length > 0) {
    role.rules = [...(role.rules ?? []), ...missingRules];
    operation = 'update';
  }
  const missing = missingSelectors(existing.aggregationRule, expected.aggregationRule);
  if (!expected.aggregationRule && existing.aggregationRule) {
    delete role.aggregationRule;
    operation = 'update';
  } else if (missing.length > 0) {
    role.aggregationRule = { clusterRoleSelectors: [...(role.aggregationRule?.clusterRoleSelectors ?? []), ...missing] };
    operation = 'update';
  }
  return { operation, protected: isProtected(existing.metadata?.annotations), object: role };
}

const subjectKey = (s: Subject) => JSON.stringify([s.kind, s.apiGroup ?? '', s.name, s.namespace ?? '']);

/** computeReconciledRoleBinding for ClusterRoleBindings, union mode (removeExtraSubjects false). */
export function reconcileClusterRoleBinding(existing: ClusterRoleBinding | undefined, expected: ClusterRoleBinding): ReconcileResult<ClusterRoleBinding> {
  if (!existing) return { operation: 'create', protected: false, object: structuredClone(expected) };
  const prot = isProtected(existing.metadata?.annotations);
  const a = existing.roleRef;
  const b = expected.roleRef;
  if (a.apiGroup !== b.apiGroup || a.kind !== b.kind || a.name !== b.name) return { operation: 'recreate', protected: prot, object: structuredClone(expected) };
  let operation: ReconcileOperation = 'none';
  const binding: ClusterRoleBinding = structuredClone(existing);
  binding.metadata = { ...binding.metadata };
  const annotations = merge(expected.metadata?.annotations, existing.metadata?.annotations);
  if (!sameMap(annotations, existing.metadata?.annotations)) operation = 'update';
  if (annotations) binding.metadata.annotations = annotations;
  const labels = merge(expected.metadata?.labels, existing.metadata?.labels);
  if (!sameMap(labels, existing.metadata?.labels)) operation = 'update';
  if (labels) binding.metadata.labels = labels;
  const have = new Set((existing.subjects ?? []).map(subjectKey));
  const missing = (expected.subjects ?? []).filter((s) => !have.has(subjectKey(s)));
  if (missing.length > 0) {
    binding.subjects = [...(binding.subjects ?? []), ...missing];
    operation = 'update';
  }
  return { operation, protected: prot, object: binding };
}

/** What reconcileBootstrapPolicy did, by name. */
export interface BootstrapReport {
  created: string[];
  updated: string[];
  skippedProtected: string[];
}

/**
 * kube-apiserver's rbac/bootstrap-roles post-start hook: every bootstrap
 * ClusterRole, then every ClusterRoleBinding, reconciled through the client.
 */
export function reconcileBootstrapPolicy(client: Pick<ControllerClient, 'resource'>): BootstrapReport {
  const report: BootstrapReport = { created: [], updated: [], skippedProtected: [] };
  const roles = client.resource('clusterroles');
  for (const expected of bootstrapClusterRoles()) {
    const name = expected.metadata!.name!;
    const r = reconcileClusterRole(roles.get(undefined, name), expected);
    if (r.operation === 'none') continue;
    if (r.protected) {
      report.skippedProtected.push(`clusterrole/${name}`);
      continue;
    }
    if (r.operation === 'create') {
      roles.create(undefined, r.object);
      report.created.push(`clusterrole/${name}`);
    } else {
      roles.update(undefined, r.object);
      report.updated.push(`clusterrole/${name}`);
    }
  }
  const bindings = client.resource('clusterrolebindings');
  for (const expected of bootstrapClusterRoleBindings()) {
    const name = expected.metadata!.name!;
    const r = reconcileClusterRoleBinding(bindings.get(undefined, name), expected);
    if (r.operation === 'none') continue;
    if (r.protected) {
      report.skippedProtected.push(`clusterrolebinding/${name}`);
      continue;
    }
    if (r.operation === 'create') {
      bindings.create(undefined, r.object);
      report.created.push(`clusterrolebinding/${name}`);
    } else if (r.operation === 'recreate') {
      bindings.delete(undefined, name);
      bindings.create(undefined, r.object);
      report.updated.push(`clusterrolebinding/${name}`);
    } else {
      bindings.update(undefined, r.object);
      report.updated.push(`clusterrolebinding/${name}`);
    }
  }
  return report;
}
