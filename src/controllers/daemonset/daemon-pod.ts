/**
 * What makes a pod a DaemonSet's pod (pkg/controller/daemon/util): the
 * tolerations every daemon pod gets, the labels that tie it to a revision
 * (`controller-revision-hash`, and `pod-template-generation` from the
 * DaemonSet's deprecated annotation), the node affinity that pins it to its
 * node, and the readings of a pod the controller decides by (its target
 * node, updated or not, ready, available).
 */
import type { DaemonSet } from 'kubernetes-types/apps/v1.js';
import type { Affinity, Pod, PodSpec, PodTemplateSpec, Toleration } from 'kubernetes-types/core/v1.js';

/** apps.ControllerRevisionHashLabelKey (DefaultDaemonSetUniqueLabelKey). */
export const controllerRevisionHashLabelKey = 'controller-revision-hash';
/** extensions.DaemonSetTemplateGenerationKey. */
export const templateGenerationLabelKey = 'pod-template-generation';
/** apps.DeprecatedTemplateGeneration: the template generation the API server keeps on a v1 DaemonSet. */
export const deprecatedTemplateGenerationAnnotation = 'deprecated.daemonset.template.generation';

/** Toleration.MatchToleration: the same key, effect, operator and value. */
function sameToleration(a: Toleration, b: Toleration): boolean {
  return (a.key ?? '') === (b.key ?? '') && (a.effect ?? '') === (b.effect ?? '') && (a.operator ?? '') === (b.operator ?? '') && (a.value ?? '') === (b.value ?? '');
}

/** AddOrUpdateTolerationInPodSpec: replaces a matching toleration (e.g. one with tolerationSeconds), else appends. */
function addOrUpdateToleration(spec: PodSpec, toleration: Toleration): void {
  const current = spec.tolerations ?? [];
  let updated = false;
  const next: Toleration[] = [];
  for (const t of current) {
    if (sameToleration(toleration, t)) {
      if (t.tolerationSeconds === undefined || t.tolerationSeconds === null) return;
      next.push({ ...toleration });
      updated = true;
      continue;
    }
    next.push(t);
  }
  if (!updated) next.push({ ...toleration });
  spec.tolerations = next;
}

/**
 * AddOrUpdateDaemonPodTolerations: a daemon pod survives the node going
 * not-ready or unreachable, and lands despite the node-condition taints.
 */
export function addOrUpdateDaemonPodTolerations(spec: PodSpec): void {
  addOrUpdateToleration(spec, { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' });
  addOrUpdateToleration(spec, { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' });
  addOrUpdateToleration(spec, { key: 'node.kubernetes.io/disk-pressure', operator: 'Exists', effect: 'NoSchedule' });
  addOrUpdateToleration(spec, { key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule' });
  addOrUpdateToleration(spec, { key: 'node.kubernetes.io/pid-pressure', operator: 'Exists', effect: 'NoSchedule' });
  addOrUpdateToleration(spec, { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' });
  if (spec.hostNetwork) addOrUpdateToleration(spec, { key: 'node.kubernetes.io/network-unavailable', operator: 'Exists', effect: 'NoSchedule' });
}

/** GetTemplateGeneration: the deprecated annotation as an integer; undefined when absent or unparsable. */
export function templateGeneration(ds: DaemonSet): string | undefined {
  const a = ds.metadata?.annotations?.[deprecatedTemplateGenerationAnnotation];
  if (a === undefined || !/^[+-]?\d+$/.test(a)) return undefined;
  return BigInt(a).toString();
}

/** CreatePodTemplate: the template with the daemon tolerations, the generation label and the revision hash label. */
export function createPodTemplate(template: PodTemplateSpec | undefined, generation: string | undefined, hash: string): PodTemplateSpec {
  const t: PodTemplateSpec = structuredClone(template ?? {});
  t.spec ??= { containers: [] };
  addOrUpdateDaemonPodTolerations(t.spec);
  t.metadata ??= {};
  t.metadata.labels = { ...t.metadata.labels };
  if (generation !== undefined) t.metadata.labels[templateGenerationLabelKey] = generation;
  if (hash) t.metadata.labels[controllerRevisionHashLabelKey] = hash;
  return t;
}

/**
 * ReplaceDaemonSetPodNodeNameNodeAffinity: the required node affinity
 * becomes the single term `metadata.name In [nodeName]` (the rest of the
 * affinity is kept), so the default scheduler binds the pod to its node.
 */
export function replaceNodeNameNodeAffinity(affinity: Affinity | undefined, nodeName: string): Affinity {
  const required = { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [nodeName] }] }] };
  const a: Affinity = structuredClone(affinity ?? {});
  a.nodeAffinity = { ...a.nodeAffinity, requiredDuringSchedulingIgnoredDuringExecution: required };
  return a;
}

/**
 * GetTargetNodeName: spec.nodeName, or for a pod not yet bound the one
 * value of its `metadata.name In` field requirement; undefined when there is
 * none or it is not unique.
 */
export function targetNodeName(pod: Pod): string | undefined {
  if (pod.spec?.nodeName) return pod.spec.nodeName;
  const terms = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
  for (const term of terms) {
    for (const e of term.matchFields ?? []) {
      if (e.key === 'metadata.name' && e.operator === 'In') return e.values?.length === 1 ? e.values[0] : undefined;
    }
  }
  return undefined;
}

/** IsPodUpdated: the pod carries the current revision's hash, or the current template generation. */
export function isPodUpdated(pod: Pod, hash: string, generation: string | undefined): boolean {
  const labels = pod.metadata?.labels ?? {};
  const templateMatches = generation !== undefined && labels[templateGenerationLabelKey] === generation;
  const hashMatches = hash.length > 0 && labels[controllerRevisionHashLabelKey] === hash;
  return hashMatches || templateMatches;
}

export function isPodTerminal(pod: Pod): boolean {
  return pod.status?.phase === 'Failed' || pod.status?.phase === 'Succeeded';
}

/** podByCreationTimestampAndPhase: bound pods first, then oldest, then by name. */
export function compareByCreationAndPhase(a: Pod, b: Pod): number {
  const boundA = !!a.spec?.nodeName;
  const boundB = !!b.spec?.nodeName;
  if (boundA !== boundB) return boundA ? -1 : 1;
  const ta = Date.parse(a.metadata?.creationTimestamp ?? '') || 0;
  const tb = Date.parse(b.metadata?.creationTimestamp ?? '') || 0;
  if (ta !== tb) return ta - tb;
  const na = a.metadata?.name ?? '';
  const nb = b.metadata?.name ?? '';
  return na < nb ? -1 : na > nb ? 1 : 0;
}

/** intstr.GetScaledValueFromIntOrPercent, rounding up. */
export function scaledValue(v: number | string | undefined | null, total: number): number {
  if (v === undefined || v === null) throw new Error('nil value for IntOrString');
  if (typeof v === 'number') return v;
  const m = /^(-?\d+)%$/.exec(v);
  if (!m) throw new Error(`invalid value for IntOrString: invalid type: string is not a percentage`);
  return Math.ceil((Number(m[1]) * total) / 100);
}

/** SurgeCount: 0 unless a rolling update asks for maxSurge. */
export function surgeCount(ds: DaemonSet, numberToSchedule: number): number {
  if (ds.spec?.updateStrategy?.type !== 'RollingUpdate') return 0;
  const r = ds.spec.updateStrategy.rollingUpdate;
  if (!r || r.maxSurge === undefined || r.maxSurge === null) return 0;
  return scaledValue(r.maxSurge, numberToSchedule);
}

/** UnavailableCount: 0 unless a rolling update; throws for a missing or malformed maxUnavailable. */
export function unavailableCount(ds: DaemonSet, numberToSchedule: number): number {
  if (ds.spec?.updateStrategy?.type !== 'RollingUpdate') return 0;
  const r = ds.spec.updateStrategy.rollingUpdate;
  if (!r) return 0;
  return scaledValue(r.maxUnavailable, numberToSchedule);
}

/** AllowsSurge: more than one pod may run on a node during an update. */
export function allowsSurge(ds: DaemonSet): boolean {
  try {
    return surgeCount(ds, 1) > 0;
  } catch {
    return false;
  }
}
