/**
 * The storage rules apps/v1 workloads share (kube-apiserver
 * `pkg/registry/apps/*` strategy.go): status is reset on create and kept by
 * main-resource updates, a status update changes only status, generation
 * starts at 1 and grows when the spec changes (for Deployments also when
 * annotations change: a rollback annotation is a change of intent).
 * Kind-specific defaults and validation are passed in.
 */
import { isDeepStrictEqual } from 'node:util';
import type { FieldError } from '../field-error.ts';
import type { Strategy } from '../kind.ts';
import type { Stored } from '../types.ts';

interface Workload {
  spec?: unknown;
  status?: unknown;
}

export interface WorkloadRules<T extends Workload> {
  /** SetDefaults_<Kind> (and the pod template's defaults), on create and update. */
  defaults(obj: Stored<T>): void;
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
      obj.status = {} as T['status'];
      obj.metadata.generation = 1;
      rules.defaults(obj);
    },
    validate: (obj) => rules.validate(obj),
    prepareForUpdate(obj, old) {
      obj.status = old.status;
      rules.defaults(obj);
      const gen = old.metadata.generation ?? 0;
      obj.metadata.generation = isDeepStrictEqual(intent(obj), intent(old)) ? gen : gen + 1;
    },
    validateUpdate: (obj, old) => rules.validateUpdate(obj, old),
    prepareForStatusUpdate(obj, old) {
      obj.spec = old.spec;
      const rv = obj.metadata.resourceVersion;
      // Annotations written with the status are kept, as apps/v1's status strategies keep metadata
      // (the Deployment controller records deployment.kubernetes.io/revision this way); absent ones stay as they were.
      obj.metadata = { ...old.metadata, annotations: obj.metadata.annotations ?? old.metadata.annotations, resourceVersion: rv };
    },
    validateStatusUpdate: (obj, old) => rules.validateStatusUpdate(obj, old),
    warnings: rules.warnings,
  };
}
