/**
 * A kind that is created to ask a question and never stored (the
 * authentication.k8s.io and authorization.k8s.io reviews): discovery lists
 * only `create`, and the API server answers a create with what `review`
 * returns (Strategy.review). The storage hooks exist only to satisfy the
 * Strategy shape; nothing calls them.
 */
import type { Kind, ReviewContext } from '../kind.ts';

export interface ReviewKindNames {
  group: string;
  version: string;
  resource: string;
  kind: string;
  namespaced: boolean;
}

export function reviewKind<T>(names: ReviewKindNames, review: (obj: T, ctx: ReviewContext) => T | Promise<T>): Kind<T> {
  return {
    info: {
      ...names,
      singular: names.kind.toLowerCase(),
      listKind: `${names.kind}List`,
      shortNames: [],
      categories: [],
      verbs: ['create'],
      subresources: [],
    },
    strategy: {
      selectableFields: [],
      fields: () => ({}),
      prepareForCreate() {},
      validate: () => [],
      prepareForUpdate() {},
      validateUpdate: () => [],
      review,
    },
  };
}

/** The object a review answers with: its apiVersion and kind, metadata as Go encodes an empty ObjectMeta (creationTimestamp null). */
export function answered<T extends Record<string, any>>(obj: T, group: string, version: string, kind: string): T {
  return { ...obj, kind, apiVersion: `${group}/${version}`, metadata: { ...(obj.metadata ?? {}), creationTimestamp: obj.metadata?.creationTimestamp ?? null } };
}
