/**
 * The per-resource rules a ResourceStore applies: what a resource is called,
 * how it is defaulted and validated, which fields selectors may use, and how it
 * is deleted. One strategy object per resource type (strategies/).
 */
import type { FieldError } from '../api/api.ts';

export interface ResourceInfo {
  group: string;
  version: string;
  /** Plural, lower case: `pods`. */
  resource: string;
  singular: string;
  kind: string;
  listKind: string;
  namespaced: boolean;
  shortNames: string[];
  categories: string[];
  verbs: string[];
  subresources: string[];
}

export interface StrategyContext {
  /** Milliseconds since the epoch. */
  now: number;
}

export interface Strategy {
  info: ResourceInfo;
  /** DELETE answers with the object (pods) rather than a Success Status. */
  returnDeletedObject?: boolean;
  /** Field selector keys this resource supports, besides metadata.name/namespace. */
  selectableFields: readonly string[];
  /** Values of the selectable fields of `obj`. */
  fields(obj: any): Record<string, string>;
  /** Defaults and server-set fields on create (status reset, etc.). */
  prepareForCreate(obj: any, ctx: StrategyContext): void;
  /** Mutating admission on create, after field ownership is recorded (what it adds has no manager). */
  admitOnCreate?(obj: any): void;
  validate(obj: any): FieldError[];
  /** Carries over what a main-resource update may not change (e.g. status). */
  prepareForUpdate(obj: any, old: any): void;
  validateUpdate(obj: any, old: any): FieldError[];
  /** For resources with a status subresource: keep everything but status from `old`. */
  prepareForStatusUpdate?(obj: any, old: any): void;
  validateStatusUpdate?(obj: any, old: any): FieldError[];
  /**
   * Grace period for a delete request; 0 deletes at once. Resources without
   * graceful deletion omit this.
   */
  deleteGrace?(obj: any, requested: number | undefined): number;
  /** Validating admission on delete (NamespaceLifecycle's immortal namespaces): throws an ApiError to refuse. */
  admitDelete?(obj: any): void;
  /** True while something other than metadata.finalizers keeps the object (namespace spec.finalizers). */
  blocksDeletion?(obj: any): boolean;
  /** Called when an object starts terminating (e.g. namespace phase Terminating). */
  onTerminate?(obj: any): void;
}
