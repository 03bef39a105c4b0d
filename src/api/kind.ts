/**
 * What declaring a kind means: the one place a kind of object is described,
 * from which routing, discovery (aggregated and legacy), OpenAPI,
 * `kubectl api-resources`/`explain`, list/watch, field selectors, storage and
 * Table printing all follow. Each API group (api/<group>/) lists its kinds in
 * one table; api/groups.ts lists the groups.
 *
 * A Kind is data plus pure functions: it knows nothing of HTTP or storage.
 */
import type { FieldError } from './field-error.ts';
import type { Printer } from './printers/table.ts';
import type { Stored } from './types.ts';
import type { Schema } from './validation/schema/generate-schema.ts';
import type { Authorizer, TokenAuthenticator, UserInfo } from '../auth/auth.ts';

/** The names and capabilities of a resource, as discovery publishes them. */
export interface ResourceInfo {
  /** '' for the core group. */
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
  /** `status`, `log`, `exec`, `scale`, …: what the API server routes below an object. */
  subresources: string[];
  /** Set for a deprecated resource: the Warning kube-apiserver sends with every request to it. */
  deprecationWarning?: string;
}

/** One kind of object: its names, its storage rules and its Table columns. */
export interface Kind<T = any> {
  info: ResourceInfo;
  strategy: Strategy<T>;
  /** `kubectl get` columns; kinds without one get Name/Age. */
  printer?: Printer;
  /**
   * The decoding schema (field types, unknown fields) when this kind's
   * version is not core/v1's: another group's kind of the same name
   * (events.k8s.io/v1 Event) decodes with its own fields.
   */
  schema?: Schema;
  /** Set when the objects live in another resource's storage, seen through this version's field names. */
  storage?: SharedStorage;
}

/**
 * kube-apiserver keeps one storage per resource whatever version a client
 * speaks (events.k8s.io/v1 Events are core Events in etcd, under
 * /registry/events): a kind served in another version names the resource
 * whose storage it shares and converts each object on the way in and out.
 * Conversions are pure and total; each returns a fresh object.
 */
export interface SharedStorage {
  /** The storage resource's group ('' for core) and plural name. */
  group: string;
  resource: string;
  /** This version's object → the stored version's (apiVersion and kind included). */
  toStorage(obj: Record<string, unknown>): Record<string, unknown>;
  /** The stored version's object → this version's. */
  fromStorage(stored: Record<string, unknown>): Record<string, unknown>;
}

/** An API group and the kinds it serves (one version per group so far). */
export interface ApiGroup {
  /** '' for the core group (served under /api), else e.g. `apps`. */
  name: string;
  version: string;
  kinds: readonly Kind[];
}

/** `group/version`, or `version` for the core group: the apiVersion of objects. */
export function groupVersion(info: Pick<ResourceInfo, 'group' | 'version'>): string {
  return info.group ? `${info.group}/${info.version}` : info.version;
}

export interface StrategyContext {
  /** Milliseconds since the epoch. */
  now: number;
}

/**
 * The per-kind storage rules a ResourceStore applies: how objects are
 * defaulted and validated, which fields selectors may use, and how they are
 * deleted (kube-apiserver's rest.RESTCreateStrategy/RESTUpdateStrategy).
 */
export interface Strategy<T = any> {
  /** DELETE answers with the object (pods) rather than a Success Status. */
  returnDeletedObject?: boolean;
  /** Field selector keys this resource supports, besides metadata.name/namespace. */
  selectableFields: readonly string[];
  /** Values of the selectable fields of `obj`. */
  fields(obj: Stored<T>): Record<string, string>;
  /** Defaults and server-set fields on create (status reset, etc.). */
  prepareForCreate(obj: Stored<T>, ctx: StrategyContext): void;
  /** Mutating admission on create, after field ownership is recorded (what it adds has no manager). */
  admitOnCreate?(obj: Stored<T>): void;
  validate(obj: Stored<T>): FieldError[];
  /** Carries over what a main-resource update may not change (e.g. status). */
  prepareForUpdate(obj: Stored<T>, old: Stored<T>): void;
  validateUpdate(obj: Stored<T>, old: Stored<T>): FieldError[];
  /** For resources with a status subresource: keep everything but status from `old`. */
  prepareForStatusUpdate?(obj: Stored<T>, old: Stored<T>): void;
  validateStatusUpdate?(obj: Stored<T>, old: Stored<T>): FieldError[];
  /**
   * Warnings for a create (`old` undefined) or an update that passed
   * validation (kube-apiserver's WarningsOnCreate/WarningsOnUpdate); the API
   * server sends them as `Warning:` headers.
   */
  warnings?(obj: Stored<T>, old?: Stored<T>): string[];
  /**
   * Grace period for a delete request; 0 deletes at once. Resources without
   * graceful deletion omit this.
   */
  deleteGrace?(obj: Stored<T>, requested: number | undefined): number;
  /** Validating admission on delete (NamespaceLifecycle's immortal namespaces): throws an ApiError to refuse. */
  admitDelete?(obj: Stored<T>): void;
  /** True while something other than metadata.finalizers keeps the object (namespace spec.finalizers). */
  blocksDeletion?(obj: Stored<T>): boolean;
  /** Called when an object starts terminating (e.g. namespace phase Terminating). */
  onTerminate?(obj: Stored<T>): void;
  /**
   * Set for a kind that is never stored (TokenReview, SubjectAccessReview,
   * …, whose info.verbs is ['create']): the API server answers a create with
   * the object this returns for the decoded body (201), writes nothing, and
   * routes no other verb. It throws an ApiError to refuse (validation).
   * The other strategy hooks are never called for such a kind.
   */
  review?(obj: T, ctx: ReviewContext): T | Promise<T>;
}

/** What a review (Strategy.review) may consult: the requesting user and the API server's authenticators and authorizer. */
export interface ReviewContext {
  /** The user the request acts as (after impersonation). */
  user: UserInfo;
  /** The request's namespace ('' for a cluster-scoped review). */
  namespace: string;
  authorizer: Authorizer;
  /** The API server's bearer-token chain (TokenReview). */
  tokens: TokenAuthenticator;
  /** The API server's audiences, for a TokenReview that names none. */
  apiAudiences: readonly string[];
  /** Milliseconds since the epoch. */
  now: number;
}
