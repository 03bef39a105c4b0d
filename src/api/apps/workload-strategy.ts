/**
 * The storage rules apps/v1 workloads share (kube-apiserver
 * `pkg/registry/apps/*` strategy.go): status is reset on create and kept by
 * main-resource updates, a status update changes only status, generation
 * starts at 1 and grows when the spec changes (for Deployments also when
 * annotations change: a rollback annotation is a change of intent).
 * Kind-specific defaults, validation and create-time status are passed in.
 *
 * Also the warnings of pod templates (`GetWarningsForPodTemplate`): the pod
 * warnings of api/core/pod under `spec.template.`, plus the AppArmor
 * annotation warning only templates get; they are sent on create, and on an
 * update only when the generation moved.
 */
import { isDeepStrictEqual } from 'node:util';
import type { Pod, PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import type { FieldError } from '../field-error.ts';
import type { Strategy } from '../kind.ts';
import type { Stored } from '../types.ts';
import { keepAllButStatus } from '../status-strategy.ts';
import { getWarningsForPod } from '../core/pod/pod-warnings.ts';
import { isDNS1123Label } from '../validation/string-formats.ts';

interface Workload {
  spec?: unknown;
  status?: unknown;
}

export interface WorkloadRules<T extends Workload> {
  /** SetDefaults_<Kind> (and the pod template's defaults), on create and update. */
  defaults(obj: Stored<T>): void;
  /** The status a new object is stored with: Go's zero status, as it encodes (non-omitempty counts included). */
  initialStatus?(): T['status'];
  /** Extra create-time preparation after defaults (DaemonSet's template generation). */
  prepareForCreate?(obj: Stored<T>): void;
  /** Extra update-time preparation after defaults, before the generation is decided. */
  prepareForUpdate?(obj: Stored<T>, old: Stored<T>): void;
  validate(obj: Stored<T>): FieldError[];
  validateUpdate(obj: Stored<T>, old: Stored<T>): FieldError[];
  validateStatusUpdate(obj: Stored<T>, old: Stored<T>): FieldError[];
  /** Annotations count as a change of the spec for the generation (Deployments). */
  annotationsBumpGeneration?: boolean;
  warnings?(obj: Stored<T>, old?: Stored<T>): string[];
  selectableFields?: readonly string[];
  fields?(obj: Stored<T>): Record<string, string>;
}

export function workloadStrategy<T extends Workload>(rules: WorkloadRules<T>): Strategy<T> {
  const intent = (o: Stored<T>) => (rules.annotationsBumpGeneration ? [o.spec, o.metadata.annotations ?? {}] : [o.spec]);
  return {
    selectableFields: rules.selectableFields ?? [],
    fields: rules.fields ?? (() => ({})),
    prepareForCreate(obj) {
      obj.status = rules.initialStatus?.() ?? ({} as T['status']);
      obj.metadata.generation = 1;
      rules.defaults(obj);
      rules.prepareForCreate?.(obj);
    },
    validate: (obj) => rules.validate(obj),
    prepareForUpdate(obj, old) {
      obj.status = old.status;
      rules.defaults(obj);
      rules.prepareForUpdate?.(obj, old);
      const gen = old.metadata.generation ?? 0;
      obj.metadata.generation = isDeepStrictEqual(intent(obj), intent(old)) ? gen : gen + 1;
    },
    validateUpdate: (obj, old) => rules.validateUpdate(obj, old),
    prepareForStatusUpdate(obj, old) {
      // Annotations written with the status are kept, as apps/v1's status strategies keep metadata
      // (the Deployment controller records deployment.kubernetes.io/revision this way); absent ones stay as they were.
      const annotations = obj.metadata.annotations ?? old.metadata.annotations;
      keepAllButStatus(obj, old);
      obj.metadata.annotations = annotations;
    },
    validateStatusUpdate: (obj, old) => rules.validateStatusUpdate(obj, old),
    warnings: rules.warnings,
  };
}

const appArmorPrefix = 'container.apparmor.security.beta.kubernetes.io/';

/** `GetWarningsForPodTemplate` with the field path `path` (`spec.template`). */
export function podTemplateWarnings(template: PodTemplateSpec | undefined, path = 'spec.template'): string[] {
  if (!template) return [];
  const spec = template.spec ?? { containers: [] };
  const meta = template.metadata ?? {};
  // Every pod warning names a field under `spec.` or `metadata.`; a template's live under `path`.
  const warnings = getWarningsForPod({ metadata: meta, spec } as Pod).map((w) => `${path}.${w}`);
  const annotations = meta.annotations ?? {};
  const podProfile = spec.securityContext?.appArmorProfile !== undefined;
  const containers = [...(spec.initContainers ?? []), ...(spec.containers ?? []), ...(spec.ephemeralContainers ?? [])];
  for (const c of containers) {
    const k = appArmorPrefix + c.name;
    if (!podProfile && c.securityContext?.appArmorProfile === undefined && Object.hasOwn(annotations, k)) {
      warnings.push(`${path}.metadata.annotations[${k}]: deprecated since v1.30; use the "appArmorProfile" field instead`);
    }
  }
  return warnings;
}

/** The `metadata.name` warning of workloads whose name prefixes their Pods' names. */
export function podNameWarnings(name: string | undefined): string[] {
  const msgs = isDNS1123Label(name ?? '');
  if (msgs.length === 0) return [];
  return [`metadata.name: this is used in Pod names and hostnames, which can result in surprising behavior; a DNS label is recommended: [${msgs.join(' ')}]`];
}

/**
 * Warnings of a workload with a pod template: on create the name (when
 * `warnName`) and the template; on update the template only, and only when
 * the generation moved.
 */
export function workloadWarnings<T extends Workload & { spec?: { template?: PodTemplateSpec } }>(warnName: boolean) {
  return (obj: Stored<T>, old?: Stored<T>): string[] => {
    if (old) return obj.metadata.generation !== old.metadata.generation ? podTemplateWarnings(obj.spec?.template) : [];
    return [...(warnName ? podNameWarnings(obj.metadata.name) : []), ...podTemplateWarnings(obj.spec?.template)];
  };
}
