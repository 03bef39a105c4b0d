/** GET of one object and LIST of a collection, as objects or as a Table. */
import { buildTable } from '../../api/printers/printers.ts';
import { namespaceOf, type RequestContext } from '../context.ts';
import { listOptions } from '../list-options.ts';
import { sendObject } from '../status.ts';

export function get(ctx: RequestContext): void {
  const obj = ctx.store.get(namespaceOf(ctx), ctx.info.name);
  if (ctx.table) {
    sendObject(
      ctx.res,
      200,
      buildTable(ctx.store.printer, [obj], {
        now: ctx.now(),
        includeObject: ctx.table.includeObject,
        resourceVersion: obj.metadata?.resourceVersion,
      }),
      ctx.output,
    );
    return;
  }
  sendObject(ctx.res, 200, obj, ctx.output);
}

/**
 * LIST, one page of it with `limit` (kubectl's `--chunk-size`, 500 by
 * default): the Table of a page carries the page's `continue` too.
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
  if (ctx.table) {
    const { items, ...meta } = ctx.store.list(ns, opts);
    const table = buildTable(ctx.store.printer, items, {
      now: ctx.now(),
      includeObject: ctx.table.includeObject,
      resourceVersion: meta.resourceVersion,
    });
    if (meta.continue !== undefined) table.metadata.continue = meta.continue;
    if (meta.remainingItemCount !== undefined) table.metadata.remainingItemCount = meta.remainingItemCount;
    sendObject(ctx.res, 200, table, ctx.output);
    return;
  }
  sendObject(ctx.res, 200, ctx.store.listObject(ns, opts), ctx.output);
}
