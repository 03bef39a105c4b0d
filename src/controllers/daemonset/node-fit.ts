/**
 * Whether a DaemonSet's pod belongs on a node, as the DaemonSet controller
 * decides it (NodeShouldRunDaemonPod and its predicates): the template's
 * nodeName, the pod's required node affinity (nodeSelector and required
 * nodeSelectorTerms, component-helpers' nodeaffinity), and the node's
 * NoSchedule/NoExecute taints against the template's tolerations plus the
 * ones every daemon pod gets.
 */
import type { DaemonSet } from 'kubernetes-types/apps/v1.js';
import type { Node, NodeSelectorRequirement, NodeSelectorTerm, Pod, PodSpec, Taint, Toleration } from 'kubernetes-types/core/v1.js';
import { addOrUpdateDaemonPodTolerations } from './daemon-pod.ts';

/** v1helper's Toleration.ToleratesTaint. */
export function toleratesTaint(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.key && t.key !== taint.key) return false;
  switch (t.operator ?? '') {
    case '':
    case 'Equal':
      return (t.value ?? '') === (taint.value ?? '');
    case 'Exists':
      return true;
    default:
      return false;
  }
}

/** FindMatchingUntoleratedTaint: the first taint `filter` keeps that no toleration tolerates. */
export function findUntoleratedTaint(taints: readonly Taint[], tolerations: readonly Toleration[], filter: (t: Taint) => boolean): Taint | undefined {
  return taints.find((taint) => filter(taint) && !tolerations.some((t) => toleratesTaint(t, taint)));
}

/** A requirement on labels; throws for one that cannot be parsed (it then matches nothing). */
function labelRequirement(r: NodeSelectorRequirement): (labels: Readonly<Record<string, string>>) => boolean {
  const values = r.values ?? [];
  const has = (l: Readonly<Record<string, string>>) => Object.prototype.hasOwnProperty.call(l, r.key);
  switch (r.operator) {
    case 'In':
      if (values.length === 0) throw new Error('values must be non-empty');
      return (l) => has(l) && values.includes(l[r.key]);
    case 'NotIn':
      if (values.length === 0) throw new Error('values must be non-empty');
      return (l) => !has(l) || !values.includes(l[r.key]);
    case 'Exists':
      if (values.length > 0) throw new Error('values must be empty');
      return (l) => has(l);
    case 'DoesNotExist':
      if (values.length > 0) throw new Error('values must be empty');
      return (l) => !has(l);
    case 'Gt':
    case 'Lt': {
      if (values.length !== 1 || !/^-?\d+$/.test(values[0])) throw new Error('one integer value required');
      const bound = Number(values[0]);
      return (l) => {
        if (!has(l) || !/^-?\d+$/.test(l[r.key])) return false;
        const v = Number(l[r.key]);
        return r.operator === 'Gt' ? v > bound : v < bound;
      };
    }
    default:
      throw new Error(`${r.operator} is not a valid node selector operator`);
  }
}

/** matchFields: only metadata.name with In or NotIn, as nodeaffinity's field selector allows. */
function fieldRequirement(r: NodeSelectorRequirement): (node: Node) => boolean {
  if (r.key !== 'metadata.name') throw new Error(`${r.key} is not a supported field selector key`);
  const values = r.values ?? [];
  if (r.operator === 'In' && values.length === 1) return (n) => n.metadata?.name === values[0];
  if (r.operator === 'NotIn' && values.length === 1) return (n) => n.metadata?.name !== values[0];
  throw new Error('metadata.name requires In or NotIn with one value');
}

/** A term matches when all its requirements do; an empty or unparsable term matches nothing. */
function termMatches(term: NodeSelectorTerm, node: Node): boolean {
  const exprs = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  if (exprs.length === 0 && fields.length === 0) return false;
  try {
    const labelReqs = exprs.map(labelRequirement);
    const fieldReqs = fields.map(fieldRequirement);
    const labels = node.metadata?.labels ?? {};
    return labelReqs.every((m) => m(labels)) && fieldReqs.every((m) => m(node));
  } catch {
    return false;
  }
}

/** nodeaffinity.GetRequiredNodeAffinity(pod).Match(node): the nodeSelector and any required term. */
export function matchesRequiredNodeAffinity(spec: PodSpec, node: Node): boolean {
  const labels = node.metadata?.labels ?? {};
  for (const [k, v] of Object.entries(spec.nodeSelector ?? {})) if (labels[k] !== v) return false;
  const required = spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  if (!required) return true;
  return (required.nodeSelectorTerms ?? []).some((t) => termMatches(t, node));
}

/** NewPod: the daemon pod for `nodeName` as the predicates see it (template, node name, daemon tolerations). */
export function newDaemonPod(ds: DaemonSet, nodeName: string): Pod {
  const spec: PodSpec = structuredClone(ds.spec?.template?.spec ?? { containers: [] });
  spec.nodeName = nodeName;
  addOrUpdateDaemonPodTolerations(spec);
  return { metadata: { ...structuredClone(ds.spec?.template?.metadata ?? {}), namespace: ds.metadata?.namespace }, spec };
}

export interface NodeFit {
  /** A daemon pod should be created here if there is none. */
  shouldRun: boolean;
  /** A daemon pod already here may stay. */
  shouldContinueRunning: boolean;
}

/**
 * NodeShouldRunDaemonPod. A node whose untolerated taints are all NoSchedule
 * gets no new pod but keeps the one it has; an untolerated NoExecute taint
 * removes it.
 */
export function nodeShouldRunDaemonPod(node: Node, ds: DaemonSet): NodeFit {
  const nodeName = node.metadata?.name ?? '';
  const pod = newDaemonPod(ds, nodeName);
  const templateNodeName = ds.spec?.template?.spec?.nodeName ?? '';
  if (templateNodeName !== '' && templateNodeName !== nodeName) return { shouldRun: false, shouldContinueRunning: false };
  const fitsNodeName = !pod.spec!.nodeName || pod.spec!.nodeName === nodeName;
  if (!fitsNodeName || !matchesRequiredNodeAffinity(pod.spec!, node)) return { shouldRun: false, shouldContinueRunning: false };
  const taints = node.spec?.taints ?? [];
  const tolerations = pod.spec!.tolerations ?? [];
  if (findUntoleratedTaint(taints, tolerations, (t) => t.effect === 'NoExecute' || t.effect === 'NoSchedule')) {
    return { shouldRun: false, shouldContinueRunning: !findUntoleratedTaint(taints, tolerations, (t) => t.effect === 'NoExecute') };
  }
  return { shouldRun: true, shouldContinueRunning: true };
}
