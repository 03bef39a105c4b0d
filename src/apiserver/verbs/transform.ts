/**
 * The conversion a client negotiated in Accept (negotiate.ts Transform),
 * applied to what GET, LIST and WATCH answer, as kube-apiserver's
 * transformObject (handlers/response.go): a Table through the kind's
 * printer, or the metadata alone as a meta.k8s.io PartialObjectMetadata or
 * PartialObjectMetadataList (client-go's metadata client and informers).
 * Asking for a list's conversion of one object, or the reverse, is a 406
 * with upstream's text. Status objects are never converted (callers send
 * them untransformed).
 */
import { ApiError } from '../../api/api.ts';
import { buildTable } from '../../api/printers/printers.ts';
import type { ResourceInfo } from '../../registry/registry.ts';
import type { RequestContext } from '../context.ts';
import type { Transform } from '../negotiate.ts';

interface ListMeta {
  resourceVersion?: string;
  continue?: string;
  remainingItemCount?: number;
}

/** A page of a LIST: its objects and its list metadata. */
export interface ListPage {
  items: readonly any[];
  metadata: ListMeta;
}

function notAcceptable(message: string): ApiError {
  return new ApiError(406, 'NotAcceptable', message);
}

/**
 * The Go type kube-apiserver holds a kind in (what its errors print): the
 * internal type, whose package is the group's first label (`core` for the
 * core group and for events.k8s.io, whose Event is core's).
 */
export function internalTypeName(info: Pick<ResourceInfo, 'group' | 'kind'>, list = false): string {
  const pkg = info.group === '' || info.group === 'events.k8s.io' ? 'core' : info.group.split('.')[0];
  return `${pkg}.${info.kind}${list ? 'List' : ''}`;
}

/** meta.AsPartialObjectMetadata: the whole ObjectMeta, under the requested meta.k8s.io version. */
export function asPartialObjectMetadata(obj: any, version: Transform['version']): Record<string, unknown> {
  return { kind: 'PartialObjectMetadata', apiVersion: `meta.k8s.io/${version}`, metadata: obj?.metadata ?? {} };
}

/**
 * asPartialObjectMetadataList: each item as PartialObjectMetadata, the
 * list's resourceVersion, continue and remainingItemCount. An empty list's
 * items are `null`, as Go encodes the nil slice upstream leaves there.
 */
export function asPartialObjectMetadataList(page: ListPage, version: Transform['version']): Record<string, unknown> {
  const metadata: ListMeta = {};
  if (page.metadata.resourceVersion !== undefined) metadata.resourceVersion = page.metadata.resourceVersion;
  if (page.metadata.continue !== undefined) metadata.continue = page.metadata.continue;
  if (page.metadata.remainingItemCount !== undefined) metadata.remainingItemCount = page.metadata.remainingItemCount;
  return {
    kind: 'PartialObjectMetadataList',
    apiVersion: `meta.k8s.io/${version}`,
    metadata,
    items: page.items.length ? page.items.map((item) => asPartialObjectMetadata(item, version)) : null,
  };
}

/** asTable's GroupVersionKind: the Table in the version asked for. */
function inVersion<T extends object>(table: T, version: Transform['version']): T {
  return { ...table, apiVersion: `meta.k8s.io/${version}` };
}

/**
 * One object (GET, a watch event's object) as negotiated; `columnDefinitions`
 * is false for the Tables of watch events after the first.
 */
export function transformObject(ctx: RequestContext, obj: any, columnDefinitions = true): unknown {
  const t = ctx.output.transform;
  switch (t?.kind) {
    case undefined:
      return obj;
    case 'Table': {
      const table = buildTable(ctx.store.printer, [obj], {
        now: ctx.now(),
        includeObject: ctx.table?.includeObject ?? 'Metadata',
        resourceVersion: obj?.metadata?.resourceVersion,
        columnDefinitions,
      });
      return inVersion(table, t.version);
    }
    case 'PartialObjectMetadata':
      return asPartialObjectMetadata(obj, t.version);
    case 'PartialObjectMetadataList':
      throw notAcceptable(`you requested PartialObjectMetadataList, but the requested object is not a list (*${internalTypeName(ctx.store.info)})`);
  }
}

/** A LIST page (the list object the store answers) as negotiated. */
export function transformList(ctx: RequestContext, page: ListPage): unknown {
  const t = ctx.output.transform;
  switch (t?.kind) {
    case undefined:
      return page;
    case 'Table': {
      const table = buildTable(ctx.store.printer, page.items, {
        now: ctx.now(),
        includeObject: ctx.table?.includeObject ?? 'Metadata',
        resourceVersion: page.metadata.resourceVersion,
      });
      if (page.metadata.continue !== undefined) table.metadata.continue = page.metadata.continue;
      if (page.metadata.remainingItemCount !== undefined) table.metadata.remainingItemCount = page.metadata.remainingItemCount;
      return inVersion(table, t.version);
    }
    case 'PartialObjectMetadata':
      throw notAcceptable(`you requested PartialObjectMetadata, but the requested object is a list (*${internalTypeName(ctx.store.info, true)})`);
    case 'PartialObjectMetadataList':
      return asPartialObjectMetadataList(page, t.version);
  }
}
