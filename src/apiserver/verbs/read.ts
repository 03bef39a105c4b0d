/** GET of one object and LIST of a collection, as objects or as negotiated (a Table, PartialObjectMetadata[List]). */
import { namespaceOf, type RequestContext } from '../context.ts';
import { listOptions } from '../list-options.ts';
import { sendObject } from '../status.ts';
import { transformList, transformObject } from './transform.ts';

export function get(ctx: RequestContext): void {
  const obj = ctx.store.get(namespaceOf(ctx), ctx.info.name);
  sendObject(ctx.res, 200, transformObject(ctx, obj), ctx.output);
}

/**
 * LIST, one page of it with `limit` (kubectl's `--chunk-size`, 500 by
 * default): a converted page (Table, PartialObjectMetadataList) carries the
 * page's `continue` too.
 */
export function list(ctx: RequestContext): void {
  const q = listOptions(ctx.query, false);
  const opts = {
    labelSelector: q.labelSelector,
    fieldSelector: q.fieldSelector,
    limit: q.limit,
    continue: q.continue,
    resourceVersion: q.resourceVersion,
    resourceVersionMatch: q.resourceVersionMatch,
  };
  const ns = namespaceOf(ctx);
  const listed = ctx.store.listObject(ns, opts);
  sendObject(ctx.res, 200, transformList(ctx, listed), ctx.output);
}
