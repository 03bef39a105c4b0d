/** DELETE of one object and DELETECOLLECTION. */
import { ApiError, errors, fieldError, FieldErrorType } from '../../api/api.ts';
import { groupVersion } from '../../api/kind.ts';
import { namespaceOf, type RequestContext } from '../context.ts';
import { intParam } from '../query-params.ts';
import { validateDeleteOptions } from '../request-options.ts';
import { decodeBody, readBody } from '../negotiate.ts';
import { sendObject, successStatus } from '../status.ts';
import type { DeleteOptions } from '../../registry/registry.ts';

async function deleteOptions(ctx: RequestContext): Promise<DeleteOptions> {
  const raw = await readBody(ctx.req);
  // An empty body, or JSON `null` (Go decodes it into zero options), means no options.
  const body = (raw.toString().trim() !== '' ? decodeBody(raw, ctx.req.headers['content-type']) : undefined) ?? {};
  if (typeof body !== 'object' || Array.isArray(body)) throw errors.badRequest('DeleteOptions must be an object');
  const q = ctx.query;
  const dryRun = q.has('dryRun') ? q.getAll('dryRun') : Array.isArray(body.dryRun) ? body.dryRun.map(String) : [];
  validateDeleteOptions(dryRun, q.get('propagationPolicy') ?? body.propagationPolicy, q.has('orphanDependents') ? q.get('orphanDependents') : body.orphanDependents);
  const grace = intParam(q, 'gracePeriodSeconds') ?? (typeof body.gracePeriodSeconds === 'number' ? body.gracePeriodSeconds : undefined);
  if (grace !== undefined && grace < 0) {
    throw errors.invalid('DeleteOptions', '', [fieldError(FieldErrorType.Invalid, 'gracePeriodSeconds', grace, 'must be greater than or equal to 0')]);
  }
  return { gracePeriodSeconds: grace, preconditions: body.preconditions, dryRun: dryRun.length > 0 };
}

export async function del(ctx: RequestContext): Promise<void> {
  const opts = await deleteOptions(ctx);
  const { object, deleted } = ctx.store.delete(namespaceOf(ctx), ctx.info.name, opts);
  if (!deleted || ctx.store.strategy.returnDeletedObject) {
    sendObject(ctx.res, 200, object);
    return;
  }
  sendObject(
    ctx.res,
    200,
    successStatus({ name: object.metadata.name, kind: ctx.store.info.resource, uid: object.metadata.uid }),
  );
}

export async function deleteCollection(ctx: RequestContext): Promise<void> {
  const opts = await deleteOptions(ctx);
  const ns = namespaceOf(ctx);
  const { items, resourceVersion } = ctx.store.list(ns, {
    labelSelector: ctx.query.get('labelSelector') ?? undefined,
    fieldSelector: ctx.query.get('fieldSelector') ?? undefined,
  });
  const out: any[] = [];
  for (const o of items) {
    try {
      out.push(ctx.store.delete(o.metadata.namespace, o.metadata.name, opts).object);
    } catch (err) {
      // Deleted concurrently: skip. Anything else (a failed precondition) fails the request, as in kube-apiserver.
      if (!(err instanceof ApiError && err.code === 404)) throw err;
    }
  }
  sendObject(ctx.res, 200, {
    kind: ctx.store.info.listKind,
    apiVersion: groupVersion(ctx.store.info),
    metadata: { resourceVersion },
    items: out,
  });
}
