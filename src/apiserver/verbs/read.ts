/** GET of one object and LIST of a collection, as objects or as a Table. */
import { buildTable } from '../../api/printers/printers.ts';
import { namespaceOf, type RequestContext } from '../context.ts';
import { sendJson } from '../status.ts';

export function get(ctx: RequestContext): void {
  const obj = ctx.store.get(namespaceOf(ctx), ctx.info.name);
  if (ctx.table) {
    sendJson(
      ctx.res,
      200,
      buildTable(ctx.store.printer, [obj], {
        now: ctx.now(),
        includeObject: ctx.table.includeObject,
        resourceVersion: obj.metadata?.resourceVersion,
      }),
    );
    return;
  }
  sendJson(ctx.res, 200, obj);
}

export function list(ctx: RequestContext): void {
  const opts = {
    labelSelector: ctx.query.get('labelSelector') ?? undefined,
    fieldSelector: ctx.query.get('fieldSelector') ?? undefined,
  };
  const ns = namespaceOf(ctx);
  if (ctx.table) {
    const { items, resourceVersion } = ctx.store.list(ns, opts);
    sendJson(
      ctx.res,
      200,
      buildTable(ctx.store.printer, items, {
        now: ctx.now(),
        includeObject: ctx.table.includeObject,
        resourceVersion,
      }),
    );
    return;
  }
  sendJson(ctx.res, 200, ctx.store.listObject(ns, opts));
}
